package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// operatorClient makes an operator from the console and signs them in
// through the link page, as the first operator of an installation does.
func operatorClient(t *testing.T, e *env) *client {
	t.Helper()
	inv, err := e.svc.Installation.CreateOperator(distans.NewContext(context.Background(), distans.SystemActor("")),
		"olle@drift.example", "Olle Drift")
	if err != nil {
		t.Fatal(err)
	}
	link := strings.TrimPrefix(inv.URL, e.srv.URL)
	if !strings.HasPrefix(link, "/drift/link/") {
		t.Fatalf("link %q", inv.URL)
	}
	c := e.client()
	wantStatus(t, c.get("/drift"), http.StatusSeeOther)
	p := c.get(link)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "olle@drift.example", "Minst 12 tecken")
	p = c.post(link, url.Values{"password": {"kort"}, "password_again": {"kort"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Lösenordet måste ha minst 12 tecken")
	p = c.post(link, url.Values{"password": {"ett långt drift-lösenord"}, "password_again": {"ett annat"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Lösenorden är inte lika")
	p = c.post(link, url.Values{"password": {"ett långt drift-lösenord"}, "password_again": {"ett långt drift-lösenord"}})
	if p.status != http.StatusSeeOther || p.location != "/drift" {
		t.Fatalf("set the password: %d %s\n%s", p.status, p.location, text(p.body))
	}
	// The link is used up.
	wantStatus(t, c.get(link), http.StatusNotFound)
	return c
}

// TestDriftPages drives the installation's pages: an operator creates an
// organisation, its administrator signs in from the invitation, and the
// operator renames, suspends, resumes and ends it; the operator reaches no
// organisation's page or API, and no organisation's person reaches /drift.
func TestDriftPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := operatorClient(t, e)

	home := op.get("/drift")
	wantStatus(t, home, http.StatusOK)
	mustContain(t, home, "Organisationer i installationen", "Bjurholms kommun", "Olle Drift")
	// Counts, never a person.
	for _, role := range []distans.Role{distans.RoleAdmin, distans.RoleEmployee, distans.RoleHR} {
		p := e.person("bjurholm", account("bjurholm", role))
		if strings.Contains(home.body, p.Name) || strings.Contains(home.body, p.Email) {
			t.Fatalf("the operators' list names %s", p.Name)
		}
	}

	// The operator is nobody on the organisations' pages and API, even
	// with its token presented as an organisation's session or token.
	var token string
	u, _ := url.Parse(e.srv.URL + "/drift")
	for _, ck := range op.http.Jar.Cookies(u) {
		if ck.Name == httpx.OperatorCookie {
			token = ck.Value
		}
	}
	if token == "" {
		t.Fatal("no operator cookie")
	}
	root, _ := url.Parse(e.srv.URL + "/")
	for _, ck := range op.http.Jar.Cookies(root) {
		if ck.Name == httpx.OperatorCookie || ck.Name == httpx.SessionCookie {
			t.Fatalf("a session cookie outside /drift: %v", ck)
		}
	}
	for _, path := range []string{"/", "/people", "/audit", "/policy"} {
		if p := op.get(path); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/signin") {
			t.Errorf("the operator at %s: %d %s", path, p.status, p.location)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/people", nil)
	req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: token})
	if p := e.client().do(req); p.status != http.StatusSeeOther {
		t.Errorf("the operator's token as a session: %d", p.status)
	}
	for _, path := range []string{"/api/v1/me", "/api/v1/people", "/api/v1/organisation"} {
		if s := apiStatus(t, "GET", e.srv.URL+path, "", token); s != http.StatusUnauthorized {
			t.Errorf("the operator's token on %s: %d", path, s)
		}
	}

	// An organisation's administrator is nobody under /drift.
	admin := e.as("bjurholm", distans.RoleAdmin)
	for _, path := range []string{"/drift", "/drift/organisations/new"} {
		if p := admin.get(path); p.status != http.StatusSeeOther || p.location != "/drift/signin" {
			t.Errorf("an organisation admin at %s: %d %s", path, p.status, p.location)
		}
	}
	if p := admin.post("/drift/organisations", url.Values{"slug": {"x"}}); p.status != http.StatusForbidden {
		t.Errorf("an organisation admin posting to /drift: %d", p.status)
	}

	// Creating: bad input comes back on the form, nothing made.
	wantStatus(t, op.get("/drift/organisations/new"), http.StatusOK)
	p := op.post("/drift/organisations", url.Values{"slug": {"Ny Köping"}, "name": {""}, "time_zone": {"Mars/Olympus"},
		"language": {"sv"}, "pack": {"umea"}, "admin_email": {"anna"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Kortnamnet får bara", "Okänd tidszon", "Mallen måste vara en av", "Ange en giltig e-postadress", `value="Ny Köping"`)
	p = op.post("/drift/organisations", url.Values{"slug": {"bjurholm"}, "name": {"Bjurholm igen"}, "time_zone": {"Europe/Stockholm"},
		"language": {"sv"}, "pack": {"generic"}, "admin_email": {"ny@bjurholm.example"}})
	wantStatus(t, p, http.StatusConflict)
	mustContain(t, p, "Kortnamnet används redan")

	p = op.post("/drift/organisations", url.Values{"slug": {"nykoping"}, "name": {"Nyköpings kommun"}, "time_zone": {"Europe/Stockholm"},
		"language": {"sv"}, "pack": {"kristianstad"}, "admin_email": {"Anna@Nykoping.se"}, "admin_name": {"Anna Admin"}})
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Organisationen är skapad", "Nyköpings kommun", "Kopierad från mallen kristianstad", "anna@nykoping.se")
	m := regexp.MustCompile(`<span class="secret">/link/([^<]+)</span>`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no invitation link:\n%s", text(p.body))
	}
	if _, err := e.svc.Links.SetPasswordWithLink(context.Background(), m[1], "Nykoping-2026!"); err != nil {
		t.Fatal(err)
	}
	anna := e.client()
	anna.get("/signin")
	wantStatus(t, anna.post("/signin", url.Values{"email": {"anna@nykoping.se"}, "password": {"Nykoping-2026!"}}), http.StatusSeeOther)
	wantStatus(t, anna.get("/people"), http.StatusOK)
	o, err := e.store.FindOrganisationBySlug(context.Background(), "nykoping")
	if err != nil {
		t.Fatal(err)
	}
	orgPage := "/drift/organisations/" + o.ID
	p = op.get(orgPage)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Nyköpings kommun", "Stäng av organisationen", "Avsluta organisationen")

	// Rename: a slug in use is refused on the form.
	p = op.post(orgPage+"/rename", url.Values{"name": {"Nyköping"}, "slug": {"vara"}})
	wantStatus(t, p, http.StatusConflict)
	mustContain(t, p, "Kortnamnet används redan")
	p = op.post(orgPage+"/rename", url.Values{"name": {"Nyköpings kommun"}, "slug": {"nykoping-kommun"}})
	if p.status != http.StatusSeeOther || p.location != orgPage {
		t.Fatalf("rename: %d %s", p.status, p.location)
	}

	// Suspend: the administrator's session ends and sign-in refuses;
	// the sign-in page offers the organisation no more.
	p = op.post(orgPage+"/status", url.Values{"status": {"suspended"}})
	wantStatus(t, p, http.StatusSeeOther)
	mustContain(t, op.get(orgPage), "Organisationen är avstängd", "Öppna organisationen igen")
	if p := anna.get("/people"); p.status != http.StatusSeeOther {
		t.Fatalf("a session of a suspended organisation: %d", p.status)
	}
	anna = e.client()
	anna.get("/signin")
	wantStatus(t, anna.post("/signin", url.Values{"email": {"anna@nykoping.se"}, "password": {"Nykoping-2026!"}}), http.StatusUnauthorized)
	if p := e.client().get("/signin"); strings.Contains(p.body, `value="nykoping-kommun"`) {
		t.Error("the sign-in page offers a suspended organisation")
	}
	ev, err := e.store.ListAuditEvents(distans.NewContext(context.Background(), distans.SystemActor(o.ID)), distans.AuditFilter{Limit: 1})
	if err != nil || len(ev) != 1 || ev[0].Action != "organisation.suspend" || !strings.Contains(ev[0].ActorName, "Olle Drift") {
		t.Fatalf("audit: %+v %v", ev, err)
	}

	// Resume, then end: only with the slug typed again, and for good.
	wantStatus(t, op.post(orgPage+"/status", url.Values{"status": {"active"}}), http.StatusSeeOther)
	anna.get("/signin")
	wantStatus(t, anna.post("/signin", url.Values{"email": {"anna@nykoping.se"}, "password": {"Nykoping-2026!"}}), http.StatusSeeOther)
	p = op.post(orgPage+"/status", url.Values{"status": {"ended"}, "confirm": {"nykoping"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Skriv organisationens kortnamn exakt")
	wantStatus(t, op.post(orgPage+"/status", url.Values{"status": {"ended"}, "confirm": {"nykoping-kommun"}}), http.StatusSeeOther)
	p = op.get(orgPage)
	mustContain(t, p, "Organisationen är avslutad. Ingen kan logga in")
	if strings.Contains(p.body, "/rename") || strings.Contains(p.body, `name="status"`) {
		t.Error("an ended organisation still offers changes")
	}
	p = op.post(orgPage+"/status", url.Values{"status": {"active"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("resume an ended organisation: %d", p.status)
	}
	mustContain(t, op.get(orgPage), "avslutad och kan inte ändras")
	if p := anna.get("/people"); p.status != http.StatusSeeOther {
		t.Fatalf("a session of an ended organisation: %d", p.status)
	}

	// Without the form's token nothing happens; signing out ends the session.
	if p := op.postRaw("/drift/organisations", url.Values{"slug": {"x"}}); p.status != http.StatusForbidden {
		t.Errorf("a form without its token: %d", p.status)
	}
	p = op.post("/drift/signout", nil)
	if p.status != http.StatusSeeOther || p.location != "/drift/signin" {
		t.Fatalf("sign out: %d %s", p.status, p.location)
	}
	if p := op.get("/drift"); p.status != http.StatusSeeOther {
		t.Fatalf("after signing out: %d", p.status)
	}

	// Signing in again with the password.
	op.get("/drift/signin")
	wantStatus(t, op.post("/drift/signin", url.Values{"email": {"olle@drift.example"}, "password": {"fel lösenord här"}}), http.StatusUnauthorized)
	wantStatus(t, op.post("/drift/signin", url.Values{"email": {"olle@drift.example"}, "password": {"ett långt drift-lösenord"}}), http.StatusSeeOther)
	wantStatus(t, op.get("/drift"), http.StatusOK)
}

// TestDriftRoutesArePageOnly holds every /drift route of routes_drift.go
// to the page-only list of parity_test.go, each with its reason.
func TestDriftRoutesArePageOnly(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("routes_drift.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := regexp.MustCompile(`mux\.Handle\("([A-Z]+ /drift[^"]*)"`).FindAllStringSubmatch(string(src), -1)
	if len(routes) == 0 {
		t.Fatal("no /drift routes found")
	}
	for _, r := range routes {
		if pageOnly[r[1]] == "" {
			t.Errorf("%s is not in pageOnly (parity_test.go) with a reason", r[1])
		}
	}
}
