package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
)

// agreementEnv is Distans as cmd/distans wires it (internal/app), with the
// demo organisations loaded, behind a real HTTP server. Its ids hold the
// Bjurholm organisation as orgA and Vara as orgB (so that the audit check of
// the scenarios covers both), and "today", "start", "end" and "toolong" as
// days in Stockholm; its tokens are API tokens of Bjurholm's demo accounts
// by role (emp, chef, hr, vaxel, admin) and of Vara's chef (varaChef).
func agreementEnv(t *testing.T) *env {
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
	if a.Services.Agreements == nil || a.Services.Notifications == nil {
		t.Fatal("internal/app wires no agreement or notification service")
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	e := &env{store: a.Store, srv: srv, ids: map[string]string{}, tokens: map[string]string{}}

	token := func(slug string, role distans.Role) (string, string) {
		t.Helper()
		o, err := a.Store.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), slug)
		must(t, err)
		accs, err := a.Store.FindAccounts(distans.NewContext(ctx, distans.SystemActor("")), demo.AccountEmail(slug, role))
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
	for name, role := range map[string]distans.Role{"emp": distans.RoleEmployee, "chef": distans.RoleManager, "hr": distans.RoleHR,
		"vaxel": distans.RoleSwitchboard, "admin": distans.RoleAdmin} {
		e.tokens[name], e.ids[name] = token("bjurholm", role)
	}
	e.tokens["varaChef"], e.ids["varaChef"] = token("vara", distans.RoleManager)
	e.tokens["sthlmEmp"], e.ids["sthlmEmp"] = token("stockholm", distans.RoleEmployee)
	e.tokens["sthlmChef"], e.ids["sthlmChef"] = token("stockholm", distans.RoleManager)
	for key, slug := range map[string]string{"orgA": "bjurholm", "orgB": "vara"} {
		o, err := a.Store.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), slug)
		must(t, err)
		e.ids[key] = o.ID
	}

	loc, _ := time.LoadLocation("Europe/Stockholm")
	today := distans.DateOf(time.Now().In(loc))
	e.ids["today"] = today.Format(time.DateOnly)
	e.ids["start"] = today.AddDate(0, 0, 1).Format(time.DateOnly)
	e.ids["end"] = today.AddDate(0, 0, 180).Format(time.DateOnly)
	e.ids["toolong"] = today.AddDate(0, 0, 1+400).Format(time.DateOnly)
	return e
}

