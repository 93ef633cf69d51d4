package api_test

import "testing"

func TestMeAndOrganisation(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "me as chef", method: "GET", url: "/api/v1/me", as: "chefX", status: 200,
			contains: []string{`"name": "Karl Chef"`, `"slug": "alfa"`, `"role": "chef"`, `"label": "Chef"`, `"unit_id": "{unitX}"`, `"people.view"`, `"language": "sv"`},
			excludes: []string{"people.manage"}, unchanged: true},
		{name: "me in English", method: "GET", url: "/api/v1/me", as: "chefX", header: []string{"Accept-Language", "en-GB,en;q=0.9"}, status: 200,
			contains: []string{`"label": "Manager"`, `"language": "en"`}, unchanged: true},
		{name: "me as employee", method: "GET", url: "/api/v1/me", as: "empX1", status: 200,
			contains: []string{`"roles": []`, `"permissions": []`, `"personal_number_masked"`}, excludes: []string{"1218-9876", "12189876"}, unchanged: true},
		{name: "organisation", method: "GET", url: "/api/v1/organisation", as: "empB", status: 200,
			contains: []string{`"slug": "beta"`, `"min_length": 8`}, excludes: []string{"alfa"}, unchanged: true},
		{name: "update", method: "PATCH", url: "/api/v1/organisation", as: "adminA",
			body: `{"name":"Alfa kommun","password_policy":{"min_length":12}}`, status: 200,
			contains: []string{`"name": "Alfa kommun"`, `"min_length": 12`, `"max_failures": 5`, `"slug": "alfa"`}},
		{name: "update without the permission", method: "PATCH", url: "/api/v1/organisation", as: "hrA",
			body: `{"name":"HR:s kommun"}`, status: 403, unchanged: true},
		{name: "update with bad values", method: "PATCH", url: "/api/v1/organisation", as: "adminA",
			body: `{"time_zone":"Mars/Olympus","language":"de","password_policy":{"min_length":4}}`, status: 422,
			contains: []string{`"field": "time_zone"`, "Okänd tidszon.", `"field": "language"`, `"field": "password_policy.min_length"`}, unchanged: true},
		{name: "update the slug", method: "PATCH", url: "/api/v1/organisation", as: "adminA",
			body: `{"slug":"gamma"}`, status: 422, contains: []string{"Okänt fält: slug."}, unchanged: true},
		{name: "update an unknown nested field", method: "PATCH", url: "/api/v1/organisation", as: "adminA",
			body: `{"password_policy":{"min_lenght":12}}`, status: 422, contains: []string{"Okänt fält: min_lenght."}, unchanged: true},
	})
}
