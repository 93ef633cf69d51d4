package e2e

import (
	"context"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
)

// TestTrainingJourney runs training.mjs in chromium with Kristianstad's
// demo accounts (its pack asks DISA of everyone, 003 Utbildning): the
// manager's coverage page and a completion recorded for someone in the
// unit, the employee's own completion (a date in the future refused
// first) and their first-day checklist, on which they tick their own task;
// HR's overview. axe-core checks every page visited. The first-day
// checklist is opened as the checklist job opens it on the employment's
// first day.
func TestTrainingJourney(t *testing.T) {
	runScriptWith(t, "training.mjs", func(ctx context.Context, a *app.App) []string {
		sys := distans.NewContext(ctx, distans.SystemActor(""))
		org, err := a.Store.FindOrganisationBySlug(sys, "kristianstad")
		if err != nil {
			t.Fatal(err)
		}
		octx := distans.NewContext(ctx, distans.SystemActor(org.ID))
		people, _, err := a.Store.ListPeople(octx, distans.PersonFilter{Query: demo.AccountEmail("kristianstad", distans.RoleEmployee), Limit: 1})
		if err != nil || len(people) != 1 {
			t.Fatalf("the employee: %v %v", people, err)
		}
		emps, err := a.Store.ListEmployments(octx, people[0].ID)
		if err != nil || len(emps) == 0 {
			t.Fatalf("employments: %v", err)
		}
		templates, err := a.Services.Checklists.Templates(octx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Store.OpenChecklists(sys, emps[len(emps)-1].StartsOn,
			func(string) ([]distans.ChecklistTemplate, int, error) { return templates, 1, nil }); err != nil {
			t.Fatal(err)
		}
		cs, err := a.Services.Checklists.ListChecklists(octx, distans.ChecklistFilter{PersonID: people[0].ID, Event: distans.EventEmploymentStart})
		if err != nil || len(cs) == 0 {
			t.Fatalf("no first-day checklist: %v", err)
		}
		for _, k := range cs[0].Tasks {
			if k.Owner == distans.OwnerPerson {
				return []string{"DISTANS_CHECKLIST=/checklists/" + cs[0].ID, "DISTANS_TASK=" + k.ID}
			}
		}
		t.Fatal("the first-day checklist has no task of the person's")
		return nil
	},
		"DISTANS_EMPLOYEE_EMAIL="+demo.AccountEmail("kristianstad", distans.RoleEmployee),
		"DISTANS_MANAGER_EMAIL="+demo.AccountEmail("kristianstad", distans.RoleManager),
		"DISTANS_HR_EMAIL="+demo.AccountEmail("kristianstad", distans.RoleHR))
}