// agreementSeen is what the tests read of an agreement.
type agreementSeen struct {
	ID        string `json:"id"`
	Number    string `json:"number"`
	State     string `json:"state"`
	Version   int    `json:"version"`
	TermsHash string `json:"terms_hash"`
	Terms     *struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"terms"`
	Findings []struct {
		RuleID   string `json:"rule_id"`
		Severity string `json:"severity"`
	} `json:"findings"`
}

// step runs sc on e, fails the test at once when it fails, and remembers
// the agreement's id, version and terms_hash from a 2xx answer.
func step(t *testing.T, e *env, sc scenario) []byte {
	t.Helper()
	var body []byte
	check := sc.check
	sc.check = func(t *testing.T, e *env, b []byte) {
		body = b
		if check != nil {
			check(t, e, b)
		}
	}
	ok := t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
	if !ok {
		t.FailNow()
	}
	var ag agreementSeen
	if sc.status/100 == 2 && json.Unmarshal(body, &ag) == nil && ag.ID != "" && ag.Version > 0 {
		if e.ids["agreement"] == "" || e.ids["agreement"] == ag.ID {
			e.ids["agreement"] = ag.ID
			e.ids["version"] = strconv.Itoa(ag.Version)
			e.ids["stale"] = strconv.Itoa(ag.Version - 1)
			e.ids["hash"] = ag.TermsHash
			e.ids["number"] = ag.Number
		}
	}
	return body
}

// completeTerms are terms with every part Bjurholm 002 §11 asks for;
// {comments} is replaced with the comments on the pack's warnings.
const completeTerms = `"start":"{start}","end":"{end}","weekdays_remote":["tue","thu"],"share_remote":40,
	"remote_place":"Hemvägen 3, 916 31 Bjurholm","main_workplace":"Kommunhuset","tax_workplace":"main",
	"tasks":"Handläggning av ärenden","secrecy_tasks":false,"working_hours":"08.00–16.30 enligt flextidsavtal",
	"availability":["phone","email","teams"],"return_minutes":60,"client_meetings_at_remote":false,
	"physical_meetings":"Inga fysiska möten på distansarbetsplatsen.","equipment":["computer","phone","headset"],"conditions":"Arbetsmiljöansvaret gäller som på arbetsplatsen.",
	"evaluation":"Uppföljning efter tre månader.","comments":{comments}`

// TestAgreementJourney drives one case through the whole journey as
// Bjurholm's demo accounts, with the errors each step may meet.
func TestAgreementJourney(t *testing.T) {
	t.Parallel()
	e := agreementEnv(t)

	// Nobody but the employee has a case yet; the demo may hold older ones.
	var mine struct {
		Items []agreementSeen `json:"items"`
	}
	e.doJSON(t, "GET", "/api/v1/agreements?person_id={emp}&state=requested,assessed&state=awaiting_signature", "emp", "", &mine)
	if len(mine.Items) > 0 {
		t.Fatalf("the demo employee already has an open case: %+v", mine.Items)
	}

	request := `{"days_per_week":2,"place":"Hemvägen 3, 916 31 Bjurholm","start":"{start}","end":"{end}",
		"tasks":"Handläggning av ärenden","reasons":"Lång pendling"}`
	for _, sc := range []scenario{
		{name: "period past Bjurholm's maximum", method: "POST", url: "/api/v1/agreements", as: "emp",
			body:   strings.Replace(request, "{end}", "{toolong}", 1),
			status: 422, contains: []string{`"field": "end"`, "Bjurholm", "11"}, unchanged: true},
		{name: "not a date", method: "POST", url: "/api/v1/agreements", as: "emp", body: strings.Replace(request, "{start}", "i morgon", 1),
			status: 422, contains: []string{`"field": "start"`, "ÅÅÅÅ-MM-DD", "YYYY-MM-DD"}, unchanged: true},
		{name: "an RFC 3339 time is not a day", method: "POST", url: "/api/v1/agreements", as: "emp",
			body:   strings.Replace(request, "{start}", "{start}T00:00:00Z", 1),
			status: 422, contains: []string{`"field": "start"`}, unchanged: true},
		{name: "unknown field", method: "POST", url: "/api/v1/agreements", as: "emp", body: strings.Replace(request, `"days_per_week"`, `"person_id":"{chef}","days_per_week"`, 1),
			status: 422, contains: []string{"person_id"}, unchanged: true},
		{name: "bad JSON", method: "POST", url: "/api/v1/agreements", as: "emp", body: `{"start":`, status: 422, unchanged: true},
		{name: "no token", method: "POST", url: "/api/v1/agreements", body: request, status: 401, unchanged: true},
		{name: "the employee asks", method: "POST", url: "/api/v1/agreements", as: "emp", body: request, status: 201,
			contains: []string{`"state": "requested"`, `"start": "{start}"`, `"end": "{end}"`, `"place_set": true`},
			excludes: []string{"Hemvägen"}},
	} {
		step(t, e, sc)
	}

	// The manager is told; the notification is theirs alone.
	var notes struct {
		Items []struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
			Link string `json:"link"`
		} `json:"items"`
	}
	e.doJSON(t, "GET", "/api/v1/notifications?unread=true", "chef", "", &notes)
	var waiting string
	for _, n := range notes.Items {
		if n.Kind == string(distans.NotifyRequestWaiting) && strings.Contains(n.Link, e.ids["agreement"]) {
			waiting = n.ID
		}
	}
	if waiting == "" {
		t.Fatalf("the manager has no request_waiting notification: %+v", notes.Items)
	}
	e.ids["note"] = waiting

	for _, sc := range []scenario{
		{name: "manager's unread count", method: "GET", url: "/api/v1/notifications/unread-count", as: "chef", status: 200,
			check: func(t *testing.T, _ *env, b []byte) {
				var c struct{ Count int }
				if json.Unmarshal(b, &c) != nil || c.Count < 1 {
					t.Errorf("unread count: %s", b)
				}
			}},
		{name: "someone else's notification", method: "POST", url: "/api/v1/notifications/{note}/read", as: "emp", status: 404},
		{name: "another organisation's notification", method: "POST", url: "/api/v1/notifications/{note}/read", as: "varaChef", status: 404},
		{name: "manager reads it", method: "POST", url: "/api/v1/notifications/{note}/read", as: "chef", status: 204},
		{name: "read-all", method: "POST", url: "/api/v1/notifications/read-all", as: "chef", status: 204},
		{name: "nothing unread", method: "GET", url: "/api/v1/notifications/unread-count", as: "chef", status: 200,
			contains: []string{`"count": 0`}},
		{name: "notifications need a token", method: "GET", url: "/api/v1/notifications", status: 401},

		{name: "the employee reads the case", method: "GET", url: "/api/v1/agreements/{agreement}", as: "emp", status: 200,
			contains: []string{`"version": {version}`}, excludes: []string{"Hemvägen"}, unchanged: true},
		{name: "a second open case", method: "POST", url: "/api/v1/agreements", as: "emp", body: request, status: 409, unchanged: true},
		{name: "the switchboard does not find it", method: "GET", url: "/api/v1/agreements/{agreement}", as: "vaxel", status: 404, unchanged: true},
		{name: "nor another organisation", method: "GET", url: "/api/v1/agreements/{agreement}", as: "varaChef", status: 404,
			excludes: []string{"{number}"}, unchanged: true},
		{name: "nor its place", method: "GET", url: "/api/v1/agreements/{agreement}/place", as: "varaChef", status: 404, unchanged: true},
		{name: "the manager's queue", method: "GET", url: "/api/v1/agreements?queue=true", as: "chef", status: 200,
			contains: []string{"{agreement}"}, unchanged: true},
		{name: "a bad state", method: "GET", url: "/api/v1/agreements?state=maybe", as: "chef", status: 422, contains: []string{`"field": "state"`}, unchanged: true},
		{name: "a bad day", method: "GET", url: "/api/v1/agreements?expiring_by=31/12", as: "chef", status: 422, contains: []string{"expiring_by"}, unchanged: true},
		{name: "the employee changes the request", method: "PUT", url: "/api/v1/agreements/{agreement}/request", as: "emp",
			body:   strings.Replace(request, `"reasons"`, `"version":{version},"reasons"`, 1),
			status: 200, contains: []string{`"state": "requested"`}},

		{name: "assessment without a version", method: "PUT", url: "/api/v1/agreements/{agreement}/assessment", as: "chef",
			body:   `{"operation":"a","individual":"b","extent":"c","availability":"d","meetings":"e","common_days":"f"}`,
			status: 422, contains: []string{`"field": "version"`, "version"}, unchanged: true},
		{name: "assessment on a stale version", method: "PUT", url: "/api/v1/agreements/{agreement}/assessment", as: "chef",
			body:   `{"operation":"a","individual":"b","extent":"c","availability":"d","meetings":"e","common_days":"f","version":{stale}}`,
			status: 409, contains: []string{`"code": "conflict"`}, unchanged: true},
		{name: "the employee cannot assess", method: "PUT", url: "/api/v1/agreements/{agreement}/assessment", as: "emp",
			body:   `{"operation":"a","individual":"b","extent":"c","availability":"d","meetings":"e","common_days":"f","version":{version}}`,
			status: 403, unchanged: true},
		{name: "the manager assesses", method: "PUT", url: "/api/v1/agreements/{agreement}/assessment", as: "chef",
			body: `{"operation":"Ingen påverkan på kollegorna.","individual":"Van vid digitala verktyg.","extent":"Två dagar i veckan.",
				"availability":"Telefon och Teams.","meetings":"Arbetsplatsträffar på plats.","common_days":"Måndagar","version":{version}}`,
			status: 200, contains: []string{`"state": "assessed"`}},
		{name: "the employee answers the risk questions", method: "PUT", url: "/api/v1/agreements/{agreement}/risk", as: "emp",
			body: `{"answers":{"ergonomics":{"ok":true},"light":{"ok":true},"outlet":{"ok":true},"privacy":{"ok":true},
				"network":{"ok":true},"recovery":{"ok":true}},"version":{version}}`,
			status: 200},
		{name: "the manager reviews them", method: "POST", url: "/api/v1/agreements/{agreement}/risk/review", as: "chef",
			body: `{"outcome":"acceptable","measures":"","version":{version}}`, status: 200, contains: []string{`"outcome": "acceptable"`}},
		{name: "HR reads", method: "GET", url: "/api/v1/agreements/{agreement}", as: "hr", status: 200, unchanged: true},
		{name: "HR cannot decide", method: "POST", url: "/api/v1/agreements/{agreement}/decision", as: "hr",
			body: `{"approve":true,"reasons":"Verksamheten tillåter det.","version":{version}}`, status: 403, unchanged: true},
		{name: "a decision needs approve", method: "POST", url: "/api/v1/agreements/{agreement}/decision", as: "chef",
			body: `{"reasons":"Verksamheten tillåter det.","version":{version}}`, status: 422, contains: []string{`"field": "approve"`}, unchanged: true},
		{name: "the manager approves", method: "POST", url: "/api/v1/agreements/{agreement}/decision", as: "chef",
			body:   `{"approve":true,"reasons":"Verksamheten tillåter det.","version":{version}}`,
			status: 200, contains: []string{`"state": "awaiting_signature"`, `"terms": {`, `"terms_hash": "`}, excludes: []string{"Hemvägen"}},
	} {
		step(t, e, sc)
	}

	// The terms: the pack's warnings are answered with comments.
	var report struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Severity string `json:"severity"`
		} `json:"findings"`
		Blocking bool `json:"blocking"`
	}
	e.doJSON(t, "POST", "/api/v1/agreements/check", "chef", "{"+strings.Replace(completeTerms, "{comments}", "{}", 1)+"}", &report)
	comments := map[string]string{}
	for _, f := range report.Findings {
		switch f.Severity {
		case "block":
			t.Fatalf("complete terms have a blocking finding: %+v", report)
		case "warn":
			comments[f.RuleID] = "Vi har gått igenom detta."
		}
	}
	cj, _ := json.Marshal(comments)
	terms := "{" + strings.Replace(completeTerms, "{comments}", string(cj), 1)

	for _, sc := range []scenario{
		{name: "terms with a bad day", method: "PUT", url: "/api/v1/agreements/{agreement}/terms", as: "chef",
			body: strings.Replace(terms, `"start":"{start}"`, `"start":"2026-02-30"`, 1) + `,"version":{version}}`, status: 422,
			contains: []string{`"field": "start"`}, unchanged: true},
		{name: "terms past the maximum", method: "POST", url: "/api/v1/agreements/check", as: "chef",
			body: strings.Replace(terms, `"end":"{end}"`, `"end":"{toolong}"`, 1) + `}`, status: 200,
			contains: []string{`"blocking": true`}, unchanged: true},
		{name: "the manager saves the terms", method: "PUT", url: "/api/v1/agreements/{agreement}/terms", as: "chef",
			body: terms + `,"version":{version}}`, status: 200, contains: []string{`"start": "{start}"`, `"end": "{end}"`, `"share_remote": 40`},
			excludes: []string{"Hemvägen"}},
		{name: "the employee cannot sign as the manager", method: "POST", url: "/api/v1/agreements/{agreement}/signatures", as: "emp",
			body: `{"role":"manager","hash":"{hash}","password":"` + demo.Password + `","version":{version}}`, status: 403, unchanged: true},
		{name: "the manager cannot sign as the employee", method: "POST", url: "/api/v1/agreements/{agreement}/signatures", as: "chef",
			body: `{"role":"employee","hash":"{hash}","password":"` + demo.Password + `","version":{version}}`, status: 403, unchanged: true},
		{name: "a wrong password", method: "POST", url: "/api/v1/agreements/{agreement}/signatures", as: "emp",
			body: `{"role":"employee","hash":"{hash}","password":"fel-lösenord","version":{version}}`, status: 422,
			contains: []string{`"field": "password"`}},
		{name: "a signature without a version", method: "POST", url: "/api/v1/agreements/{agreement}/signatures", as: "emp",
			body: `{"role":"employee","hash":"{hash}","password":"` + demo.Password + `"}`, status: 422, contains: []string{`"field": "version"`}, unchanged: true},
		{name: "the employee signs", method: "POST", url: "/api/v1/agreements/{agreement}/signatures", as: "emp",
			body: `{"role":"employee","hash":"{hash}","password":"` + demo.Password + `","version":{version}}`, status: 200,
			contains: []string{`"role": "employee"`, `"state": "awaiting_signature"`}},
		{name: "the manager signs", method: "POST", url: "/api/v1/agreements/{agreement}/signatures", as: "chef",
			body: `{"role":"manager","hash":"{hash}","password":"` + demo.Password + `","version":{version}}`, status: 200,
			contains: []string{`"state": "active"`, `"next_follow_up_on": "`}},
		{name: "the employee reveals the place", method: "GET", url: "/api/v1/agreements/{agreement}/place", as: "emp", status: 200,
			contains: []string{`"request_place": "Hemvägen 3, 916 31 Bjurholm"`, `"terms_place": "Hemvägen 3, 916 31 Bjurholm"`}},
		{name: "the read is audited", method: "GET", url: "/api/v1/audit-events?action=" + distans.AgreementAuditPlaceRead + "&record_id={agreement}",
			as: "admin", status: 200, contains: []string{distans.AgreementAuditPlaceRead}, excludes: []string{"Hemvägen"}},
		{name: "the switchboard gets no PDF", method: "GET", url: "/api/v1/agreements/{agreement}/pdf", as: "vaxel", status: 404},
		{name: "a follow-up without a version", method: "POST", url: "/api/v1/agreements/{agreement}/follow-ups", as: "chef",
			body:   `{"date":"{today}","goals":"Uppnådda","quality":"God","availability":"God","work_situation":"Bra","digital_env":"Fungerar","spill_over":"Ingen","measures":""}`,
			status: 422, contains: []string{`"field": "version"`}, unchanged: true},
		{name: "the manager follows up", method: "POST", url: "/api/v1/agreements/{agreement}/follow-ups", as: "chef",
			body: `{"date":"{today}","goals":"Uppnådda","quality":"God","availability":"God","work_situation":"Bra","digital_env":"Fungerar",
				"spill_over":"Ingen","measures":"","version":{version}}`,
			status: 200, contains: []string{`"state": "active"`, `"next_follow_up_on": "`}},
		{name: "the follow-up is on the case", method: "GET", url: "/api/v1/agreements/{agreement}", as: "chef", status: 200,
			contains: []string{`"follow_ups": [`, `"date": "{today}"`}, unchanged: true},
		{name: "ending on a stale version", method: "POST", url: "/api/v1/agreements/{agreement}/end", as: "emp",
			body: `{"reason":"employee","note":"","version":{stale}}`, status: 409, unchanged: true},
		{name: "the employee ends it", method: "POST", url: "/api/v1/agreements/{agreement}/end", as: "emp",
			body: `{"reason":"employee","note":"Jag vill arbeta på plats igen.","on":"{start}","version":{version}}`, status: 200,
			contains: []string{`"ended_on": "{start}"`, `"end_reason": "employee"`}},
	} {
		step(t, e, sc)
		if sc.name == "the manager signs" {
			checkPDF(t, e)
		}
	}

	// What the API writes has the properties openapi.json names.
	_, b := e.do(t, "GET", "/api/v1/agreements/{agreement}", "chef", "")
	checkAgainstSchema(t, e, "Agreement", b)
	_, b = e.do(t, "GET", "/api/v1/notifications", "chef", "")
	var list struct{ Items []json.RawMessage }
	must(t, json.Unmarshal(b, &list))
	for _, n := range list.Items {
		checkAgainstSchema(t, e, "Notification", n)
	}
}

