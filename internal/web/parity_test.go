package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// pagePair is one decision that a page and an API operation both make:
// whether the caller may see that resource. Placeholders in braces are
// replaced by ids of the demo organisation (see parityIDs).
type pagePair struct {
	page, api string
}

// pagePairs lists, for every API read that has a page, the page that shows
// the same thing. A page that is allowed must mean the API is allowed, and
// a page that is refused (403 or 404) must mean the API refuses too.
var pagePairs = []pagePair{
	{"/profile", "/api/v1/me"},
	{"/units", "/api/v1/units"},
	{"/sites", "/api/v1/sites"},
	{"/people", "/api/v1/people"},
	{"/people/{employee}", "/api/v1/people/{employee}"},
	{"/people/{hr}", "/api/v1/people/{hr}"},
	{"/audit", "/api/v1/audit-events"},
	{"/audit/signins", "/api/v1/signin-events"},
	{"/policy", "/api/v1/policy"},
	{"/policy/versions", "/api/v1/policy/versions"},
	{"/policy/versions/1", "/api/v1/policy/versions/1"},
	{"/documents", "/api/v1/documents"},
	{"/documents/outstanding", "/api/v1/documents/outstanding"},
	{"/documents/{document}", "/api/v1/documents/{document}"},
	{"/on-call", "/api/v1/on-call-phones"},
	{"/directory?q=a", "/api/v1/directory?q=a"},
	{"/profile/keywords", "/api/v1/me/directory-profile"},
	{"/office/sites/{site}?date={today}", "/api/v1/sites/{site}/availability?date={today}"},
	{"/bookings", "/api/v1/bookings"},
	{"/office/utilisation?from={today}&to={today}", "/api/v1/utilisation?from={today}&to={today}"},
	{"/agreements", "/api/v1/agreements"},
	{"/agreements/{agreement}", "/api/v1/agreements/{agreement}"},
	{"/agreements/{agreement}/pdf", "/api/v1/agreements/{agreement}/pdf"},
	{"/notifications", "/api/v1/notifications"},
	{"/imports", "/api/v1/imports"},
	{"/imports/{import}", "/api/v1/imports/{import}"},
	{"/incidents", "/api/v1/incidents"},
	{"/records/register", "/api/v1/records/register"},
	{"/records/register.csv", "/api/v1/records/register.csv"},
	{"/records/disposal", "/api/v1/records/disposal/plan"},
	{"/records/disposal", "/api/v1/records/disposal/log"},
	{"/records/disposal", "/api/v1/records/disposal/holds"},
	{"/records/releases", "/api/v1/records/releases"},
	{"/incidents/{incident}", "/api/v1/incidents/{incident}"},
	{"/incidents/{incident}/imy/pdf", "/api/v1/incidents/{incident}/imy-notification/pdf"},
	{"/training", "/api/v1/training/me"},
	{"/profile/data", "/api/v1/me/data-requests"},
	{"/profile/data", "/api/v1/data-requests/open"},
	{"/people/{employee}/data", "/api/v1/people/{employee}/data-requests"},
	{"/people/{hr}/data", "/api/v1/people/{hr}/data-requests"},
	{"/training", "/api/v1/training/courses"},
	{"/training", "/api/v1/training/completions"},
	{"/training/coverage?course=disa", "/api/v1/training/coverage?course=disa"},
	{"/checklists", "/api/v1/checklists/tasks"},
	{"/checklists", "/api/v1/checklists"},
	{"/checklists/overview", "/api/v1/checklists/overview"},
	{"/agreements/new", "/api/v1/agreements/preconditions"},
	{"/equipment/items", "/api/v1/equipment/items"},
	{"/equipment/items/{item}", "/api/v1/equipment/items/{item}"},
	{"/equipment/items/{item}", "/api/v1/equipment/items/{item}/history"},
	{"/equipment/handovers/{handover}", "/api/v1/equipment/handovers/{handover}"},
	{"/equipment/handovers/{handover}/pdf", "/api/v1/equipment/handovers/{handover}/pdf"},
	{"/equipment/losses", "/api/v1/equipment/losses"},
	{"/reports", "/api/v1/reports/subscriptions"},
	{"/reports/{report}", "/api/v1/reports/{report}"},
	{"/reports/{report}.pdf", "/api/v1/reports/{report}/export?format=pdf"},
	{"/reports/{report}/details?format=csv", "/api/v1/reports/{report}/details?format=csv"},
}

