package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

var titleRE = regexp.MustCompile(`<title>[^<]+</title>`)

// wantPage fails unless p is a whole HTML page in lang with a title, the
// status and the message: a page answers a page, never raw JSON.
func wantPage(t *testing.T, p page, status int, lang, message string) {
	t.Helper()
	wantStatus(t, p, status)
	if !strings.Contains(p.body, `<html lang="`+lang+`">`) || !titleRE.MatchString(p.body) {
		t.Fatalf("not a page in %s with a title:\n%.300s", lang, p.body)
	}
	mustContain(t, p, message)
}

// TestFormAfterSessionEnded: a form sent after the session ended answers
// the sign-in page, which says what happened, keeps what was typed (never a
// password) and comes back to it: after signing in, the form is shown again
// and is sent only when the person says so.
func TestFormAfterSessionEnded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleAdmin)
	wantStatus(t, c.get("/units/new"), http.StatusOK)
	admin := e.person("vara", account("vara", distans.RoleAdmin))
	endSessions := func() {
		t.Helper()
		if err := e.store.DeleteSessions(e.system("vara"), admin.OrganisationID, admin.ID); err != nil {
			t.Fatal(err)
		}
	}
	endSessions()
	units := func() int {
		t.Helper()
		us, err := e.store.ListUnits(e.system("vara"), distans.UnitFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(us)
	}
	before := units()

	send := func(c *client, form url.Values, fetchSite string) page {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/units", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Referer", e.srv.URL+"/units/new")
		if fetchSite != "" {
			req.Header.Set("Sec-Fetch-Site", fetchSite)
		}
		return c.do(req)
	}
	typed := url.Values{"name": {"Enheten som nästan försvann"}, "kind": {"enhet"}, "password": {"hemligt"}, "csrf_token": {c.csrf}}
	p := send(c, typed, "same-origin")
	wantPage(t, p, http.StatusForbidden, "sv", "Din inloggning har gått ut, så formuläret har inte skickats.")
	mustContain(t, p, `action="/signin"`, `<input type="hidden" name="next" value="/units/new">`,
		`<input type="hidden" name="resend_to" value="/units">`, `name="keep.name" value="Enheten som nästan försvann"`)
	if strings.Contains(p.body, "hemligt") {
		t.Error("a password is carried on")
	}
	if units() != before {
		t.Fatal("the refused form was stored")
	}

	// Signing in shows what was typed and sends nothing yet.
	signin := url.Values{"email": {account("vara", distans.RoleAdmin)}, "password": {demo.Password}, "next": {"/units/new"}, "resend_to": {"/units"}}
	for _, f := range []string{"name", "kind"} {
		signin.Set("keep."+f, typed.Get(f))
	}
	p = c.post("/signin", signin)
	wantPage(t, p, http.StatusOK, "sv", "Enheten som nästan försvann")
	mustContain(t, p, `action="/units"`, `<a href="/units/new">`)
	if units() != before {
		t.Fatal("signing in sent the form")
	}
	// Sending it, with the new session's token, stores it once.
	resent := url.Values{"name": {"Enheten som nästan försvann"}, "kind": {"enhet"}}
	wantStatus(t, c.post("/units", resent), http.StatusSeeOther)
	if units() != before+1 {
		t.Fatal("the form sent again was not stored")
	}

	// A form the browser does not vouch for as our own keeps nothing, and
	// signing in then simply goes back to the form's page.
	endSessions()
	p = send(c, typed, "")
	wantPage(t, p, http.StatusForbidden, "sv", "Din inloggning har gått ut")
	if strings.Contains(p.body, "keep.") || strings.Contains(p.body, "resend_to") {
		t.Error("a form from elsewhere is kept")
	}
	p = c.post("/signin", url.Values{"email": {account("vara", distans.RoleAdmin)}, "password": {demo.Password}, "next": {"/units/new"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/units/new" {
		t.Errorf("after signing in again → %q", p.location)
	}
}

// TestRefusedFormsArePages: a failed CSRF check and a body over the limit
// answer pages with a title and a language, saying what happened and (for
// the size) the limit; the API answers the same in JSON with 413.
func TestRefusedFormsArePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	anon := e.client()
	anon.lang = "en"
	p := anon.postRaw("/signin", url.Values{"email": {account("vara", distans.RoleHR)}, "password": {demo.Password}})
	wantPage(t, p, http.StatusForbidden, "en", "The form could not be verified, so it was not sent.")

	c := e.as("vara", distans.RoleAdmin)
	big := strings.Repeat("x", 1<<20)
	p = c.post("/units", url.Values{"name": {big}, "kind": {"enhet"}})
	wantPage(t, p, http.StatusRequestEntityTooLarge, "sv", "högst 1 MiB")

	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/units", strings.NewReader(`{"name":"`+big+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	p = c.do(req)
	wantStatus(t, p, http.StatusRequestEntityTooLarge)
	if !strings.Contains(p.body, `"code":"too_large"`) {
		t.Errorf("API: %.300s", p.body)
	}
}
