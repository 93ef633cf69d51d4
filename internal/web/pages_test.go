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

// fixture names records of the demo organisation vara (and one of
// stockholm) that the scenarios use.
type fixture struct {
	employee    *distans.Person // the medarbetare account, in the chef's unit
	outside     *distans.Person // someone outside the chef's subtree
	unit, site  string
	otherPerson *distans.Person // in stockholm
	otherUnit   string
	otherSite   string
}

func (e *env) fixture() fixture {
	e.t.Helper()
	var f fixture
	ctx := e.system("vara")
	f.employee = e.person("vara", account("vara", distans.RoleEmployee))
	chef := e.person("vara", account("vara", distans.RoleManager))
	grants, err := e.store.Grants(ctx, chef.OrganisationID, chef.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	var chefPath string
	for _, g := range grants {
		if g.Role == distans.RoleManager {
			chefPath = g.UnitPath
		}
	}
	if chefPath == "" {
		e.t.Fatal("the chef account manages no unit")
	}
	people, _, err := e.store.ListPeople(ctx, distans.PersonFilter{Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range people {
		if p.UnitPath != "" && !strings.HasPrefix(p.UnitPath, chefPath) {
			f.outside = p
			break
		}
	}
	units, err := e.store.ListUnits(ctx, distans.UnitFilter{})
	if err != nil || len(units) == 0 {
		e.t.Fatalf("units: %v", err)
	}
	f.unit = units[0].ID
	sites, err := e.store.ListSites(ctx, false)
	if err != nil || len(sites) == 0 {
		e.t.Fatalf("sites: %v", err)
	}
	f.site = sites[0].ID

	octx := e.system("stockholm")
	others, _, err := e.store.ListPeople(octx, distans.PersonFilter{Limit: 1})
	if err != nil || len(others) == 0 {
		e.t.Fatalf("stockholm people: %v", err)
	}
	f.otherPerson = others[0]
	ounits, _ := e.store.ListUnits(octx, distans.UnitFilter{})
	osites, _ := e.store.ListSites(octx, false)
	if len(ounits) == 0 || len(osites) == 0 {
		e.t.Fatal("stockholm has no units or sites")
	}
	f.otherUnit, f.otherSite = ounits[0].ID, osites[0].ID
	return f
}

// TestPageAccess opens every page as every role: 200 where the role allows
// it, 403 where it does not, 404 for a person outside the actor's scope.
func TestPageAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedPolicy("vara")
	f := e.fixture()
	const ok, no, gone = http.StatusOK, http.StatusForbidden, http.StatusNotFound
	viewers := map[distans.Role]bool{distans.RoleManager: true, distans.RoleHR: true, distans.RoleIT: true,
		distans.RoleSecurity: true, distans.RoleDPO: true, distans.RoleSwitchboard: true, distans.RoleRegistrar: true, distans.RoleAdmin: true}
	pick := func(cond bool, yes, otherwise int) int {
		if cond {
			return yes
		}
		return otherwise
	}
	for _, role := range distans.Roles {
		t.Run(string(role), func(t *testing.T) {
			c := e.as("vara", role)
			admin := role == distans.RoleAdmin
			hr := role == distans.RoleHR || admin
			audit := role == distans.RoleSecurity || role == distans.RoleDPO || admin
			pages := []struct {
				path   string
				status int
			}{
				{"/", ok},
				{"/profile", ok},
				{"/units", ok},
				{"/sites", ok},
				{"/people", pick(viewers[role], ok, no)},
				{"/people/" + f.employee.ID, pick(viewers[role] || role == distans.RoleEmployee, ok, gone)},
				{"/people/new", pick(hr, ok, no)},
				{"/people/" + f.employee.ID + "/edit", pick(hr, ok, pick(viewers[role] || role == distans.RoleEmployee, no, gone))},
				{"/people/" + f.employee.ID + "/employments/new", pick(hr, ok, pick(viewers[role] || role == distans.RoleEmployee, no, gone))},
				{"/people/" + f.employee.ID + "/roles/new", pick(admin, ok, no)},
				{"/audit", pick(audit, ok, no)},
				{"/units/new", pick(admin, ok, no)},
				{"/units/" + f.unit + "/edit", pick(admin, ok, no)},
				{"/sites/new", pick(admin, ok, no)},
				{"/sites/" + f.site + "/edit", pick(admin, ok, no)},
				{"/policy", ok},
				{"/policy/versions", ok},
				{"/policy/versions/1", ok},
				{"/policy/versions/99", gone},
				{"/policy/check", ok},
				{"/policy/check?kind=incident", ok},
				{"/policy/parameters", pick(hr, ok, no)},
				{"/policy/edit", pick(hr, ok, no)},
				{"/documents", ok},
				{"/documents/new", pick(hr, ok, no)},
				{"/documents/outstanding", pick(hr || role == distans.RoleManager, ok, no)},
				{"/documents/no-such-document", gone},
				{"/no-such-page", gone},
			}
			for _, p := range pages {
				got := c.get(p.path)
				if got.status != p.status {
					t.Errorf("%s: %d, want %d\n%.300s", p.path, got.status, p.status, text(got.body))
				}
				if got.status >= 400 && !strings.Contains(got.body, "<h1>") {
					t.Errorf("%s: error without an error page", p.path)
				}
			}
		})
	}
}

func TestStartPagePerRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		role    distans.Role
		want    []string
		wantNot []string
	}{
		{distans.RoleEmployee, []string{"Mina uppgifter", "Organisation", "I dag (", "Mitt distansarbete", "Mina bokningar"},
			[]string{"Administration", "Loggbok", "Mina enheter", "Att göra ("}},
		{distans.RoleManager, []string{"Mina enheter", "personer", "Att göra (", "I dag ("}, []string{"Administration"}},
		{distans.RoleHR, []string{"Administration", "Lägg till person"}, []string{"Visa loggboken"}},
		{distans.RoleAdmin, []string{"Administration", "Hantera enheter", "Visa loggboken"}, nil},
		{distans.RoleSecurity, []string{"Visa loggboken"}, []string{"Administration"}},
		{distans.RoleDPO, []string{"Visa loggboken"}, nil},
		{distans.RoleSwitchboard, []string{"Sök person", `name="q"`, `action="/directory"`}, []string{"Administration", "Att göra ("}},
		{distans.RoleLeadership, []string{"Bara antal, inga personuppgifter."}, []string{"Administration"}},
		{distans.RoleUnion, []string{"Bara antal, inga personuppgifter."}, []string{"Administration", "Personer"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			p := e.as("vara", tt.role).get("/")
			wantStatus(t, p, http.StatusOK)
			mustContain(t, p, tt.want...)
			for _, w := range tt.wantNot {
				if strings.Contains(text(p.body), w) {
					t.Errorf("start page of %s shows %q", tt.role, w)
				}
			}
		})
	}
}

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.fixture()
	for _, role := range []distans.Role{distans.RoleAdmin, distans.RoleHR} {
		c := e.as("vara", role)
		for _, path := range []string{
			"/people/" + f.otherPerson.ID,
			"/people/" + f.otherPerson.ID + "/edit",
			"/people/" + f.otherPerson.ID + "/employments/new",
			"/people?unit=" + f.otherUnit,
		} {
			wantStatus(t, c.get(path), http.StatusNotFound)
		}
		wantStatus(t, c.post("/people/"+f.otherPerson.ID+"/personal-number", nil), http.StatusNotFound)
		wantStatus(t, c.post("/people/"+f.otherPerson.ID, url.Values{"name": {"Kapad"}, "email": {"x@vara.example"}}), http.StatusNotFound)
	}
	admin := e.as("vara", distans.RoleAdmin)
	wantStatus(t, admin.get("/units/"+f.otherUnit+"/edit"), http.StatusNotFound)
	wantStatus(t, admin.get("/sites/"+f.otherSite+"/edit"), http.StatusNotFound)
	wantStatus(t, admin.post("/units/"+f.otherUnit, url.Values{"name": {"Kapad"}, "kind": {"enhet"}}), http.StatusNotFound)
	// Nothing in stockholm changed.
	p, err := e.store.FindPerson(e.system("stockholm"), f.otherPerson.ID)
	if err != nil || p.Name != f.otherPerson.Name {
		t.Errorf("stockholm person changed: %v %v", p, err)
	}
	// The people list never shows another organisation's people.
	if strings.Contains(admin.get("/people?q="+url.QueryEscape(f.otherPerson.Name)).body, f.otherPerson.ID) {
		t.Error("vara's people list shows a stockholm person")
	}
}