// checkPDF downloads the active agreement as the employee.
func checkPDF(t *testing.T, e *env) {
	t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+e.expand("/api/v1/agreements/{agreement}/pdf"), nil)
	must(t, err)
	req.Header.Set("Authorization", "Bearer "+e.tokens["emp"])
	res, err := e.srv.Client().Do(req)
	must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	want := `attachment; filename="` + strings.NewReplacer(" ", "-", "/", "-").Replace(e.ids["number"]) + `.pdf"`
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(b), "%PDF-") ||
		res.Header.Get("Content-Disposition") != want {
		t.Errorf("PDF: %d %s %q (want %q) %.40q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), want, b)
	}
}

// checkAgainstSchema fails when b, an object the API wrote, has a property
// that the named schema of openapi.json lacks.
func checkAgainstSchema(t *testing.T, e *env, name string, b []byte) {
	t.Helper()
	_, doc := e.do(t, "GET", "/api/v1/openapi.json", "", "")
	var d struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	must(t, json.Unmarshal(doc, &d))
	var got map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%s: %v: %s", name, err, b)
	}
	s := d.Components.Schemas[name]
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := s.Properties[k]; !ok {
			t.Errorf("%s: the API writes %q, the schema lacks it", name, k)
		}
	}
}

// TestAgreementsNotWired: without the services the routes answer 404 as
// JSON, and the rest of the API is unaffected.
func TestAgreementsNotWired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, url := range []string{"/api/v1/agreements", "/api/v1/notifications", "/api/v1/notifications/unread-count"} {
		status, b := e.do(t, "GET", url, "empX1", "")
		if status != 404 || !json.Valid(b) {
			t.Errorf("GET %s: %d %s", url, status, b)
		}
	}
	status, b := e.do(t, "POST", "/api/v1/agreements/x/withdraw", "empX1", `{"version":1}`)
	if status != 404 {
		t.Errorf("withdraw: %d %s", status, b)
	}
	if status, _ := e.do(t, "GET", "/api/v1/me", "empX1", ""); status != 200 {
		t.Errorf("me: %d", status)
	}
}

