package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/distans/distans"
)

// The demo's training and checklists. In the chef account's unit:
//
//   - the chef records DISA for three of the staff (fewer in a small unit), so that the unit's
//     coverage shows some done and the rest due or overdue (Kristianstad
//     003 Utbildning makes the unit manager see to it);
//   - a new employee starts in the unit today (her first day's checklist;
//     she can sign in and read what it tells her) and one of the staff
//     (someone elsewhere when the unit is small) leaves in three weeks, so that the onboarding and offboarding checklists open when
//     the checklist job's round (Stores.Checklists) runs at the end of the
//     step.
//
// The step is skipped once the new employee exists.
func (w *orgLoad) training(ctx context.Context) error {
	if w.s.Training == nil {
		return nil
	}
	unit := w.plan.unitIndex(w.plan.spec.ChefUnit)
	if unit < 0 || unit >= len(w.units) {
		return nil
	}
	managers := map[int]bool{}
	for _, u := range w.plan.units {
		managers[u.Manager] = true
	}
	var chef *distans.Person
	var staff []*distans.Person // in the chef's unit
	var leaver *distans.Person  // the last of the staff, or of anyone without an account in a small unit
	for i, pp := range w.plan.people {
		switch {
		case pp.Account && pp.Role == distans.RoleManager && chef == nil:
			chef = w.people[i]
		case !pp.Account && !managers[i] && pp.Leave == nil && pp.Email != shared.Email:
			leaver = w.people[i]
			if pp.Unit == unit {
				staff = append(staff, w.people[i])
			}
		}
	}
	if len(staff) >= 2 {
		leaver, staff = staff[len(staff)-1], staff[:len(staff)-1]
	} else if len(staff) == 1 && staff[0] == leaver {
		staff = nil
	}
	if chef == nil || leaver == nil {
		return nil // a plan without them: nothing to show
	}
	domain := chef.Email[strings.LastIndex(chef.Email, "@"):]
	newcomer := &distans.Person{OrganisationID: w.org.ID, Name: "Nora Nyberg", Email: "nora.nyberg" + domain}
	found, _, err := w.s.People.ListPeople(ctx, distans.PersonFilter{Query: newcomer.Email, Limit: 1})
	if err != nil {
		return fmt.Errorf("find the newcomer: %w", err)
	}
	if len(found) > 0 {
		return nil
	}
	today, _, err := distans.TodayIn(ctx, w.s.Organisations, w.org.ID)
	if err != nil {
		return err
	}

	grants, err := w.s.Roles.Grants(ctx, w.org.ID, chef.ID)
	if err != nil {
		return err
	}
	cctx := distans.NewContext(ctx, &distans.Actor{OrganisationID: w.org.ID, PersonID: chef.ID, Name: chef.Name, Grants: grants})
	for _, p := range staff[:min(3, len(staff))] {
		if _, err := w.s.Training.RecordCompletion(cctx, &distans.CompletionRequest{PersonID: p.ID, CourseID: "disa",
			CompletedOn: today}); err != nil {
			return fmt.Errorf("record DISA for %s: %w", p.Name, err)
		}
	}

	if err := w.s.People.CreatePerson(ctx, newcomer); err != nil {
		return fmt.Errorf("create the newcomer: %w", err)
	}
	if err := w.s.People.CreateEmployment(ctx, &distans.Employment{PersonID: newcomer.ID, UnitID: w.units[unit].ID,
		Title: "Handläggare", StartsOn: today}); err != nil {
		return fmt.Errorf("employ the newcomer: %w", err)
	}
	es, err := w.s.People.ListEmployments(ctx, leaver.ID)
	if err != nil {
		return err
	}
	for _, e := range es {
		if e.EndsOn == nil && !e.StartsOn.After(today) {
			if err := w.s.People.EndEmployment(ctx, e.ID, today.AddDate(0, 0, 21)); err != nil {
				return fmt.Errorf("end %s's employment: %w", leaver.Name, err)
			}
			break
		}
	}
	if w.s.Checklists != nil {
		if _, err := w.s.Checklists(ctx, distans.NowFrom(ctx)); err != nil {
			return fmt.Errorf("open checklists: %w", err)
		}
	}
	return nil
}
