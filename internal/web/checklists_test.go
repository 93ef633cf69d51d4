package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// openFirstDay opens the onboarding checklist of the person's current
// employment as the checklist job does on its first day (the demo's
// employments began long ago, outside the job's catch-up window), and
// returns it as the system reads it.
func openFirstDay(t testing.TB, ctx context.Context, store *sqlstore.Store, svc distans.Services, personID string) *distans.Checklist {
	t.Helper()
	emps, err := store.ListEmployments(ctx, personID)
	if err != nil || len(emps) == 0 {
		t.Fatalf("employments of %s: %v %v", personID, emps, err)
	}
	start := emps[len(emps)-1].StartsOn
	for _, em := range emps {
		if em.EndsOn == nil && em.StartsOn.After(start) {
			start = em.StartsOn
		}
	}
	templates, err := svc.Checklists.Templates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sys := distans.NewContext(context.Background(), distans.SystemActor(""))
	if _, err := store.OpenChecklists(sys, start, func(string) ([]distans.ChecklistTemplate, int, error) { return templates, 1, nil }); err != nil {
		t.Fatal(err)
	}
	cs, err := svc.Checklists.ListChecklists(ctx, distans.ChecklistFilter{PersonID: personID, Event: distans.EventEmploymentStart})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no first-day checklist for %s: %v", personID, err)
	}
	return cs[0]
}

// TestChecklistPages drives Checklistor on the real services with
// Kristianstad's first-day checklist for the demo employee: they see their
// tasks and tick forms for their own only; ticking IT's task is the 403
// page in Swedish with nothing changed; their own tick with a note is
// saved and shown with their name; the manager sees the checklist among
// those in their care; HR's overview counts it; an employee has no
// overview; another organisation finds nothing.
func TestChecklistPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("kristianstad")
	employee := e.person("kristianstad", account("kristianstad", distans.RoleEmployee))
	c := openFirstDay(t, ctx, e.store, e.svc, employee.ID)
	var own, its *distans.ChecklistTask
	for _, k := range c.Tasks {
		switch {
		case k.Owner == distans.OwnerPerson && own == nil:
			own = k
		case k.Owner == distans.OwnerIT:
			its = k
		}
	}
	if own == nil || its == nil {
		t.Fatalf("the onboarding checklist lacks a task of the person's or IT's: %+v", c.Tasks)
	}
	emp := e.as("kristianstad", distans.RoleEmployee)
	p := emp.get("/checklists")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Checklistor</h1>", "Mina uppgifter", own.Title.Sv, "Mina checklistor", "Ny medarbetare")
	if strings.Contains(p.body, `href="/checklists/overview"`) {
		t.Error("an employee is offered HR's overview")
	}
	path := "/checklists/" + c.ID
	p = emp.get(path)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Ny medarbetare", its.Title.Sv, "IT", "Medarbetaren", own.Citation,
		`action="`+path+`/tasks/`+own.ID+`/tick"`)
	if strings.Contains(p.body, `action="`+path+`/tasks/`+its.ID+`/tick"`) {
		t.Error("the employee is offered IT's task")
	}

	// IT's task, ticked by the employee: the 403 page in Swedish, nothing changed.
	p = emp.post(path+"/tasks/"+its.ID+"/tick", url.Values{"version": {strconv.Itoa(c.Version)}})
	wantStatus(t, p, http.StatusForbidden)
	mustContain(t, p, "Uppgiften är inte din att bocka av.")
	after, err := e.svc.Checklists.Checklist(ctx, c.ID)
	if err != nil || after.Version != c.Version {
		t.Fatalf("a refused tick changed the checklist: %v %v", after, err)
	}

	// Their own task, with a note.
	emp.get(path)
	p = emp.post(path+"/tasks/"+own.ID+"/tick", url.Values{"version": {strconv.Itoa(c.Version)}, "note": {"Läst på första dagen."}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, path) {
		t.Fatalf("tick: %d %q\n%.1500s", p.status, p.location, text(p.body))
	}
	p = emp.get(path)
	mustContain(t, p, "Uppgiften är markerad som klar.", "Läst på första dagen.", employee.Name, "1 av")
	// The same tick again, on the version as first read: a conflict, as a message.
	p = emp.post(path+"/tasks/"+own.ID+"/tick", url.Values{"version": {strconv.Itoa(c.Version)}})
	if p.status != http.StatusSeeOther {
		t.Errorf("a stale tick: %d", p.status)
	}

	chef := e.as("kristianstad", distans.RoleManager)
	p = chef.get("/checklists")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Öppna checklistor i mitt ansvar", employee.Name)
	hr := e.as("kristianstad", distans.RoleHR)
	p = hr.get("/checklists/overview")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Checklistor i organisationen</h1>", "Anställningens början", employee.Name)
	if p := emp.get("/checklists/overview"); p.status != http.StatusForbidden {
		t.Errorf("an employee's overview: %d", p.status)
	}
	for _, c := range []*client{e.as("bjurholm", distans.RoleHR), e.as("kristianstad", distans.RoleUnion)} {
		if p := c.get(path); p.status != http.StatusNotFound || strings.Contains(p.body, employee.Name) {
			t.Errorf("someone outside sees the checklist: %d", p.status)
		}
	}
}
