package api_test

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
)

// trainingEnv is Distans as cmd/distans wires it, with the demo
// organisations: tokens for Kristianstad's employee ({emp}), manager
// ({chef}), HR ({hr}), security coordinator ({sec}) and union
// representative ({union}), and Bjurholm's HR ({bjHR}). Kristianstad's pack
// asks DISA of everyone (003 Utbildning). The employee's first-day
// checklist is open ({cl}, version {clv}), with their own task ({own}) and
// IT's ({its}).
func trainingEnv(t *testing.T) *env {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the demo organisations")
	}
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: "sqlite:" + filepath.Join(t.TempDir(), "distans.db"), Demo: true,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	e := &env{store: a.Store, srv: srv, ids: map[string]string{}, tokens: map[string]string{}}
	sys := distans.NewContext(ctx, distans.SystemActor(""))
	orgs := map[string]string{}
	for key, slug := range map[string]string{"orgA": "kristianstad", "orgB": "bjurholm"} {
		o, err := a.Store.FindOrganisationBySlug(sys, slug)
		must(t, err)
		e.ids[key], orgs[slug] = o.ID, o.ID
	}
	token := func(slug string, role distans.Role) (string, string) {
		t.Helper()
		accs, err := a.Store.FindAccounts(sys, demo.AccountEmail(slug, role))
		must(t, err)
		for _, acc := range accs {
			if acc.OrganisationID != orgs[slug] {
				continue
			}
			octx := distans.NewContext(ctx, distans.SystemActor(acc.OrganisationID))
			grants, err := a.Store.Grants(octx, acc.OrganisationID, acc.PersonID)
			must(t, err)
			actor := &distans.Actor{OrganisationID: acc.OrganisationID, PersonID: acc.PersonID, Name: acc.Name, Grants: grants}
			secret, _, err := a.Services.SignIn.CreateAPIToken(distans.NewContext(ctx, actor), "", "test")
			must(t, err)
			return secret, acc.PersonID
		}
		t.Fatalf("no %s account in %s", role, slug)
		return "", ""
	}
	for name, role := range map[string]distans.Role{"emp": distans.RoleEmployee, "chef": distans.RoleManager, "hr": distans.RoleHR,
		"sec": distans.RoleSecurity, "union": distans.RoleUnion} {
		e.tokens[name], e.ids[name] = token("kristianstad", role)
	}
	e.tokens["bjHR"], e.ids["bjHR"] = token("bjurholm", distans.RoleHR)

	octx := distans.NewContext(ctx, distans.SystemActor(orgs["kristianstad"]))
	emps, err := a.Store.ListEmployments(octx, e.ids["emp"])
	must(t, err)
	templates, err := a.Services.Checklists.Templates(octx)
	must(t, err)
	_, err = a.Store.OpenChecklists(sys, emps[len(emps)-1].StartsOn, func(string) ([]distans.ChecklistTemplate, int, error) { return templates, 1, nil })
	must(t, err)
	cs, err := a.Services.Checklists.ListChecklists(octx, distans.ChecklistFilter{PersonID: e.ids["emp"]})
	must(t, err)
	if len(cs) == 0 {
		t.Fatal("no first-day checklist")
	}
	e.ids["cl"], e.ids["clv"] = cs[0].ID, strconv.Itoa(cs[0].Version)
	for _, k := range cs[0].Tasks {
		switch k.Owner {
		case distans.OwnerPerson:
			e.ids["own"] = k.ID
		case distans.OwnerIT:
			e.ids["its"] = k.ID
		}
	}
	now := time.Now()
	e.ids["today"] = now.Format(time.DateOnly)
	e.ids["future"] = now.AddDate(0, 0, 3).Format(time.DateOnly)
	e.ids["pdf64"] = base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
	e.ids["txt64"] = base64.StdEncoding.EncodeToString([]byte("Jag har gått kursen.\n"))
	return e
}

