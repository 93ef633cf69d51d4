package importrun

import (
	"context"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestKeepLease: while a worker works, its lease is renewed from its
// clock, so no other worker takes the import; once it stops renewing, the
// lease runs out and the import may be taken over.
func TestKeepLease(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		o := storetest.NewOrg(t, s, "exempelby")
		svc := New(s, s, nil)
		imp, err := svc.StartImport(storetest.System(o.ID), []distans.ImportFile{{Name: "enheter.csv", Content: []byte("Enhetskod;Enhetsnamn\n1;A\n")}}, distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		claimed, err := s.ClaimImport(storetest.System(""), t0, time.Minute)
		if err != nil || claimed == nil || claimed.ID != imp.ID {
			t.Fatalf("claim: %v, %v", claimed, err)
		}
		// The worker's clock says five minutes later whenever it renews.
		w := &Worker{svc: svc, Lease: time.Minute, Now: func() time.Time { return t0.Add(5 * time.Minute) }, renewEvery: 5 * time.Millisecond}
		stop := w.keepLease(distans.NewContext(ctx, worker(claimed)), claimed)
		time.Sleep(100 * time.Millisecond)
		stop()
		if got, err := s.ClaimImport(storetest.System(""), t0.Add(5*time.Minute+30*time.Second), time.Minute); err != nil || got != nil {
			t.Fatalf("taken while renewed: %v, %v", got, err)
		}
		if got, err := s.ClaimImport(storetest.System(""), t0.Add(6*time.Minute+time.Second), time.Minute); err != nil || got == nil {
			t.Fatalf("not taken after the renewed lease ran out: %v, %v", got, err)
		}
	})
}
