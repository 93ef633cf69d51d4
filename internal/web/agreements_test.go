package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// agreementsOf lists the cases of an organisation as the system, for
// picking records and checking what a request changed.
func (e *env) agreementsOf(slug string, f distans.AgreementFilter) []*distans.Agreement {
	e.t.Helper()
	if f.Limit == 0 {
		f.Limit = 500
	}
	list, _, err := e.store.ListAgreements(e.system(slug), f)
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// someoneElsesAgreement is a demo case of another person in the chef's unit.
func (e *env) someoneElsesAgreement(slug string) *distans.Agreement {
	e.t.Helper()
	emp := e.person(slug, account(slug, distans.RoleEmployee))
	chef := e.person(slug, account(slug, distans.RoleManager))
	for _, ag := range e.agreementsOf(slug, distans.AgreementFilter{}) {
		if ag.PersonID != emp.ID && ag.PersonID != chef.ID && ag.UnitID == chef.UnitID {
			return ag
		}
	}
	e.t.Fatalf("no demo agreement in the chef's unit in %s", slug)
	return nil
}

// TestAgreementPagesByRole: the employee sees their own cases and may
// request; the manager has the queue and opens a case in the unit; HR has
// the overview; the switchboard and another organisation get 404.
func TestAgreementPagesByRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ag := e.someoneElsesAgreement("bjurholm")

	emp := e.as("bjurholm", distans.RoleEmployee)
	p := emp.get("/agreements")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Mina ärenden", "Ansök om distansarbete", `href="/agreements"`, "Distansarbete")
	if strings.Contains(p.body, "Att göra") || strings.Contains(p.body, "Alla överenskommelser") {
		t.Error("an employee is shown the queue or the overview")
	}
	wantStatus(t, emp.get("/agreements/"+ag.ID), http.StatusNotFound)
	p = emp.get("/agreements/new")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "är per definition inte distansarbete", "Veckodagar på distans", "Antal dagar per vecka")

	chef := e.as("bjurholm", distans.RoleManager)
	p = chef.get("/agreements")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Att göra", "Varför")
	if strings.Contains(p.body, "Inget väntar på dig just nu.") {
		t.Error("the manager's queue is empty although the demo has open cases in the unit")
	}
	p = chef.get("/agreements/" + ag.ID)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, ag.Number, ag.PersonName, "Ärendets steg")

	hr := e.as("bjurholm", distans.RoleHR)
	p = hr.get("/agreements")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Alla överenskommelser", "Namn eller diarienummer", ag.Number)
	p = hr.get("/agreements?q=" + url.QueryEscape(ag.Number))
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, `href="/agreements/`+ag.ID+`"`)
	wantStatus(t, hr.get("/agreements?state=active&expiring=1&overdue=1&unit="+ag.UnitID), http.StatusOK)
	wantStatus(t, hr.get("/agreements/"+ag.ID), http.StatusOK)

	wantStatus(t, e.as("bjurholm", distans.RoleSwitchboard).get("/agreements/"+ag.ID), http.StatusNotFound)
	wantStatus(t, e.as("vara", distans.RoleManager).get("/agreements/"+ag.ID), http.StatusNotFound)
	wantStatus(t, e.as("vara", distans.RoleHR).get("/agreements/"+ag.ID), http.StatusNotFound)
}

