package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	unauth := []string{`"code": "unauthorized"`, `"message_en"`}
	runScenarios(t, []scenario{
		{name: "no token", method: "GET", url: "/api/v1/me", status: 401, contains: unauth, unchanged: true},
		// Without a token or a session there is no ambient credential to
		// forge, so the CSRF check lets it through and the API answers 401.
		{name: "no token on a change", method: "POST", url: "/api/v1/units", body: `{"name":"N","kind":"enhet"}`,
			status: 401, contains: unauth, unchanged: true},
		{name: "no token, people", method: "GET", url: "/api/v1/people", status: 401, contains: unauth, unchanged: true},
		{name: "revoked token", method: "GET", url: "/api/v1/me", as: "revoked", status: 401, contains: unauth, unchanged: true},
		{name: "revoked token on a change", method: "POST", url: "/api/v1/units", as: "revoked", body: `{"name":"N","kind":"enhet"}`,
			status: 401, contains: unauth, unchanged: true},
		{name: "made-up token", method: "GET", url: "/api/v1/me", as: "dst_bogus", status: 401, contains: unauth, unchanged: true},
		{name: "not a bearer", method: "GET", url: "/api/v1/me", header: []string{"Authorization", "Basic dXNlcjpwYXNz"}, status: 401,
			contains: unauth, unchanged: true},
		{name: "message in English", method: "GET", url: "/api/v1/me", header: []string{"Accept-Language", "en"}, status: 401,
			contains: []string{`"message": "You are not signed in`}, unchanged: true},
		{name: "message in Swedish by default", method: "GET", url: "/api/v1/me", status: 401,
			contains: []string{`"message": "Du är inte inloggad`}, unchanged: true},
		{name: "openapi is public", method: "GET", url: "/api/v1/openapi.json", status: 200,
			contains: []string{`"openapi": "3.1.0"`, "/api/v1/people/{id}/personal-number/reveal"}, unchanged: true},
		{name: "unknown address", method: "GET", url: "/api/v1/nope", as: "adminA", status: 404,
			contains: []string{`"code": "not_found"`}, unchanged: true},
		{name: "wrong method", method: "DELETE", url: "/api/v1/units/{unitX}", as: "adminA", status: 405,
			contains: []string{`"code": "method_not_allowed"`, "Metoden DELETE"}, unchanged: true,
			check: func(t *testing.T, e *env, _ []byte) {
				req, _ := http.NewRequest("DELETE", e.srv.URL+e.expand("/api/v1/units/{unitX}"), nil)
				req.Header.Set("Authorization", "Bearer "+e.tokens["adminA"])
				res, err := e.srv.Client().Do(req)
				must(t, err)
				res.Body.Close()
				if got := res.Header.Values("Allow"); strings.Join(got, ",") != "GET,PATCH" {
					t.Errorf("Allow = %v, want GET, PATCH", got)
				}
			}},
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "list own", method: "GET", url: "/api/v1/tokens", as: "empX1", status: 200,
			contains: []string{`"name": "test"`, `"name": "revoked"`, `"revoked_at"`, `"person_id": "{empX1}"`},
			excludes: []string{"{empY}", "token_hash", "dst_"}, unchanged: true},
		{name: "create", method: "POST", url: "/api/v1/tokens", as: "empY", body: `{"name":"Integration"}`, status: 201,
			contains: []string{`"secret": "dst_`, `"name": "Integration"`, `"person_id": "{empY}"`}},
		{name: "create without a name", method: "POST", url: "/api/v1/tokens", as: "empY", body: `{"name":" "}`, status: 422,
			contains: []string{`"field": "name"`}, unchanged: true},
		{name: "create for someone else", method: "POST", url: "/api/v1/tokens", as: "empY", body: `{"name":"x","person_id":"{adminA}"}`,
			status: 422, contains: []string{"Okänt fält: person_id."}, unchanged: true},
		{name: "revoke a missing token", method: "POST", url: "/api/v1/tokens/x/revoke", as: "empY", status: 404, unchanged: true},
		{name: "sign out everywhere", method: "POST", url: "/api/v1/signout-everywhere", as: "empY", status: 204},
	})
}

// TestTokenLifecycle: a token made through the API works at once, another
// person cannot revoke it, and once revoked it answers 401.
func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var created struct {
		Token  struct{ ID string }
		Secret string
	}
	e.doJSON(t, "POST", "/api/v1/tokens", "empY", `{"name":"Kalender"}`, &created)
	var me struct{ Person struct{ ID string } }
	e.doJSON(t, "GET", "/api/v1/me", created.Secret, "", &me)
	if me.Person.ID != e.ids["empY"] {
		t.Fatalf("new token acts as %q", me.Person.ID)
	}
	for _, other := range []string{"empX1", "adminB"} {
		if status, b := e.do(t, "POST", "/api/v1/tokens/"+created.Token.ID+"/revoke", other, ""); status != 404 {
			t.Errorf("%s revokes empY's token: %d %s", other, status, b)
		}
	}
	var list struct{ Items []json.RawMessage }
	e.doJSON(t, "GET", "/api/v1/tokens", created.Secret, "", &list)
	if len(list.Items) != 2 {
		t.Errorf("empY has %d tokens, want 2", len(list.Items))
	}
	if status, b := e.do(t, "POST", "/api/v1/tokens/"+created.Token.ID+"/revoke", created.Secret, ""); status != 204 {
		t.Fatalf("revoke: %d %s", status, b)
	}
	if status, b := e.do(t, "GET", "/api/v1/me", created.Secret, ""); status != 401 {
		t.Errorf("revoked token: %d %s", status, b)
	}
	if status, _ := e.do(t, "GET", "/api/v1/me", "empY", ""); status != 200 {
		t.Errorf("the other token stopped working: %d", status)
	}
}
