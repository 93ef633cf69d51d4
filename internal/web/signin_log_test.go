package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// TestSignInLog: a failed attempt and a sign-in through the real form are
// in the organisation's sign-in log with where they came from; only those
// who see the audit trail read it, and bad filters answer with the page.
func TestSignInLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wrong := e.client()
	wrong.get("/signin")
	wantStatus(t, wrong.post("/signin", url.Values{"email": {account("vara", distans.RoleEmployee)}, "password": {"fel-lösenord"}}),
		http.StatusUnauthorized)
	emp := e.as("vara", distans.RoleEmployee)
	wantStatus(t, emp.get("/audit/signins"), http.StatusForbidden)

	admin := e.as("vara", distans.RoleAdmin)
	p := admin.get("/audit/signins")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Inloggningslogg", "<td>Misslyckat försök</td>", "<td>Inloggad</td>", "<td>Lösenord</td>",
		"<td>127.0.0.1</td>", "Go-http-client", "gallras efter 90 dagar")
	mustContain(t, admin.get("/audit"), `href="/audit/signins"`)

	failed := admin.get("/audit/signins?outcome=failure")
	wantStatus(t, failed, http.StatusOK)
	if strings.Contains(failed.body, "<td>Inloggad</td>") || !strings.Contains(failed.body, "<td>Misslyckat försök</td>") {
		t.Error("the failures only are not only failures")
	}
	for _, q := range []string{"outcome=kanske", "after=inte-en-markör", "from=igår"} {
		bad := admin.get("/audit/signins?" + q)
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		mustContain(t, bad, "Inloggningslogg")
	}
	// Another organisation's administrator sees none of vara's.
	other := e.as("stockholm", distans.RoleAdmin).get("/audit/signins")
	wantStatus(t, other, http.StatusOK)
	if strings.Contains(other.body, "<td>Misslyckat försök</td>") {
		t.Error("stockholm's log shows vara's failed attempt")
	}
}