// TestAgreementRequestErrors: dates out of order come back on the form in
// Swedish with what was typed, and nothing is created; a good request
// opens a case and the button to request again goes away.
func TestAgreementRequestErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.person("bjurholm", account("bjurholm", distans.RoleEmployee))
	before := len(e.agreementsOf("bjurholm", distans.AgreementFilter{PersonID: me.ID}))

	emp := e.as("bjurholm", distans.RoleEmployee)
	emp.get("/agreements/new")
	start := time.Now().AddDate(0, 1, 0)
	form := url.Values{"weekdays": {"mon", "wed"}, "place": {"Storgatan 1, Bjurholm"}, "tasks": {"Utredningar och skrivande"},
		"reasons": {"Lugn miljö"}, "start": {start.Format(time.DateOnly)}, "end": {start.AddDate(0, 0, -5).Format(time.DateOnly)}}
	p := emp.post("/agreements", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Sista dagen ligger före den första.", "Utredningar och skrivande", `aria-invalid="true"`)
	if !strings.Contains(p.body, `value="mon" checked`) {
		t.Error("the ticked weekdays are lost")
	}
	if n := len(e.agreementsOf("bjurholm", distans.AgreementFilter{PersonID: me.ID})); n != before {
		t.Fatalf("a refused request created a case: %d, want %d", n, before)
	}

	form.Set("end", start.AddDate(0, 6, 0).Format(time.DateOnly))
	p = emp.post("/agreements", form)
	wantStatus(t, p, http.StatusSeeOther)
	page := emp.get(p.location)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Din ansökan är skickad till din chef.", "Ansökan", "Ta tillbaka ansökan")
	if strings.Contains(page.body, "Storgatan 1") {
		t.Error("the remote place is shown without being revealed")
	}
	if strings.Contains(emp.get("/agreements").body, "Ansök om distansarbete</a>") {
		t.Error("the request button is offered while a case is open")
	}
	// Revealing the place shows it, on this response only.
	rev := emp.post(strings.TrimSuffix(p.location, "/")+"/place", nil)
	wantStatus(t, rev, http.StatusOK)
	mustContain(t, rev, "Storgatan 1, Bjurholm", "visningen är loggad")
	// A second request while this one is open is refused and creates nothing.
	emp.get("/agreements/new")
	p = emp.post("/agreements", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if n := len(e.agreementsOf("bjurholm", distans.AgreementFilter{PersonID: me.ID})); n != before+1 {
		t.Fatalf("cases after a double request: %d, want %d", n, before+1)
	}
}

// TestAgreementPagesLanguages renders every remote-work page and the
// notifications in Swedish and English with no untranslated key.
func TestAgreementPagesLanguages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ag := e.someoneElsesAgreement("bjurholm")
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"sv", []string{"Distansarbete", "Notiser"}},
		{"en", []string{"Remote work", "Notifications"}},
	} {
		for _, role := range []distans.Role{distans.RoleEmployee, distans.RoleManager, distans.RoleHR} {
			c := e.client()
			c.lang = tc.lang
			c.signIn(account("bjurholm", role))
			paths := []string{"/agreements", "/agreements/new", "/notifications"}
			if role != distans.RoleEmployee {
				paths = append(paths, "/agreements/"+ag.ID)
			}
			for _, path := range paths {
				p := c.get(path)
				wantStatus(t, p, http.StatusOK)
				if !strings.Contains(p.body, `<html lang="`+tc.lang+`">`) {
					t.Errorf("%s %s as %s: not in %s", tc.lang, path, role, tc.lang)
				}
				if i := strings.Index(p.body, "⟦"); i >= 0 {
					t.Errorf("%s %s as %s: untranslated key %.60s", tc.lang, path, role, p.body[i:])
				}
				mustContain(t, p, tc.want...)
			}
		}
	}
}

