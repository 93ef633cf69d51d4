package app_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
)

// TestDemoTrainingAndChecklists: in every demo organisation the chef sees
// DISA done by some of the unit and missing for others, and the demo's
// newcomer and leaver have their onboarding and offboarding checklists
// open when the demo has loaded; loading again adds nothing.
func TestDemoTrainingAndChecklists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "distans.db")
	a, err := app.Open(ctx, app.Config{DB: dsn, Demo: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := app.LoadDemo(ctx, a.Store, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	for _, acc := range demo.Accounts() {
		if acc.Role != distans.RoleManager || acc.Note != "" {
			continue
		}
		t.Run(acc.Org, func(t *testing.T) {
			org, err := a.Store.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), acc.Org)
			if err != nil {
				t.Fatal(err)
			}
			sys := distans.NewContext(ctx, distans.SystemActor(org.ID))
			accs, err := a.Store.FindAccounts(sys, acc.Email)
			if err != nil || len(accs) != 1 {
				t.Fatalf("the chef's account: %v %+v", err, accs)
			}
			grants, err := a.Store.Grants(ctx, org.ID, accs[0].PersonID)
			if err != nil {
				t.Fatal(err)
			}
			chef := distans.NewContext(ctx, &distans.Actor{OrganisationID: org.ID, PersonID: accs[0].PersonID, Grants: grants})
			cov, err := a.Services.Training.Coverage(chef, "disa", "")
			if err != nil {
				t.Fatal(err)
			}
			if acc.Org == "kristianstad" && (cov.Done < 3 || len(cov.Missing) == 0) {
				t.Errorf("the chef's DISA coverage %+v", cov)
			}
			for _, ev := range []distans.ChecklistEvent{distans.EventEmploymentStart, distans.EventEmploymentEnd} {
				cs, err := a.Services.Checklists.ListChecklists(sys, distans.ChecklistFilter{Event: ev})
				if err != nil {
					t.Fatal(err)
				}
				if len(cs) != 1 {
					t.Errorf("%d checklists of %s", len(cs), ev)
				}
			}
		})
	}
}
