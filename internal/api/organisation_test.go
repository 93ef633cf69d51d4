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
			contains: []string{`"slug": "beta"`}, excludes: []string{"alfa", "password_policy"}, unchanged: true},
		{name: "update", method: "PATCH", url: "/api/v1/organisation", as: "adminA",
			body: `{"name":"Alfa kommun","language":"en"}`, status: 200,
			contains: []string{`"name": "Alfa kommun"`, `"language": "en"`, `"slug": "alfa"`}},
		{name: "update without the permission", method: "PATCH", url: "/api/v1/organisation", as: "hrA",
			body: `{"name":"HR:s kommun"}`, status: 403, unchanged: true},
		{name: "update with bad values", method: "PATCH", url: "/api/v1/organisation", as: "adminA",
			body: `{"time_zone":"Mars/Olympus","language":"de"}`, status: 422,
			contains: []string{`"field": "time_zone"`, "Okänd tidszon.", `"field": "language"`}, unchanged: true},
		{name: "update the slug", method: "PATCH", url: "/api/v1/organisation", as: "adminA",
			body: `{"slug":"gamma"}`, status: 422, contains: []string{"Okänt fält: slug."}, unchanged: true},
		// The password policy is the policy pack's parameters, not a
		// setting of its own that sign-in would not follow.
		{name: "the password policy is not set here", method: "PATCH", url: "/api/v1/organisation", as: "adminA",
			body: `{"password_policy":{"min_length":12}}`, status: 422, contains: []string{"Okänt fält: password_policy."}, unchanged: true},
	})
}
