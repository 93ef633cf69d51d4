package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestWriteAfterPanic: a write that panics half-way (a job's bug,
// recovered by the job runner) leaves nothing behind: its change is rolled
// back, and the next write goes through instead of waiting for SQLite's one
// writer connection or PostgreSQL's row lock forever.
func TestWriteAfterPanic(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		org := storetest.NewOrg(t, s, "panik")
		sys := storetest.System(org.ID)
		// Without the fix the panicking transaction stays open; ending its
		// context when the test ends lets database/sql roll it back, so that
		// a failing test can still drop its database.
		pctx, cancel := context.WithCancel(sys)
		t.Cleanup(cancel)
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the write did not panic")
				}
			}()
			s.Write(pctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(pctx, `UPDATE organisations SET name = 'Halvfärdig' WHERE id = $1`, org.ID); err != nil {
					return err
				}
				panic("a bug in the middle of a write")
			})
		}()
		// A deadline only so that the failure is reported instead of the
		// test hanging; a healthy write takes milliseconds.
		ctx, cancel := context.WithTimeout(sys, 30*time.Second)
		defer cancel()
		o, err := s.FindOrganisationByID(ctx, org.ID)
		storetest.Must(t, err)
		if o.Name != org.Name {
			t.Fatalf("name = %q after the panic, want %q: the half-done write stayed", o.Name, org.Name)
		}
		name := "Efter paniken"
		_, err = s.UpdateOrganisation(ctx, org.ID, distans.OrganisationUpdate{Name: &name})
		storetest.Must(t, err)
		o, err = s.FindOrganisationByID(ctx, org.ID)
		storetest.Must(t, err)
		if o.Name != "Efter paniken" {
			t.Fatalf("name = %q, want the write after the panic", o.Name)
		}
	})
}

// TestReadSnapshot: the statements of one read see one snapshot, on either
// database: a change committed between two of them is seen by neither the
// second nor, of course, the first.
func TestReadSnapshot(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		org := storetest.NewOrg(t, s, "ogonblick")
		sys := storetest.System(org.ID)
		count := func(tx *sql.Tx) int {
			var n int
			if err := tx.QueryRowContext(sys, `SELECT COUNT(*) FROM units WHERE organisation_id = $1`, org.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		storetest.Must(t, s.Read(sys, func(tx *sql.Tx) error {
			before := count(tx)
			storetest.Must(t, s.CreateUnit(sys, &distans.Unit{Name: "Tillkommen under läsningen", Kind: distans.UnitSection}))
			if after := count(tx); after != before {
				t.Errorf("one read counted %d units, then %d after a commit", before, after)
			}
			return nil
		}))
	})
}
