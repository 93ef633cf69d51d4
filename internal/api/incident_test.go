package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
)

// incidentEnv is Distans as cmd/distans wires it, with the demo
// organisations, behind a real HTTP server. Its tokens are Bjurholm's demo
// accounts by role — emp (medarbetare, in chef's unit), chef, sec
// (informationssäkerhetssamordnare), dpo (dataskyddsombud), it, hr, vaxel —
// and Vara's coordinator (varaSec); ids hold their person ids under the
// same names, orgA (Bjurholm) and orgB (Vara), and "now", "later" and
// "before" as RFC 3339 instants: now, a day ahead, two hours ago.
func incidentEnv(t *testing.T) *env {
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
	if a.Services.Incidents == nil {
		t.Fatal("internal/app wires no incident service")
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	e := &env{store: a.Store, srv: srv, ids: map[string]string{}, tokens: map[string]string{}}
	sys := distans.NewContext(ctx, distans.SystemActor(""))
	token := func(slug string, role distans.Role) (string, string) {
		t.Helper()
		o, err := a.Store.FindOrganisationBySlug(sys, slug)
		must(t, err)
		accs, err := a.Store.FindAccounts(sys, demo.AccountEmail(slug, role))
		must(t, err)
		for _, acc := range accs {
			if acc.OrganisationID != o.ID {
				continue
			}
			grants, err := a.Store.Grants(distans.NewContext(ctx, distans.SystemActor(o.ID)), o.ID, acc.PersonID)
			must(t, err)
			actor := &distans.Actor{OrganisationID: o.ID, PersonID: acc.PersonID, Name: acc.Name, Grants: grants}
			secret, _, err := a.Services.SignIn.CreateAPIToken(distans.NewContext(ctx, actor), "", "test")
			must(t, err)
			return secret, acc.PersonID
		}
		t.Fatalf("no %s account in %s", role, slug)
		return "", ""
	}
	for name, role := range map[string]distans.Role{"emp": distans.RoleEmployee, "chef": distans.RoleManager,
		"sec": distans.RoleSecurity, "dpo": distans.RoleDPO, "it": distans.RoleIT, "hr": distans.RoleHR, "vaxel": distans.RoleSwitchboard,
		"reg": distans.RoleRegistrar} {
		e.tokens[name], e.ids[name] = token("bjurholm", role)
	}
	e.tokens["varaSec"], e.ids["varaSec"] = token("vara", distans.RoleSecurity)
	e.tokens["varaReg"], e.ids["varaReg"] = token("vara", distans.RoleRegistrar)
	for key, slug := range map[string]string{"orgA": "bjurholm", "orgB": "vara"} {
		o, err := a.Store.FindOrganisationBySlug(sys, slug)
		must(t, err)
		e.ids[key] = o.ID
	}
	now := time.Now().UTC().Truncate(time.Second)
	e.ids["now"] = now.Format(time.RFC3339)
	e.ids["later"] = now.Add(24 * time.Hour).Format(time.RFC3339)
	e.ids["before"] = now.Add(-2 * time.Hour).Format(time.RFC3339)
	e.ids["today"] = now.Format(time.DateOnly)
	e.ids["due"] = now.AddDate(0, 0, 14).Format(time.DateOnly)
	return e
}

// incidentSeen is what the tests read of an incident.
type incidentSeen struct {
	ID           string   `json:"id"`
	Number       string   `json:"number"`
	State        string   `json:"state"`
	Version      int      `json:"version"`
	Description  string   `json:"description"`
	DiscoveredAt string   `json:"discovered_at"`
	Redacted     []string `json:"redacted"`
	Clocks       []struct {
		Duty  string `json:"duty"`
		DueAt string `json:"due_at"`
		Done  string `json:"done_at"`
	} `json:"clocks"`
	Measures []struct {
		ID     string `json:"id"`
		DueOn  string `json:"due_on"`
		DoneAt string `json:"done_at"`
	} `json:"measures"`
}

// reportPersonalData has the employee report a personal-data incident and
// keeps its id as {inc} and its version as {version}.
func reportPersonalData(t *testing.T, e *env) {
	t.Helper()
	var inc incidentSeen
	e.doJSON(t, "POST", "/api/v1/incidents", "emp", `{"kind":"personal_data","title":"Mejl till fel mottagare",
		"description":"Betyg för tolv elever gick till fel vårdnadshavare.","occurred_at":"{before}","discovered_at":"{now}",
		"systems":"E-post"}`, &inc)
	e.ids["inc"], e.ids["version"] = inc.ID, strconv.Itoa(inc.Version)
}

// triageSecret has the coordinator triage {inc} with the description
// marked secret.
func triageSecret(t *testing.T, e *env) {
	t.Helper()
	var inc incidentSeen
	e.doJSON(t, "POST", "/api/v1/incidents/{inc}/triage", "sec", `{"version":{version},"kind":"personal_data","severity":"high",
		"owner_id":"{sec}","secret_fields":["description"]}`, &inc)
	e.ids["version"] = strconv.Itoa(inc.Version)
}

// runIncidentScenarios runs the scenarios in turn on one incidentEnv in
// which the employee has reported a personal-data incident ({inc}) and the
// coordinator has triaged it with the description marked secret. They
// read, or are refused: none may change what the next one sees.
func runIncidentScenarios(t *testing.T, scenarios []scenario) {
	t.Helper()
	e := incidentEnv(t)
	reportPersonalData(t, e)
	triageSecret(t, e)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
	}
}