// writePairs lists a page's form beside the API write it stands for. The
// API gets input that fails validation, so that nothing changes: 422 there
// means the caller got past the permission, as a form page answering 200
// does; 403/404 on both means both refuse. An employment has no edit form
// of its own: it is changed by whoever may add one to the person.
var writePairs = []struct {
	page, method, api, body string
}{
	{"/people/new", "POST", "/api/v1/people", `{}`},
	{"/people/{employee}/employments/new", "POST", "/api/v1/people/{employee}/employments", `{}`},
	{"/people/{employee}/roles/new", "POST", "/api/v1/role-assignments", `{"person_id":"{employee}","role":"ingen"}`},
	{"/units/new", "POST", "/api/v1/units", `{}`},
	{"/sites/new", "POST", "/api/v1/sites", `{}`},
	{"/policy/edit", "PUT", "/api/v1/policy", `{}`},
	{"/policy/parameters", "PATCH", "/api/v1/policy/parameters", `{"values":{"":"1"}}`},
	{"/documents/new", "POST", "/api/v1/documents", `{}`},
	{"/imports", "POST", "/api/v1/imports", `{}`}, // JSON, not the files: 422 past the permission
	{"/people/{employee}/employments/new", "PATCH", "/api/v1/employments/{employment}", `{"starts_on":"igår"}`},
}

// editPairs lists an edit form's POST beside the API write that makes the
// same change, both with input that fails validation so that nothing
// changes: 422 means the caller got past the permission, 403/404 that they
// were refused, and the two must agree. A caller without the permission
// must never hear 422, which would tell them how their input is judged.
var editPairs = []struct {
	page   string
	form   url.Values
	method string
	api    string
	body   string
}{
	{"/sites/{site}", url.Values{"name": {""}}, "PATCH", "/api/v1/sites/{site}", `{"name":""}`},
	{"/units/{unit}", url.Values{"name": {""}}, "PATCH", "/api/v1/units/{unit}", `{"name":""}`},
	{"/people/{employee}", url.Values{"name": {""}}, "PATCH", "/api/v1/people/{employee}", `{"name":""}`},
	{"/people/{hr}", url.Values{"name": {""}}, "PATCH", "/api/v1/people/{hr}", `{"name":""}`},
	{"/documents/{document}/publish", url.Values{"title": {""}}, "POST", "/api/v1/documents/{document}/versions", `{"title":""}`},
	{"/records/disposal/holds", url.Values{"reason": {""}}, "POST", "/api/v1/records/disposal/holds", `{"reason":""}`},
}

// actionPairs lists a page's button beside the API operation that does the
// same, both POSTed without input: the page allowed (200) must go with API
// 2xx, refused with refused. They do
// change something (an invitation ends the person's earlier one), which no
// other pair reads.
var actionPairs = []struct{ page, api string }{
	{"/people/{employee}/invitation", "/api/v1/people/{employee}/invitation"},
	{"/people/{hr}/invitation", "/api/v1/people/{hr}/invitation"},
	// Everyone pending: the page invites them, the API then nobody; both allowed.
	{"/invitations", "/api/v1/invitations"},
}

