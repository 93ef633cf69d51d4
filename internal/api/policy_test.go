package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// newPolicyService is the one place the tests build the policy service.
func newPolicyService(store *sqlstore.Store) *policy.Service { return policy.NewService(store, store) }

// seedPack returns the seed pack of slug renamed for another organisation,
// so that a test organisation can run a real municipality's rules.
func seedPack(t *testing.T, slug, as, name string) []byte {
	t.Helper()
	src, err := policy.SeedYAML(slug)
	must(t, err)
	s := strings.Replace(string(src), "\nslug: "+slug+"\n", "\nslug: "+as+"\n", 1)
	if i := strings.Index(s, "\norganisation: "); i >= 0 {
		end := i + 1 + strings.Index(s[i+1:], "\n")
		s = s[:i] + "\norganisation: " + name + s[end:]
	}
	return []byte(s)
}

// withPack gives alfa Bjurholm's rules as version 1 of its pack; beta keeps
// none, so it runs on the generic rules alone (version 0).
func withPack(t *testing.T, e *env) {
	t.Helper()
	ctx := distans.NewContext(context.Background(), distans.SystemActor(e.ids["orgA"]))
	_, err := newPolicyService(e.store).Save(ctx, 0, seedPack(t, "bjurholm", "alfa", "Kommun A"), "Första versionen")
	must(t, err)
}

// validAgreement passes every Bjurholm rule (it is the pack's own example).
const validAgreement = `{"start":"2025-01-01","end":"2025-12-31","weekdays_remote":["tue","thu"],"share_remote":40,
"remote_place":"Bostaden, Storgatan, Bjurholm","main_workplace":"Kommunhuset, Bjurholm","tax_workplace":"main",
"tasks":"Utredningar och handläggning av bygglov","secrecy_tasks":false,"working_hours":"Enligt flextidsavtalet, kärntid 09.00–15.00",
"availability":["phone","email","teams"],"return_minutes":30,"client_meetings_at_remote":false,
"physical_meetings":"Inga fysiska möten på distansarbetsplatsen","equipment":["computer","headset"],
"conditions":"Eget arbetsrum med dörr; arbetsmiljön gicks igenom 2024-12-10","evaluation":"Vid det årliga resultat- och utvecklingssamtalet i november",
"risk_assessment":"acceptable"}`

// longAgreement is validAgreement over more than a year.
var longAgreement = strings.Replace(validAgreement, `"end":"2025-12-31"`, `"end":"2026-01-02"`, 1)

func checkBody(kind, input string) string {
	return `{"kind":"` + kind + `","input":` + strings.ReplaceAll(input, "\n", "") + `}`
}

// saveBody is a PUT /policy body with alfa's pack, changed by edit.
func saveBody(t *testing.T, base int, edit func(string) string, reason string) string {
	t.Helper()
	src := edit(string(seedPack(t, "bjurholm", "alfa", "Kommun A")))
	b, err := json.Marshal(map[string]any{"base_version": base, "source": src, "reason": reason})
	must(t, err)
	return string(b)
}

func same(s string) string { return s }

