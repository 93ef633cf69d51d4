package api_test

import (
	"strings"
	"testing"
)

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

// TestInvitePending: POST /invitations decides as the people list's
// button does (Actor.SetsPasswordsOfAll) and, without e-mail, answers
// with every link to hand over.
func TestInvitePending(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "the administrator invites everyone pending", method: "POST", url: "/api/v1/invitations", as: "adminA", status: 200,
			contains: []string{`"count": `, `"mailed": 0`, `"invitations": [`, `"purpose": "invitation"`, `"sent": false`,
				`"url": "https://distans.example.se/link/{orgA}.`, `"expires_at": "`}},
		{name: "HR of the whole organisation too", method: "POST", url: "/api/v1/invitations", as: "hrA", status: 200,
			contains: []string{`"count": `, `"url": "https://distans.example.se/link/{orgA}.`}},
		{name: "an employee may not", method: "POST", url: "/api/v1/invitations", as: "empY", status: 403, unchanged: true},
		{name: "a manager may not", method: "POST", url: "/api/v1/invitations", as: "chefX", status: 403, unchanged: true},
		{name: "nobody", method: "POST", url: "/api/v1/invitations", status: 401, unchanged: true},
	})
}

// TestInvitePendingTwice: the second call finds nobody left and says so
// with an empty list, not null.
func TestInvitePendingTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	status, body := e.do(t, "POST", "/api/v1/invitations", "adminA", "")
	if status != 200 || strings.Contains(string(body), `"count": 0`) {
		t.Fatalf("first call: %d %s", status, body)
	}
	status, body = e.do(t, "POST", "/api/v1/invitations", "adminA", "")
	if status != 200 || !strings.Contains(string(body), `"count": 0`) || !strings.Contains(string(body), `"invitations": []`) {
		t.Fatalf("second call: %d %s", status, body)
	}
}
