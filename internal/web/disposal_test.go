package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestDisposalPages drives Gallring over HTTP on the demo's Kristianstad:
// the registrator reads the plan with each period and its clause (the
// access logs' 90 days on the municipality's own instruction) and
// disposes now, which the log then shows; the security coordinator holds
// a person's records (an unknown address comes back on the page with the
// input kept), sees the hold and releases it, and may not dispose; an
// employee and an administrator are refused and have no navigation entry.
func TestDisposalPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reg := e.as("kristianstad", distans.RoleRegistrar)

	p := reg.get("/records/disposal")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Gallring</h1>", `href="/records/disposal"`, "Inloggnings- och åtkomstloggar", "90 dagar",
		"Kristianstads kommun, Instruktion för digital kommunikation – informationssäkerhet för användare, Kontroll av IT-användning",
		"Dataskyddsförordningen (EU) 2016/679, Artikel 5.1 e", "24 månader", "delete_expired_sessions", "Gallra nu",
		"Inget har gallrats ännu.")
	if strings.Count(p.body, "<h1") != 1 || strings.Contains(p.body, `action="/records/disposal/holds"`) {
		t.Error("not one h1, or the registrator is offered the hold form")
	}
	p = reg.post("/records/disposal", nil)
	wantStatus(t, p, http.StatusSeeOther)
	p = reg.get("/records/disposal")
	if !strings.Contains(p.body, "Gallringen är gjord.") && !strings.Contains(p.body, "Det fanns inget att gallra.") {
		t.Errorf("no message after disposal: %s", text(p.body))
	}

	sec := e.as("kristianstad", distans.RoleSecurity)
	p = sec.get("/records/disposal")
	wantStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, "Gallra nu") {
		t.Error("the security coordinator is offered to dispose")
	}
	wantStatus(t, sec.post("/records/disposal", nil), http.StatusForbidden)
	p = sec.post("/records/disposal/holds", url.Values{"email": {"ingen@example.org"}, "reason": {"Utredning"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `value="ingen@example.org"`, "Ingen person med den e-postadressen.", "Utredning")
	emp := demo.AccountEmail("kristianstad", distans.RoleEmployee)
	p = sec.post("/records/disposal/holds", url.Values{"email": {emp}, "type": {"access_log"}, "reason": {"Utredning av IT-användning"}})
	wantStatus(t, p, http.StatusSeeOther)
	p = sec.get("/records/disposal")
	mustContain(t, p, "Uppgifterna hålls kvar.", "Utredning av IT-användning", "/release")
	i := strings.Index(p.body, `action="/records/disposal/holds/`)
	id := strings.TrimSuffix(p.body[i+len(`action="/records/disposal/holds/`):][:36], "/")
	wantStatus(t, reg.post("/records/disposal/holds/"+id+"/release", nil), http.StatusForbidden)
	wantStatus(t, sec.post("/records/disposal/holds/"+id+"/release", nil), http.StatusSeeOther)
	mustContain(t, sec.get("/records/disposal"), "Kvarhållandet är släppt.", "Släppt ")
	wantStatus(t, sec.post("/records/disposal/holds/"+id+"/release", nil), http.StatusNotFound)

	for _, role := range []distans.Role{distans.RoleEmployee, distans.RoleAdmin} {
		c := e.as("kristianstad", role)
		p := c.get("/records/disposal")
		wantStatus(t, p, http.StatusForbidden)
		if strings.Contains(p.body, `href="/records/disposal"`) {
			t.Errorf("%s is offered disposal", role)
		}
		wantStatus(t, c.post("/records/disposal", nil), http.StatusForbidden)
	}
}