func TestPolicy(t *testing.T) {
	t.Parallel()
	retitled := func(s string) string {
		return strings.Replace(s, "\ntitle: Riktlinjer för distansarbete\n", "\ntitle: Reviderade riktlinjer\n", 1)
	}
	badCEL := func(s string) string {
		return strings.Replace(s, "condition: length_months > params.max_agreement_months", "condition: length_months > params.no_such_parameter", 1)
	}
	runScenarios(t, []scenario{
		{name: "active pack as employee", method: "GET", url: "/api/v1/policy", as: "empX1", status: 200,
			contains: []string{`"slug": "alfa"`, `"version": 1`, `"bjurholm-11-max-length"`, `"quote": "Överenskommelsen ska gälla för maximalt ett år i taget"`,
				`"max_agreement_months"`, `"created_by_name"`}, unchanged: true},
		{name: "active pack of an organisation without one", method: "GET", url: "/api/v1/policy", as: "empB", status: 200,
			contains: []string{`"version": 0`, `"generic": true`}, excludes: []string{"bjurholm-", "{orgA}"}, unchanged: true},
		{name: "versions", method: "GET", url: "/api/v1/policy/versions", as: "chefX", status: 200,
			contains: []string{`"version": 1`, `"reason": "Första versionen"`}, excludes: []string{`"source"`}, unchanged: true},
		{name: "versions of an organisation without one", method: "GET", url: "/api/v1/policy/versions", as: "hrB", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		{name: "one version with its text", method: "GET", url: "/api/v1/policy/versions/1", as: "empY", status: 200,
			contains: []string{`"source": "# Bjurholms kommun`, `"slug": "alfa"`}, unchanged: true},
		{name: "a version that does not exist", method: "GET", url: "/api/v1/policy/versions/7", as: "hrA", status: 404, unchanged: true},
		{name: "a version that is not a number", method: "GET", url: "/api/v1/policy/versions/ett", as: "hrA", status: 404, unchanged: true},
		{name: "another organisation's version", method: "GET", url: "/api/v1/policy/versions/1", as: "hrB", status: 404,
			excludes: []string{"Bjurholm"}, unchanged: true},
		{name: "without credentials", method: "GET", url: "/api/v1/policy", status: 401, unchanged: true},

		{name: "save as HR", method: "PUT", url: "/api/v1/policy", as: "hrA", body: saveBody(t, 1, retitled, "Ny rubrik"), status: 200,
			contains: []string{`"version": 2`, `"title": "Reviderade riktlinjer"`, `"reason": "Ny rubrik"`, `"created_by": "{hrA}"`, `"source": "# Bjurholms kommun`}},
		{name: "save as administrator", method: "PUT", url: "/api/v1/policy", as: "adminA", body: saveBody(t, 1, same, "Samma igen"), status: 200,
			contains: []string{`"version": 2`}},
		{name: "save as employee", method: "PUT", url: "/api/v1/policy", as: "empX1", body: saveBody(t, 1, retitled, "Längre"), status: 403, unchanged: true},
		{name: "save as manager", method: "PUT", url: "/api/v1/policy", as: "chefX", body: saveBody(t, 1, retitled, "Längre"), status: 403, unchanged: true},
		{name: "save as data protection officer", method: "PUT", url: "/api/v1/policy", as: "dpoA", body: saveBody(t, 1, retitled, "Längre"), status: 403, unchanged: true},
		{name: "save over a newer version", method: "PUT", url: "/api/v1/policy", as: "hrA", body: saveBody(t, 0, retitled, "Gammal"), status: 409,
			contains: []string{`"code": "conflict"`}, unchanged: true},
		{name: "save a rule that does not compile", method: "PUT", url: "/api/v1/policy", as: "hrA", body: saveBody(t, 1, badCEL, "Fel"), status: 422,
			contains: []string{`"field": "rules[bjurholm-11-max-length].condition"`, `"message_sv": "`}, unchanged: true},
		{name: "save text that is not YAML", method: "PUT", url: "/api/v1/policy", as: "hrA",
			body: `{"base_version":1,"source":"slug: [","reason":"Trasig"}`, status: 422, contains: []string{`"code": "invalid"`}, unchanged: true},
		{name: "save without a base version", method: "PUT", url: "/api/v1/policy", as: "hrA",
			body: `{"source":"slug: alfa","reason":"Utan bas"}`, status: 422, contains: []string{`"field": "base_version"`}, unchanged: true},
		{name: "save without a reason", method: "PUT", url: "/api/v1/policy", as: "hrA", body: saveBody(t, 1, retitled, ""), status: 422,
			contains: []string{`"field": "reason"`, "Fältet måste fyllas i."}, unchanged: true},
		{name: "save without a text", method: "PUT", url: "/api/v1/policy", as: "hrA",
			body: `{"base_version":1,"source":" ","reason":"Tomt"}`, status: 422, contains: []string{`"field": "source"`}, unchanged: true},
		{name: "save alfa's pack in the other organisation", method: "PUT", url: "/api/v1/policy", as: "hrB", body: saveBody(t, 0, same, "Första"), status: 422,
			contains: []string{`"field": "slug"`}, unchanged: true},
		{name: "save in the other organisation", method: "PUT", url: "/api/v1/policy", as: "hrB", status: 200,
			body:     saveBody(t, 0, func(s string) string { return strings.Replace(s, "\nslug: alfa\n", "\nslug: beta\n", 1) }, "Första"),
			contains: []string{`"version": 1`, `"organisation_id": "{orgB}"`, `"slug": "beta"`}, excludes: []string{"{orgA}"},
			check: func(t *testing.T, e *env, _ []byte) {
				// alfa's pack is still its own version 1.
				_, b := e.do(t, "GET", "/api/v1/policy/versions", "hrA", "")
				if strings.Contains(string(b), `"version": 2`) || strings.Contains(string(b), e.ids["orgB"]) {
					t.Errorf("beta's save shows in alfa: %s", b)
				}
			}},

		{name: "set a parameter", method: "PATCH", url: "/api/v1/policy/parameters", as: "hrA",
			body: `{"base_version":1,"values":{"max_agreement_months":"6"},"reason":"Kortare"}`, status: 200,
			contains: []string{`"version": 2`, `"value": 6`, `    value: 6\n`},
			check: func(t *testing.T, e *env, _ []byte) {
				_, b := e.do(t, "POST", "/api/v1/policy/check", "empX1", checkBody("agreement", validAgreement))
				if !strings.Contains(string(b), `"blocking": true`) || !strings.Contains(string(b), "6 månader") || !strings.Contains(string(b), `"pack_version": 2`) {
					t.Errorf("a year's agreement passes a 6-month limit: %s", b)
				}
			}},
		{name: "set an unknown parameter", method: "PATCH", url: "/api/v1/policy/parameters", as: "hrA",
			body: `{"base_version":1,"values":{"no_such_parameter":"1"},"reason":"Okänd"}`, status: 422,
			contains: []string{`"field": "values.no_such_parameter"`, "Parametern finns inte i regelpaketet."}, unchanged: true},
		{name: "set a parameter out of bounds", method: "PATCH", url: "/api/v1/policy/parameters", as: "hrA",
			body: `{"base_version":1,"values":{"max_agreement_months":"0"},"reason":"Noll"}`, status: 422,
			contains: []string{`"field": "values.max_agreement_months"`}, unchanged: true},
		{name: "set a parameter to text", method: "PATCH", url: "/api/v1/policy/parameters", as: "hrA",
			body: `{"base_version":1,"values":{"max_agreement_months":"ett år"},"reason":"Text"}`, status: 422,
			contains: []string{`"field": "values.max_agreement_months"`, "Ange ett heltal."}, unchanged: true},
		{name: "set no parameter", method: "PATCH", url: "/api/v1/policy/parameters", as: "hrA",
			body: `{"base_version":1,"values":{},"reason":"Inget"}`, status: 422, contains: []string{`"field": "values"`}, unchanged: true},
		{name: "set a parameter over a newer version", method: "PATCH", url: "/api/v1/policy/parameters", as: "hrA",
			body: `{"base_version":0,"values":{"max_agreement_months":"12"},"reason":"Gammal"}`, status: 409, unchanged: true},
		{name: "set a parameter as employee", method: "PATCH", url: "/api/v1/policy/parameters", as: "empY",
			body: `{"base_version":1,"values":{"max_agreement_months":"24"},"reason":"Längre"}`, status: 403, unchanged: true},
	}, withPack)
}

func TestPolicyCheck(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "an agreement over a year", method: "POST", url: "/api/v1/policy/check", as: "empX1", body: checkBody("agreement", longAgreement), status: 200,
			contains: []string{`"blocking": true`, `"rule_id": "bjurholm-11-max-length"`, `"severity": "block"`, `"message_sv": "Överenskommelsen får gälla högst ett år i taget (12 månader)`,
				`"message_en": "`, `"document": "002_09262497f78a89f4.txt"`, `"section": "11. Skriftlig individuell överenskommelse"`,
				`"quote": "Överenskommelsen ska gälla för maximalt ett år i taget"`, `"pack_version": 1`, `"organisation": "alfa"`, `"kind": "agreement"`,
				`"citation": "Kommun A, Riktlinjer för distansarbete, 11. Skriftlig individuell överenskommelse"`}, unchanged: true},
		{name: "a valid agreement", method: "POST", url: "/api/v1/policy/check", as: "empX1", body: checkBody("agreement", validAgreement), status: 200,
			contains: []string{`"blocking": false`}, excludes: []string{`"severity": "block"`}, unchanged: true},
		{name: "an agreement without a remote place", method: "POST", url: "/api/v1/policy/check", as: "chefX",
			body: checkBody("agreement", strings.Replace(validAgreement, `"remote_place":"Bostaden, Storgatan, Bjurholm"`, `"remote_place":"  "`, 1)), status: 200,
			contains: []string{`"blocking": true`, `"rule_id": "bjurholm-11-place"`}, unchanged: true},
		{name: "a personal-data incident names its deadline", method: "POST", url: "/api/v1/policy/check", as: "empY",
			body: checkBody("incident", `{"kind":"personal_data","discovered_at":"2025-06-02T08:00:00+02:00"}`), status: 200,
			contains: []string{`"generic": true`, `"deadlines": [`, `"hours": 72`, `"at": "2025-06-05T06:00:00Z"`, `"passed": true`}, unchanged: true},
		{name: "the other organisation checks against its own (generic) rules", method: "POST", url: "/api/v1/policy/check", as: "empB",
			body: checkBody("agreement", longAgreement), status: 200,
			contains: []string{`"blocking": false`, `"pack_version": 0`}, excludes: []string{"bjurholm-", `"organisation": "alfa"`}, unchanged: true},
		{name: "an unknown field", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: checkBody("agreement", `{"start":"2025-01-01","hemlig":true}`), status: 422,
			contains: []string{`"code": "invalid"`, `"field": "input.hemlig"`, "Okänt fält. Fälten för agreement är: start, end,"}, unchanged: true},
		{name: "a wrong type", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: checkBody("agreement", `{"share_remote":"fyrtio"}`), status: 422,
			contains: []string{`"field": "input.share_remote"`, "Fältet ska vara ett heltal, inte text."}, unchanged: true},
		{name: "a value outside the enumeration", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: checkBody("agreement", `{"weekdays_remote":["tisdag"]}`), status: 422,
			contains: []string{`"field": "input.weekdays_remote[0]"`, `Okänt värde \"tisdag\". Tillåtna värden: mon, tue`}, unchanged: true},
		{name: "a date that does not exist", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: checkBody("agreement", `{"start":"2025-02-29","end":"2025-12-31"}`), status: 422,
			contains: []string{`"field": "input.start"`}, unchanged: true},
		{name: "a local time that occurs twice", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: checkBody("incident", `{"kind":"it","discovered_at":"2025-10-26T02:30"}`), status: 422,
			contains: []string{`"field": "input.discovered_at"`, "förekommer två gånger"}, unchanged: true},
		{name: "a derived variable", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: checkBody("agreement", `{"length_days":10}`), status: 422, contains: []string{`"field": "input.length_days"`}, unchanged: true},
		{name: "an unknown kind", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: checkBody("semester", `{}`), status: 422, contains: []string{`"field": "kind"`, "Okänd typ av kontroll. Tillåtna: agreement, phone_hours,"}, unchanged: true},
		{name: "no kind", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: `{"input":{}}`, status: 422, contains: []string{`"field": "kind"`}, unchanged: true},
		{name: "no input", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: `{"kind":"agreement"}`, status: 422, contains: []string{`"field": "input"`}, unchanged: true},
		{name: "a null input", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: `{"kind":"agreement","input":null}`, status: 422, contains: []string{`"field": "input"`}, unchanged: true},
		{name: "an input that is a list", method: "POST", url: "/api/v1/policy/check", as: "empX1",
			body: `{"kind":"agreement","input":[]}`, status: 422, contains: []string{`"field": "input"`}, unchanged: true},
		{name: "in English", method: "POST", url: "/api/v1/policy/check", as: "empX1", header: []string{"Accept-Language", "en"},
			body: checkBody("leave", `{"days":-1}`), status: 422, contains: []string{`"message": "The input is not valid`}, unchanged: true},
	}, withPack)
}

