package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// wantFieldError checks that a re-rendered form marks field as invalid,
// ties the message to it and keeps what was typed.
func wantFieldError(t *testing.T, p page, field, typed string) {
	t.Helper()
	wantStatus(t, p, http.StatusUnprocessableEntity)
	id := "f-" + strings.NewReplacer("_", "-", ".", "-").Replace(field)
	re := regexp.MustCompile(`<(?:input|select|textarea) id="` + id + `"[^>]*aria-describedby="[^"]*` + id + `-error"[^>]*aria-invalid="true"`)
	if !re.MatchString(p.body) {
		t.Errorf("field %s is not marked invalid with its message:\n%.1500s", field, text(p.body))
	}
	if !strings.Contains(p.body, `id="`+id+`-error"`) {
		t.Errorf("no message for %s", field)
	}
	if typed != "" && !strings.Contains(p.body, `value="`+typed+`"`) {
		t.Errorf("the form lost what was typed in %s (%q)", field, typed)
	}
}

func TestUnitAdministration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("vara")
	count := func() int {
		units, err := e.store.ListUnits(ctx, distans.UnitFilter{IncludeEnded: true})
		if err != nil {
			t.Fatal(err)
		}
		return len(units)
	}
	before := count()
	c := e.as("vara", distans.RoleAdmin)
	c.get("/units/new")

	// Invalid: no name, unknown kind. Nothing changes.
	p := c.post("/units", url.Values{"name": {""}, "kind": {"bolag"}, "parent_id": {""}})
	wantFieldError(t, p, "name", "")
	wantFieldError(t, p, "kind", "")
	if count() != before {
		t.Fatal("an invalid unit was stored")
	}

	// Valid.
	p = c.post("/units", url.Values{"name": {"Enheten för provning"}, "code": {" PROV1 "}, "kind": {"enhet"}, "parent_id": {""}})
	wantStatus(t, p, http.StatusSeeOther)
	list := c.get(p.location)
	mustContain(t, list, "Enheten är tillagd.", "Enheten för provning")
	if count() != before+1 {
		t.Fatal("the unit was not stored")
	}
	units, _ := e.store.ListUnits(ctx, distans.UnitFilter{})
	var u *distans.Unit
	for _, x := range units {
		if x.Name == "Enheten för provning" {
			u = x
		}
	}
	if u == nil || u.Code != "PROV1" {
		t.Fatalf("no new unit with its code: %+v", u)
	}
	// A code another unit has is refused on its field.
	p = c.post("/units", url.Values{"name": {"Krocken"}, "code": {"PROV1"}, "kind": {"enhet"}, "parent_id": {""}})
	wantFieldError(t, p, "code", "PROV1")
	mustContain(t, p, "Koden används redan av en annan enhet.")
	if count() != before+1 {
		t.Fatal("a unit with a taken code was stored")
	}
	mustContain(t, c.get("/units/"+u.ID+"/edit"), `value="PROV1"`)

	// Edit: invalid keeps the old name, valid renames.
	c.get("/units/" + u.ID + "/edit")
	p = c.post("/units/"+u.ID, url.Values{"name": {strings.Repeat("x", 201)}, "kind": {"enhet"}})
	wantFieldError(t, p, "name", strings.Repeat("x", 201))
	if got, _ := e.store.FindUnit(ctx, u.ID); got.Name != "Enheten för provning" {
		t.Fatalf("an invalid edit changed the unit: %q", got.Name)
	}
	wantStatus(t, c.post("/units/"+u.ID, url.Values{"name": {"Provningsenheten"}, "kind": {"avdelning"}}), http.StatusSeeOther)
	if got, _ := e.store.FindUnit(ctx, u.ID); got.Name != "Provningsenheten" || got.Kind != distans.UnitDepartment {
		t.Fatalf("edit not saved: %+v", got)
	}

	// End: a bad date changes nothing, then today.
	p = c.post("/units/"+u.ID+"/end", url.Values{"on": {"igår"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got, _ := e.store.FindUnit(ctx, u.ID); got.EndedOn != nil {
		t.Fatal("a bad date ended the unit")
	}
	mustContain(t, c.get(p.location), "Ange ett datum")
	wantStatus(t, c.post("/units/"+u.ID+"/end", nil), http.StatusSeeOther)
	if got, _ := e.store.FindUnit(ctx, u.ID); got.EndedOn == nil {
		t.Fatal("the unit was not ended")
	}
	// HR may not manage units.
	hr := e.as("vara", distans.RoleHR)
	wantStatus(t, hr.post("/units", url.Values{"name": {"HR:s enhet"}, "kind": {"enhet"}}), http.StatusForbidden)
}

func TestSiteAdministration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("vara")
	count := func() int {
		sites, err := e.store.ListSites(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		return len(sites)
	}
	before := count()
	c := e.as("vara", distans.RoleAdmin)
	c.get("/sites/new")
	p := c.post("/sites", url.Values{"name": {"Satelliten"}, "kind": {"satellite"}, "postal_code": {"12"}, "city": {"Vara"}})
	wantFieldError(t, p, "postal_code", "12")
	mustContain(t, p, `value="Satelliten"`, `value="Vara"`)
	if count() != before {
		t.Fatal("an invalid site was stored")
	}
	p = c.post("/sites", url.Values{"name": {"Satelliten"}, "kind": {"satellite"}, "street": {"Storgatan 1"}, "postal_code": {"534 31"}, "city": {"Vara"}})
	wantStatus(t, p, http.StatusSeeOther)
	mustContain(t, c.get("/sites"), "Arbetsplatsen är tillagd.", "Satelliten", "Satellitkontor")
	sites, _ := e.store.ListSites(ctx, false)
	var s *distans.Site
	for _, x := range sites {
		if x.Name == "Satelliten" {
			s = x
		}
	}
	if s == nil {
		t.Fatal("site not stored")
	}
	p = c.post("/sites/"+s.ID, url.Values{"name": {""}, "kind": {"satellite"}})
	wantFieldError(t, p, "name", "")
	wantStatus(t, c.post("/sites/"+s.ID, url.Values{"name": {"Satellitkontoret"}, "kind": {"satellite"}, "city": {"Vara"}}), http.StatusSeeOther)
	if got, _ := e.store.FindSite(ctx, s.ID); got.Name != "Satellitkontoret" {
		t.Fatalf("edit not saved: %q", got.Name)
	}
	// A form saved after someone else saved the site is refused with a
	// message, not written over their change.
	m := regexp.MustCompile(`name="updated_at" value="([^"]+)"`).FindStringSubmatch(c.get("/sites/" + s.ID + "/edit").body)
	if m == nil {
		t.Fatal("the edit form does not carry the site's updated_at")
	}
	read := html.UnescapeString(m[1])
	wantStatus(t, c.post("/sites/"+s.ID, url.Values{"name": {"Satellitkontoret"}, "kind": {"satellite"}, "city": {"Vara C"},
		"updated_at": {read}}), http.StatusSeeOther)
	p = c.post("/sites/"+s.ID, url.Values{"name": {"Gamla namnet"}, "kind": {"satellite"}, "city": {"Vara"}, "updated_at": {read}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Någon annan har ändrat uppgifterna", `value="Gamla namnet"`)
	if got, _ := e.store.FindSite(ctx, s.ID); got.Name != "Satellitkontoret" || got.City != "Vara C" {
		t.Fatalf("a stale form was saved: %+v", got)
	}
	wantStatus(t, c.post("/sites/"+s.ID+"/end", url.Values{"on": {"2030-01-31"}}), http.StatusSeeOther)
	if got, _ := e.store.FindSite(ctx, s.ID); got.EndedOn == nil || got.EndedOn.Format("2006-01-02") != "2030-01-31" {
		t.Fatalf("not ended: %+v", got.EndedOn)
	}
}

func TestPersonAdministration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("vara")
	f := e.fixture()
	count := func() int {
		_, n, err := e.store.ListPeople(ctx, distans.PersonFilter{Limit: 1, ExactCount: true})
		if err != nil {
			t.Fatal(err)
		}
		return n.Total
	}
	before := count()
	hr := e.as("vara", distans.RoleHR)
	hr.get("/people/new")

	// Invalid person and employment: both reported, nothing stored.
	p := hr.post("/people", url.Values{"name": {"Test Testsson"}, "email": {"inte-en-adress"}, "language": {"sv"},
		"unit_id": {f.unit}, "title": {""}, "starts_on": {"2026-13-40"}})
	wantFieldError(t, p, "email", "inte-en-adress")
	wantFieldError(t, p, "starts_on", "2026-13-40")
	wantFieldError(t, p, "title", "")
	mustContain(t, p, `value="Test Testsson"`)
	if count() != before {
		t.Fatal("an invalid person was stored")
	}

	// Valid, with a first employment.
	p = hr.post("/people", url.Values{"name": {"Test Testsson"}, "email": {"test.testsson@vara.example"}, "language": {"sv"},
		"personal_number": {"19811218-9876"}, "unit_id": {f.unit}, "title": {"Utredare"}, "starts_on": {"2026-01-01"}})
	wantStatus(t, p, http.StatusSeeOther)
	show := hr.get(p.location)
	mustContain(t, show, "Personen är tillagd.", "Test Testsson", "Utredare", "19811218-****")
	if count() != before+1 {
		t.Fatal("the person was not stored")
	}
	person := e.person("vara", "test.testsson@vara.example")

	// A duplicate e-mail is a field message.
	p = hr.post("/people", url.Values{"name": {"Kopia"}, "email": {"test.testsson@vara.example"}, "language": {"sv"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if count() != before+1 {
		t.Fatal("a duplicate was stored")
	}

	// Edit.
	hr.get("/people/" + person.ID + "/edit")
	p = hr.post("/people/"+person.ID, url.Values{"name": {"Test Testsson"}, "email": {"test.testsson@vara.example"}, "phone": {"abc"}, "language": {"sv"}})
	wantFieldError(t, p, "phone", "abc")
	p = hr.post("/people/"+person.ID, url.Values{"name": {"Test Testsson-Berg"}, "email": {"test.testsson@vara.example"}, "phone": {"0512-310 00"}, "language": {"en"}})
	wantStatus(t, p, http.StatusSeeOther)
	got, _ := e.store.FindPerson(ctx, person.ID)
	if got.Name != "Test Testsson-Berg" || got.Phone != "0512-310 00" || got.Language != "en" || got.PersonalNumberMasked == "" {
		t.Fatalf("edit not saved (or the personal identity number lost): %+v", got)
	}

	// Employments: invalid, valid, end.
	emps := func() []*distans.Employment {
		list, err := e.store.ListEmployments(ctx, person.ID)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	hr.get("/people/" + person.ID + "/employments/new")
	p = hr.post("/people/"+person.ID+"/employments", url.Values{"unit_id": {f.unit}, "title": {""}, "starts_on": {"2027-01-01"}})
	wantFieldError(t, p, "title", "")
	if len(emps()) != 1 {
		t.Fatal("an invalid employment was stored")
	}
	// The first employment ends, then a second one starts.
	first := emps()[0]
	wantStatus(t, hr.post("/people/"+person.ID+"/employments/"+first.ID+"/end", url.Values{"on": {"2026-12-31"}}), http.StatusSeeOther)
	p = hr.post("/people/"+person.ID+"/employments", url.Values{"unit_id": {f.unit}, "title": {"Samordnare"}, "starts_on": {"2027-01-01"}})
	wantStatus(t, p, http.StatusSeeOther)
	mustContain(t, hr.get(p.location), "Anställningen är tillagd.", "Samordnare")
	if len(emps()) != 2 {
		t.Fatal("the employment was not stored")
	}

	// Leave: invalid kind, valid, end.
	hr.get("/people/" + person.ID + "/leaves/new")
	p = hr.post("/people/"+person.ID+"/leaves", url.Values{"kind": {"semester"}, "starts_on": {"2026-06-01"}})
	wantFieldError(t, p, "kind", "")
	p = hr.post("/people/"+person.ID+"/leaves", url.Values{"kind": {"studieledighet"}, "starts_on": {"2026-06-01"}})
	wantStatus(t, p, http.StatusSeeOther)
	mustContain(t, hr.get(p.location), "Ledigheten är tillagd.", "Studieledighet")
	leaves, _ := e.store.ListLeaves(ctx, person.ID)
	if len(leaves) != 1 {
		t.Fatalf("%d leaves", len(leaves))
	}
	wantStatus(t, hr.post("/people/"+person.ID+"/leaves/"+leaves[0].ID+"/end", url.Values{"on": {"2026-08-31"}}), http.StatusSeeOther)
	leaves, _ = e.store.ListLeaves(ctx, person.ID)
	if leaves[0].EndsOn == nil {
		t.Fatal("leave not ended")
	}

	// HR sets a password that breaks the policy, then a good one.
	p = hr.post("/people/"+person.ID+"/password", url.Values{"password": {"kort"}})
	wantFieldError(t, p, "password", "")
	wantStatus(t, hr.post("/people/"+person.ID+"/password", url.Values{"password": {"Ett-bra-lösenord-42"}}), http.StatusSeeOther)
	newcomer := e.client()
	newcomer.get("/signin")
	wantStatus(t, newcomer.post("/signin", url.Values{"email": {"test.testsson@vara.example"}, "password": {"Ett-bra-lösenord-42"}}), http.StatusSeeOther)
}

func TestRoleAdministration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("vara")
	f := e.fixture()
	roles := func() []*distans.RoleAssignment {
		list, err := e.store.ListRoleAssignments(ctx, distans.RoleFilter{PersonID: f.employee.ID})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	before := len(roles())
	c := e.as("vara", distans.RoleAdmin)
	c.get("/people/" + f.employee.ID + "/roles/new")
	p := c.post("/people/"+f.employee.ID+"/roles", url.Values{"role": {"kung"}, "unit_id": {""}})
	wantFieldError(t, p, "role", "")
	if len(roles()) != before {
		t.Fatal("an invalid role was stored")
	}
	p = c.post("/people/"+f.employee.ID+"/roles", url.Values{"role": {"vaxel"}, "unit_id": {""}})
	wantStatus(t, p, http.StatusSeeOther)
	mustContain(t, c.get(p.location), "Rollen är tillagd.", "Växel")
	list := roles()
	if len(list) != before+1 {
		t.Fatal("the role was not stored")
	}
	var granted *distans.RoleAssignment
	for _, r := range list {
		if r.Role == distans.RoleSwitchboard {
			granted = r
		}
	}
	wantStatus(t, c.post("/people/"+f.employee.ID+"/roles/"+granted.ID+"/end", nil), http.StatusSeeOther)
	if len(roles()) != before {
		t.Fatal("the role was not ended")
	}
	// HR may not grant roles.
	hr := e.as("vara", distans.RoleHR)
	wantStatus(t, hr.get("/people/"+f.employee.ID+"/roles/new"), http.StatusForbidden)
	wantStatus(t, hr.post("/people/"+f.employee.ID+"/roles", url.Values{"role": {"hr"}}), http.StatusForbidden)
}

func TestProfile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleEmployee)
	mustContain(t, c.get("/profile"), "Min profil", "Byt lösenord", "API-nycklar", "Logga ut överallt")

	// Tokens: a name is needed; the secret is shown once.
	wantFieldError(t, c.post("/profile/tokens", url.Values{"name": {""}}), "name", "")
	p := c.post("/profile/tokens", url.Values{"name": {"Kalenderkoppling"}})
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Den visas bara den här gången.", "Kalenderkoppling")
	again := c.get("/profile")
	if strings.Contains(again.body, "Den visas bara den här gången.") {
		t.Error("the secret is shown again")
	}
	m := regexp.MustCompile(`action="/profile/tokens/([^/"]+)/revoke"`).FindStringSubmatch(again.body)
	if m == nil {
		t.Fatal("no revoke button")
	}
	p = c.post("/profile/tokens/"+m[1]+"/revoke", nil)
	wantStatus(t, p, http.StatusSeeOther)
	mustContain(t, c.get("/profile"), "API-nyckeln är återkallad.")

	// Password: the wrong current password, then a good change, which
	// signs the person out.
	p = c.post("/profile/password", url.Values{"current_password": {"fel"}, "password": {"Nytt-lösenord-77"}})
	wantFieldError(t, p, "current_password", "")
	p = c.post("/profile/password", url.Values{"current_password": {"Distans-demo-1"}, "password": {"Nytt-lösenord-77"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/signin" {
		t.Errorf("→ %q", p.location)
	}
	fresh := e.client()
	fresh.get("/signin")
	wantStatus(t, fresh.post("/signin", url.Values{"email": {account("vara", distans.RoleEmployee)}, "password": {"Nytt-lösenord-77"}}), http.StatusSeeOther)
}
