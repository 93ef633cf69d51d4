package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/distans/distans/internal/demo"
)

// syncBuffer collects a goroutine's output for the test to read.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// runCmd runs one subcommand to completion and returns its standard output
// and its error, which carries what it wrote to standard error.
func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runCmdIn(t, "", args...)
}

// runCmdIn is runCmd with stdin as the command's standard input.
func runCmdIn(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut syncBuffer
	err := run(context.Background(), args, env(nil), strings.NewReader(stdin), &out, &errOut)
	if err != nil {
		err = fmt.Errorf("%w\n%s", err, errOut.String())
	}
	return out.String(), err
}

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	} else if err != nil {
		return 1
	}
	return 0
}

// TestRun boots the real program on port 0 with a fresh SQLite database and
// the demo, drives it over HTTP, uses the operator commands beside it, and
// stops it the way SIGTERM does.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "distans.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	key := filepath.Join(dir, "audit.pem")
	if out, err := runCmd(t, "audit", "key", "-o", key); err != nil {
		t.Fatalf("audit key: %v\n%s", err, out)
	}

	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-db", db, "-demo",
			"-audit-key", key, "-audit-checkpoints", filepath.Join(dir, "checkpoints.jsonl")}, env(nil), strings.NewReader(""), pw, &stderr)
		pw.Close()
	}()
	addrRE := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	sc := bufio.NewScanner(pr)
	var base string
	for sc.Scan() {
		if m := addrRE.FindString(sc.Text()); m != "" {
			base = m
			break
		}
	}
	if base == "" {
		t.Fatalf("no address printed; stderr:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "audit checkpoints on") {
		t.Errorf("the audit key is not taken up:\n%s", stderr.String())
	}
	go io.Copy(io.Discard, pr)

	get := func(c *http.Client, path string) (int, string) {
		t.Helper()
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	plain := &http.Client{Timeout: 10 * time.Second}
	for _, tc := range []struct {
		path, want string
	}{
		{"/healthz", "ok"},
		{"/readyz", "ready"},
		{"/metrics", "distans_db_open_connections"},
		{"/api/v1/openapi.json", `"openapi"`},
	} {
		if code, body := get(plain, tc.path); code != 200 || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s = %d %.200q, want 200 with %q", tc.path, code, body, tc.want)
		}
	}
	if code, body := get(plain, "/metrics"); !strings.Contains(body, `route="GET /healthz"`) {
		t.Errorf("metrics lack the route label: %d %.300s", code, body)
	}

	// Sign in through the form, as a browser would.
	var hr demo.Account
	for _, a := range demo.Accounts() {
		if a.Org == "stockholm" && a.Role == "hr" {
			hr = a
		}
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	_, page := get(browser, "/signin")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("sign-in form has no CSRF token:\n%.500s", page)
	}
	res, err := browser.PostForm(base+"/signin", url.Values{"csrf_token": {m[1]}, "email": {hr.Email}, "password": {hr.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if code, body := get(browser, "/"); code != 200 || !strings.Contains(body, hr.Name) {
		t.Errorf("start page after sign-in = %d, want 200 naming %s", code, hr.Name)
	}

	// An API token from the command line works against the running server.
	out, err := runCmd(t, "token", "create", "-db", db, "-org", "stockholm", "-email", hr.Email)
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	token := strings.TrimSpace(out)
	req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err = plain.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	me, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(me), hr.Email) {
		t.Errorf("GET /api/v1/me = %d %.300s", res.StatusCode, me)
	}
	if out, err := runCmd(t, "token", "create", "-db", db, "-org", "stockholm", "-email", "nobody@stockholm.example"); exitCode(err) != 1 {
		t.Errorf("token for an unknown person: %v %s", err, out)
	}

	// A backup taken while the server runs holds every record.
	backup := filepath.Join(dir, "backup.db")
	if out, err := runCmd(t, "backup", "-db", db, "-o", backup); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "backup", "-db", db, "-o", backup); exitCode(err) != 1 {
		t.Errorf("backup over an existing file: %v %s", err, out)
	}
	if n, m := countPeople(t, db), countPeople(t, "sqlite:"+backup); n == 0 || n != m {
		t.Errorf("backup has %d people, the database %d", m, n)
	}
	if out, err := runCmd(t, "audit", "verify", "-db", "sqlite:"+backup); err != nil {
		t.Errorf("audit verify on the backup: %v\n%s", err, out)
	}

	// SIGTERM: the context ends and run returns cleanly.
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}

	// Tampering with the trail is found and named.
	if out, err := runCmd(t, "audit", "verify", "-db", db); err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, "distans.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_events SET summary = summary || ' (ändrad)' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, err = runCmd(t, "audit", "verify", "-db", db)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "event 3") {
		t.Errorf("audit verify after tampering = %v (exit %d), want exit 1 naming event 3\n%s", err, exitCode(err), out)
	}
}

func countPeople(t *testing.T, dsn string) int {
	t.Helper()
	db, err := sql.Open("sqlite", strings.TrimPrefix(dsn, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM people`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"version"}, 0, "distans"},
		{[]string{"help"}, 0, "audit verify"},
		{[]string{"nonsense"}, 2, "okänt kommando"},
		{[]string{"token"}, 2, "token create"},
		{[]string{"audit"}, 2, "audit verify"},
		{[]string{"serve", "-db", "mysql://x"}, 2, "sqlite:PATH"},
		{[]string{"backup"}, 2, "-o"},
		{[]string{"audit", "key"}, 2, "-o"},
		{[]string{"serve", "-audit-key", "/nonexistent/audit.pem"}, 2, "audit key"},
		{[]string{"serve", "-audit-checkpoints", "/tmp/cp.jsonl"}, 2, "needs a key"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			out, err := runCmd(t, tt.args...)
			if exitCode(err) != tt.code {
				t.Fatalf("exit %d (%v), want %d", exitCode(err), err, tt.code)
			}
			if msg := out + errString(err); !strings.Contains(msg, tt.want) {
				t.Errorf("output %q lacks %q", msg, tt.want)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
