package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// TestRegisterPages drives Diarium over HTTP on the demo's Vara: the
// registrator finds the agreements and incidents the demo numbered, with
// the subject made from the kind and the secrecy mark; searches by
// number; gets the export with its filters in the first lines; a bad date
// comes back on the page with the input kept; an employee and an
// administrator are refused page and export alike, and have no
// navigation entry.
func TestRegisterPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reg := e.as("vara", distans.RoleRegistrar)

	p := reg.get("/records/register")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Diarium</h1>", `href="/records/register"`, "<caption>Registrerade ärenden, senaste först</caption>",
		"DIST 20", "INC 20", "Distansarbete – överenskommelse", "Sekretessmarkerat", "distansarbetsplatsen (hemadress)")
	if strings.Count(p.body, "<h1") != 1 {
		t.Error("not one h1")
	}

	p = reg.get("/records/register?kind=incident")
	wantStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, "<th scope=\"row\">DIST ") || !strings.Contains(p.body, "<th scope=\"row\">INC ") {
		t.Error("the kind filter does not hold")
	}

	p = reg.get("/records/register?q=DIST+20&from=2026-13-01")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `value="DIST 20"`, `value="2026-13-01"`, `aria-invalid="true"`)

	p = reg.get("/records/register.csv?kind=agreement&q=DIST")
	wantStatus(t, p, http.StatusOK)
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	// The head has two columns a line, the table nine.
	r := csv.NewReader(strings.NewReader(p.body))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := map[string]string{}
	table := -1
	for i, row := range rows {
		if len(row) == 2 {
			head[row[0]] = row[1]
		}
		if len(row) > 0 && row[0] == "number" {
			table = i
			break
		}
	}
	if head["Diarium / register"] != "Vara kommun" || head["Slag / kind"] != "agreement" || head["Sökning / search"] != "DIST" ||
		head["Från / from"] != "–" || table < 0 || len(rows) <= table+1 {
		t.Fatalf("export head %v, table at %d of %d rows", head, table, len(rows))
	}
	for _, row := range rows[table+1:] {
		if !strings.HasPrefix(row[0], "DIST ") || row[2] != "agreement" || row[5] != "S" {
			t.Errorf("export row %q", row)
		}
	}
	if _, limited := head["Begränsning / limit"]; limited {
		t.Error("a limit is named where none applies")
	}

	for _, role := range []distans.Role{distans.RoleEmployee, distans.RoleAdmin, distans.RoleHR} {
		c := e.as("vara", role)
		p := c.get("/records/register")
		wantStatus(t, p, http.StatusForbidden)
		if strings.Contains(p.body, `href="/records/register"`) {
			t.Errorf("%s is offered the register", role)
		}
		wantStatus(t, c.get("/records/register.csv"), http.StatusForbidden)
	}
}
