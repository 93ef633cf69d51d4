package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/notify/smtptest"
)

var linkPathRE = regexp.MustCompile(`/link/[A-Za-z0-9_.-]+`)

// TestInvitationPages: HR invites from the person page and gets the link
// to hand over; the person opens it signed out, sees the rules, chooses a
// password and is signed in; the link then says plainly that it is used.
func TestInvitationPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hr := e.as("vara", distans.RoleHR)
	emp := e.person("vara", account("vara", distans.RoleEmployee))

	p := hr.get("/people/" + emp.ID)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Skicka inbjudan", `action="/people/`+emp.ID+`/invitation"`)
	p = hr.post("/people/"+emp.ID+"/invitation", nil)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Ge länken till "+emp.Name, "Gäller till")
	path := linkPathRE.FindString(p.body)
	if path == "" || !strings.Contains(p.body, e.srv.URL+path) {
		t.Fatalf("no absolute link on the page:\n%.1500s", text(p.body))
	}

	// Someone without the right gets nothing (the page and the API agree,
	// see parity_test.go).
	if p := e.as("vara", distans.RoleManager).post("/people/"+emp.ID+"/invitation", nil); p.status != http.StatusForbidden && p.status != http.StatusNotFound {
		t.Errorf("a manager invited: %d", p.status)
	}

	c := e.client()
	res, err := http.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if rp := res.Header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("Referrer-Policy %q on the link page", rp)
	}
	p = c.get(path)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Välj lösenord", emp.Name, "Regler för lösenordet", "Minst ")

	// Without the page's CSRF token the form is refused.
	if p := c.postRaw(path, url.Values{"password": {"ett-nytt-långt-lösenord-2026"}, "password_repeat": {"ett-nytt-långt-lösenord-2026"}}); p.status != http.StatusForbidden {
		t.Fatalf("a post without the CSRF token: %d", p.status)
	}
	p = c.post(path, url.Values{"password": {"ett-nytt-långt-lösenord-2026"}, "password_repeat": {"ett-annat-lösenord-2026"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Lösenorden är inte lika")
	p = c.post(path, url.Values{"password": {"kort"}, "password_repeat": {"kort"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "minst")

	p = c.post(path, url.Values{"password": {"ett-nytt-långt-lösenord-2026"}, "password_repeat": {"ett-nytt-långt-lösenord-2026"}})
	if p.status != http.StatusSeeOther || p.location != "/" {
		t.Fatalf("set the password: %d → %q\n%.1500s", p.status, p.location, text(p.body))
	}
	home := c.get("/")
	wantStatus(t, home, http.StatusOK)
	mustContain(t, home, emp.Name)
	// The new password signs in elsewhere too.
	other := e.client()
	other.get("/signin")
	if p := other.post("/signin", url.Values{"email": {emp.Email}, "password": {"ett-nytt-långt-lösenord-2026"}}); p.status != http.StatusSeeOther {
		t.Errorf("sign-in with the new password: %d", p.status)
	}

	// Used: a plain 404 that leads to a new link.
	gone := e.client().get(path)
	wantStatus(t, gone, http.StatusNotFound)
	mustContain(t, gone, "Länken fungerar inte", `href="/password/forgot"`)
	wantStatus(t, e.client().get("/link/nonsense"), http.StatusNotFound)
}

// TestPasswordResetPages: the sign-in page leads to the reset form, which
// answers the same for a known and an unknown address; the mail arrives at
// a real SMTP server, and its link sets the password and signs in.
func TestPasswordResetPages(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t)
	const base = "https://distans.example.se"
	m, err := notify.NewMailer(notify.SMTPConfig{URL: srv.URL(), From: "Distans <distans@example.se>", BaseURL: base}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *app.Config) { c.Mailer, c.BaseURL = m, base })
	emp := e.person("bjurholm", account("bjurholm", distans.RoleEmployee))

	c := e.client()
	mustContain(t, c.get("/signin"), `href="/password/forgot"`, "Glömt lösenordet?")
	p := c.get("/password/forgot")
	wantStatus(t, p, http.StatusOK)
	p = c.post("/password/forgot", url.Values{"email": {""}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	var answers []string
	for _, email := range []string{"ingen@bjurholm.example", strings.ToUpper(emp.Email)} {
		p = c.post("/password/forgot", url.Values{"email": {email}})
		wantStatus(t, p, http.StatusOK)
		mustContain(t, p, "Om adressen finns hos oss har vi skickat en länk", "IT-servicedesk")
		answers = append(answers, text(p.body))
	}
	if answers[0] != answers[1] {
		t.Errorf("the answers differ:\n%s\n%s", answers[0], answers[1])
	}
	var mails []smtptest.Message
	for deadline := time.Now().Add(10 * time.Second); len(mails) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mails = srv.Received()
	}
	if len(mails) != 1 || mails[0].To != emp.Email {
		t.Fatalf("mails: %+v", mails)
	}
	path := linkPathRE.FindString(mails[0].Body)
	if !strings.Contains(mails[0].Body, base+path) {
		t.Fatalf("the mail's link:\n%s", mails[0].Body)
	}
	p = c.get(path)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Välj nytt lösenord", emp.Name)
	p = c.post(path, url.Values{"password": {"återställt-lösenord-2026"}, "password_repeat": {"återställt-lösenord-2026"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("set the password: %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, c.get("/"), emp.Name)
}
