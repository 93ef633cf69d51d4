package web_test

import (
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/distans/distans"
)

var (
	csvHrefRE = regexp.MustCompile(`href="data:text/csv;charset=utf-8;base64,([^"]+)" download="(inbjudningar-[0-9-]+\.csv)"`)
)

// TestInvitationBatchPages: the administrator is offered the form on the
// people list (without a count, which costs more than the list at tens of
// thousands of people), invites everyone pending in one go, and gets the
// links as a CSV file (UTF-8 with BOM, ";") and a table; then nobody is
// left. Those who may not set passwords in
// the whole organisation are neither offered the form nor let through.
func TestInvitationBatchPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.as("vara", distans.RoleAdmin)
	list := admin.get("/people")
	wantStatus(t, list, http.StatusOK)
	mustContain(t, list, `action="/invitations"`, `name="back" value="/people"`, "Bjud in alla som saknar lösenord</button>")
	want, err := e.svc.Links.PendingInvitations(e.system("vara"))
	if err != nil {
		t.Fatal(err)
	}
	if want == 0 {
		t.Fatal("nobody is pending in the demo organisation")
	}

	for _, role := range []distans.Role{distans.RoleEmployee, distans.RoleManager, distans.RoleIT} {
		c := e.as("vara", role)
		if p := c.get("/people"); strings.Contains(p.body, `action="/invitations"`) {
			t.Errorf("%s is offered the form", role)
		}
		if p := c.post("/invitations", url.Values{"back": {"/people"}}); p.status != http.StatusForbidden {
			t.Errorf("%s invited everyone: %d", role, p.status)
		}
	}

	p := admin.post("/invitations", url.Values{"back": {"/people"}})
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, strconv.Itoa(want)+" inbjudningar skapade.", "Länkar att lämna över", "Ladda ner alla länkar som CSV-fil",
		`href="/people"`)
	if p.header.Get("Cache-Control") != "no-store" || p.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("headers of the page with the links: %v", p.header)
	}
	if n := strings.Count(p.body, "<h1"); n != 1 {
		t.Errorf("%d h1 on the page", n)
	}
	cm := csvHrefRE.FindStringSubmatch(p.body)
	if cm == nil {
		t.Fatalf("no CSV download on the page:\n%.2000s", p.body)
	}
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(cm[1]))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
	if len(lines) != want+1 || lines[0] != "\uFEFFnamn;e-post;länk;giltig till" {
		t.Fatalf("CSV of %d lines, want %d; header %q", len(lines), want+1, lines[0])
	}
	// Every link in the file opens the page to choose a password; the
	// table shows the first 50 of them.
	first := strings.Split(lines[1], ";")
	if len(first) != 4 || !strings.HasPrefix(first[2], e.srv.URL+"/link/") {
		t.Fatalf("CSV row %q", lines[1])
	}
	if !strings.Contains(p.body, first[2]) {
		t.Error("the first link is not in the table")
	}
	if got := strings.Count(p.body, e.srv.URL+"/link/"); got != min(want, 50) {
		t.Errorf("%d links in the table, want %d", got, min(want, 50))
	}
	c := e.client()
	if lp := c.get(strings.TrimPrefix(first[2], e.srv.URL)); lp.status != http.StatusOK || !strings.Contains(lp.body, first[0]) {
		t.Errorf("the link of %s: %d", first[0], lp.status)
	}

	// Nobody is left: a second post invites nobody.
	p = admin.post("/invitations", url.Values{"back": {"https://evil.example/"}})
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Ingen behövde en inbjudan")
	if strings.Contains(p.body, "evil.example") {
		t.Error("the back link leaves the site")
	}
}