// TestIncidentVisibility: who sees a reported personal-data incident, and
// how much of it, by role and organisation, through the API.
func TestIncidentVisibility(t *testing.T) {
	t.Parallel()
	secretText := "Betyg för tolv elever"
	runIncidentScenarios(t, []scenario{
		{name: "the reporter sees their report", method: "GET", url: "/api/v1/incidents/{inc}", as: "emp", status: 200,
			contains: []string{`"title": "Mejl till fel mottagare"`}, unchanged: true},
		{name: "the coordinator sees everything", method: "GET", url: "/api/v1/incidents/{inc}", as: "sec", status: 200,
			contains: []string{secretText}},
		{name: "the DPO sees a personal-data incident", method: "GET", url: "/api/v1/incidents/{inc}", as: "dpo", status: 200,
			contains: []string{secretText}},
		{name: "the manager sees it without the secret description", method: "GET", url: "/api/v1/incidents/{inc}", as: "chef", status: 200,
			contains: []string{`"redacted": [`, `"description"`}, excludes: []string{secretText}, unchanged: true},
		{name: "IT does not handle personal data", method: "GET", url: "/api/v1/incidents/{inc}", as: "it", status: 404, unchanged: true},
		{name: "HR does not handle personal data", method: "GET", url: "/api/v1/incidents/{inc}", as: "hr", status: 404, unchanged: true},
		{name: "the switchboard that did not register it", method: "GET", url: "/api/v1/incidents/{inc}", as: "vaxel", status: 404, unchanged: true},
		{name: "another organisation's coordinator", method: "GET", url: "/api/v1/incidents/{inc}", as: "varaSec", status: 404, unchanged: true},
		{name: "another organisation's queue", method: "GET", url: "/api/v1/incidents", as: "varaSec", status: 200,
			excludes: []string{"{inc}"}, unchanged: true},
		{name: "the coordinator's queue", method: "GET", url: "/api/v1/incidents?open=true", as: "sec", status: 200,
			contains: []string{"{inc}"}, unchanged: true},
		{name: "the reporter's own list", method: "GET", url: "/api/v1/incidents?mine=true", as: "emp", status: 200,
			contains: []string{"{inc}"}, unchanged: true},
		{name: "the manager may not triage", method: "POST", url: "/api/v1/incidents/{inc}/triage", as: "chef",
			body: `{"version":{version},"kind":"personal_data","severity":"low","owner_id":"{chef}"}`, status: 403, unchanged: true},
		{name: "another organisation reads no timeline", method: "GET", url: "/api/v1/incidents/{inc}/timeline", as: "varaSec",
			status: 404, unchanged: true},
		{name: "no token", method: "GET", url: "/api/v1/incidents/{inc}", status: 401, unchanged: true},
	})
}

