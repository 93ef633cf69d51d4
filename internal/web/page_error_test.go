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
// the sign-in page, which says what happened and comes back to the form.
func TestFormAfterSessionEnded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleAdmin)
	wantStatus(t, c.get("/units/new"), http.StatusOK)
	admin := e.person("vara", account("vara", distans.RoleAdmin))
	if err := e.store.DeleteSessions(e.system("vara"), admin.OrganisationID, admin.ID); err != nil {
		t.Fatal(err)
	}

	form := url.Values{"name": {"Enheten som nästan försvann"}, "kind": {"enhet"}, "csrf_token": {c.csrf}}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/units", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", e.srv.URL+"/units/new")
	p := c.do(req)
	wantPage(t, p, http.StatusForbidden, "sv", "Din inloggning har gått ut, så formuläret har inte skickats.")
	mustContain(t, p, `action="/signin"`, `<input type="hidden" name="next" value="/units/new">`)

	// Signing in from that page goes back to the form.
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
