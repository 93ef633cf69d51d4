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

func TestSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name     string
		email    string
		password string
		lang     string
		status   int
		want     string
	}{
		{"success", account("vara", distans.RoleHR), demo.Password, "", http.StatusSeeOther, ""},
		{"wrong password sv", account("vara", distans.RoleHR), "fel-lösenord", "", http.StatusUnauthorized, "Logga in"},
		{"wrong password en", account("vara", distans.RoleHR), "wrong-password", "en", http.StatusUnauthorized, "Sign in"},
		{"unknown e-mail", "nobody@vara.example", demo.Password, "", http.StatusUnauthorized, ""},
		{"empty", "", "", "", http.StatusUnprocessableEntity, "Fältet måste fyllas i."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.client()
			c.lang = tt.lang
			c.get("/signin")
			p := c.post("/signin", url.Values{"email": {tt.email}, "password": {tt.password}})
			wantStatus(t, p, tt.status)
			if tt.want != "" {
				mustContain(t, p, tt.want)
			}
			if tt.status == http.StatusSeeOther {
				if p.location != "/" {
					t.Errorf("redirect to %q", p.location)
				}
				mustContain(t, c.get("/"), "Mina uppgifter")
			}
		})
	}
}

func TestSignInLockOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.get("/signin")
	email := account("kristianstad", distans.RoleEmployee)
	// An address nobody has: what an attacker sees for a guess.
	unknown := c.post("/signin", url.Values{"email": {"ingen.alls@kristianstad.example"}, "password": {"not-the-password"}})
	wantStatus(t, unknown, http.StatusUnauthorized)
	mustContain(t, unknown, "spärras kontot")
	for i := 0; i < 10; i++ {
		p := c.post("/signin", url.Values{"email": {email}, "password": {"not-the-password"}})
		wantStatus(t, p, http.StatusUnauthorized)
	}
	person := e.person("kristianstad", email)
	// Even the right password is refused while the lock lasts, and the
	// answer is the one for an unknown address: the lock tells nobody that
	// the account exists.
	p := c.post("/signin", url.Values{"email": {email}, "password": {demo.Password}})
	wantStatus(t, p, http.StatusUnauthorized)
	if got, want := errorText(p.body), errorText(unknown.body); got != want {
		t.Errorf("locked account answers %q, an unknown address %q", got, want)
	}
	c.lang = "en"
	p = c.post("/signin", url.Values{"email": {email}, "password": {demo.Password}})
	wantStatus(t, p, http.StatusUnauthorized)
	if !strings.Contains(text(p.body), "the account is locked for a while") {
		t.Errorf("no English word of locking:\n%s", text(p.body))
	}

	// HR unlocks it from the person page.
	hr := e.as("kristianstad", distans.RoleHR)
	wantStatus(t, hr.post("/people/"+person.ID+"/unlock", nil), http.StatusSeeOther)
	c.lang = ""
	wantStatus(t, c.post("/signin", url.Values{"email": {email}, "password": {demo.Password}}), http.StatusSeeOther)
}

// TestUnlockByIT: the lock message sends people to HR or IT, so IT may
// unlock from the person page, but is offered no password form.
func TestUnlockByIT(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.get("/signin")
	email := account("kristianstad", distans.RoleEmployee)
	for range 10 {
		c.post("/signin", url.Values{"email": {email}, "password": {"not-the-password"}})
	}
	if p := c.post("/signin", url.Values{"email": {email}, "password": {demo.Password}}); p.status == http.StatusSeeOther {
		t.Fatal("the account is not locked")
	}
	it := e.as("kristianstad", distans.RoleIT)
	person := e.person("kristianstad", email)
	page := it.get("/people/" + person.ID)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `action="/people/`+person.ID+`/unlock"`)
	if strings.Contains(page.body, `action="/people/`+person.ID+`/password"`) {
		t.Error("IT is offered the password form")
	}
	wantStatus(t, it.post("/people/"+person.ID+"/unlock", nil), http.StatusSeeOther)
	wantStatus(t, c.post("/signin", url.Values{"email": {email}, "password": {demo.Password}}), http.StatusSeeOther)
	wantStatus(t, it.post("/people/"+person.ID+"/password", url.Values{"password": {"Ett-nytt-losenord-9"}}), http.StatusForbidden)
}