// TestIncidentBadInput: the bad input the issue names gives a Swedish
// message and saves nothing.
func TestIncidentBadInput(t *testing.T) {
	t.Parallel()
	report := func(fields string) string {
		return `{"kind":"it","title":"Virus","description":"Datorn beter sig konstigt."` + fields + `}`
	}
	huge := strings.Repeat("a", 900_000)
	tooLarge := strings.Repeat("a", 1<<20)
	runIncidentScenarios(t, []scenario{
		{name: "a discovery in the future", method: "POST", url: "/api/v1/incidents", as: "emp", body: report(`,"discovered_at":"{later}"`),
			status: 422, contains: []string{`"field": "discovered_at"`, "Upptäcktstiden kan inte ligga i framtiden."}, unchanged: true},
		{name: "discovered before it happened", method: "POST", url: "/api/v1/incidents", as: "emp",
			body:   report(`,"occurred_at":"{now}","discovered_at":"{before}"`),
			status: 422, contains: []string{"Incidenten kan inte ha upptäckts innan den inträffade."}, unchanged: true},
		{name: "no discovery time", method: "POST", url: "/api/v1/incidents", as: "emp", body: report(``),
			status: 422, contains: []string{"Ange när incidenten upptäcktes."}, unchanged: true},
		{name: "an unknown kind", method: "POST", url: "/api/v1/incidents", as: "emp",
			body:   `{"kind":"virus","title":"x","description":"y","discovered_at":"{now}"}`,
			status: 422, contains: []string{"Välj vad som har hänt."}, unchanged: true},
		{name: "a description of 900 000 characters", method: "POST", url: "/api/v1/incidents", as: "emp",
			body:   report(`,"discovered_at":"{now}","systems":"` + huge + `"`),
			status: 422, contains: []string{`"field": "systems"`, "Högst 20000 tecken."}, unchanged: true},
		{name: "a body over 1 MiB", method: "POST", url: "/api/v1/incidents", as: "emp",
			body:   report(`,"discovered_at":"{now}","systems":"` + tooLarge + `"`),
			status: 413, contains: []string{"Det du skickade är för stort"}, unchanged: true},
		{name: "a notification filed before the discovery", method: "PUT", url: "/api/v1/incidents/{inc}/imy-notification", as: "dpo",
			body:   `{"controller":"Bjurholms kommun","discovered_at":"{now}","filed_at":"{before}","category":"confidentiality"}`,
			status: 422, unchanged: true},
		{name: "a duty done before the discovery", method: "POST", url: "/api/v1/incidents/{inc}/duties", as: "sec",
			body: `{"duty":"imy_notification","at":"{before}","reference":"IMY-1"}`, status: 422, unchanged: true},
		{name: "a duty waived without reasons", method: "POST", url: "/api/v1/incidents/{inc}/duties", as: "sec",
			body: `{"duty":"imy_notification","not_required":true}`, status: 422, unchanged: true},
		{name: "a stale version", method: "POST", url: "/api/v1/incidents/{inc}/triage", as: "sec",
			body: `{"version":1,"kind":"personal_data","severity":"low","owner_id":"{sec}"}`, status: 409, unchanged: true},
		{name: "a link to a person outside the organisation", method: "POST", url: "/api/v1/incidents/{inc}/links", as: "sec",
			body: `{"kind":"person","target_id":"{varaSec}"}`, status: 422,
			contains: []string{`"field": "target_id"`, "Personen finns inte i organisationen."}, unchanged: true},
		{name: "a measure owned by someone outside the organisation", method: "POST", url: "/api/v1/incidents/{inc}/measures", as: "sec",
			body: `{"text":"Rutin","owner_id":"{varaSec}","due_on":"{due}"}`, status: 422,
			contains: []string{`"field": "owner_id"`, "Personen finns inte i organisationen."}, unchanged: true},
		{name: "a measure without a due day", method: "POST", url: "/api/v1/incidents/{inc}/measures", as: "sec",
			body: `{"text":"Rutin","owner_id":"{sec}","due_on":"snart"}`, status: 422, contains: []string{"ÅÅÅÅ-MM-DD"}, unchanged: true},
		{name: "an unknown field", method: "POST", url: "/api/v1/incidents", as: "emp", body: report(`,"discovered_at":"{now}","number":"INC 1"`),
			status: 422, contains: []string{"Okänt fält: number."}, unchanged: true},
	})
}

