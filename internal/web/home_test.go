package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
)

// giveAgreement copies a demo case in state to the person with email, as
// the system imports one, without the employee's signature, and returns it.
func (e *env) giveAgreement(slug, email string, state distans.AgreementState) *distans.Agreement {
	e.t.Helper()
	ctx := e.system(slug)
	me := e.person(slug, email)
	list := e.agreementsOf(slug, distans.AgreementFilter{States: []distans.AgreementState{state}})
	if len(list) == 0 {
		e.t.Fatalf("no demo agreement %s in %s", state, slug)
	}
	ag, err := e.store.FindAgreement(ctx, list[0].ID)
	if err != nil {
		e.t.Fatal(err)
	}
	c := *ag
	c.ID, c.Number, c.PersonID, c.UnitID, c.RenewalOf, c.RenewedBy = "", "", me.ID, me.UnitID, "", ""
	c.Signatures = nil
	for _, s := range ag.Signatures {
		if s.Role != distans.SignerEmployee {
			c.Signatures = append(c.Signatures, s)
		}
	}
	if err := e.store.ImportAgreement(ctx, &c, "Storgatan 1", "Storgatan 1", nil); err != nil {
		e.t.Fatal(err)
	}
	return &c
}

// section is the part of a page from the element with id to the end of its
// section.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

