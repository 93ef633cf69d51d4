package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestIncidentPages: anyone reports on a page that says what to do right
// now; bad input comes back on the page in Swedish with nothing saved; the
// coordinator finds the report in the queue and triages it; the manager
// sees it with the secret description withheld; another organisation and
// roles that do not handle the kind get the 404 page.
func TestIncidentPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	at := func(d time.Duration) string { return time.Now().Add(d).In(loc).Format("2006-01-02 15:04") }

	emp := e.as("bjurholm", distans.RoleEmployee)
	p := emp.get("/incidents")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Rapportera incident", "Mina rapporter", `href="/incidents"`)
	if strings.Contains(p.body, "Att hantera") {
		t.Error("an employee is shown the coordinator's queue")
	}
	p = emp.get("/incidents/new")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Gör så här direkt", `data-kind="personal_data"`, `data-kind="it"`, "Personuppgiftsincident")
	if strings.Contains(p.body, "Registrera åt någon som ringer") {
		t.Error("an employee is offered to register for someone else")
	}

	report := url.Values{"kind": {"personal_data"}, "title": {"Mejl till fel mottagare"},
		"description": {"Betyg för tolv elever gick till fel vårdnadshavare."}, "occurred_at": {at(-2 * time.Hour)},
		"discovered_at": {at(24 * time.Hour)}, "systems": {"E-post"}}
	for _, bad := range []struct {
		name, field, value, want string
	}{
		{"future discovery", "discovered_at", at(24 * time.Hour), "Upptäcktstiden kan inte ligga i framtiden."},
		{"discovered before it happened", "discovered_at", at(-3 * time.Hour), "Incidenten kan inte ha upptäckts innan den inträffade."},
		{"not a time", "discovered_at", "i går", "Skriv datum och klockslag som 2026-11-22 14:05."},
		{"no kind", "kind", "", "Välj vad som har hänt."},
		{"a description past the limit", "description", strings.Repeat("a", distans.MaxIncidentText+1), "Högst 20000 tecken."},
	} {
		form := url.Values{}
		for k, v := range report {
			form[k] = v
		}
		form.Set("discovered_at", at(-time.Hour))
		form.Set(bad.field, bad.value)
		emp.get("/incidents/new")
		p = emp.post("/incidents", form)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: status %d, %s", bad.name, p.status, p.header.Get("Content-Type"))
		}
		mustContain(t, p, bad.want, "error-summary")
	}
	mine := emp.get("/incidents")
	if strings.Contains(mine.body, "Mejl till fel mottagare") {
		t.Fatal("a refused report was saved")
	}

	report.Set("discovered_at", at(-time.Hour))
	emp.get("/incidents/new")
	p = emp.post("/incidents", report)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/incidents/") {
		t.Fatalf("report: status %d, location %q\n%.1500s", p.status, p.location, text(p.body))
	}
	incPath := p.location
	p = emp.get(incPath)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Incidenten är rapporterad som INC ", "Rapporterad – väntar på bedömning", "Du ser din rapport")
	number := regexp.MustCompile(`INC \d{4}/\d{4}`).FindString(p.body)

	sec := e.as("bjurholm", distans.RoleSecurity)
	p = sec.get("/incidents")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Att hantera", number, "kvar")
	p = sec.get(incPath)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Bedömning", "Tidsfrister", "Riskbedömning", "Anmälan till IMY", "Åtgärder", "Händelser")
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.body)
	if version == nil {
		t.Fatalf("no version on the triage form:\n%.2000s", text(p.body))
	}
	p = sec.post(incPath+"/triage", url.Values{"version": {version[1]}, "kind": {"personal_data"}, "severity": {"high"},
		"owner_id": {e.person("bjurholm", account("bjurholm", distans.RoleSecurity)).ID}, "secret_fields": {"description"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("triage: status %d\n%.2000s", p.status, text(p.body))
	}
	// Closing before every clock and measure is done is refused in Swedish.
	p = sec.get(incPath)
	version = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.body)
	p = sec.post(incPath+"/close", url.Values{"version": {version[1]}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("close: status %d", p.status)
	}
	p = sec.get(p.location)
	mustContain(t, p, `class="flash error"`)

	chef := e.as("bjurholm", distans.RoleManager)
	p = chef.get(incPath)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Sekretessmarkerat", "som chef för enheten")
	if strings.Contains(p.body, "Betyg för tolv elever") {
		t.Error("the manager sees the secret description")
	}

	for _, c := range []*client{e.as("bjurholm", distans.RoleIT), e.as("sorsele", distans.RoleSecurity)} {
		p = c.get(incPath)
		wantStatus(t, p, http.StatusNotFound)
		if !strings.Contains(p.header.Get("Content-Type"), "text/html") {
			t.Errorf("a refused incident answers %s, not a page", p.header.Get("Content-Type"))
		}
	}

	// The switchboard registers a report for someone who phones.
	vx := e.as("bjurholm", distans.RoleSwitchboard)
	employee := e.person("bjurholm", account("bjurholm", distans.RoleEmployee))
	p = vx.get("/incidents/new?q=" + url.QueryEscape(employee.Email))
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Registrera åt någon som ringer", employee.Name)
	phoned := url.Values{"kind": {"equipment_loss"}, "title": {"Tappad mobil"}, "description": {"Mobilen glömdes på bussen."},
		"discovered_at": {at(-time.Hour)}, "outside_premises": {"1"}, "on_behalf_of": {employee.ID}}
	p = vx.post("/incidents", phoned)
	if p.status != http.StatusSeeOther {
		t.Fatalf("switchboard report: status %d\n%.2000s", p.status, text(p.body))
	}
	mustContain(t, emp.get("/incidents"), "Tappad mobil")
}