// TestPolicyCheckSeedPacks: for each of the five seed organisations, with
// its own pack saved, every rule trips on its trip example and stays quiet
// on its pass example when checked through the API, and the finding cites
// the rule's clause. Rules that compare with the time of the check are left
// to the policy package, whose clock its tests control.
func TestPolicyCheckSeedPacks(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("parses the five seed packs")
	}
	store := storetest.SQLite(t)
	h, signin := newHandler(t, store)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{store: store, signin: signin, srv: srv, ids: map[string]string{}, tokens: map[string]string{}}
	ctx := context.Background()
	svc := newPolicyService(store)
	for _, slug := range policy.SeedSlugs() {
		o := &distans.Organisation{Slug: slug, Name: "Kommun " + slug, TimeZone: "Europe/Stockholm", Language: "sv"}
		must(t, store.CreateOrganisation(distans.NewContext(ctx, distans.SystemActor("")), o))
		sys := distans.NewContext(ctx, distans.SystemActor(o.ID))
		u := &distans.Unit{Name: "Förvaltningen", Kind: distans.UnitAdministration}
		must(t, store.CreateUnit(sys, u))
		p := &distans.Person{Name: "Test " + slug, Email: "test@" + slug + ".example", Language: "sv"}
		must(t, store.CreatePerson(sys, p))
		must(t, store.CreateEmployment(sys, &distans.Employment{PersonID: p.ID, UnitID: u.ID, Title: "Handläggare",
			StartsOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}))
		secret, _, err := signin.CreateAPIToken(distans.NewContext(ctx, &distans.Actor{OrganisationID: o.ID, PersonID: p.ID, Name: p.Name}), "", "test")
		must(t, err)
		e.tokens[slug] = secret
		src, err := policy.SeedYAML(slug)
		must(t, err)
		_, err = svc.Save(sys, 0, src, "Första versionen")
		must(t, err)
	}
	type report struct {
		Organisation string `json:"organisation"`
		PackVersion  int    `json:"pack_version"`
		Blocking     bool   `json:"blocking"`
		Findings     []struct {
			RuleID   string        `json:"rule_id"`
			Severity string        `json:"severity"`
			Source   policy.Source `json:"source"`
		} `json:"findings"`
	}
	for _, slug := range policy.SeedSlugs() {
		t.Run(slug, func(t *testing.T) {
			t.Parallel()
			var active struct {
				Pack *struct {
					Slug  string         `json:"slug"`
					Rules []*policy.Rule `json:"rules"`
				} `json:"pack"`
			}
			e.doJSON(t, "GET", "/api/v1/policy", slug, "", &active)
			if active.Pack == nil || active.Pack.Slug != slug {
				t.Fatalf("active pack: %+v", active.Pack)
			}
			checked := 0
			for _, r := range active.Pack.Rules {
				if r.Examples == nil || strings.Contains(r.Condition, "now") || strings.Contains(r.Condition, "since") {
					continue
				}
				checked++
				for _, c := range []struct {
					input json.RawMessage
					trips bool
				}{{r.Examples.Pass, false}, {r.Examples.Trip, true}} {
					var got report
					e.doJSON(t, "POST", "/api/v1/policy/check", slug, checkBody(r.Kind, string(c.input)), &got)
					if got.Organisation != slug || got.PackVersion != 1 {
						t.Errorf("%s: checked against %s version %d", r.ID, got.Organisation, got.PackVersion)
					}
					tripped := false
					for _, f := range got.Findings {
						if f.RuleID == r.ID {
							tripped = true
							if f.Source != r.Source || f.Source.Quote == "" {
								t.Errorf("%s: finding cites %+v, the rule %+v", r.ID, f.Source, r.Source)
							}
						}
					}
					if tripped != c.trips {
						t.Errorf("%s: tripped = %v on %s, want %v", r.ID, tripped, c.input, c.trips)
					}
					if c.trips && r.Severity == policy.SeverityBlock && !got.Blocking {
						t.Errorf("%s trips but the report does not block", r.ID)
					}
				}
			}
			if checked < 5 {
				t.Errorf("only %d rules checked for %s", checked, slug)
			}
		})
	}
}