// TestIncidentJourneyAPI drives a personal-data incident from report to
// close through the API, with the clocks' deadlines in the organisation's
// time zone and the close refused while a measure is open.
func TestIncidentJourneyAPI(t *testing.T) {
	t.Parallel()
	e := incidentEnv(t)
	reportPersonalData(t, e)
	triageSecret(t, e)

	var inc incidentSeen
	e.doJSON(t, "GET", "/api/v1/incidents/{inc}", "sec", "", &inc)
	local := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+0[12]:00$`)
	if !local.MatchString(inc.DiscoveredAt) {
		t.Errorf("discovered_at %q is not in Stockholm's time zone", inc.DiscoveredAt)
	}
	if len(inc.Clocks) == 0 {
		t.Fatal("a personal-data incident has no clocks")
	}
	for _, c := range inc.Clocks {
		if !local.MatchString(c.DueAt) {
			t.Errorf("clock %s: due_at %q is not RFC 3339 in Stockholm's time zone", c.Duty, c.DueAt)
		}
	}
	if !strings.HasPrefix(inc.Number, "INC ") {
		t.Errorf("number %q", inc.Number)
	}

	e.doJSON(t, "POST", "/api/v1/incidents/{inc}/risk-assessments", "dpo", `{"data_categories":["ordinary","secrecy"],
		"data_subjects":"Elever","subject_count":12,"record_count":12,"consequences":["breach_of_secrecy"],"risk_level":"risk",
		"reasoning":"Betyg är sekretessbelagda."}`, nil)
	e.doJSON(t, "POST", "/api/v1/incidents/{inc}/risk-assessments", "dpo", `{"data_categories":["ordinary"],
		"data_subjects":"Elever","subject_count":12,"record_count":12,"consequences":["breach_of_secrecy"],"risk_level":"risk",
		"reasoning":"Reviderad: mejlet är raderat."}`, nil)
	var versions struct {
		Items []struct {
			Version int `json:"version"`
		} `json:"items"`
	}
	e.doJSON(t, "GET", "/api/v1/incidents/{inc}/risk-assessments", "dpo", "", &versions)
	if len(versions.Items) != 2 {
		t.Errorf("risk assessment versions = %+v, want two", versions.Items)
	}

	e.doJSON(t, "PUT", "/api/v1/incidents/{inc}/imy-notification", "dpo", `{"controller":"Bjurholms kommun","org_number":"212000-2551",
		"contact":"Dataskyddsombudet","discovered_at":"{now}","category":"confidentiality","data_subjects":"Elever","subject_count":12,
		"data_kinds":"Betyg","consequences":"Röjd sekretess","measures":"Raderat","subjects_informed":"Nej","secret_parts":["data_subjects"],
		"filed_at":"{now}","imy_reference":"IMY-2026-4711"}`, nil)
	var n struct {
		FiledAt     string `json:"filed_at"`
		Supplements []struct {
			Text string `json:"text"`
		} `json:"supplements"`
	}
	e.doJSON(t, "POST", "/api/v1/incidents/{inc}/imy-notification/supplements", "dpo", `{"text":"Tolv elever, inte fjorton."}`, &n)
	if len(n.Supplements) != 1 || !local.MatchString(n.FiledAt) {
		t.Errorf("notification after a supplement: %+v", n)
	}
	status, pdf := e.do(t, "GET", "/api/v1/incidents/{inc}/imy-notification/pdf", "dpo", "")
	if status != 200 || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("IMY PDF: status %d, %.20q", status, pdf)
	}

	e.doJSON(t, "GET", "/api/v1/incidents/{inc}", "sec", "", &inc)
	for _, c := range inc.Clocks {
		if c.Done != "" {
			continue
		}
		body := `{"duty":"` + c.Duty + `","reference":"IMY-2026-4711"}`
		if c.Duty == distans.DutyDataSubjects {
			body = `{"duty":"` + c.Duty + `","not_required":true,"note":"Låg risk för de registrerade (art. 34.1)."}`
		}
		e.doJSON(t, "POST", "/api/v1/incidents/{inc}/duties", "sec", body, nil)
	}
	e.doJSON(t, "POST", "/api/v1/incidents/{inc}/measures", "sec", `{"text":"Påminn om kontroll av mottagare","owner_id":"{sec}","due_on":"{due}"}`, &inc)
	if len(inc.Measures) != 1 || inc.Measures[0].DueOn != e.ids["due"] {
		t.Fatalf("measures = %+v", inc.Measures)
	}
	e.ids["measure"] = inc.Measures[0].ID
	e.ids["version"] = strconv.Itoa(inc.Version)
	step(t, e, scenario{name: "closing with an open measure", method: "POST", url: "/api/v1/incidents/{inc}/close", as: "sec",
		body: `{"version":{version}}`, status: 422, contains: []string{`"field": "measures"`, "Incidenten kan inte avslutas"}, unchanged: true})
	e.doJSON(t, "POST", "/api/v1/incidents/{inc}/measures/{measure}/complete", "sec", "", &inc)
	e.ids["version"] = strconv.Itoa(inc.Version)
	e.doJSON(t, "POST", "/api/v1/incidents/{inc}/close", "sec", `{"version":{version}}`, &inc)
	if inc.State != string(distans.IncidentClosed) {
		t.Errorf("state after close = %q", inc.State)
	}

	// The queue pages by keyset: the cursor of one page starts the next,
	// which holds none of the first.
	var first, second struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		NextAfter string `json:"next_after"`
	}
	e.doJSON(t, "GET", "/api/v1/incidents?limit=1", "sec", "", &first)
	if len(first.Items) != 1 || first.NextAfter == "" {
		t.Fatalf("first page of one: %+v", first)
	}
	e.doJSON(t, "GET", "/api/v1/incidents?limit=200&after="+url.QueryEscape(first.NextAfter), "sec", "", &second)
	for _, it := range second.Items {
		if it.ID == first.Items[0].ID {
			t.Errorf("the next page repeats %s", it.ID)
		}
	}
	if len(second.Items) == 0 {
		t.Error("the next page is empty: the demo and this test have more than one incident")
	}
	step(t, e, scenario{name: "a cursor that is not one", method: "GET", url: "/api/v1/incidents?after=xyz", as: "sec", status: 422,
		contains: []string{"Ogiltig sidmarkör."}, unchanged: true})

	var timeline struct {
		Items []json.RawMessage `json:"items"`
	}
	e.doJSON(t, "GET", "/api/v1/incidents/{inc}/timeline", "sec", "", &timeline)
	if len(timeline.Items) < 5 {
		t.Errorf("timeline has %d events, want every step", len(timeline.Items))
	}
}