// withoutPage are the API reads no page answers on its own, with the
// reason; every other read of openapi.json must appear in pagePairs, so
// that a new operation is compared as soon as it has a page.
var withoutPage = map[string]string{
	"/api/v1/openapi.json":                                      "public description",
	"/api/v1/organisation":                                      "the organisation's settings have no page of their own",
	"/api/v1/units/{id}":                                        "units are shown in the list; the edit form is a write",
	"/api/v1/sites/{id}":                                        "sites are shown in the list; the edit form is a write",
	"/api/v1/people/{id}/employments":                           "shown inside the person page",
	"/api/v1/people/{id}/leaves":                                "shown inside the person page, when Actor.SeesLeaveOf",
	"/api/v1/role-assignments":                                  "shown inside the person and profile pages",
	"/api/v1/documents/pending":                                 "shown inside the documents page",
	"/api/v1/documents/{id}/versions":                           "shown inside the document page",
	"/api/v1/acknowledgements":                                  "shown inside the profile and document pages",
	"/api/v1/tokens":                                            "shown inside the profile page",
	"/api/v1/people/{id}/status":                                "shown inside the directory",
	"/api/v1/me/redirect":                                       "shown inside the status page",
	"/api/v1/me/status":                                         "the caller's own; 404 there means none set today, not a refusal",
	"/api/v1/me/phone-hours":                                    "the caller's own; 404 there means none registered, not a refusal",
	"/api/v1/on-call":                                           "shown inside the directory",
	"/api/v1/sites/{id}/zones":                                  "shown inside the office page",
	"/api/v1/sites/{id}/desks":                                  "shown inside the office page",
	"/api/v1/team-days":                                         "the page shows the caller's own units; the API takes any unit",
	"/calendar/{file}":                                          "a secret file name, no caller",
	"/api/v1/agreements/{id}/place":                             "a read on request (POST) on the page",
	"/api/v1/notifications/unread-count":                        "shown in every page's header",
	"/api/v1/incidents/guidance":                                "shown inside the report form, for every kind",
	"/api/v1/incidents/{id}/risk-assessments":                   "shown inside the incident page, every version",
	"/api/v1/incidents/{id}/imy-notification":                   "shown inside the incident page",
	"/api/v1/incidents/{id}/timeline":                           "shown inside the incident page",
	"/api/v1/equipment/overview":                                "the overview page sends whoever keeps no part of the registry to their own page",
	"/api/v1/equipment/terms":                                   "shown inside the overview and every handover page",
	"/api/v1/equipment/models":                                  "offered inside the register form",
	"/api/v1/equipment/handovers":                               "shown inside the person's and the manager's pages",
	"/api/v1/equipment/returns":                                 "shown inside the person's page",
	"/api/v1/equipment/returns/{id}":                            "the demo has no return; the page and the API both ask EquipmentService.Return",
	"/api/v1/equipment/returns/{id}/pdf":                        "the demo has no return; the page and the API both ask WriteReturnPDF",
	"/api/v1/equipment/losses/{id}":                             "the demo has no loss case; the page and the API both ask EquipmentService.Loss",
	"/api/v1/equipment/losses/{id}/attachments/{attachment_id}": "the demo has no loss case; both ask LossAttachment",
	"/api/v1/equipment/trips":                                   "shown inside the person's and the manager's pages",
	"/api/v1/equipment/trips/{id}":                              "the demo has no trip; the page and the API both ask EquipmentService.Trip",
	"/api/v1/equipment/return-tasks":                            "shown inside the person's and the manager's pages",
	"/api/v1/records/releases/review":                           "the review needs a case id from the register; the page and the API both ask ReleaseService.ReviewRelease",
	"/api/v1/records/releases/{id}":                             "the demo has no decision; the page and the API both ask ReleaseService.FindRelease",
	"/api/v1/records/releases/{id}/copy.pdf":                    "the demo has no decision; the page's download and the API both ask ReleaseService.WriteReleaseCopy",
	"/api/v1/records/releases/{id}/decision.pdf":                "the demo has no decision; the page's download and the API both ask ReleaseService.WriteReleaseDecision",
	"/api/v1/data-requests/{id}":                                "the demo has no request; the page and the API both ask OwnDataService under Actor.RequestsDataOf",
	"/api/v1/data-requests/{id}/export.json":                    "the demo has no request; the page's download and the API both ask OwnDataService.DownloadOwnData",
	"/api/v1/data-requests/{id}/export.pdf":                     "the demo has no request; the page's download and the API both ask OwnDataService.DownloadOwnData",
	"/api/v1/people/{id}/training":                              "a person's training is shown on the coverage page, by course",
	"/api/v1/training/completions/{id}/certificate":             "the demo has no completion; the page and the API both ask TrainingService.Certificate",
	"/api/v1/checklists/{id}":                                   "the demo has no checklist; the page and the API both ask ChecklistService.Checklist",
	"/api/v1/agreements/{id}/preconditions":                     "shown inside the agreement page, before the decision",
	"/api/v1/reports/subscriptions/{id}":                        "a delete; the page's button is a POST beside the report",
}

