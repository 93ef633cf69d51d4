package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestStaticAndSSO(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	p := c.get("/signin")
	m := regexp.MustCompile(`href="(/static/style\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no hashed style sheet link")
	}
	res, err := http.Get(e.srv.URL + m[1])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") ||
		!strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("style sheet: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
	wantStatus(t, c.get("/static/style.000000000000.css"), http.StatusNotFound)
	js := regexp.MustCompile(`<script src="(/static/enhance\.[0-9a-f]{12}\.js)" defer>`).FindStringSubmatch(p.body)
	if js == nil {
		t.Fatal("no hashed script")
	}
	if res, err := http.Get(e.srv.URL + js[1]); err != nil {
		t.Fatal(err)
	} else if res.Body.Close(); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("script: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}

	// The SSO chooser goes to the organisation's SSO start; an organisation
	// without single sign-on goes back to sign-in with a message.
	p = c.get("/signin/sso?sso_org=vara")
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/signin/sso/vara" {
		t.Fatalf("→ %q", p.location)
	}
	p = c.get(p.location)
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/signin" {
		t.Fatalf("SSO without a provider → %q", p.location)
	}
	back := c.get("/signin")
	if !strings.Contains(back.body, `class="flash error"`) {
		t.Errorf("no message after a failed SSO start:\n%.800s", text(back.body))
	}
	// A callback without the state cookie is refused.
	p = c.get("/signin/sso/vara/callback?code=x&state=y")
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/signin" {
		t.Errorf("callback without state → %q", p.location)
	}
}
