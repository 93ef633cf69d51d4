package storetest

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// AuditCheckpoints rewrites the trail as a database administrator could,
// consistently: hashes recomputed and the head moved along. The chain
// alone then verifies (the weakness checkpoints answer); held against the
// heads taken before, as the checkpoint job takes them, it does not, but
// for a change after the last checkpoint.
func AuditCheckpoints(t *testing.T, s *sqlstore.Store) {
	// moveHead points org's head at its event seq, as if it were the last.
	moveHead := func(t *testing.T, db *sql.DB, org string, seq int64) {
		t.Helper()
		_, err := db.Exec(`UPDATE audit_heads SET seq = $2, hash = (SELECT hash FROM audit_events WHERE organisation_id = $1 AND seq = $2)
			WHERE organisation_id = $1`, org, seq)
		Must(t, err)
	}
	head := func(t *testing.T, s *sqlstore.Store, org string) int64 {
		t.Helper()
		heads, err := s.AuditHeads(context.Background())
		Must(t, err)
		for _, h := range heads {
			if h.OrganisationID == org {
				return h.Seq
			}
		}
		t.Fatalf("no head for %s", org)
		return 0
	}
	// dropLast deletes org's last event and moves the head back.
	dropLast := func(t *testing.T, s *sqlstore.Store, db *sql.DB, org string) {
		t.Helper()
		last := head(t, s, org)
		_, err := db.Exec(`DELETE FROM audit_events WHERE organisation_id = $1 AND seq = $2`, org, last)
		Must(t, err)
		moveHead(t, db, org, last-1)
	}
	// laterChange is an ordinary change in beta, after the checkpoint.
	laterChange := func(t *testing.T, s *sqlstore.Store, w *World) {
		t.Helper()
		name := "Beta kommunförvaltning"
		_, err := s.UpdateUnit(System(w.B.ID), w.RootB.ID, distans.UnitUpdate{Name: &name})
		Must(t, err)
	}
	tests := []struct {
		name   string
		tamper func(t *testing.T, s *sqlstore.Store, db *sql.DB, w *World)
		found  bool // with the checkpoints
	}{
		{"nothing changed; events after the checkpoint", func(t *testing.T, s *sqlstore.Store, db *sql.DB, w *World) {
			laterChange(t, s, w)
		}, false},
		{"an event changed and every hash after it recomputed", func(t *testing.T, s *sqlstore.Store, db *sql.DB, w *World) {
			evs, err := s.ListAuditEvents(System(w.B.ID), distans.AuditFilter{Limit: 1000})
			Must(t, err)
			prev := ""
			for i := len(evs) - 1; i >= 0; i-- { // oldest first
				e := evs[i]
				if e.Seq == 3 {
					e.Summary = "nothing happened"
				}
				if e.Seq >= 3 {
					e.PrevHash = prev
					e.Hash = e.ComputeHash()
					_, err := db.Exec(`UPDATE audit_events SET summary = $3, prev_hash = $4, hash = $5 WHERE organisation_id = $1 AND seq = $2`,
						w.B.ID, e.Seq, e.Summary, e.PrevHash, e.Hash)
					Must(t, err)
				}
				prev = e.Hash
			}
			moveHead(t, db, w.B.ID, evs[0].Seq)
		}, true},
		{"the last event deleted and the head moved back", func(t *testing.T, s *sqlstore.Store, db *sql.DB, w *World) {
			dropLast(t, s, db, w.B.ID)
		}, true},
		{"the last event deleted, the head moved back and a new event written", func(t *testing.T, s *sqlstore.Store, db *sql.DB, w *World) {
			dropLast(t, s, db, w.B.ID)
			laterChange(t, s, w)
		}, true},
		// What README says checkpoints do not protect.
		{"an event after the last checkpoint deleted and the head moved back", func(t *testing.T, s *sqlstore.Store, db *sql.DB, w *World) {
			laterChange(t, s, w)
			dropLast(t, s, db, w.B.ID)
		}, false},
	}
	t.Run("a checkpoint of an organisation that is gone", func(t *testing.T) {
		s := freshLike(t, s)
		NewWorld(t, s)
		gone := &distans.AuditHead{OrganisationID: "01a24a8c-0000-7000-8000-000000000000", Slug: "borta", Seq: 1, Hash: "ab"}
		b, err := s.VerifyAuditChainsAgainst(context.Background(), []*distans.AuditHead{gone})
		Must(t, err)
		if b == nil || b.Slug != "borta" || !strings.Contains(b.Reason, "gone") {
			t.Fatalf("break = %v", b)
		}
	})
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := s
			if i > 0 {
				s = freshLike(t, s)
			}
			w := NewWorld(t, s)
			ctx := context.Background()
			checkpoints, err := s.AuditHeads(ctx)
			Must(t, err)
			if len(checkpoints) != 2 || checkpoints[0].Slug != "alfa" || checkpoints[1].Slug != "beta" || checkpoints[1].Seq < 4 {
				t.Fatalf("heads = %+v", checkpoints)
			}
			tc.tamper(t, s, Raw(t, s), w)

			b, err := s.VerifyAuditChains(ctx)
			Must(t, err)
			if b != nil {
				t.Fatalf("the chain alone: %s (a consistent rewrite should pass it)", b)
			}
			b, err = s.VerifyAuditChainsAgainst(ctx, checkpoints)
			Must(t, err)
			switch {
			case tc.found && b == nil:
				t.Fatal("the rewrite is not found against the checkpoints")
			case !tc.found && b != nil:
				t.Fatalf("found %s", b)
			case b != nil && (b.Slug != "beta" || b.OrganisationID != w.B.ID):
				t.Fatalf("break in the wrong organisation: %+v", b)
			}
			if b != nil {
				t.Logf("found: %s", b)
			}
		})
	}
}
