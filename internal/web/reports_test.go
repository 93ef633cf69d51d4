package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/distans/distans"
)

// TestReportPages: HR opens Rapporter, a report with its charts beside
// their tables, drills into a unit, downloads it in every format and the
// records behind it, and subscribes to it and ends that; the union
// representative sees the suppressed view and no records; an employee
// sees no report at all; bad input is a page.
func TestReportPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hr := e.as("vara", distans.RoleHR)
	list := hr.get("/reports")
	wantStatus(t, list, http.StatusOK)
	mustContain(t, list, "Rapporter", `href="/reports/agreements"`, `href="/reports/training"`, "Mina månadsrapporter")

	p := hr.get("/reports/agreements")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, `<svg`, `role="img"`, `aria-labelledby="chart-`, "<caption>", "Omfattning", "Period", "Framtagen",
		`href="/reports/agreements.xlsx"`, `href="/reports/agreements.pdf"`, `href="/reports/agreements.csv"`,
		`href="/reports/agreements/details?format=csv"`, "Beställ månadsrapport")
	drill := regexp.MustCompile(`href="(/reports/agreements\?unit=[^"]+)"`).FindStringSubmatch(p.body)
	if drill == nil {
		t.Fatalf("no drill-down link in\n%.3000s", text(p.body))
	}
	unit := hr.get(strings.ReplaceAll(drill[1], "&amp;", "&"))
	wantStatus(t, unit, http.StatusOK)
	mustContain(t, unit, "hela ansvarsområdet", `<svg`)

	for _, tc := range []struct{ path, ctype, prefix string }{
		{"/reports/agreements.csv", "text/csv; charset=utf-8", "\ufeffRapport;Distansarbete"},
		{"/reports/agreements.pdf", "application/pdf", "%PDF-"},
		{"/reports/agreements.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		{"/reports/agreements/details?format=csv", "text/csv; charset=utf-8", "\ufeffUnderlag till rapport;Distansarbete"},
		{"/reports/agreements/details?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
	} {
		d := hr.get(tc.path)
		if d.status != http.StatusOK || d.header.Get("Content-Type") != tc.ctype || !strings.HasPrefix(d.body, tc.prefix) ||
			!strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment;") {
			t.Errorf("%s: %d %q %q %.40q", tc.path, d.status, d.header.Get("Content-Type"), d.header.Get("Content-Disposition"), d.body)
		}
		if strings.HasSuffix(tc.path, ".xlsx") {
			f, err := excelize.OpenReader(bytes.NewReader([]byte(d.body)))
			if err != nil {
				t.Fatal(err)
			}
			if rows, _ := f.GetRows("Rapport"); len(rows) < 4 || rows[2][0] != "Omfattning" {
				t.Errorf("xlsx first sheet %q", rows)
			}
			f.Close()
		}
	}

	sub := hr.post("/reports/subscriptions", url.Values{"kind": {"agreements"}})
	if sub.status != http.StatusSeeOther || sub.location != "/reports/agreements" {
		t.Fatalf("subscribe: %d %s", sub.status, sub.location)
	}
	again := hr.get("/reports/agreements")
	mustContain(t, again, "Månadsrapporten är beställd.", "Du får den här rapporten med e-post varje månad.")
	action := regexp.MustCompile(`action="(/reports/subscriptions/[^"/]+/delete)"`).FindStringSubmatch(again.body)
	if action == nil {
		t.Fatal("no unsubscribe form")
	}
	if twice := hr.post("/reports/subscriptions", url.Values{"kind": {"agreements"}}); twice.status != http.StatusSeeOther {
		t.Errorf("subscribe twice: %d", twice.status)
	}
	mustContain(t, hr.get("/reports/agreements"), "Du får redan den här rapporten varje månad.")
	// Another person cannot end it.
	if other := e.as("vara", distans.RoleLeadership); other.get("/reports").status == http.StatusOK {
		if p := other.post(action[1], nil); p.status != http.StatusNotFound {
			t.Errorf("another ends HR's subscription: %d", p.status)
		}
	}
	if p := hr.post(action[1], nil); p.status != http.StatusSeeOther {
		t.Fatalf("unsubscribe: %d", p.status)
	}
	mustContain(t, hr.get("/reports"), "Månadsrapporten är avbeställd.", "Du har inga månadsrapporter beställda.")

	bad := hr.get("/reports/agreements?from=2020-01-01&to=2026-01-01")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantStatus(t, hr.get("/reports/agreements?from=igår"), http.StatusUnprocessableEntity)
	wantStatus(t, hr.get("/reports/salaries"), http.StatusNotFound)
	wantStatus(t, hr.get("/reports/agreements.docx"), http.StatusNotFound)

	union := e.as("vara", distans.RoleUnion)
	u := union.get("/reports/agreements")
	wantStatus(t, u, http.StatusOK)
	mustContain(t, u, "Facklig vy: antal under 5 personer", "dold uppgift")
	if strings.Contains(u.body, "/details?format=") {
		t.Error("the union is offered the records behind the report")
	}
	wantStatus(t, union.get("/reports/agreements/details?format=csv"), http.StatusForbidden)
	if csv := union.get("/reports/agreements.csv"); !strings.Contains(csv.body, "Minsta gruppstorlek;") {
		t.Errorf("the union's CSV does not name its threshold:\n%s", csv.body)
	}

	emp := e.as("vara", distans.RoleEmployee)
	wantStatus(t, emp.get("/reports"), http.StatusForbidden)
	wantStatus(t, emp.get("/reports/agreements.pdf"), http.StatusForbidden)
	if strings.Contains(emp.get("/").body, `href="/reports"`) {
		t.Error("an employee has the reports in the menu")
	}
	if !strings.Contains(hr.get("/").body, `href="/reports"`) {
		t.Error("HR has no reports in the menu")
	}
}

// TestDriftReports: the operator sees the installation's counts per
// organisation under /drift, beside their charts, with no unit and no
// person; an organisation's administrator is sent to the operators'
// sign-in.
func TestDriftReports(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := operatorClient(t, e)
	p := op.get("/drift/reports")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Antal per organisation", "Vara kommun", "<caption>", `href="/drift/reports"`)
	if strings.Contains(p.body, "Gustav Nordin") {
		t.Error("a person's name on the operator's counts")
	}
	admin := e.as("vara", distans.RoleAdmin)
	if r := admin.get("/drift/reports"); r.status != http.StatusSeeOther || r.location != "/drift/signin" {
		t.Errorf("an organisation's administrator: %d %s", r.status, r.location)
	}
}