// TestTrainingAPI: the catalogue and the person's standing; a completion
// in the future and one with a text file as certificate refused in
// Swedish with nothing saved; the employee's own completion with a PDF,
// whose certificate downloads for them and their manager and is not found
// for a colleague elsewhere or another organisation; coverage for the
// manager's unit only, the organisation's for HR; a tick by a non-owner
// refused with 403 and nothing changed, the owner's saved; HR's overview;
// the union and another organisation see nothing.
func TestTrainingAPI(t *testing.T) {
	t.Parallel()
	e := trainingEnv(t)
	steps := []scenario{
		{name: "the catalogue", method: "GET", url: "/api/v1/training/courses", as: "emp", status: 200,
			contains: []string{`"id": "disa"`, "Instruktion för digital kommunikation", `"deadline_days": 30`}, unchanged: true},
		{name: "my standing", method: "GET", url: "/api/v1/training/me", as: "emp", status: 200,
			contains: []string{`"course_id": "disa"`, `"state": "overdue"`}, unchanged: true},
		{name: "a person's standing, for their manager", method: "GET", url: "/api/v1/people/{emp}/training", as: "chef", status: 200,
			contains: []string{`"state": "overdue"`}, unchanged: true},
		{name: "nor for another organisation", method: "GET", url: "/api/v1/people/{emp}/training", as: "bjHR", status: 404, unchanged: true},
		{name: "a completion in the future", method: "POST", url: "/api/v1/training/completions", as: "emp",
			body: `{"course_id":"disa","completed_on":"{future}"}`, status: 422, contains: []string{"Datumet kan inte ligga i framtiden."}, unchanged: true},
		{name: "a text file as certificate", method: "POST", url: "/api/v1/training/completions", as: "emp",
			body:   `{"course_id":"disa","completed_on":"{today}","certificate":{"name":"intyg.pdf","content_base64":"{txt64}"}}`,
			status: 422, contains: []string{"Intyget måste vara en PDF eller en bild"}, unchanged: true},
		{name: "nothing saved", method: "GET", url: "/api/v1/training/completions", as: "emp", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		{name: "the employee's own completion", method: "POST", url: "/api/v1/training/completions", as: "emp",
			body:   `{"course_id":"disa","completed_on":"{today}","certificate":{"name":"disa.pdf","content_base64":"{pdf64}"}}`,
			status: 201, contains: []string{`"source": "self"`, `"content_type": "application/pdf"`}},
		{name: "done", method: "GET", url: "/api/v1/training/me", as: "emp", status: 200, contains: []string{`"state": "done"`}, unchanged: true},
		{name: "coverage of the manager's unit", method: "GET", url: "/api/v1/training/coverage?course=disa", as: "chef", status: 200,
			contains: []string{"HR-stöd"}, excludes: []string{"Kommunledningskontoret", "{emp}"}, unchanged: true},
		{name: "the organisation's coverage for HR", method: "GET", url: "/api/v1/training/coverage?course=disa", as: "hr", status: 200,
			contains: []string{"HR-stöd", "Kommunledningskontoret"}, unchanged: true},
		{name: "coverage without a course", method: "GET", url: "/api/v1/training/coverage", as: "hr", status: 422, unchanged: true},
		{name: "the union sees no coverage", method: "GET", url: "/api/v1/training/coverage?course=disa", as: "union",
			status: 403, unchanged: true},
		{name: "an import by an employee", method: "POST", url: "/api/v1/training/import", as: "emp", status: 422, unchanged: true},

		{name: "my tasks", method: "GET", url: "/api/v1/checklists/tasks", as: "emp", status: 200, contains: []string{"{own}"}, unchanged: true},
		{name: "the checklist", method: "GET", url: "/api/v1/checklists/{cl}", as: "emp", status: 200,
			contains: []string{`"event": "employment_start"`, "{its}"}, unchanged: true},
		{name: "not for another organisation", method: "GET", url: "/api/v1/checklists/{cl}", as: "bjHR", status: 404, unchanged: true},
		{name: "nor for the union", method: "GET", url: "/api/v1/checklists/{cl}", as: "union", status: 404, unchanged: true},
		{name: "IT's task ticked by the employee", method: "POST", url: "/api/v1/checklists/{cl}/tasks/{its}/tick", as: "emp",
			body: `{"version":{clv}}`, status: 403, contains: []string{"Uppgiften är inte din att bocka av."}, unchanged: true},
		{name: "a tick without version", method: "POST", url: "/api/v1/checklists/{cl}/tasks/{own}/tick", as: "emp",
			body: `{}`, status: 422, unchanged: true},
		{name: "the employee's own tick", method: "POST", url: "/api/v1/checklists/{cl}/tasks/{own}/tick", as: "emp",
			body: `{"version":{clv},"note":"Läst."}`, status: 200, contains: []string{`"note": "Läst."`}},
		{name: "HR's overview", method: "GET", url: "/api/v1/checklists/overview", as: "hr", status: 200,
			contains: []string{`"open": {`, `"overdue_by_owner"`}, excludes: []string{`"employment_start": 0`}, unchanged: true},
		{name: "the checklists of another organisation", method: "GET", url: "/api/v1/checklists", as: "bjHR", status: 200,
			excludes: []string{"{cl}"}, unchanged: true},
		{name: "my preconditions", method: "GET", url: "/api/v1/agreements/preconditions", as: "sec", status: 200,
			contains: []string{"DISA"}, unchanged: true},
	}
	for _, sc := range steps {
		t.Run(sc.name, func(t *testing.T) {
			if sc.status == -1 {
				status, body := e.do(t, sc.method, sc.url, sc.as, sc.body)
				if status != 200 && status != 403 && status != 404 {
					t.Errorf("status %d: %s", status, body)
				}
				for _, x := range sc.excludes {
					if strings.Contains(string(body), e.expand(x)) {
						t.Errorf("body holds %q", x)
					}
				}
				return
			}
			sc.run(t, e)
		})
	}

	// The certificate: the person and their manager; nobody else.
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	e.doJSON(t, "GET", "/api/v1/training/completions", "emp", "", &list)
	if len(list.Items) != 1 {
		t.Fatalf("completions: %+v", list.Items)
	}
	e.ids["comp"] = list.Items[0].ID
	for _, sc := range []scenario{
		{name: "certificate, the person", method: "GET", url: "/api/v1/training/completions/{comp}/certificate", as: "emp", status: 200, contains: []string{"%PDF"}, unchanged: true},
		{name: "certificate, the manager", method: "GET", url: "/api/v1/training/completions/{comp}/certificate", as: "chef", status: 200, contains: []string{"%PDF"}, unchanged: true},
		{name: "certificate, a colleague elsewhere", method: "GET", url: "/api/v1/training/completions/{comp}/certificate", as: "sec", status: 404, unchanged: true},
		{name: "certificate, another organisation", method: "GET", url: "/api/v1/training/completions/{comp}/certificate", as: "bjHR", status: 404, unchanged: true},
		{name: "withdrawal without a reason", method: "DELETE", url: "/api/v1/training/completions/{comp}", as: "emp", body: `{"reason":" "}`, status: 422, unchanged: true},
		{name: "withdrawal by another organisation", method: "DELETE", url: "/api/v1/training/completions/{comp}", as: "bjHR", body: `{"reason":"Fel"}`, status: 404, unchanged: true},
		{name: "withdrawal", method: "DELETE", url: "/api/v1/training/completions/{comp}", as: "emp", body: `{"reason":"Fel kurs"}`, status: 204},
	} {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
	}
}

// TestTrainingTenantIsolation: Bjurholm's HR, who holds every training
// and checklist permission in Bjurholm, finds nothing of Kristianstad's
// over every training, checklist and precondition route that names a
// record; the lists answer with Bjurholm's own.
func TestTrainingTenantIsolation(t *testing.T) {
	t.Parallel()
	e := trainingEnv(t)
	var c struct {
		ID string `json:"id"`
	}
	e.doJSON(t, "POST", "/api/v1/training/completions", "emp",
		`{"course_id":"disa","completed_on":"{today}","certificate":{"name":"disa.pdf","content_base64":"{pdf64}"}}`, &c)
	e.ids["comp"] = c.ID
	var ags struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	e.doJSON(t, "GET", "/api/v1/agreements", "hr", "", &ags)
	if len(ags.Items) == 0 {
		t.Fatal("the demo has no agreement in Kristianstad")
	}
	e.ids["ag"] = ags.Items[0].ID
	notFound := []string{`"code": "not_found"`}
	for _, c := range []struct{ method, url, body string }{
		{"GET", "/api/v1/people/{emp}/training", ""},
		{"GET", "/api/v1/training/completions?person_id={emp}", ""},
		{"POST", "/api/v1/training/completions", `{"person_id":"{emp}","course_id":"disa","completed_on":"{today}"}`},
		{"DELETE", "/api/v1/training/completions/{comp}", `{"reason":"Kapad"}`},
		{"GET", "/api/v1/training/completions/{comp}/certificate", ""},
		{"GET", "/api/v1/training/coverage?course=disa&unit={orgA}", ""},
		{"GET", "/api/v1/checklists/{cl}", ""},
		{"POST", "/api/v1/checklists/{cl}/tasks/{its}/tick", `{"version":{clv}}`},
		{"GET", "/api/v1/agreements/{ag}/preconditions", ""},
	} {
		sc := scenario{name: c.method + " " + c.url, method: c.method, url: c.url, as: "bjHR", body: c.body, status: 404,
			contains: notFound, excludes: []string{"%PDF", "HR-stöd"}, unchanged: true}
		t.Run(sc.name, func(t *testing.T) {
			if c.method == "POST" && c.url == "/api/v1/training/completions" {
				// Recording for someone of another organisation: refused
				// (not found or not allowed), nothing saved.
				status, body := e.do(t, sc.method, sc.url, sc.as, sc.body)
				if status != 404 && status != 403 && status != 422 {
					t.Errorf("status %d: %s", status, body)
				}
				return
			}
			sc.run(t, e)
		})
	}
	for _, url := range []string{"/api/v1/checklists", "/api/v1/checklists/tasks", "/api/v1/training/completions", "/api/v1/training/coverage?course=disa"} {
		sc := scenario{name: "GET " + url, method: "GET", url: url, as: "bjHR", status: 200,
			excludes: []string{"{cl}", "{comp}", "{emp}", "HR-stöd"}, unchanged: true}
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
	}
}
