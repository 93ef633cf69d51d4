package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/importrun"
	"github.com/distans/distans/internal/sqlstore"
)

// The demo organisations are loaded once per test binary into a template
// database; each test copies the file and opens a store of its own.
var (
	templateOnce sync.Once
	templateDir  string
	templateErr  error
)

func templateDB() (string, error) {
	templateOnce.Do(func() {
		templateDir, templateErr = os.MkdirTemp("", "distans-web-test-")
		if templateErr != nil {
			return
		}
		ctx := context.Background()
		path := filepath.Join(templateDir, "template.db")
		var store *sqlstore.Store
		if store, templateErr = sqlstore.Open(ctx, "sqlite:"+path); templateErr != nil {
			return
		}
		if templateErr = store.Migrate(ctx); templateErr == nil {
			templateErr = app.LoadDemo(ctx, store, nil)
		}
		if err := store.Close(); templateErr == nil {
			templateErr = err
		}
	})
	return filepath.Join(templateDir, "template.db"), templateErr
}

func TestMain(m *testing.M) {
	code := m.Run()
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	os.Exit(code)
}

// env is one test's running Distans: the store (for checking what a request
// changed) and the server.
type env struct {
	t       testing.TB
	store   *sqlstore.Store
	svc     distans.Services
	srv     *httptest.Server
	imports *importrun.Service // for running its worker
}

// newEnv starts Distans on a copy of the demo database; opts change the
// configuration cmd/distans would give it.
func newEnv(t testing.TB, opts ...func(*app.Config)) *env {
	t.Helper()
	return newEnvAt(t, nil, opts...)
}

// newEnvAt is newEnv whose requests run at the instants now gives (nil:
// the wall clock); the demo in it was loaded at the wall clock.
func newEnvAt(t testing.TB, now func() time.Time, opts ...func(*app.Config)) *env {
	t.Helper()
	src, err := templateDB()
	if err != nil {
		t.Fatalf("demo template: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "distans.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(src + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The real wiring, as cmd/distans does it: pages, API and services.
	cfg := app.Config{DB: "sqlite:" + dst, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now}
	for _, o := range opts {
		o(&cfg)
	}
	a, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, store: a.Store, svc: a.Services, srv: srv, imports: a.Imports}
}

// system is a context acting as the system in an organisation, for
// looking at the store directly.
func (e *env) system(slug string) context.Context {
	e.t.Helper()
	ctx := distans.NewContext(context.Background(), distans.SystemActor(""))
	o, err := e.store.FindOrganisationBySlug(ctx, slug)
	if err != nil {
		e.t.Fatal(err)
	}
	return distans.NewContext(context.Background(), distans.SystemActor(o.ID))
}

// client is a browser: it keeps cookies, does not follow redirects (so
// that tests see them), and remembers the CSRF token of the last page.
type client struct {
	e    *env
	http *http.Client
	csrf string
	lang string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is a response with its body read.
type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (c *client) do(req *http.Request) page {
	c.e.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := page{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
	if m := csrfRE.FindStringSubmatch(p.body); m != nil {
		c.csrf = html.UnescapeString(m[1])
	}
	return p
}

func (c *client) get(path string) page {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form with the CSRF token of the last page.
func (c *client) post(path string, form url.Values) page {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf_token") == "" && c.csrf != "" {
		form.Set("csrf_token", c.csrf)
	}
	return c.postRaw(path, form)
}

func (c *client) postRaw(path string, form url.Values) page {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// signIn signs in as a demo account and loads the start page.
func (c *client) signIn(email string) *client {
	c.e.t.Helper()
	return c.signInTo(email, "")
}

// signInTo signs in to the organisation slug, which an account in several
// organisations must choose ("" for one that is in one only).
func (c *client) signInTo(email, slug string) *client {
	c.e.t.Helper()
	c.get("/signin")
	form := url.Values{"email": {email}, "password": {demo.Password}}
	if slug != "" {
		form.Set("org", slug)
	}
	p := c.post("/signin", form)
	if p.status != http.StatusSeeOther {
		c.e.t.Fatalf("sign in as %s: status %d\n%s", email, p.status, text(p.body))
	}
	if home := c.get("/"); home.status != http.StatusOK {
		c.e.t.Fatalf("start page as %s: %d", email, home.status)
	}
	return c
}

// as returns a signed-in client for the demo account of role in slug.
func (e *env) as(slug string, role distans.Role) *client {
	return e.client().signIn(demo.AccountEmail(slug, role))
}

var tagRE = regexp.MustCompile(`<[^>]+>`)

// text is a page's visible text, for error messages and checks.
func text(body string) string {
	s := tagRE.ReplaceAllString(body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func mustContain(t *testing.T, p page, want ...string) {
	t.Helper()
	txt := text(p.body)
	for _, w := range want {
		if !strings.Contains(txt, w) && !strings.Contains(p.body, w) {
			t.Errorf("page does not contain %q:\n%.2000s", w, txt)
		}
	}
}

func wantStatus(t *testing.T, p page, status int) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d\n%.1500s", p.status, status, text(p.body))
	}
}

// person finds a person by e-mail in an organisation, as the system.
func (e *env) person(slug, email string) *distans.Person {
	e.t.Helper()
	ctx := e.system(slug)
	people, _, err := e.store.ListPeople(ctx, distans.PersonFilter{Query: email, Limit: 5})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range people {
		if p.Email == email {
			return p
		}
	}
	e.t.Fatalf("no person %s in %s", email, slug)
	return nil
}

func account(slug string, role distans.Role) string { return demo.AccountEmail(slug, role) }