// TestAgreementRequestFindings: the request states what Stockholm's pack
// needs (the travel time back, the days, secrecy), and GET shows the
// manager the pack's findings on it, with their clauses, before deciding;
// rules about the terms say nothing yet.
func TestAgreementRequestFindings(t *testing.T) {
	t.Parallel()
	e := agreementEnv(t)
	body := step(t, e, scenario{name: "the employee asks", method: "POST", url: "/api/v1/agreements", as: "sthlmEmp",
		body: `{"weekdays":["mon","tue","wed","thu"],"place":"Hemgatan 1, Stockholm","start":"{start}","end":"{end}",
			"tasks":"Utredningar","return_minutes":120,"secrecy_tasks":true}`,
		status: 201, contains: []string{`"return_minutes": 120`, `"secrecy_tasks": true`}})
	var created struct {
		ID string `json:"id"`
	}
	must(t, json.Unmarshal(body, &created))
	for _, as := range []string{"sthlmChef", "sthlmEmp"} {
		var got struct {
			RequestFindings []distans.AgreementFinding `json:"request_findings"`
		}
		e.doJSON(t, "GET", "/api/v1/agreements/"+created.ID, as, "", &got)
		ids := map[string]distans.AgreementFinding{}
		for _, f := range got.RequestFindings {
			ids[f.RuleID] = f
		}
		for _, want := range []string{"stockholm-return-time", "stockholm-main-share", "stockholm-secrecy-tasks"} {
			f, ok := ids[want]
			if !ok {
				t.Errorf("%s: no %s in %+v", as, want, got.RequestFindings)
				continue
			}
			if f.Document == "" || f.Section == "" || f.MessageSv == "" {
				t.Errorf("%s: %s has no clause: %+v", as, want, f)
			}
		}
		for _, terms := range []string{"stockholm-main-workplace", "stockholm-home-equipment", "stockholm-availability"} {
			if _, ok := ids[terms]; ok {
				t.Errorf("%s: the request is held to a rule on the terms: %s", as, terms)
			}
		}
	}
	step(t, e, scenario{name: "a travel time past a day", method: "PUT", url: "/api/v1/agreements/" + created.ID + "/request",
		as: "sthlmEmp", body: `{"weekdays":["mon"],"start":"{start}","end":"{end}","tasks":"X","return_minutes":5000,"version":1}`,
		status: 422, contains: []string{`"field": "return_minutes"`}, unchanged: true})
}
