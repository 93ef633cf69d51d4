package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/checkpoint"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestAuditCheckpoints: a database administrator who deletes the last
// event and moves the chain's head back passes `audit verify` (the chain
// alone cannot tell), and fails it held against the signed checkpoints
// that the server wrote before; a forged checkpoint is refused.
func TestAuditCheckpoints(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "distans.db")
	db := "sqlite:" + file
	if out, err := runCmd(t, "migrate", "-db", db); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, slug := range []string{"alfa", "beta"} {
		o := storetest.NewOrg(t, s, slug)
		storetest.NewUnit(t, s, o.ID, "", "Förvaltningen", distans.UnitAdministration)
	}
	key, other := filepath.Join(dir, "audit.pem"), filepath.Join(dir, "other.pem")
	for _, k := range []string{key, other} {
		if out, err := runCmd(t, "audit", "key", "-o", k); err != nil || !strings.Contains(out, k+".pub") {
			t.Fatalf("audit key: %v\n%s", err, out)
		}
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v %v", fi, err)
	}
	if out, err := runCmd(t, "audit", "key", "-o", key); exitCode(err) != 1 {
		t.Fatalf("audit key over an existing key: %v %s", err, out)
	}

	// The checkpoint job, once, as serve runs it.
	cps := filepath.Join(dir, "checkpoints.jsonl")
	k, err := checkpoint.LoadPrivateKey(key, "")
	if err != nil {
		t.Fatal(err)
	}
	w, err := checkpoint.NewWriter(k, s, cps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := w.Write(ctx, time.Now()); err != nil || n != 2 {
		t.Fatalf("checkpoints: %d, %v", n, err)
	}

	verify := func(args ...string) (string, error) {
		t.Helper()
		return runCmd(t, append([]string{"audit", "verify", "-db", db}, args...)...)
	}
	withCheckpoints := []string{"-checkpoints", cps, "-public-key", key + ".pub"}
	if out, err := verify(withCheckpoints...); err != nil || !strings.Contains(out, "checkpoints are genuine and in the chains") {
		t.Fatalf("verify with checkpoints: %v\n%s", err, out)
	}

	// The administrator deletes beta's last event and moves its head back.
	raw, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DELETE FROM audit_events WHERE (organisation_id, seq) IN (SELECT h.organisation_id, h.seq FROM audit_heads h
			JOIN organisations o ON o.id = h.organisation_id WHERE o.slug = 'beta')`,
		`UPDATE audit_heads SET seq = seq - 1, hash = (SELECT e.hash FROM audit_events e WHERE e.organisation_id = audit_heads.organisation_id
			AND e.seq = audit_heads.seq - 1) WHERE organisation_id = (SELECT id FROM organisations WHERE slug = 'beta')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	if out, err := verify(); err != nil {
		t.Fatalf("the chain alone should not see it (the weakness checkpoints answer): %v\n%s", err, out)
	}
	out, err := verify(withCheckpoints...)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "organisation beta") || !strings.Contains(err.Error(), "removed") {
		t.Fatalf("verify with checkpoints after the rewrite = %v (exit %d), want exit 1 naming beta\n%s", err, exitCode(err), out)
	}

	// A checkpoint moved back with the chain is no longer genuine.
	text, err := os.ReadFile(cps)
	if err != nil {
		t.Fatal(err)
	}
	forged := filepath.Join(dir, "forged.jsonl")
	if err := os.WriteFile(forged, []byte(strings.Replace(string(text), `"seq":`, `"seq":1`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"forged checkpoint", []string{"-checkpoints", forged, "-public-key", key + ".pub"}, 1, "not genuine"},
		{"another key", []string{"-checkpoints", cps, "-public-key", other + ".pub"}, 1, "not among the public keys"},
		{"no public key", []string{"-checkpoints", cps}, 2, "-public-key"},
		{"a private key for the public one", []string{"-checkpoints", cps, "-public-key", key}, 2, "public key"},
		{"no such file", []string{"-checkpoints", filepath.Join(dir, "nope"), "-public-key", key + ".pub"}, 1, "nope"},
	} {
		out, err := verify(tc.args...)
		if exitCode(err) != tc.code || !strings.Contains(errString(err), tc.want) {
			t.Errorf("%s: exit %d (%v), want %d with %q\n%s", tc.name, exitCode(err), err, tc.code, tc.want, out)
		}
	}
}
