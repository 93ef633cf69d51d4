package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
)

var ownDataLink = regexp.MustCompile(`href="(/data-requests/[^/"]+/download/)json"`)

// TestOwnDataPages drives Mina uppgifter over HTTP on the real services
// and the demo's Kristianstad: the employee asks for their data, sees
// the request with its due date and downloads it as JSON (their record,
// their e-mail) and as a PDF; a colleague gets the pages' not-found for
// the download and for the employee's page; HR asks for the employee
// from the person's page and downloads it; another organisation's HR
// finds nothing.
func TestOwnDataPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	emp := e.as("kristianstad", distans.RoleEmployee)
	employee := e.person("kristianstad", account("kristianstad", distans.RoleEmployee))

	p := emp.get("/profile/data")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Mina uppgifter</h1>", "artikel 15", "Inga begäranden än.", `href="/profile/data"`)
	if strings.Contains(p.body, "Öppna begäranden") {
		t.Error("an employee is shown HR's open requests")
	}
	p = emp.post("/profile/data", nil)
	wantStatus(t, p, http.StatusSeeOther)
	p = emp.get("/profile/data")
	mustContain(t, p, "Begäran är registrerad", "Ska besvaras senast", employee.Name)
	m := ownDataLink.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no download link:\n%s", p.body)
	}
	p = emp.get(m[1] + "json")
	wantStatus(t, p, http.StatusOK)
	if ct := p.header.Get("Content-Type"); ct != "application/json" || !strings.Contains(p.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("JSON download: %s, %s", ct, p.header.Get("Content-Disposition"))
	}
	var export struct {
		Request struct {
			PersonID string `json:"person_id"`
		} `json:"request"`
		Sections []struct {
			Key     string           `json:"key"`
			Records []map[string]any `json:"records"`
		} `json:"sections"`
	}
	if err := json.Unmarshal([]byte(p.body), &export); err != nil {
		t.Fatal(err)
	}
	if export.Request.PersonID != employee.ID || len(export.Sections) < 20 || export.Sections[0].Records[0]["email"] != employee.Email {
		t.Errorf("export: %+v", export.Request)
	}
	p = emp.get(m[1] + "pdf")
	wantStatus(t, p, http.StatusOK)
	if !strings.HasPrefix(p.body, "%PDF-") {
		t.Error("not a PDF")
	}
	p = emp.get(m[1] + "xml")
	wantStatus(t, p, http.StatusNotFound)

	sec := e.as("kristianstad", distans.RoleSecurity)
	for _, path := range []string{m[1] + "json", "/people/" + employee.ID + "/data"} {
		p = sec.get(path)
		wantStatus(t, p, http.StatusNotFound)
		mustContain(t, p, "<h1>")
	}
	other := e.as("bjurholm", distans.RoleHR)
	p = other.get(m[1] + "json")
	wantStatus(t, p, http.StatusNotFound)

	hr := e.as("kristianstad", distans.RoleHR)
	p = hr.get("/people/" + employee.ID)
	mustContain(t, p, `href="/people/`+employee.ID+`/data"`)
	p = hr.get("/people/" + employee.ID + "/data")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Registerutdrag för "+employee.Name+"</h1>", "Öppna begäranden i ditt ansvarsområde", "Inga öppna begäranden.")
	p = hr.post("/people/"+employee.ID+"/data", nil)
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/people/"+employee.ID+"/data" {
		t.Errorf("back to %s", p.location)
	}
	p = hr.get(p.location)
	if n := len(ownDataLink.FindAllString(p.body, -1)); n != 2 {
		t.Errorf("HR sees %d delivered requests", n)
	}
	p = hr.get(m[1] + "pdf")
	wantStatus(t, p, http.StatusOK)
}