// TestPageAPIParity signs in as every demo role of two organisations and
// asks each page and its API twin the same question: page 200 must go with
// API 2xx, and page 403/404 with API 403/404. Permission rules written
// twice drift apart (the documents-outstanding page said 403 where the API
// said 200); this finds the next one.
func TestPageAPIParity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	checkCoverage(t, e.srv.URL)
	for _, slug := range []string{"bjurholm", "sorsele"} {
		ids := parityIDs(e, slug)
		for _, role := range distans.Roles {
			c := e.as(slug, role)
			token := c.apiToken()
			for _, p := range pagePairs {
				page, api := ids.Replace(p.page), ids.Replace(p.api)
				ps, as := c.get(page).status, apiStatus(t, "GET", e.srv.URL+api, "", token)
				if class(ps) != class(as) {
					t.Errorf("%s, %s: page %s answers %d, API %s answers %d", slug, role, page, ps, api, as)
				}
			}
			for _, p := range writePairs {
				page, api := ids.Replace(p.page), ids.Replace(p.api)
				ps, as := c.get(page).status, apiStatus(t, p.method, e.srv.URL+api, ids.Replace(p.body), token)
				if as >= 200 && as < 300 {
					t.Fatalf("%s, %s: %s %s changed something (%d): the probe must be invalid input", slug, role, p.method, api, as)
				}
				if as == http.StatusUnprocessableEntity {
					as = http.StatusOK
				}
				if class(ps) != class(as) {
					t.Errorf("%s, %s: form %s answers %d, API %s %s answers %d", slug, role, page, ps, p.method, api, as)
				}
			}
			for _, p := range actionPairs {
				page, api := ids.Replace(p.page), ids.Replace(p.api)
				c.get("/")
				ps, as := c.post(page, nil).status, apiStatus(t, "POST", e.srv.URL+api, "", token)
				if class(ps) != class(as) {
					t.Errorf("%s, %s: button POST %s answers %d, API POST %s answers %d", slug, role, page, ps, api, as)
				}
			}
			for _, p := range editPairs {
				page, api := ids.Replace(p.page), ids.Replace(p.api)
				ps, as := c.post(page, maps.Clone(p.form)).status, apiStatus(t, p.method, e.srv.URL+api, ids.Replace(p.body), token)
				if ps < 400 || as < 400 {
					t.Fatalf("%s, %s: POST %s answers %d, %s %s answers %d: the probe must be invalid input", slug, role, page, ps, p.method, api, as)
				}
				if class(ps) != class(as) || (ps == http.StatusUnprocessableEntity) != (as == http.StatusUnprocessableEntity) {
					t.Errorf("%s, %s: POST %s answers %d, API %s %s answers %d", slug, role, page, ps, p.method, api, as)
				}
			}
		}
	}
}

// class is what an answer says about the decision: allowed, refused, or
// something else that both must then share.
func class(status int) string {
	switch {
	case status >= 200 && status < 300:
		return "allowed"
	case status == http.StatusForbidden || status == http.StatusNotFound:
		return "refused"
	}
	return fmt.Sprint(status)
}

