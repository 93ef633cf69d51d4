package demo_test

import (
	"context"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/incident"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestLoadIncidents: every organisation's security coordinator finds the
// demo's three incidents in the queue, the personal-data one with its
// clocks from the pack, and a second Load adds none.
func TestLoadIncidents(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	ctx := context.Background()
	svc := incident.New(incident.Config{Store: s, Packs: policy.NewService(s, s), Organisations: s})
	st := demo.Stores{Organisations: s, Units: s, Sites: s, People: s, Roles: s, Accounts: s, Policies: s,
		Documents: s, Incidents: svc}
	for range 2 {
		if err := demo.Load(ctx, st, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, slug := range []string{"stockholm", "vara", "bjurholm", "kristianstad", "sorsele"} {
		octx := orgContext(t, s, slug)
		accs, err := s.FindAccounts(octx, demo.AccountEmail(slug, distans.RoleSecurity))
		if err != nil || len(accs) != 1 {
			t.Fatalf("%s: the coordinator's account: %v %v", slug, accs, err)
		}
		sec := storetest.As(t, s, &distans.Person{OrganisationID: accs[0].OrganisationID, ID: accs[0].PersonID})
		queue, err := svc.ListIncidents(sec, distans.IncidentFilter{Open: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(queue) != 3 {
			t.Fatalf("%s: the coordinator's queue has %d incidents, want 3", slug, len(queue))
		}
		for _, inc := range queue {
			if inc.Kind == distans.IncidentPersonalData && (inc.NextDeadline() == nil || inc.OwnerID == "" ||
				inc.State != distans.IncidentHandling) {
				t.Errorf("%s: the personal-data incident %+v", slug, inc)
			}
		}
		// By the nearest deadline; those without one last.
		for i := 1; i < len(queue); i++ {
			prev, next := queue[i-1].NextDeadline(), queue[i].NextDeadline()
			if prev == nil && next != nil || prev != nil && next != nil && next.DueAt.Before(prev.DueAt) {
				t.Errorf("%s: the queue is not by the nearest deadline", slug)
			}
		}
	}
}
