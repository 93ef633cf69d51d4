package api_test

import "testing"

// TestTenantIsolation: organisation beta's administrator and HR, who hold
// every permission in their own organisation, find nothing of alfa's.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	notFound := []string{`"code": "not_found"`}
	var scenarios []scenario
	for _, c := range []struct{ as, method, url, body string }{
		{"adminB", "GET", "/api/v1/units/{unitX}", ""},
		{"adminB", "PATCH", "/api/v1/units/{unitX}", `{"name":"Kapad"}`},
		{"adminB", "POST", "/api/v1/units/{unitZ}/end", `{"ended_on":"2030-01-01"}`},
		{"adminB", "GET", "/api/v1/sites/{siteA}", ""},
		{"adminB", "PATCH", "/api/v1/sites/{siteA}", `{"name":"Kapad"}`},
		{"adminB", "POST", "/api/v1/sites/{siteA}/end", `{"ended_on":"2030-01-01"}`},
		{"hrB", "GET", "/api/v1/people/{empX1}", ""},
		{"hrB", "PATCH", "/api/v1/people/{empX1}", `{"name":"Kapad"}`},
		{"hrB", "POST", "/api/v1/people/{empX1}/personal-number/reveal", ""},
		{"hrB", "GET", "/api/v1/people/{empX1}/employments", ""},
		{"hrB", "POST", "/api/v1/people/{empX1}/employments", `{"unit_id":"{rootB}","title":"T","starts_on":"1990-01-01","ends_on":"1990-12-31"}`},
		{"hrB", "GET", "/api/v1/people/{empX1}/leaves", ""},
		{"hrB", "POST", "/api/v1/people/{empX1}/leaves", `{"kind":"annan","starts_on":"2030-01-01"}`},
		{"adminB", "GET", "/api/v1/people/{adminA}", ""},
		{"hrB", "GET", "/api/v1/documents/{docA}", ""},
		{"hrB", "GET", "/api/v1/documents/{docA}?version=1", ""},
		{"hrB", "GET", "/api/v1/documents/{docA}/versions", ""},
		{"hrB", "POST", "/api/v1/documents/{docA}/versions", `{"body":"Kapad"}`},
		{"empB", "POST", "/api/v1/documents/{docA}/acknowledge", `{"version":1}`},
		{"hrB", "GET", "/api/v1/acknowledgements?person_id={empX1}", ""},
		{"hrB", "GET", "/api/v1/documents/outstanding?unit_id={unitX}", ""},
	} {
		scenarios = append(scenarios, scenario{name: c.as + " " + c.method + " " + c.url, method: c.method, url: c.url, as: c.as,
			body: c.body, status: 404, contains: notFound, excludes: []string{"Erik Enhet", "Enhet X1", "Stadshuset A", "Riktlinjer A"}, unchanged: true})
	}
	scenarios = append(scenarios,
		scenario{name: "units list", method: "GET", url: "/api/v1/units?include_ended=true", as: "adminB", status: 200,
			excludes: []string{"{unitX}", "{rootA}", "{orgA}"}, unchanged: true},
		scenario{name: "children of another organisation's unit", method: "GET", url: "/api/v1/units?parent_id={rootA}", as: "adminB", status: 200,
			excludes: []string{"{unitX}"}, unchanged: true},
		scenario{name: "sites list", method: "GET", url: "/api/v1/sites?include_ended=true", as: "adminB", status: 200,
			excludes: []string{"{siteA}"}, unchanged: true},
		scenario{name: "people in another organisation's unit", method: "GET", url: "/api/v1/people?unit_id={unitX}", as: "hrB", status: 404,
			excludes: []string{"{empX1}", "Erik Enhet"}, unchanged: true},
		scenario{name: "roles of another organisation's person", method: "GET", url: "/api/v1/role-assignments?person_id={chefX}", as: "adminB", status: 200,
			excludes: []string{"{chefX}"}, unchanged: true},
		scenario{name: "audit of another organisation's record", method: "GET", url: "/api/v1/audit-events?record_id={empX1}", as: "adminB", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		scenario{name: "tokens", method: "GET", url: "/api/v1/tokens", as: "adminB", status: 200,
			excludes: []string{"{adminA}", "{orgA}"}, unchanged: true},
		scenario{name: "documents", method: "GET", url: "/api/v1/documents", as: "hrB", status: 200,
			excludes: []string{"{docA}", "Riktlinjer A"}, unchanged: true},
		scenario{name: "pending documents", method: "GET", url: "/api/v1/documents/pending", as: "empB", status: 200,
			excludes: []string{"{docA}"}, unchanged: true},
		scenario{name: "outstanding", method: "GET", url: "/api/v1/documents/outstanding", as: "hrB", status: 200,
			excludes: []string{"{empX1}", "{docA}"}, unchanged: true},
		scenario{name: "policy is always the caller's own", method: "GET", url: "/api/v1/policy", as: "hrB", status: 200,
			contains: []string{`"organisation_id": "{orgB}"`, `"slug": "beta"`}, excludes: []string{"{orgA}", "alfa"}, unchanged: true},
	)
	runScenarios(t, scenarios)
}

// TestSubtreeIsolation: the chef of Avdelning X sees X and Enhet X1 but
// nothing of Avdelning Y.
func TestSubtreeIsolation(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "person below", method: "GET", url: "/api/v1/people/{empX1}", as: "chefX", status: 200, contains: []string{"Erik Enhet"}, unchanged: true},
		{name: "person beside", method: "GET", url: "/api/v1/people/{empY}", as: "chefX", status: 404, unchanged: true},
		{name: "person above", method: "GET", url: "/api/v1/people/{adminA}", as: "chefX", status: 404, unchanged: true},
		{name: "employments beside", method: "GET", url: "/api/v1/people/{empY}/employments", as: "chefX", status: 404, unchanged: true},
		{name: "leave beside", method: "GET", url: "/api/v1/people/{empY}/leaves", as: "chefX", status: 404, unchanged: true},
		{name: "people in a unit beside", method: "GET", url: "/api/v1/people?unit_id={unitY}", as: "chefX", status: 200,
			contains: []string{`"total": 0`}, excludes: []string{"Ylva"}, unchanged: true},
		{name: "search beside", method: "GET", url: "/api/v1/people?q=Ylva", as: "chefX", status: 200,
			contains: []string{`"total": 0`}, unchanged: true},
		{name: "change someone below", method: "PATCH", url: "/api/v1/people/{empX1}", as: "chefX", body: `{"phone":"070-111 11 11"}`,
			status: 403, unchanged: true},
		{name: "colleague", method: "GET", url: "/api/v1/people/{empX1}", as: "empY", status: 404, unchanged: true},
	})
}
