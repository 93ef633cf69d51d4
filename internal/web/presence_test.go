package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/distans/distans"
)

// fold drops diacritics: "Åström" → "Astrom".
func fold(s string) string {
	out, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	return out
}

// tomorrowAt is tomorrow at hh:mm in Stockholm, as the form types it and
// as the pages show it.
func tomorrowAt(hhmm string) (date, shown string) {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	d := time.Now().In(loc).AddDate(0, 0, 1).Format(time.DateOnly)
	return d, d + " " + hhmm
}

func TestPresenceRedirect(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("sorsele")
	me := e.person("sorsele", account("sorsele", distans.RoleEmployee))
	c := e.as("sorsele", distans.RoleEmployee)
	wantStatus(t, c.get("/status"), http.StatusOK)
	day, shown := tomorrowAt("13:00")

	// A private phone: refused citing Sorsele 004 §4, nothing saved.
	p := c.post("/status/redirect", url.Values{"text": {"I möte"}, "until_date": {day}, "until_time": {"13:00"}, "target": {"private"}})
	wantFieldError(t, p, "target", "")
	mustContain(t, p, "privat telefon", "4. När du inte kan vara tillgänglig på telefon", "Sorsele kommun")
	if _, err := e.store.FindRedirect(ctx, me.ID, time.Now()); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatalf("a refused redirect was saved: %v", err)
	}

	// A valid redirect and an away status with a private reason.
	wantStatus(t, c.post("/status/redirect", url.Values{"text": {"I möte"}, "until_date": {day}, "until_time": {"13:00"}, "target": {"switchboard"}}), http.StatusSeeOther)
	today := time.Now().In(mustLoc(t)).Format(time.DateOnly)
	wantStatus(t, c.post("/status", url.Values{"date": {today}, "kind": {"away"}, "reason": {"Tandläkarbesök"}}), http.StatusSeeOther)
	mine := c.get("/status")
	mustContain(t, mine, "I möte", shown, "Frånvarande", "Tandläkarbesök", "Jag är tillbaka")

	// The switchboard sees where and until when, never why.
	vx := e.as("sorsele", distans.RoleSwitchboard)
	hit := vx.get("/directory?q=" + url.QueryEscape(me.Name))
	wantStatus(t, hit, http.StatusOK)
	mustContain(t, hit, me.Name, "I möte", shown, "Frånvarande", "Jourtelefoner just nu")
	if strings.Contains(hit.body, "Tandläkarbesök") {
		t.Fatal("the reason for absence reached the switchboard")
	}
	if strings.Contains(c.get("/directory?q="+url.QueryEscape(me.Name)).body, "Jourtelefoner just nu") {
		t.Error("the on-call list is shown to an employee in the directory")
	}

	// Back early.
	c.get("/status")
	wantStatus(t, c.post("/status/redirect/clear", nil), http.StatusSeeOther)
	if _, err := e.store.FindRedirect(ctx, me.ID, time.Now()); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatalf("the redirect is still there: %v", err)
	}

	// At a site: the switchboard reads which.
	site := &distans.Site{Name: "Kommunhuset i Sorsele", Kind: distans.SiteMain}
	if err := e.store.CreateSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	c.get("/status")
	wantStatus(t, c.post("/status", url.Values{"date": {today}, "kind": {"site"}, "site_id": {site.ID}}), http.StatusSeeOther)
	mustContain(t, vx.get("/directory?q="+url.QueryEscape(me.Name)), me.Name, "Kommunhuset i Sorsele")
}

func mustLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDirectoryDiacriticsAndKeywords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	people, _, err := e.store.ListPeople(e.system("sorsele"), distans.PersonFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var name string
	for _, p := range people {
		if strings.ContainsAny(p.Name, "åäöÅÄÖ") {
			name = p.Name
			break
		}
	}
	if name == "" {
		t.Fatal("no demo name with å, ä or ö in Sorsele")
	}
	c := e.as("sorsele", distans.RoleEmployee)
	q := strings.ToLower(fold(name))
	if q == strings.ToLower(name) {
		t.Fatalf("folding %q changed nothing", name)
	}
	mustContain(t, c.get("/directory?q="+url.QueryEscape(q)), name)

	// Keywords save and are found.
	c.get("/profile/keywords")
	wantStatus(t, c.post("/profile/keywords", url.Values{"keywords": {"Bostadsanpassning\nbygglov"}}), http.StatusSeeOther)
	mustContain(t, c.get("/profile/keywords"), "Bostadsanpassning")
	mustContain(t, c.get("/directory?q=bostadsanpassning"), "Bostadsanpassning")
	p := c.post("/profile/keywords", url.Values{"keywords": {"x"}, "work_mobile": {"ring mig"}})
	wantFieldError(t, p, "work_mobile", "ring mig")

	// Managers see who has no keywords; employees may not.
	wantStatus(t, c.get("/directory/missing-keywords"), http.StatusForbidden)
	wantStatus(t, e.as("sorsele", distans.RoleManager).get("/directory/missing-keywords"), http.StatusOK)
}

func TestPhoneHoursPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.person("sorsele", account("sorsele", distans.RoleEmployee))
	c := e.as("sorsele", distans.RoleEmployee)
	form := c.get("/phone-hours")
	wantStatus(t, form, http.StatusOK)
	if strings.Contains(form.body, "exception.reason") {
		t.Error("the exception is offered to an employee")
	}
	// One hour a week: refused with the clause, nothing saved.
	p := c.post("/phone-hours", url.Values{"rows": {"5"}, "sessions[0].weekday": {"mon"}, "sessions[0].start": {"09:00"}, "sessions[0].end": {"10:00"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Telefontiderna kan inte sparas", "Sorsele kommun, Policy för telefoni, mobilteknisk utrustning samt e-postanvändning, 3. Telefontider")
	if _, err := e.store.FindPhoneHours(e.system("sorsele"), me.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatalf("refused hours were saved: %v", err)
	}
	// A bad time is marked on its own row.
	p = c.post("/phone-hours", url.Values{"sessions[2].weekday": {"tue"}, "sessions[2].start": {"9"}, "sessions[2].end": {"10:00"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.body, `id="f-sessions[2]-start" name="sessions[2].start" type="time" value="9" aria-describedby="f-sessions[2]-start-hint f-sessions[2]-start-error" aria-invalid="true"`) {
		t.Errorf("the bad time is not marked on its row:\n%.1500s", text(p.body))
	}
	// Five hours, regular, but no exception: Sorsele 004 §3 allows no phone
	// hours without the kommunchef's decision.
	v := url.Values{}
	for i, d := range distans.Weekdays[:5] {
		v.Set(fmtSession(i, "weekday"), d)
		v.Set(fmtSession(i, "start"), "09:00")
		v.Set(fmtSession(i, "end"), "10:00")
	}
	p = c.post("/phone-hours", v)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Telefontiderna kan inte sparas", "kommunchefen har beslutat om undantag", "e-postanvändning, 3. Telefontider")
	if _, err := e.store.FindPhoneHours(e.system("sorsele"), me.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatalf("hours without an exception were saved: %v", err)
	}
	// The approving role sees the decision fields on the unit's hours, and
	// records the exception with them.
	boss := e.as("sorsele", distans.PhoneHoursApprover)
	if !strings.Contains(boss.get("/phone-hours?unit="+me.UnitID).body, `name="exception.reason"`) {
		t.Error("no exception fields for the approving role")
	}
	short := url.Values{"unit_id": {me.UnitID}, "exception.reason": {"Handläggarna tar emot samtal på fasta tider"},
		"sessions[0].weekday": {"mon"}, "sessions[0].start": {"09:00"}, "sessions[0].end": {"10:00"}}
	p = boss.post("/phone-hours", short)
	wantStatus(t, p, http.StatusUnprocessableEntity) // an exception does not waive the five hours
	mustContain(t, p, "minst 5 timmar per vecka")
	v.Del("csrf_token") // the employee's, set by the post above
	v.Set("unit_id", me.UnitID)
	v.Set("exception.reason", "Handläggarna tar emot samtal på fasta tider")
	p = boss.post("/phone-hours", v)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Telefontiderna är sparade.", "Regelverket säger", "Sorsele kommun", "e-postanvändning, 3. Telefontider",
		"Undantag beslutat av", "Handläggarna tar emot samtal på fasta tider")
	// The decision stands when the unit's manager moves the hours later.
	chef := e.as("sorsele", distans.RoleManager)
	chef.get("/phone-hours?unit=" + me.UnitID)
	v.Del("csrf_token")
	v.Del("exception.reason")
	v.Set(fmtSession(0, "start"), "08:00")
	v.Set(fmtSession(0, "end"), "09:00")
	wantStatus(t, chef.post("/phone-hours", v), http.StatusOK)
	h, err := e.store.FindPhoneHours(e.system("sorsele"), me.UnitID)
	if err != nil || len(h.Sessions) != 5 || h.Sessions[0].Start != "08:00" || h.Exception == nil ||
		h.Exception.Reason != "Handläggarna tar emot samtal på fasta tider" {
		t.Fatalf("hours not saved with the decision: %v %+v", err, h)
	}
}

func fmtSession(i int, part string) string {
	return "sessions[" + string(rune('0'+i)) + "]." + part
}

func TestOnCallPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("sorsele")
	units, err := e.store.ListUnits(ctx, distans.UnitFilter{})
	if err != nil || len(units) == 0 {
		t.Fatal(err)
	}
	before, err := e.store.ListOnCallPhones(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	admin := e.as("sorsele", distans.RoleAdmin)
	admin.get("/on-call")
	wantFieldError(t, admin.post("/on-call", url.Values{"unit_id": {units[0].ID}, "name": {"Socialjouren"}, "number": {"ring"}}), "number", "ring")
	wantStatus(t, admin.post("/on-call", url.Values{"unit_id": {units[0].ID}, "name": {"Socialjouren"}, "number": {"0952-140 00"}}), http.StatusSeeOther)
	all, err := e.store.ListOnCallPhones(ctx, "")
	if err != nil || len(all) != len(before)+1 {
		t.Fatalf("phones: %v %d, want %d", err, len(all), len(before)+1)
	}
	var phones []*distans.OnCallPhone
	for _, p := range all {
		if p.Name == "Socialjouren" {
			phones = append(phones, p)
		}
	}
	if len(phones) != 1 {
		t.Fatalf("%d phones named Socialjouren", len(phones))
	}
	me := e.person("sorsele", account("sorsele", distans.RoleEmployee))
	loc := mustLoc(t)
	now := time.Now().In(loc)
	admin.get("/on-call")
	wantStatus(t, admin.post("/on-call/duties", url.Values{"phone_id": {phones[0].ID}, "person_id": {me.ID},
		"starts": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "ends": {now.Add(5 * time.Hour).Format("2006-01-02T15:04")}}), http.StatusSeeOther)

	// Everyone sees the list and who is on duty; only keepers get the forms.
	emp := e.as("sorsele", distans.RoleEmployee)
	list := emp.get("/on-call")
	mustContain(t, list, "Socialjouren", "0952-140 00", me.Name)
	if strings.Contains(list.body, `action="/on-call"`) {
		t.Error("an employee is offered the form to add on-call phones")
	}
	mustContain(t, e.as("sorsele", distans.RoleSwitchboard).get("/directory"), "Socialjouren", me.Name)
}

func TestPresenceTenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.person("vara", account("vara", distans.RoleEmployee))
	c := e.as("sorsele", distans.RoleHR)
	wantStatus(t, c.get("/status?person="+other.ID), http.StatusNotFound)
	wantStatus(t, c.get("/phone-hours?person="+other.ID), http.StatusNotFound)
	c.get("/status")
	wantStatus(t, c.post("/status/redirect/clear", url.Values{"person_id": {other.ID}}), http.StatusNotFound)
	p := c.post("/status", url.Values{"person_id": {other.ID}, "date": {time.Now().In(mustLoc(t)).Format(time.DateOnly)}, "kind": {"remote"}})
	wantStatus(t, p, http.StatusNotFound)
	if strings.Contains(c.get("/directory?q="+url.QueryEscape(other.Name)).body, other.Email) {
		t.Error("another organisation's person is in the directory")
	}
}
