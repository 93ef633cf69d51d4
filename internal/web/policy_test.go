package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// seedPolicy gives an organisation what the demo gives it: its seed pack
// as version 1 and its seed document published as a required document.
// It changes nothing when they are there already.
func (e *env) seedPolicy(slug string) {
	e.t.Helper()
	ctx := e.system(slug)
	svc := policy.NewService(e.store, e.store)
	_, v, err := svc.Active(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	if v.Version == 0 {
		src, err := policy.SeedYAML(slug)
		if err != nil {
			e.t.Fatal(err)
		}
		if _, err := svc.Save(ctx, 0, src, "Regelverket från dokumentet."); err != nil {
			e.t.Fatalf("save the seed pack of %s: %v", slug, err)
		}
	}
	docs, err := e.store.ListDocuments(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(docs) > 0 {
		return
	}
	pack, err := policy.Seed(slug)
	if err != nil {
		e.t.Fatal(err)
	}
	body, err := policy.SeedDocument(pack.Document)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.PublishDocument(ctx, &distans.PolicyDocument{Title: pack.Title, Body: string(body), Required: true}); err != nil {
		e.t.Fatalf("publish the seed document of %s: %v", slug, err)
	}
}

// activeVersion is the number of the organisation's active pack version.
func (e *env) activeVersion(slug string) int {
	e.t.Helper()
	v, err := e.store.ActivePolicyVersion(e.system(slug))
	if err != nil {
		e.t.Fatal(err)
	}
	return v.Version
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestPolicyPage shows every demo organisation its own pack: each rule
// with its clause quoted in a blockquote, and the parameters.
func TestPolicyPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, slug := range policy.SeedSlugs() {
		t.Run(slug, func(t *testing.T) {
			e.seedPolicy(slug)
			pack, err := policy.Seed(slug)
			if err != nil {
				t.Fatal(err)
			}
			c := e.as(slug, distans.RoleEmployee)
			p := c.get("/policy")
			wantStatus(t, p, http.StatusOK)
			mustContain(t, p, "Regelverk", pack.Title, pack.Organisation, "Versionshistorik", "Pröva en kontroll")
			if strings.Contains(p.body, `href="/policy/edit"`) {
				t.Error("an employee is offered to edit the pack")
			}
			if n := strings.Count(p.body, "<blockquote"); n != len(pack.Rules) {
				t.Errorf("%d clause quotes, want one per rule (%d)", n, len(pack.Rules))
			}
			for _, r := range pack.Rules {
				mustContain(t, p, r.ID, words(r.Source.Quote))
			}
			for _, x := range pack.Parameters {
				if x.Generic {
					continue
				}
				mustContain(t, p, words(x.Label.Sv))
			}
			// Another organisation's rules are not shown.
			for _, other := range policy.SeedSlugs() {
				if other != slug && strings.Contains(p.body, `id="rule-`+other+`-`) {
					t.Errorf("the page of %s shows a rule of %s", slug, other)
				}
			}
			hist := c.get("/policy/versions")
			wantStatus(t, hist, http.StatusOK)
			mustContain(t, hist, "Version 1", `href="/policy/versions/1"`)
			ver := c.get("/policy/versions/1")
			wantStatus(t, ver, http.StatusOK)
			mustContain(t, ver, "slug: "+slug, "Versionens text (YAML)")
		})
	}
}

// TestPolicyPageMessages fills the parameters into the rules' messages.
func TestPolicyPageMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedPolicy("bjurholm")
	p := e.as("bjurholm", distans.RoleEmployee).get("/policy")
	mustContain(t, p, "Överenskommelsen får gälla högst ett år i taget (12 månader)")
	if strings.Contains(text(p.body), "{max_agreement_months}") {
		t.Error("a placeholder is left in a message")
	}
	en := e.client()
	en.lang = "en"
	en.signIn(account("bjurholm", distans.RoleEmployee))
	mustContain(t, en.get("/policy"), "The agreement may run for at most one year at a time (12 months)")
}

var textareaRE = regexp.MustCompile(`(?s)<textarea id="f-input"[^>]*>\n?(.*?)</textarea>`)

// TestPolicyCheck tries inputs against Bjurholm's pack: the prefilled
// example passes, an agreement longer than a year is blocked citing §11,
// bad input gets messages in Swedish, and nothing is saved.
func TestPolicyCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedPolicy("bjurholm")
	before := e.activeVersion("bjurholm")
	c := e.as("bjurholm", distans.RoleEmployee)

	form := c.get("/policy/check")
	wantStatus(t, form, http.StatusOK)
	m := textareaRE.FindStringSubmatch(form.body)
	if m == nil {
		t.Fatalf("no input prefilled:\n%.1500s", text(form.body))
	}
	example := html.UnescapeString(m[1])
	var in map[string]any
	if err := json.Unmarshal([]byte(example), &in); err != nil {
		t.Fatalf("the example is not JSON: %v\n%s", err, example)
	}
	if in["remote_place"] == nil || in["start"] == nil {
		t.Fatalf("the example is not an agreement: %s", example)
	}

	ok := c.post("/policy/check", url.Values{"kind": {"agreement"}, "input": {example}})
	wantStatus(t, ok, http.StatusOK)
	mustContain(t, ok, "Resultat", "Kontrollerat mot version")
	if strings.Contains(text(ok.body), "Stoppas") {
		t.Errorf("the prefilled example is blocked:\n%.2000s", text(ok.body))
	}

	in["start"], in["end"] = "2025-01-01", "2026-06-30"
	long, _ := json.Marshal(in)
	p := c.post("/policy/check", url.Values{"kind": {"agreement"}, "input": {string(long)}})
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Stoppas", "bjurholm-11-max-length", "11. Skriftlig individuell överenskommelse",
		"Överenskommelsen ska gälla för maximalt ett år i taget", "Överenskommelsen får gälla högst ett år i taget (12 månader)")
	if !strings.Contains(p.body, "2026-06-30") {
		t.Error("the form did not keep the input")
	}

	bad := c.post("/policy/check", url.Values{"kind": {"agreement"}, "input": {`{"start": 5, "colour": "red"}`}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, "start: Fältet ska vara text")
	if !strings.Contains(bad.body, `id="f-input-error"`) || !strings.Contains(bad.body, `aria-invalid="true"`) {
		t.Error("the input is not marked invalid")
	}
	wantStatus(t, c.post("/policy/check", url.Values{"kind": {"agreement"}, "input": {"not json"}}), http.StatusUnprocessableEntity)
	wantStatus(t, c.post("/policy/check", url.Values{"kind": {"agreement"}, "input": {""}}), http.StatusUnprocessableEntity)
	wantStatus(t, c.post("/policy/check", url.Values{"kind": {"spaceship"}, "input": {"{}"}}), http.StatusUnprocessableEntity)

	// An incident shows the deadlines that follow.
	inc := c.post("/policy/check", url.Values{"kind": {"incident"}, "input": {`{"kind": "personal_data", "discovered_at": "2025-10-24T12:00:00+02:00"}`}})
	wantStatus(t, inc, http.StatusOK)
	mustContain(t, inc, "72 timmar", "2025-10-27 11:00", "fristen har gått ut")

	// Every kind's form opens with an input that parses.
	for _, k := range policy.Kinds() {
		f := c.get("/policy/check?kind=" + k.Name)
		wantStatus(t, f, http.StatusOK)
		m := textareaRE.FindStringSubmatch(f.body)
		if m == nil {
			t.Fatalf("%s: no input", k.Name)
		}
		r := c.post("/policy/check", url.Values{"kind": {k.Name}, "input": {html.UnescapeString(m[1])}})
		if r.status != http.StatusOK {
			t.Errorf("%s: the prefilled input is refused: %d\n%.800s", k.Name, r.status, text(r.body))
		}
	}
	if got := e.activeVersion("bjurholm"); got != before {
		t.Errorf("a check changed the pack: version %d, was %d", got, before)
	}
}