// TestAgreementRequestFindingsPage: the request form asks what the pack
// needs to check a request (the travel time back, secrecy, client
// meetings), and the manager sees the pack's findings on the request,
// with their clauses, while assessing, before any decision.
func TestAgreementRequestFindingsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	emp := e.as("stockholm", distans.RoleEmployee)
	p := emp.get("/agreements/new")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, `name="return_minutes"`, "Restid tillbaka till arbetsplatsen", `name="secrecy_tasks"`, `name="client_meetings_at_remote"`)
	start := time.Now().AddDate(0, 1, 0)
	p = emp.post("/agreements", url.Values{"weekdays": {"mon", "tue", "wed", "thu"}, "place": {"Hemgatan 1, Stockholm"},
		"tasks": {"Utredningar"}, "start": {start.Format(time.DateOnly)}, "end": {start.AddDate(0, 6, 0).Format(time.DateOnly)},
		"return_minutes": {"120"}, "secrecy_tasks": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)
	id := strings.TrimPrefix(p.location, "/agreements/")

	chef := e.as("stockholm", distans.RoleManager)
	page := chef.get("/agreements/" + id)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Regelverket om ansökan", "120 min", `name="operation"`)
	ag, err := e.svc.Agreements.RequestFindings(e.system("stockholm"), id)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range ag {
		seen[f.RuleID] = true
		mustContain(t, page, f.MessageSv, f.Section)
	}
	for _, want := range []string{"stockholm-return-time", "stockholm-main-share", "stockholm-secrecy-tasks"} {
		if !seen[want] {
			t.Errorf("no %s on the request", want)
		}
	}
	// The employee's own page shows the same check.
	mustContain(t, emp.get("/agreements/"+id), "Regelverket om ansökan")
	// What was stated comes back on the edit form.
	edit := emp.get("/agreements/" + id + "/edit")
	mustContain(t, edit, `name="return_minutes"`, `value="120"`)
	if !strings.Contains(edit.body, `name="secrecy_tasks" value="1" checked`) {
		t.Error("the edit form loses the secrecy box")
	}
}

// TestTermsSavedMessage: saving the terms says they can be signed only
// when they can: a warning without a comment is named as what remains.
func TestTermsSavedMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "bjurholm"
	chefP := e.person(slug, account(slug, distans.RoleManager))
	var ag *distans.Agreement
	for _, x := range e.agreementsOf(slug, distans.AgreementFilter{}) {
		if x.State == distans.AgreementAwaitingSignature && x.UnitID == chefP.UnitID {
			ag = x
		}
	}
	if ag == nil {
		t.Fatal("no demo agreement awaits signatures in the chef's unit")
	}
	ag, err := e.store.FindAgreement(e.system(slug), ag.ID)
	if err != nil {
		t.Fatal(err)
	}
	tm := ag.Terms
	form := url.Values{"version": {strconv.Itoa(ag.Version)}, "start": {tm.Start.Format(time.DateOnly)},
		"end": {tm.End.Format(time.DateOnly)}, "share_remote": {strconv.Itoa(tm.ShareRemote)},
		"main_workplace": {tm.MainWorkplace}, "tax_workplace": {tm.TaxWorkplace}, "tasks": {tm.Tasks},
		"working_hours": {tm.WorkingHours}, "return_minutes": {strconv.Itoa(tm.ReturnMinutes)},
		"conditions": {tm.Conditions}, "evaluation": {tm.Evaluation},
		"physical_meetings": {"Inga fysiska möten med brukare på distansarbetsplatsen."},
		"weekdays_remote":   tm.Weekdays, "availability": tm.Availability, "equipment": tm.Equipment}
	if tm.DaysPerWeek > 0 {
		form.Set("days_per_week", strconv.Itoa(tm.DaysPerWeek))
	}
	// A share past Bjurholm's limit for the main rule, without a tax
	// workplace, is a warning; no comment answers it.
	form.Set("share_remote", "80")
	form.Del("tax_workplace")
	chef := e.as(slug, distans.RoleManager)
	chef.get("/agreements/" + ag.ID)
	p := chef.post("/agreements/"+ag.ID+"/terms", form)
	wantStatus(t, p, http.StatusSeeOther)
	page := chef.get(p.location)
	saved, err := e.store.FindAgreement(e.system(slug), ag.ID)
	if err != nil {
		t.Fatal(err)
	}
	blocking, uncommented := saved.OpenFindings()
	if uncommented == 0 {
		t.Fatalf("the scenario leaves no warning uncommented: %+v", saved.Findings)
	}
	if strings.Contains(text(page.body), "sparad och kan undertecknas") {
		t.Errorf("the page says the terms can be signed with %d warnings uncommented", uncommented)
	}
	want := "Varje varning från regelverket behöver en kommentar innan den kan undertecknas."
	if blocking > 0 {
		want = "regelverket hindrar underskrift"
	}
	mustContain(t, page, want)
}
