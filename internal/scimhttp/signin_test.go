package scimhttp_test

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// TestDeactivationEndsSignInAtOnce signs a demo employee in, lets the
// identity system take them over (the SCIM user is linked to the person by
// e-mail) and deactivate them with Entra's PATCH: the session that was
// signed in is refused on its next request, and signing in again fails.
func TestDeactivationEndsSignInAtOnce(t *testing.T) {
	t.Parallel()
	_, base, vara, _ := setup(t)
	email := demo.AccountEmail("vara", distans.RoleEmployee)

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	signIn := func() int {
		t.Helper()
		res, err := browser.Get(base + "/signin")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := csrfRE.FindSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token on the sign-in page")
		}
		form := url.Values{"email": {email}, "password": {demo.Password}, "csrf_token": {html.UnescapeString(string(m[1]))}}
		res, err = browser.Post(base+"/signin", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	me := func() int {
		t.Helper()
		res, err := browser.Get(base + "/api/v1/me")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := signIn(); st != http.StatusSeeOther {
		t.Fatalf("sign in: %d", st)
	}
	if st := me(); st != http.StatusOK {
		t.Fatalf("signed in, /api/v1/me: %d", st)
	}

	c := client{t: t, base: base + "/scim/v2", token: vara}
	created := c.send("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"`+email+`","active":true,
		"emails":[{"primary":true,"type":"work","value":"`+email+`"}]}`).want(t, 201, "")
	c.send("PATCH", "/Users/"+str(created.body, "id"), entraDisableUser).want(t, 200, "")

	if st := me(); st != http.StatusUnauthorized {
		t.Errorf("after deactivation the session still answers %d", st)
	}
	if st := signIn(); st == http.StatusSeeOther {
		t.Errorf("a deactivated person signed in again")
	}
}
