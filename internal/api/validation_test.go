package api_test

import (
	"strings"
	"testing"
)

// TestBodyValidation: whatever is wrong with a body, the answer is 422 with
// a Swedish message and English beside it, and nothing changes.
func TestBodyValidation(t *testing.T) {
	t.Parallel()
	huge := `{"name":"` + strings.Repeat("a", 1<<20) + `","kind":"enhet"}`
	var scenarios []scenario
	for _, target := range []struct{ method, url string }{
		{"POST", "/api/v1/units"}, {"PATCH", "/api/v1/units/{unitY}"}, {"POST", "/api/v1/units/{unitZ}/end"},
		{"POST", "/api/v1/sites"}, {"PATCH", "/api/v1/sites/{siteA}"}, {"POST", "/api/v1/sites/{siteA}/end"},
		{"POST", "/api/v1/people"}, {"PATCH", "/api/v1/people/{empY}"},
		{"POST", "/api/v1/people/{empY}/employments"}, {"PATCH", "/api/v1/employments/x"}, {"POST", "/api/v1/employments/x/end"},
		{"POST", "/api/v1/people/{empY}/leaves"}, {"POST", "/api/v1/leaves/x/end"},
		{"POST", "/api/v1/role-assignments"}, {"PATCH", "/api/v1/organisation"}, {"POST", "/api/v1/tokens"},
		{"PUT", "/api/v1/policy"}, {"PATCH", "/api/v1/policy/parameters"}, {"POST", "/api/v1/policy/check"},
		{"POST", "/api/v1/documents"}, {"POST", "/api/v1/documents/{docA}/versions"}, {"POST", "/api/v1/documents/{docA}/acknowledge"},
	} {
		for _, c := range []struct {
			name, body string
			header     []string
			want       string
			tooLarge   bool // 413 too_large instead of 422 invalid
		}{
			{name: "bad JSON", body: `{"name":`, want: "Innehållet är inte giltig JSON."},
			{name: "not an object", body: `[1,2]`, want: "Fältet har fel typ."},
			{name: "two objects", body: `{} {}`, want: "Innehållet får bara vara ett JSON-objekt."},
			{name: "unknown field", body: `{"hacker":true}`, want: "Okänt fält: hacker."},
			{name: "oversized", body: huge, want: "högst 1 MiB", tooLarge: true},
			{name: "form body", body: `name=x`, header: []string{"Content-Type", "application/x-www-form-urlencoded"}, want: "Innehållet måste vara JSON"},
		} {
			status, code := 422, `"code": "invalid"`
			if c.tooLarge {
				status, code = 413, `"code": "too_large"`
			}
			scenarios = append(scenarios, scenario{
				name: c.name + " " + target.method + " " + target.url, method: target.method, url: target.url, as: "adminA",
				body: c.body, header: c.header, status: status,
				contains:  []string{code, c.want, `"message_en": "`},
				unchanged: true,
			})
		}
	}
	scenarios = append(scenarios,
		scenario{name: "wrong type names the field", method: "POST", url: "/api/v1/people", as: "hrA", body: `{"name":"N","email":true}`,
			status: 422, contains: []string{`"field": "email"`, "Fel typ: här ska det stå en text."}, unchanged: true},
		scenario{name: "wrong nested type names the field", method: "PUT", url: "/api/v1/me/phone-hours", as: "empX1",
			body: `{"sessions":[],"exception":{"reason":12}}`, status: 422, contains: []string{`"field": "exception.reason"`}, unchanged: true},
		scenario{name: "English when asked", method: "POST", url: "/api/v1/units", as: "adminA", body: `{"kind":"enhet"}`,
			header: []string{"Accept-Language", "en"}, status: 422,
			contains: []string{`"message": "The input is not valid. Correct the marked fields."`, `"message_sv": "Fältet måste fyllas i."`}, unchanged: true},
	)
	runScenarios(t, scenarios)
}