// TestStartPageToday: the start page shows each role what it needs today.
// The employee sees their status and redirection, their agreement with
// its next follow-up, the case under way, their coming desk bookings and
// what waits for their signature, and no manager's queue; the manager sees
// the queue with why each case waits; the switchboard the directory search.
func TestStartPageToday(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	email := account("vara", distans.RoleEmployee)
	e.clearBookings("vara", email)
	o := e.seedOffice("vara", "H7")
	active := e.giveAgreement("vara", email, distans.AgreementActive)
	open := e.giveAgreement("vara", email, distans.AgreementAwaitingSignature)
	if active.NextFollowUpOn == nil {
		t.Fatal("the active demo agreement has no next follow-up")
	}
	today := officeToday(t)
	tomorrow, _ := tomorrowAt("13:00")

	emp := e.as("vara", distans.RoleEmployee)
	p := emp.get("/")
	mustContain(t, p, "Ingen status är angiven för i dag.", "Du har ingen hänvisning.", "Du har inga bokade platser")

	emp.get("/status")
	wantStatus(t, emp.post("/status", url.Values{"date": {day(today)}, "kind": {"away"}, "reason": {"Tandläkarbesök"}}), http.StatusSeeOther)
	wantStatus(t, emp.post("/status/redirect", url.Values{"text": {"I möte hela förmiddagen"}, "until_date": {tomorrow},
		"until_time": {"13:00"}, "target": {"switchboard"}}), http.StatusSeeOther)
	emp.get("/office/sites/" + o.site.ID + "?date=" + day(today.AddDate(0, 0, 1)))
	wantStatus(t, emp.post("/office/bookings", url.Values{"desk_id": {o.desks["H7"].ID}, "date": {day(today.AddDate(0, 0, 1))},
		"part": {"day"}}), http.StatusSeeOther)

	// The store's notices of the same cases: the one about the signature
	// adds nothing to the signature already listed.
	me := e.person("vara", email)
	for _, n := range []*distans.Notification{
		{PersonID: me.ID, Key: "test-sign-" + open.ID, Kind: distans.NotifySignatureNeeded, Link: "/agreements/" + open.ID,
			Params: map[string]string{"number": open.Number}},
		{PersonID: me.ID, Key: "test-expiring-" + active.ID, Kind: distans.NotifyExpiring, Link: "/agreements/" + active.ID,
			Params: map[string]string{"number": active.Number, "days": "30"}},
	} {
		if _, err := e.store.Notify(e.system("vara"), n); err != nil {
			t.Fatal(err)
		}
	}

	p = emp.get("/")
	wantStatus(t, p, http.StatusOK)
	now := section(p.body, "today-heading")
	for _, want := range []string{"I dag (" + day(today) + ")", "Frånvarande", "I möte hela förmiddagen", tomorrow + " 13:00", `href="/status"`} {
		if !strings.Contains(text(now), want) && !strings.Contains(now, want) {
			t.Errorf("today's section lacks %q:\n%s", want, text(now))
		}
	}
	if strings.Contains(p.body, "Tandläkarbesök") {
		t.Error("the private reason for absence is on the start page")
	}
	mine := section(p.body, "agreement-heading")
	for _, want := range []string{active.Number, "Nästa uppföljning", active.NextFollowUpOn.Format("2006-01-02"),
		`href="/agreements/` + active.ID + `"`, "Ärende på gång", open.Number} {
		if !strings.Contains(mine, want) {
			t.Errorf("the agreement section lacks %q:\n%s", want, text(mine))
		}
	}
	booked := section(p.body, "bookings-heading")
	for _, want := range []string{day(today.AddDate(0, 0, 1)), o.site.Name, "H7", "heldag"} {
		if !strings.Contains(text(booked), want) {
			t.Errorf("the bookings section lacks %q:\n%s", want, text(booked))
		}
	}
	waiting := section(p.body, "waiting-heading")
	if !strings.Contains(text(waiting), "Överenskommelse "+open.Number+" väntar på din underskrift") ||
		!strings.Contains(waiting, `href="/agreements/`+open.ID+`"`) {
		t.Errorf("what waits for the employee lacks the signature:\n%s", text(waiting))
	}
	if n := strings.Count(waiting, `href="/agreements/`+open.ID+`"`); n != 1 {
		t.Errorf("the case waiting for a signature is listed %d times, want once:\n%s", n, text(waiting))
	}
	if !strings.Contains(waiting, `href="/agreements/`+active.ID+`"`) || !strings.Contains(text(waiting), "Alla notiser (2 olästa)") {
		t.Errorf("what waits for the employee lacks the unread notice:\n%s", text(waiting))
	}
	for _, other := range []string{`id="queue-heading"`, `action="/directory"`} {
		if strings.Contains(p.body, other) {
			t.Errorf("the employee's start page has %s", other)
		}
	}

	chef := e.as("vara", distans.RoleManager).get("/")
	queue := section(chef.body, "queue-heading")
	if !strings.Contains(text(queue), "Att göra (") || !strings.Contains(queue, `href="/agreements/`) {
		t.Errorf("the manager's start page has no queue with cases:\n%s", text(queue))
	}
	if !strings.Contains(text(queue), "Beslut") && !strings.Contains(text(queue), "underskrift") && !strings.Contains(text(queue), "uppföljning") {
		t.Errorf("the queue does not say why the cases wait:\n%s", text(queue))
	}
	if strings.Contains(chef.body, `action="/directory"`) {
		t.Error("the manager's start page has the switchboard's search")
	}

	vx := e.as("vara", distans.RoleSwitchboard).get("/")
	search := section(vx.body, "search-heading")
	if !strings.Contains(search, `action="/directory"`) || !strings.Contains(search, `name="q"`) || !strings.Contains(search, `<label for="f-home-q">`) {
		t.Errorf("the switchboard's start page has no directory search:\n%s", search)
	}
	if strings.Contains(vx.body, `id="queue-heading"`) {
		t.Error("the switchboard's start page has the manager's queue")
	}
}

// TestSignInPageSaysWhatDistansIs: the sign-in page says what Distans is;
// with the demo loaded it names the demo accounts and their password, and
// without it nothing about them.
func TestSignInPageSaysWhatDistansIs(t *testing.T) {
	t.Parallel()
	plain := newEnv(t).client().get("/signin")
	wantStatus(t, plain, http.StatusOK)
	mustContain(t, plain, "Distans är kommunens system för distansarbete och hybridarbete")
	for _, secret := range []string{demo.Password, "Demokonton", "@vara.example"} {
		if strings.Contains(plain.body, secret) {
			t.Errorf("the sign-in page of an installation without the demo shows %q", secret)
		}
	}

	withDemo := newEnv(t, func(c *app.Config) { c.Demo = true }).client()
	p := withDemo.get("/signin")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Distans är kommunens system", "Demokonton", demo.Password,
		demo.AccountEmail("vara", distans.RoleSwitchboard), "Vara kommun", "Växel", "<summary>Alla demokonton</summary>")
	withDemo.lang = "en"
	mustContain(t, withDemo.get("/signin"), "Distans is the municipality's system", "Demo accounts", demo.Password)
}