func TestManagerSubtree(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.fixture()
	if f.outside == nil {
		t.Skip("everyone is in the chef's subtree")
	}
	chef := e.as("vara", distans.RoleManager)
	wantStatus(t, chef.get("/people/"+f.employee.ID), http.StatusOK)
	wantStatus(t, chef.get("/people/"+f.outside.ID), http.StatusNotFound)
	if strings.Contains(chef.get("/people?q="+url.QueryEscape(f.outside.Name)).body, f.outside.ID) {
		t.Error("the chef's people list shows someone outside the subtree")
	}
	// The chef may look but not change.
	wantStatus(t, chef.get("/people/"+f.employee.ID+"/edit"), http.StatusForbidden)
	wantStatus(t, chef.post("/people/"+f.employee.ID, url.Values{"name": {"Ändrad"}, "email": {f.employee.Email}}), http.StatusForbidden)
}

func TestPeopleListSearchAndPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleHR)
	p := c.get("/people")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Personer: ", `rel="next"`)
	next := c.get(relLink(t, p.body, "next"))
	wantStatus(t, next, http.StatusOK)
	mustContain(t, next, `rel="prev"`)
	first := c.get(relLink(t, next.body, "prev"))
	mustContain(t, first, relLink(t, p.body, "next"))
	if strings.Contains(first.body, `rel="prev"`) {
		t.Error("the page before the second has a page before it")
	}
	f := e.fixture()
	found := c.get("/people?q=" + url.QueryEscape(f.employee.Email))
	mustContain(t, found, f.employee.Name, "Personer: 1<")
	// A cursor Distans did not make is a page that says so, not a list.
	bad := c.get("/people?after=inte-en-markör")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, "Ogiltig sidmarkör")
	filtered := c.get("/people?unit=" + f.unit)
	wantStatus(t, filtered, http.StatusOK)
}