// TestPolicyParameters: HR changes a parameter and gets a new version; an
// employee may not; an invalid value or a missing reason changes nothing;
// a stale form is refused as a conflict.
func TestPolicyParameters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedPolicy("bjurholm")
	emp := e.as("bjurholm", distans.RoleEmployee)
	wantStatus(t, emp.get("/policy/parameters"), http.StatusForbidden)
	wantStatus(t, emp.post("/policy/parameters", url.Values{"base": {"1"}, "param.max_agreement_months": {"6"}, "reason": {"x"}}), http.StatusForbidden)
	if e.activeVersion("bjurholm") != 1 {
		t.Fatal("an employee changed the pack")
	}

	hr := e.as("bjurholm", distans.RoleHR)
	form := hr.get("/policy/parameters")
	wantStatus(t, form, http.StatusOK)
	mustContain(t, form, "Varför ändras regelverket?", `name="base" value="1"`, `name="param.max_agreement_months"`, `min="1"`, `max="120"`)
	values := func(days, reason string) url.Values {
		v := url.Values{"base": {"1"}, "reason": {reason}}
		v.Set("param.max_agreement_months", days)
		v.Set("param.tax_workplace_share_percent", "50")
		v.Set("param.follow_up_interval_days", "365")
		v.Set("param.status_history_days", "90")
		return v
	}
	for _, tt := range []struct{ days, reason, field, typed string }{
		{"0", "Nytt beslut", "param.max_agreement_months", "0"},
		{"ett år", "Nytt beslut", "param.max_agreement_months", "ett år"},
		{"6", "", "reason", ""},
	} {
		p := hr.post("/policy/parameters", values(tt.days, tt.reason))
		wantFieldError(t, p, tt.field, tt.typed)
		if e.activeVersion("bjurholm") != 1 {
			t.Fatalf("an invalid form (%q, %q) saved a version", tt.days, tt.reason)
		}
	}

	p := hr.post("/policy/parameters", values("6", "Kommunstyrelsen beslutade 2025-05-01 om kortare överenskommelser."))
	wantStatus(t, p, http.StatusSeeOther)
	page := hr.get(p.location)
	mustContain(t, page, "Regelverket är sparat som version 2.", "6 månader", "eget värde",
		"Överenskommelsen får gälla högst ett år i taget (6 månader)")
	if e.activeVersion("bjurholm") != 2 {
		t.Fatal("no new version")
	}
	hist := hr.get("/policy/versions")
	mustContain(t, hist, "Version 2", "Kommunstyrelsen beslutade 2025-05-01 om kortare överenskommelser.")

	// The same form again, on base 1, is stale.
	stale := hr.post("/policy/parameters", values("12", "Tillbaka till dokumentets värde"))
	wantStatus(t, stale, http.StatusConflict)
	mustContain(t, stale, "Någon annan har sparat en ny version", `value="12"`)
	if e.activeVersion("bjurholm") != 2 {
		t.Fatal("a stale form saved a version")
	}
}

