package api_test

import "testing"

// TestInvitation: POST /people/{id}/invitation decides as the person
// page's button does (Actor.SetsPasswordOf) and, without e-mail, answers
// with the link to hand over.
func TestInvitation(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "HR invites", method: "POST", url: "/api/v1/people/{empX1}/invitation", as: "hrA", status: 200,
			contains: []string{`"person_id": "{empX1}"`, `"purpose": "invitation"`, `"sent": false`,
				`"url": "https://distans.example.se/link/{orgA}.`, `"expires_at": "`}},
		{name: "a manager may not", method: "POST", url: "/api/v1/people/{empX1}/invitation", as: "chefX", status: 403, unchanged: true},
		{name: "nor oneself", method: "POST", url: "/api/v1/people/{hrA}/invitation", as: "hrA", status: 403, unchanged: true},
		{name: "an employee does not see the person", method: "POST", url: "/api/v1/people/{empX1}/invitation", as: "empY", status: 404, unchanged: true},
		{name: "another organisation", method: "POST", url: "/api/v1/people/{empX1}/invitation", as: "adminB", status: 404, unchanged: true},
		{name: "nobody", method: "POST", url: "/api/v1/people/{empX1}/invitation", status: 401, unchanged: true},
	})
}