func TestAuditTrail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	people, _, err := e.store.ListPeople(e.system("vara"), distans.PersonFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var with *distans.Person
	for _, p := range people {
		if p.PersonalNumberMasked != "" && p.UnitPath != "" {
			with = p
			break
		}
	}
	if with == nil {
		t.Fatal("no demo person in vara has a personal identity number")
	}
	hr := e.as("vara", distans.RoleHR)
	// The person page shows the number masked, with the button to reveal it.
	mustContain(t, hr.get("/people/"+with.ID), with.PersonalNumberMasked, "Visa personnummer")
	// Revealing it shows it and is audited.
	p := hr.post("/people/"+with.ID+"/personal-number", nil)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "visningen är loggad")
	if strings.Contains(hr.get("/people/"+with.ID).body, "visningen är loggad") {
		t.Error("the number is still shown after leaving the page")
	}
	// A switchboard operator sees neither the number nor the button.
	sw := e.as("vara", distans.RoleSwitchboard).get("/people/" + with.ID)
	if strings.Contains(sw.body, "Visa personnummer") {
		t.Error("the switchboard may reveal a personal identity number")
	}
	admin := e.as("vara", distans.RoleAdmin)
	a := admin.get("/audit?action=person.&record_id=" + with.ID)
	wantStatus(t, a, http.StatusOK)
	mustContain(t, a, "person.secret_read")
	wantStatus(t, admin.get("/audit?from=yesterday"), http.StatusUnprocessableEntity)
	all := admin.get("/audit")
	wantStatus(t, all, http.StatusOK)
	mustContain(t, all, "Händelser, de senaste först")
}

var relLinkRE = regexp.MustCompile(`<a href="([^"]*)" rel="([a-z]+)"`)

// relLink returns the path of the page's link with rel (next, prev),
// failing the test when there is none.
func relLink(t *testing.T, body, rel string) string {
	t.Helper()
	for _, m := range relLinkRE.FindAllStringSubmatch(body, -1) {
		if m[2] == rel {
			return html.UnescapeString(m[1])
		}
	}
	t.Fatalf("no link rel=%q", rel)
	return ""
}