func TestSignInChooser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var shared []demo.Account
	for _, a := range demo.Accounts() {
		if a.Note != "" {
			shared = append(shared, a)
		}
	}
	if len(shared) < 2 {
		t.Skip("no demo account in two organisations")
	}
	c := e.client()
	c.get("/signin")
	p := c.post("/signin", url.Values{"email": {shared[0].Email}, "password": {demo.Password}})
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, `name="org"`, `value="`+shared[0].Org+`"`, `value="`+shared[1].Org+`"`)
	p = c.post("/signin", url.Values{"email": {shared[0].Email}, "password": {demo.Password}, "org": {shared[1].Org}})
	wantStatus(t, p, http.StatusSeeOther)
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleEmployee)
	p := c.post("/signout", nil)
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/signin" {
		t.Errorf("signed out to %q", p.location)
	}
	mustContain(t, c.get("/signin"), "Du är utloggad.")
	p = c.get("/")
	wantStatus(t, p, http.StatusSeeOther)

	// Signing out everywhere ends the other browser's session too.
	a, b := e.as("vara", distans.RoleEmployee), e.as("vara", distans.RoleEmployee)
	a.get("/profile")
	wantStatus(t, a.post("/signout/everywhere", nil), http.StatusSeeOther)
	wantStatus(t, b.get("/profile"), http.StatusSeeOther)
}

func TestUnauthenticatedRedirects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/", "/people", "/units", "/sites", "/profile", "/audit"} {
		p := c.get(path)
		wantStatus(t, p, http.StatusSeeOther)
		if !strings.HasPrefix(p.location, "/signin") {
			t.Errorf("%s → %q", path, p.location)
		}
	}
	// After signing in, the person comes back to the page they asked for.
	c.get("/signin?next=%2Fsites")
	p := c.post("/signin", url.Values{"email": {account("vara", distans.RoleHR)}, "password": {demo.Password}, "next": {"/sites"}})
	if p.location != "/sites" {
		t.Errorf("after sign-in → %q", p.location)
	}
}

func TestCSRFRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleAdmin)
	for _, path := range []string{"/units", "/signout", "/sites", "/profile/tokens"} {
		p := c.postRaw(path, url.Values{"name": {"Utan token"}, "kind": {"enhet"}})
		wantStatus(t, p, http.StatusForbidden)
	}
	p := c.postRaw("/units", url.Values{"name": {"Fel token"}, "kind": {"enhet"}, "csrf_token": {"not-the-token"}})
	wantStatus(t, p, http.StatusForbidden)
	// Anonymous sign-in needs the pre-session token as well.
	anon := e.client()
	wantStatus(t, anon.postRaw("/signin", url.Values{"email": {account("vara", distans.RoleHR)}, "password": {demo.Password}}), http.StatusForbidden)
	// A cookie and field the attacker chose together (set from a sibling
	// subdomain, or over plain HTTP on the network) do not pass either.
	forged := strings.Repeat("A", 43)
	u, _ := url.Parse(e.srv.URL)
	anon.http.Jar.SetCookies(u, []*http.Cookie{{Name: "distans_csrf", Value: forged, Path: "/"}})
	wantStatus(t, anon.postRaw("/signin", url.Values{"email": {account("vara", distans.RoleHR)}, "password": {demo.Password}, "csrf_token": {forged}}), http.StatusForbidden)
	// The token the server gives with that cookie does.
	anon.get("/signin")
	wantStatus(t, anon.post("/signin", url.Values{"email": {account("vara", distans.RoleHR)}, "password": {demo.Password}}), http.StatusSeeOther)
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleEmployee)
	mustContain(t, c.get("/"), `<html lang="sv">`, "Mina uppgifter")
	p := c.post("/lang", url.Values{"lang": {"en"}, "next": {"/profile"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/profile" {
		t.Errorf("→ %q", p.location)
	}
	mustContain(t, c.get("/"), `<html lang="en">`, "My details")
	mustContain(t, c.get("/no-such-page"), "Page not found")
	// An address elsewhere is not followed.
	if p := c.post("/lang", url.Values{"lang": {"sv"}, "next": {"//evil.example/"}}); p.location != "/" {
		t.Errorf("open redirect to %q", p.location)
	}
}

// TestSignInNextIsSameSite: the reproduction of the open redirect, as a
// browser sends it, and the other ways a "next" could leave the site.
func TestSignInNextIsSameSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tt := range []struct{ next, want string }{
		{"/sites", "/sites"},
		{"/\t/evil.example", "/"},
		{"/\\evil.example", "/"},
		{"//evil.example", "/"},
		{"https://evil.example", "/"},
	} {
		c := e.client()
		show := c.get("/signin?next=" + url.QueryEscape(tt.next))
		wantStatus(t, show, http.StatusOK)
		if tt.want == "/" && !strings.Contains(show.body, `<input type="hidden" name="next" value="/">`) {
			t.Errorf("next %q: the sign-in form carries it on", tt.next)
		}
		p := c.post("/signin", url.Values{"email": {account("vara", distans.RoleHR)}, "password": {demo.Password}, "next": {tt.next}})
		wantStatus(t, p, http.StatusSeeOther)
		if p.location != tt.want {
			t.Errorf("next %q: Location %q, want %q", tt.next, p.location, tt.want)
		}
	}
}

var errorSummaryRE = regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`)

// errorText is the visible text of a page's error summary.
func errorText(body string) string { return text(errorSummaryRE.FindString(body)) }