// apiStatus sends a request with the API token and returns the status code.
func apiStatus(t *testing.T, method, url, body, token string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

var secretRE = regexp.MustCompile(`<span class="secret">([^<]+)</span>`)

// apiToken makes an API token on the profile page and returns its secret.
func (c *client) apiToken() string {
	c.e.t.Helper()
	c.get("/profile")
	p := c.post("/profile/tokens", url.Values{"name": {"Jämförelse"}})
	m := secretRE.FindStringSubmatch(p.body)
	if p.status != http.StatusOK || m == nil {
		c.e.t.Fatalf("token: status %d\n%.1500s", p.status, text(p.body))
	}
	return html.UnescapeString(m[1])
}

// parityIDs are the demo records the pairs ask about: the employee account
// (in the manager's unit), their unit and employment, the HR account
// (outside it), a site, a document and an agreement.
func parityIDs(e *env, slug string) *strings.Replacer {
	e.t.Helper()
	sys := e.system(slug)
	sites, err := e.store.ListSites(sys, false)
	if err != nil || len(sites) == 0 {
		e.t.Fatalf("sites of %s: %v", slug, err)
	}
	docs, err := e.store.ListDocuments(sys)
	if err != nil || len(docs) == 0 {
		e.t.Fatalf("documents of %s: %v", slug, err)
	}
	agreements, _, err := e.store.ListAgreements(sys, distans.AgreementFilter{})
	if err != nil || len(agreements) == 0 {
		e.t.Fatalf("agreements of %s: %v", slug, err)
	}
	imp := &distans.Import{}
	if err := e.store.CreateImport(sys, imp, []distans.ImportFile{{Name: "personal.csv", Content: []byte("Anställningsnummer\n1\n")}}); err != nil {
		e.t.Fatalf("import in %s: %v", slug, err)
	}
	employee := e.person(slug, account(slug, distans.RoleEmployee))
	incident := reportedIncident(e, slug, employee)
	issued, err := e.svc.Equipment.ListItems(sys, distans.EquipmentFilter{Status: distans.EquipmentIssued, Limit: 1})
	if err != nil || len(issued) == 0 || issued[0].HandoverID == "" {
		e.t.Fatalf("an issued item in %s: %v", slug, err)
	}
	employments, err := e.store.ListEmployments(sys, employee.ID)
	if err != nil || len(employments) == 0 {
		e.t.Fatalf("employments of %s in %s: %v", employee.Name, slug, err)
	}
	return strings.NewReplacer("{employee}", employee.ID, "{unit}", employee.UnitID,
		"{employment}", employments[0].ID,
		"{hr}", e.person(slug, account(slug, distans.RoleHR)).ID, "{site}", sites[0].ID,
		"{item}", issued[0].ID, "{handover}", issued[0].HandoverID,
		"{document}", docs[0].ID, "{agreement}", agreements[0].ID, "{import}", imp.ID, "{incident}", incident, "{today}", time.Now().Format(time.DateOnly), "{report}", "agreements")
}

// reportedIncident has the employee report a personal-data incident and
// returns its id: the incident pairs ask who sees it.
func reportedIncident(e *env, slug string, employee *distans.Person) string {
	e.t.Helper()
	sys := e.system(slug)
	org := distans.ActorFrom(sys).OrganisationID
	grants, err := e.store.Grants(sys, org, employee.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	actor := &distans.Actor{OrganisationID: org, PersonID: employee.ID, Name: employee.Name, Grants: grants}
	inc, err := e.svc.Incidents.ReportIncident(distans.NewContext(context.Background(), actor), &distans.IncidentReport{
		Kind: distans.IncidentPersonalData, Title: "Mejl till fel mottagare", Description: "Betyg till fel vårdnadshavare.",
		DiscoveredAt: time.Now().Add(-time.Hour)})
	if err != nil {
		e.t.Fatalf("incident in %s: %v", slug, err)
	}
	return inc.ID
}

// checkCoverage fails for an API read that is neither paired with a page
// nor listed in withoutPage.
func checkCoverage(t *testing.T, base string) {
	t.Helper()
	res, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var paired []string
	for _, p := range pagePairs {
		paired = append(paired, strings.SplitN(p.api, "?", 2)[0])
	}
	for path, ops := range doc.Paths {
		if _, ok := ops["get"]; !ok {
			continue
		}
		if _, ok := withoutPage[path]; ok {
			continue
		}
		// A pair names a record where the description has a parameter.
		generic := func(p string) string {
			parts := strings.Split(p, "/")
			for i, s := range parts {
				if strings.HasPrefix(s, "{") || s == "1" {
					parts[i] = "{}"
				}
			}
			return strings.Join(parts, "/")
		}
		if !slices.ContainsFunc(paired, func(p string) bool { return generic(p) == generic(path) }) {
			t.Errorf("GET %s has no page to compare with: add it to pagePairs, or to withoutPage with the reason", path)
		}
	}
}

// pageOnly are the pages that have no API twin, with the reason. They are
// not compared; TestPageOnlyRoutes keeps the list true to routes.go.
var pageOnly = map[string]string{
	"GET /password/forgot":  "asked before sign-in; the API has no caller who is not signed in",
	"POST /password/forgot": "asked before sign-in; the API has no caller who is not signed in",
	"GET /link/{token}":     "opened from a link before sign-in; it ends in a browser session",
	"POST /link/{token}":    "sets the password and signs in with a session cookie",
	// The installation's pages (routes_drift.go): an operator has no API
	// token, and nothing an operator does is offered to integrations; the
	// CLI is the other door. TestDriftRoutesArePageOnly holds every /drift
	// route to this list.
	"GET /drift/signin":                     "the operators' sign-in, a page of its own session",
	"POST /drift/signin":                    "the operators' sign-in, a page of its own session",
	"GET /drift/link/{token}":               "an operator's one-time link: a page for a person with a browser",
	"POST /drift/link/{token}":              "an operator's one-time link: a page for a person with a browser",
	"POST /drift/signout":                   "ends the operator's browser session",
	"POST /drift/lang":                      "the language switch under the operators' cookie path",
	"GET /drift":                            "the operators' list of organisations; operators have no API",
	"GET /drift/organisations/new":          "the create form; operators have no API (the CLI is the other door)",
	"POST /drift/organisations":             "creates an organisation; operators have no API (the CLI is the other door)",
	"GET /drift/organisations/{id}":         "one organisation's counts; operators have no API",
	"GET /drift/reports":                    "the installation's counts per organisation; operators have no API",
	"POST /drift/organisations/{id}/rename": "operators have no API (the CLI is the other door)",
	"POST /drift/organisations/{id}/status": "operators have no API (the CLI is the other door)",
	// An organisation's SCIM set-up is done once, by its administrator in
	// the browser or at the console (distans scim token); the identity
	// system itself talks SCIM at /scim/v2, not /api/v1.
	"GET /scim-settings":                     "SCIM set-up: the administrator's page; the CLI is the other door",
	"POST /scim-settings/tokens":             "shows a SCIM token's secret once in the page; the CLI is the other door",
	"POST /scim-settings/tokens/{id}/revoke": "SCIM set-up: the administrator's page; the CLI is the other door",
	"POST /scim-settings/settings":           "SCIM set-up: the administrator's page",
	"POST /scim-settings/mappings":           "SCIM set-up: the administrator's page",
	"POST /scim-settings/mappings/delete":    "SCIM set-up: the administrator's page",
}

// TestPageOnlyRoutes fails for an entry of pageOnly that routes.go (or
// routes_drift.go) no longer has, so that the list does not outlive its pages.
func TestPageOnlyRoutes(t *testing.T) {
	t.Parallel()
	var src []byte
	for _, f := range []string{"routes.go", "routes_drift.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	for pattern := range pageOnly {
		if !strings.Contains(string(src), `mux.Handle("`+pattern+`"`) {
			t.Errorf("pageOnly lists %q, which routes.go does not register", pattern)
		}
	}
}
