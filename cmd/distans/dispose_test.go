package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/checkpoint"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestDispose, on both databases: the dry run prints the plan and
// disposes of nothing; disposal removes the old notification and leaves
// the recent one and another organisation's; a second run has nothing to
// do; and `audit verify` passes afterwards, against a checkpoint sealed
// before the disposal too: disposal only appends to the chain.
func TestDispose(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		db := storetest.DSN(t, s)
		raw := storetest.Raw(t, s)
		old := time.Now().AddDate(-2, 0, 0).UTC().Format("2006-01-02T15:04:05.000000Z")
		recent := time.Now().AddDate(0, 0, -3).UTC().Format("2006-01-02T15:04:05.000000Z")
		for _, slug := range []string{"alfa", "beta"} {
			o := storetest.NewOrg(t, s, slug)
			u := storetest.NewUnit(t, s, o.ID, "", "Förvaltningen", distans.UnitAdministration)
			p := storetest.NewPerson(t, s, o.ID, "Anna Andersson", u.ID)
			for key, read := range map[string]string{"old": old, "recent": recent} {
				if _, err := raw.Exec(`INSERT INTO notifications (organisation_id, id, person_id, key, kind, params, link, created_at, read_at)
					VALUES ($1, $2, $3, $4, 'x', '{}', '', $5, $5)`, o.ID, slug+key, p.ID, slug+key, read); err != nil {
					t.Fatal(err)
				}
			}
		}
		notes := func() int {
			t.Helper()
			var n int
			if err := raw.QueryRow(`SELECT COUNT(*) FROM notifications`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// A checkpoint sealed before the disposal, as serve's job writes it.
		dir := t.TempDir()
		key := filepath.Join(dir, "audit.pem")
		if out, err := runCmd(t, "audit", "key", "-o", key); err != nil {
			t.Fatalf("audit key: %v\n%s", err, out)
		}
		k, err := checkpoint.LoadPrivateKey(key, "")
		if err != nil {
			t.Fatal(err)
		}
		cps := filepath.Join(dir, "checkpoints.jsonl")
		w, err := checkpoint.NewWriter(k, s, cps, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := w.Write(ctx, time.Now()); err != nil || n != 2 {
			t.Fatalf("checkpoints: %d, %v", n, err)
		}

		out, err := runCmd(t, "dispose", "-db", db, "-org", "alfa", "-dry-run")
		if err != nil {
			t.Fatalf("dry run: %v\n%s", err, out)
		}
		for _, want := range []string{"Gallringsplan", "notifications", "365 dagar", "Dataskyddsförordningen (EU) 2016/679, Artikel 5.1 e",
			"delete_expired_sessions", "access_log"} {
			if !strings.Contains(out, want) {
				t.Errorf("dry run lacks %q:\n%s", want, out)
			}
		}
		if notes() != 4 {
			t.Fatal("the dry run disposed of something")
		}
		out, err = runCmd(t, "dispose", "-db", db, "-org", "alfa")
		if err != nil || !strings.Contains(out, "notifications: 1 remove") {
			t.Fatalf("dispose: %v\n%s", err, out)
		}
		if notes() != 3 {
			t.Errorf("%d notifications left, want 3", notes())
		}
		if out, err = runCmd(t, "dispose", "-db", db, "-org", "alfa"); err != nil || !strings.Contains(out, "Inget att gallra") {
			t.Errorf("second run: %v\n%s", err, out)
		}
		out, err = runCmd(t, "audit", "verify", "-db", db, "-checkpoints", cps, "-public-key", key+".pub")
		if err != nil || !strings.Contains(out, "every audit chain is intact") || !strings.Contains(out, "2 checkpoints are genuine") {
			t.Errorf("audit verify after disposal: %v\n%s", err, out)
		}
		for _, tc := range []struct {
			args []string
			want string
		}{{[]string{"-org", "nope"}, "unknown organisation"}, {nil, "-org"}} {
			if _, err := runCmd(t, append([]string{"dispose", "-db", db}, tc.args...)...); exitCode(err) != 2 || !strings.Contains(errString(err), tc.want) {
				t.Errorf("dispose %v: %v", tc.args, err)
			}
		}
	})
}