// TestPolicyEdit: a broken CEL condition is refused naming the rule, the
// typed text is kept and the active version is unchanged; a good edit
// makes a new version.
func TestPolicyEdit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedPolicy("bjurholm")
	wantStatus(t, e.as("bjurholm", distans.RoleEmployee).get("/policy/edit"), http.StatusForbidden)
	hr := e.as("bjurholm", distans.RoleHR)
	form := hr.get("/policy/edit")
	wantStatus(t, form, http.StatusOK)
	src, err := policy.SeedYAML("bjurholm")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<textarea id="f-source"[^>]*>\n?(.*?)</textarea>`).FindStringSubmatch(form.body)
	if m == nil || html.UnescapeString(m[1]) != string(src) {
		t.Fatal("the editor does not hold the active version's text")
	}
	const cond = "condition: length_months > params.max_agreement_months"
	if !strings.Contains(string(src), cond) {
		t.Fatal("the seed pack has changed; update the test")
	}
	broken := strings.Replace(string(src), cond, "condition: length_months > params.max_agreement_monthz &&", 1)
	p := hr.post("/policy/edit", url.Values{"base": {"1"}, "source": {broken}, "reason": {"Prov"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "rules[bjurholm-11-max-length].condition", "har inte tagits i bruk", "max_agreement_monthz")
	if !strings.Contains(html.UnescapeString(p.body), "params.max_agreement_monthz &&") {
		t.Error("the editor lost what was typed")
	}
	if e.activeVersion("bjurholm") != 1 {
		t.Fatal("a broken pack replaced the active version")
	}
	// No reason: refused before parsing.
	wantFieldError(t, hr.post("/policy/edit", url.Values{"base": {"1"}, "source": {string(src)}, "reason": {""}}), "reason", "")

	fixed := strings.Replace(string(src), "Renew it after an evaluation instead.", "Renew it after an evaluation.", 1)
	p = hr.post("/policy/edit", url.Values{"base": {"1"}, "source": {fixed}, "reason": {"Kortare engelsk text"}})
	wantStatus(t, p, http.StatusSeeOther)
	if e.activeVersion("bjurholm") != 2 {
		t.Fatal("the edit made no new version")
	}
	stale := hr.post("/policy/edit", url.Values{"base": {"1"}, "source": {fixed}, "reason": {"Igen"}})
	wantStatus(t, stale, http.StatusConflict)
	mustContain(t, stale, "Någon annan har sparat en ny version")
	if e.activeVersion("bjurholm") != 2 {
		t.Fatal("a stale edit saved")
	}
	mustContain(t, hr.get("/policy/versions/2"), "Regelverk, version 2", "Kortare engelsk text")
	wantStatus(t, hr.get("/policy/versions/"+strconv.Itoa(3)), http.StatusNotFound)
}
