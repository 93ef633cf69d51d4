package app_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
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
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestBadTextRefusedAtTheEdge sends a NUL character and bytes that are not
// UTF-8 in the path, the query, a form and a JSON body of pages and API
// routes, before and after signing in, on SQLite and PostgreSQL. Every one
// is refused with 422 and a message, alike on both databases, and nothing
// is stored. PostgreSQL used to answer 500 and SQLite to store the NUL.
func TestBadTextRefusedAtTheEdge(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		badInputs(t, "sqlite:"+filepath.Join(t.TempDir(), "distans.db"))
	})
	if dsn := os.Getenv(storetest.PostgresEnv); dsn != "" {
		t.Run("postgres", func(t *testing.T) {
			t.Parallel()
			badInputs(t, postgresSchema(t, dsn))
		})
	}
}

func badInputs(t *testing.T, dsn string) {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: dsn, Demo: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)

	org, err := a.Store.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), "vara")
	if err != nil {
		t.Fatal(err)
	}
	sys := distans.NewContext(ctx, distans.SystemActor(org.ID))
	lastEvent := func() int64 {
		t.Helper()
		evs, err := a.Store.ListAuditEvents(sys, distans.AuditFilter{Limit: 1})
		if err != nil || len(evs) == 0 {
			t.Fatalf("audit: %v", err)
		}
		return evs[0].Seq
	}

	anon := newBrowser(t, srv.URL)
	anon.get("/signin")
	admin := newBrowser(t, srv.URL)
	admin.get("/signin")
	if st, text := admin.send("POST", "/signin", formBody(url.Values{"email": {demo.AccountEmail("vara", distans.RoleAdmin)}, "password": {demo.Password}}), "application/x-www-form-urlencoded"); st != http.StatusSeeOther {
		t.Fatalf("sign in: %d\n%.500s", st, text)
	}
	admin.get("/units/new")
	person := demo.AccountEmail("vara", distans.RoleEmployee)
	people, _, err := a.Store.ListPeople(sys, distans.PersonFilter{Query: person, Limit: 1})
	if err != nil || len(people) != 1 {
		t.Fatalf("person: %v", err)
	}
	pid := people[0].ID

	// Each bad text as it travels in a URL (escaped) and in JSON.
	bad := []struct{ name, url, json string }{
		{"NUL", "%00", `\u0000`},
		{"invalid UTF-8", "%ff%fe", "\xff\xfe"},
		{"NUL inside a word", "x%00@y.example", `x\u0000@y.example`},
	}
	type route struct {
		who          *browser
		method, path string
		form         func(b string) url.Values // b is the raw bad text
		json         func(b string) string     // b as it stands in JSON
	}
	pages := []route{
		{who: anon, method: "POST", path: "/signin", form: func(b string) url.Values {
			return url.Values{"email": {"x" + b + "@y.example"}, "password": {"whatever"}}
		}},
		{who: admin, method: "GET", path: "/people?q=%s"},
		{who: admin, method: "GET", path: "/people/%s"},
		{who: admin, method: "GET", path: "/directory?q=%s"},
		{who: admin, method: "GET", path: "/audit?q=%s"},
		{who: admin, method: "GET", path: "/units/%s/edit"},
		{who: admin, method: "GET", path: "/documents/%s"},
		{who: admin, method: "POST", path: "/units", form: func(b string) url.Values { return url.Values{"name": {"Enhet " + b}, "kind": {"enhet"}} }},
		{who: admin, method: "POST", path: "/sites", form: func(b string) url.Values { return url.Values{"name": {b}, "kind": {"main"}} }},
		{who: admin, method: "POST", path: "/people/" + pid, form: func(b string) url.Values { return url.Values{"name": {"Namn" + b}, "email": {person}} }},
		{who: admin, method: "POST", path: "/people/%s/unlock"},
		{who: admin, method: "POST", path: "/lang", form: func(b string) url.Values { return url.Values{"lang": {"en"}, "next": {"/" + b}} }},
		{who: admin, method: "GET", path: "/api/v1/people?q=%s"},
		{who: admin, method: "GET", path: "/api/v1/people/%s"},
		{who: admin, method: "GET", path: "/api/v1/audit-events?q=%s"},
		{who: admin, method: "GET", path: "/api/v1/directory?q=%s"},
		{who: admin, method: "GET", path: "/api/v1/units/%s"},
		{who: admin, method: "POST", path: "/api/v1/units", json: func(b string) string { return `{"name":"Enhet ` + b + `","kind":"enhet"}` }},
		{who: admin, method: "POST", path: "/api/v1/sites", json: func(b string) string { return `{"name":"` + b + `","kind":"main"}` }},
		{who: admin, method: "PATCH", path: "/api/v1/people/" + pid, json: func(b string) string { return `{"name":"Namn` + b + `"}` }},
		{who: admin, method: "PUT", path: "/api/v1/me/directory-profile", json: func(b string) string { return `{"keywords":["` + b + `"]}` }},
	}
	before := lastEvent()
	for _, rt := range pages {
		for _, b := range bad {
			name := rt.method + " " + rt.path + " " + b.name
			path := strings.ReplaceAll(rt.path, "%s", b.url)
			raw, _ := url.PathUnescape(b.url)
			var body io.Reader
			ct := ""
			switch {
			case rt.form != nil:
				body, ct = formBody(rt.form(raw)), "application/x-www-form-urlencoded"
			case rt.json != nil:
				body, ct = strings.NewReader(rt.json(b.json)), "application/json"
			case !strings.Contains(rt.path, "%s"):
				t.Fatalf("%s: nothing bad to send", name)
			}
			status, text := rt.who.send(rt.method, path, body, ct)
			if status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422\n%.300s", name, status, text)
				continue
			}
			if !strings.Contains(text, "NUL") || !strings.Contains(text, "UTF-8") {
				t.Errorf("%s: no message saying what is wrong:\n%.300s", name, text)
			}
			if strings.HasPrefix(path, "/api/") == strings.Contains(text, "<html") {
				t.Errorf("%s: a page must answer a page, the API JSON:\n%.200s", name, text)
			}
		}
	}
	if after := lastEvent(); after != before {
		t.Errorf("bad input changed something: audit trail went from %d to %d", before, after)
	}
}

// browser keeps cookies and the CSRF token of the last page it saw.
type browser struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (b *browser) get(path string) { b.send("GET", path, nil, "") }

// send makes a request as the browser would, with the page's CSRF token in
// the form or, for JSON, in the header.
func (b *browser) send(method, path string, body io.Reader, ct string) (int, string) {
	b.t.Helper()
	if ct == "application/x-www-form-urlencoded" && b.csrf != "" {
		raw, _ := io.ReadAll(body)
		body = strings.NewReader(string(raw) + "&csrf_token=" + url.QueryEscape(b.csrf))
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		// A path Go will not even send is no test of the server.
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if b.csrf != "" {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if m := csrfRE.FindSubmatch(raw); m != nil {
		b.csrf = html.UnescapeString(string(m[1]))
	}
	return res.StatusCode, string(raw)
}

func formBody(v url.Values) io.Reader { return strings.NewReader(v.Encode()) }

// postgresSchema returns a DSN for a fresh schema on the server at dsn,
// dropped when the test ends.
func postgresSchema(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "distans_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
