package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// Test is one test of the conformance suite.
type Test struct {
	Name string
	Fn   func(t *testing.T, s *sqlstore.Store)
}

// Suite is the conformance suite; sqlstore_test.go runs every test on every
// database through Each.
var Suite = []Test{
	{"Reports", Reports},
	{"ReportSubscriptions", ReportSubscriptions},
	{"Organisations", Organisations},
	{"Units", Units},
	{"UnitMove", UnitMove},
	{"Sites", Sites},
	{"People", People},
	{"PeopleSearch", PeopleSearch},
	{"PlacementRefresh", PlacementRefresh},
	{"Employments", Employments},
	{"Leaves", Leaves},
	{"Roles", Roles},
	{"Unauthenticated", Unauthenticated},
	{"TenantIsolation", TenantIsolation},
	{"SubtreeIsolation", SubtreeIsolation},
	{"Secrets", Secrets},
	{"AuditTrail", AuditTrail},
	{"AuditChainTampering", AuditChainTampering},
	{"AuditCheckpoints", AuditCheckpoints},
	{"Accounts", Accounts},
	{"Credentials", Credentials},
	{"SessionsAndTokens", SessionsAndTokens},
	{"AccountLinks", AccountLinks},
	{"AccountLinkRace", AccountLinkRace},
	{"PendingInvitations", PendingInvitations},
	{"PendingInvitationsRace", PendingInvitationsRace},
	{"PolicyVersions", PolicyVersions},
	{"PolicyVersionRace", PolicyVersionRace},
	{"Documents", Documents},
	{"Acknowledgements", Acknowledgements},
	{"Outstanding", Outstanding},
	{"AvailabilityStatuses", AvailabilityStatuses},
	{"AvailabilityRedirects", AvailabilityRedirects},
	{"AvailabilityPhoneHours", AvailabilityPhoneHours},
	{"AvailabilityOnCall", AvailabilityOnCall},
	{"AvailabilityDirectory", AvailabilityDirectory},
	{"AvailabilityRetention", AvailabilityRetention},
	{"OfficePlaces", OfficePlaces},
	{"OfficeBookingRules", OfficeBookingRules},
	{"OfficeHalfDays", OfficeHalfDays},
	{"OfficeRecurring", OfficeRecurring},
	{"OfficeCancel", OfficeCancel},
	{"OfficeCheckInRelease", OfficeCheckInRelease},
	{"OfficeTeamDays", OfficeTeamDays},
	{"OfficeAvailability", OfficeAvailability},
	{"OfficeAvailabilityLayout", OfficeAvailabilityLayout},
	{"OfficeAuditPending", OfficeAuditPending},
	{"OfficeUtilisation", OfficeUtilisation},
	{"OfficeTenantIsolation", OfficeTenantIsolation},
	{"OfficeBookingRace", OfficeBookingRace},
	{"OfficeSlotIndexes", OfficeSlotIndexes},
	{"CalendarFeeds", CalendarFeeds},
	{"Notifications", Notifications},
	{"NotificationEmails", NotificationEmails},
	{"NotificationClaimRace", NotificationClaimRace},
	{"AgreementRequest", AgreementRequest},
	{"AgreementRules", AgreementRules},
	{"AgreementSigning", AgreementSigning},
	{"AgreementActiveLife", AgreementActiveLife},
	{"AgreementReminders", AgreementReminders},
	{"AgreementEndJob", AgreementEndJob},
	{"AgreementPlace", AgreementPlace},
	{"AgreementLists", AgreementLists},
	{"AgreementNumberRace", AgreementNumberRace},
	{"UpdateRaces", UpdateRaces},
	{"IncidentVisibility", IncidentVisibility},
	{"IncidentNumbering", IncidentNumbering},
	{"IncidentRules", IncidentRules},
	{"IncidentPersonalData", IncidentPersonalData},
	{"IncidentDeadlineJob", IncidentDeadlineJob},
	{"InstallationCreate", InstallationCreate},
	{"InstallationSeesNoPersonalData", InstallationSeesNoPersonalData},
	{"InstallationLifecycle", InstallationLifecycle},
	{"InstallationOperators", InstallationOperators},
	{"ImportApply", ImportApply},
	{"ImportApplyNothing", ImportApplyNothing},
	{"ImportApplyFailure", ImportApplyFailure},
	{"ImportIsolation", ImportIsolation},
	{"ImportClaimRace", ImportClaimRace},
	{"ImportCodes", ImportCodes},
	{"SCIMTokens", SCIMTokens},
	{"SCIMUsers", SCIMUsers},
	{"SCIMFirstSyncPlans", SCIMFirstSyncPlans},
	{"SCIMPhoneNumbers", SCIMPhoneNumbers},
	{"SCIMDeactivation", SCIMDeactivation},
	{"SCIMGroups", SCIMGroups},
	{"SCIMUnitGroups", SCIMUnitGroups},
	{"SCIMIsolation", SCIMIsolation},
	{"Register", Register},
	{"RegisterPagingAndFilters", RegisterPagingAndFilters},
}

// WantCode fails the test unless err carries the code ("" for no error).
func WantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := distans.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func personIDs(ps []*distans.Person) []string {
	return ids(ps, func(p *distans.Person) string { return p.ID })
}

// lastEvent returns the newest audit event of the organisation.
func lastEvent(t testing.TB, s *sqlstore.Store, orgID string) *distans.AuditEvent {
	t.Helper()
	evs, err := s.ListAuditEvents(System(orgID), distans.AuditFilter{Limit: 1})
	Must(t, err)
	if len(evs) == 0 {
		t.Fatal("no audit events")
	}
	return evs[0]
}

func wantLastAction(t testing.TB, s *sqlstore.Store, orgID, action, recordID string) {
	t.Helper()
	e := lastEvent(t, s, orgID)
	if e.Action != action || (recordID != "" && e.RecordID != recordID) {
		t.Fatalf("last audit event = %s %s, want %s %s", e.Action, e.RecordID, action, recordID)
	}
}

func Organisations(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	w := NewWorld(t, s)

	o, err := s.FindOrganisationBySlug(ctx, "alfa")
	Must(t, err)
	if o.ID != w.A.ID || o.CreatedAt.IsZero() {
		t.Fatalf("by slug = %+v", o)
	}
	_, err = s.FindOrganisationBySlug(ctx, "nope")
	WantCode(t, err, distans.ENOTFOUND)
	all, err := s.ListOrganisations(ctx)
	Must(t, err)
	if len(all) != 2 {
		t.Fatalf("ListOrganisations = %d", len(all))
	}

	dup := &distans.Organisation{Slug: "alfa", Name: "Dubbel", TimeZone: "Europe/Stockholm", Language: "sv"}
	WantCode(t, s.CreateOrganisation(System(""), dup), distans.ECONFLICT)
	bad := &distans.Organisation{Slug: "Ej Giltig", Name: "", TimeZone: "Mars/Olympus", Language: "fi"}
	WantCode(t, s.CreateOrganisation(System(""), bad), distans.EINVALID)
	WantCode(t, s.CreateOrganisation(As(t, s, w.Admin), &distans.Organisation{}), distans.EFORBIDDEN)
	all, _ = s.ListOrganisations(ctx)
	if len(all) != 2 {
		t.Fatalf("a refused create saved something: %d organisations", len(all))
	}

	admin := As(t, s, w.Admin)
	o, err = s.FindOrganisationByID(admin, w.A.ID)
	Must(t, err)
	_, err = s.UpdateOrganisation(admin, w.A.ID, distans.OrganisationUpdate{Name: ptr("Alfa kommun"), Language: ptr("en")})
	Must(t, err)
	got, err := s.FindOrganisationByID(admin, w.A.ID)
	Must(t, err)
	if got.Name != "Alfa kommun" || got.Language != "en" || !got.UpdatedAt.After(got.CreatedAt) && !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Fatalf("after update: %+v", got)
	}
	wantLastAction(t, s, w.A.ID, "organisation.update", w.A.ID)

	_, err = s.UpdateOrganisation(As(t, s, w.HRX), w.A.ID, distans.OrganisationUpdate{Name: ptr("Kapad")})
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.UpdateOrganisation(admin, w.A.ID, distans.OrganisationUpdate{Slug: ptr("beta")})
	WantCode(t, err, distans.ECONFLICT)
	_, err = s.UpdateOrganisation(admin, w.A.ID, distans.OrganisationUpdate{TimeZone: ptr("Mars/Olympus")})
	WantCode(t, err, distans.EINVALID)
	// A change made on an older read is refused.
	_, err = s.UpdateOrganisation(admin, w.A.ID, distans.OrganisationUpdate{Name: ptr("Gammal"), UpdatedAt: &o.UpdatedAt})
	WantCode(t, err, distans.ECONFLICT)
	_, err = s.FindOrganisationByID(As(t, s, w.AdminB), w.A.ID)
	WantCode(t, err, distans.ENOTFOUND)
}

func Units(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)

	if w.X1.Path != w.Root.Path+w.X.ID+"/"+w.X1.ID+"/" || w.Root.Path != "/"+w.Root.ID+"/" {
		t.Fatalf("paths: root %s x1 %s", w.Root.Path, w.X1.Path)
	}
	u := &distans.Unit{Name: "Enhet Y1", Kind: distans.UnitSection, ParentID: w.Y.ID, ManagerID: w.EmpY.ID}
	Must(t, s.CreateUnit(admin, u))
	got, err := s.FindUnit(As(t, s, w.EmpX1), u.ID)
	Must(t, err)
	if got.Path != w.Y.Path+u.ID+"/" || got.ManagerID != w.EmpY.ID || got.OrganisationID != w.A.ID {
		t.Fatalf("created unit: %+v", got)
	}
	// Setting the manager made EmpY chef of Y1.
	grants, err := s.Grants(context.Background(), w.A.ID, w.EmpY.ID)
	Must(t, err)
	if !slices.Contains(grants, distans.Grant{Role: distans.RoleManager, UnitID: u.ID, UnitPath: got.Path}) {
		t.Fatalf("grants of the new manager: %+v", grants)
	}

	list, err := s.ListUnits(As(t, s, w.EmpY), distans.UnitFilter{ParentID: w.Root.ID})
	Must(t, err)
	if names := ids(list, func(u *distans.Unit) string { return u.Name }); !slices.Equal(names, []string{"Avdelning X", "Avdelning Y"}) {
		t.Fatalf("children of root: %v", names)
	}

	// The top levels of the tree, and chosen units, for a list's filter.
	levels := []struct {
		f    distans.UnitFilter
		want []string
	}{
		{distans.UnitFilter{Levels: 1}, []string{"Förvaltningen"}},
		{distans.UnitFilter{Levels: 2}, []string{"Avdelning X", "Avdelning Y", "Förvaltningen"}},
		{distans.UnitFilter{Levels: 3}, []string{"Avdelning X", "Avdelning Y", "Enhet X1", "Enhet Y1", "Förvaltningen"}},
		{distans.UnitFilter{IDs: []string{w.X1.ID, u.ID, w.RootB.ID}}, []string{"Enhet X1", "Enhet Y1"}},
	}
	for _, tc := range levels {
		list, err := s.ListUnits(As(t, s, w.EmpY), tc.f)
		Must(t, err)
		names := ids(list, func(u *distans.Unit) string { return u.Name })
		slices.Sort(names)
		if !slices.Equal(names, tc.want) {
			t.Fatalf("units of %+v: %v, want %v", tc.f, names, tc.want)
		}
	}
	tests := []struct {
		name string
		ctx  context.Context
		unit *distans.Unit
		code string
	}{
		{"no name", admin, &distans.Unit{Kind: distans.UnitSection, ParentID: w.X.ID}, distans.EINVALID},
		{"parent in other org", admin, &distans.Unit{Name: "U", Kind: distans.UnitSection, ParentID: w.RootB.ID}, distans.EINVALID},
		{"manager in other org", admin, &distans.Unit{Name: "U", Kind: distans.UnitSection, ParentID: w.X.ID, ManagerID: w.EmpB.ID}, distans.EINVALID},
		{"without permission", As(t, s, w.HRX), &distans.Unit{Name: "U", Kind: distans.UnitSection, ParentID: w.X.ID}, distans.EFORBIDDEN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			WantCode(t, s.CreateUnit(tc.ctx, tc.unit), tc.code)
		})
	}
	all, _ := s.ListUnits(admin, distans.UnitFilter{IncludeEnded: true})
	if len(all) != 5 {
		t.Fatalf("refused creates saved units: %d", len(all))
	}

	// EndUnit refuses while there are child units or employments.
	WantCode(t, s.EndUnit(admin, w.X.ID, distans.Now()), distans.EINVALID)
	WantCode(t, s.EndUnit(admin, w.X1.ID, distans.Now()), distans.EINVALID)
	empty := &distans.Unit{Name: "Tom", Kind: distans.UnitSection, ParentID: w.X.ID}
	Must(t, s.CreateUnit(admin, empty))
	Must(t, s.EndUnit(admin, empty.ID, Day(2021, 1, 1)))
	wantLastAction(t, s, w.A.ID, "unit.end", empty.ID)
	list, _ = s.ListUnits(admin, distans.UnitFilter{ParentID: w.X.ID})
	if len(list) != 1 {
		t.Fatalf("ended unit still listed: %d", len(list))
	}
	list, _ = s.ListUnits(admin, distans.UnitFilter{ParentID: w.X.ID, IncludeEnded: true})
	if len(list) != 2 || list[1].EndedOn == nil || !list[1].EndedOn.Equal(Day(2021, 1, 1)) {
		t.Fatalf("ended unit: %+v", list)
	}
	_, err = s.FindUnit(admin, "missing")
	WantCode(t, err, distans.ENOTFOUND)
	// The top of the tree is kept between reads (ListUnits), and a unit
	// made or renamed shows in the next, in Swedish order on both
	// databases (Å after Z, case ignored).
	top := func() []string {
		t.Helper()
		list, err := s.ListUnits(As(t, s, w.EmpY), distans.UnitFilter{Levels: 2})
		Must(t, err)
		return ids(list, func(u *distans.Unit) string { return u.Name })
	}
	if names := top(); slices.Contains(names, "Avdelning Z") {
		t.Fatalf("top of the tree: %v", names)
	}
	z := &distans.Unit{Name: "Avdelning Z", Kind: distans.UnitDepartment, ParentID: w.Root.ID}
	Must(t, s.CreateUnit(admin, z))
	if names := top(); !slices.Equal(names, []string{"Avdelning X", "Avdelning Y", "Avdelning Z", "Förvaltningen"}) {
		t.Fatalf("top of the tree after a unit was made: %v", names)
	}
	_, err = s.UpdateUnit(admin, z.ID, distans.UnitUpdate{Name: ptr("Avdelning Ö")})
	Must(t, err)
	if names := top(); !slices.Equal(names, []string{"Avdelning X", "Avdelning Y", "Avdelning Ö", "Förvaltningen"}) {
		t.Fatalf("top of the tree after a unit was renamed: %v", names)
	}
	_, err = s.UpdateUnit(admin, z.ID, distans.UnitUpdate{Name: ptr("avdelning å")})
	Must(t, err)
	if names := top(); !slices.Equal(names, []string{"Avdelning X", "Avdelning Y", "avdelning å", "Förvaltningen"}) {
		t.Fatalf("top of the tree after a unit was renamed: %v", names)
	}
}

func UnitMove(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)

	// A unit cannot move below itself.
	_, err := s.UpdateUnit(admin, w.X.ID, distans.UnitUpdate{ParentID: &w.X1.ID})
	WantCode(t, err, distans.EINVALID)
	_, err = s.UpdateUnit(admin, w.X.ID, distans.UnitUpdate{ParentID: &w.X.ID})
	WantCode(t, err, distans.EINVALID)

	// Moving X below Y rewrites X1's path and EmpX1's copy of it.
	_, err = s.UpdateUnit(admin, w.X.ID, distans.UnitUpdate{ParentID: &w.Y.ID})
	Must(t, err)
	x1, err := s.FindUnit(admin, w.X1.ID)
	Must(t, err)
	want := w.Y.Path + w.X.ID + "/" + w.X1.ID + "/"
	if x1.Path != want {
		t.Fatalf("X1 path after move = %s, want %s", x1.Path, want)
	}
	p, err := s.FindPerson(admin, w.EmpX1.ID)
	Must(t, err)
	if p.UnitPath != want {
		t.Fatalf("person's unit path after move = %s, want %s", p.UnitPath, want)
	}
	// The chef of X still sees EmpX1; the HR of X too.
	_, err = s.FindPerson(As(t, s, w.ChefX), w.EmpX1.ID)
	Must(t, err)
	// A search narrowed to a unit finds the people of the units moved
	// below it, and no longer those moved away.
	for _, c := range []struct {
		unit *distans.Unit
		want int
	}{{w.Y, 1}, {w.X, 1}, {w.X1, 1}, {w.Root, 1}} {
		hits, pg, err := s.SearchDirectory(admin, distans.DirectoryFilter{Query: "asa ob", UnitID: c.unit.ID}, time.Now())
		Must(t, err)
		if len(hits) != c.want || pg.Total != c.want {
			t.Errorf("in %s after the move the directory finds %d (%d), want %d", c.unit.Name, len(hits), pg.Total, c.want)
		}
	}
	_, err = s.UpdateUnit(admin, w.X.ID, distans.UnitUpdate{ParentID: &w.Root.ID})
	Must(t, err)
	for _, c := range []struct {
		unit *distans.Unit
		want int
	}{{w.Y, 0}, {w.X, 1}, {w.Root, 1}} {
		ps, pg, err := s.ListPeople(admin, distans.PersonFilter{Query: "asa ob", UnitID: c.unit.ID})
		Must(t, err)
		if len(ps) != c.want || pg.Total != c.want {
			t.Errorf("in %s after moving back the register finds %d (%d), want %d", c.unit.Name, len(ps), pg.Total, c.want)
		}
	}
	// Y's root unit unaffected.
	y, _ := s.FindUnit(admin, w.Y.ID)
	if y.Path != w.Y.Path {
		t.Fatalf("Y moved: %s", y.Path)
	}
}

func Sites(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	x := &distans.Site{Name: "Satelliten", Kind: distans.SiteSatellite, Street: "Storgatan 1", PostalCode: "91631", City: "Bjurholm"}
	Must(t, s.CreateSite(admin, x))
	wantLastAction(t, s, w.A.ID, "site.create", x.ID)
	_, err := s.UpdateSite(admin, x.ID, distans.SiteUpdate{City: ptr("Vindeln")})
	Must(t, err)
	got, err := s.FindSite(As(t, s, w.EmpY), x.ID)
	Must(t, err)
	if got.City != "Vindeln" || got.Kind != distans.SiteSatellite {
		t.Fatalf("site: %+v", got)
	}
	WantCode(t, s.CreateSite(admin, &distans.Site{Name: "Fel", Kind: "castle"}), distans.EINVALID)
	WantCode(t, s.CreateSite(As(t, s, w.HRX), &distans.Site{Name: "Ok", Kind: distans.SiteMain}), distans.EFORBIDDEN)
	_, err = s.UpdateSite(As(t, s, w.HRX), x.ID, distans.SiteUpdate{City: ptr("Umeå")})
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.UpdateSite(admin, x.ID, distans.SiteUpdate{Kind: ptr(distans.SiteKind("castle"))})
	WantCode(t, err, distans.EINVALID)
	_, err = s.UpdateSite(admin, x.ID, distans.SiteUpdate{City: ptr("Umeå"), UpdatedAt: &x.UpdatedAt})
	WantCode(t, err, distans.ECONFLICT)
	Must(t, s.EndSite(admin, x.ID, Day(2020, 6, 30)))
	list, err := s.ListSites(admin, false)
	Must(t, err)
	if len(list) != 1 || list[0].ID != w.Site.ID {
		t.Fatalf("current sites: %v", ids(list, func(x *distans.Site) string { return x.Name }))
	}
	list, _ = s.ListSites(admin, true)
	if len(list) != 2 {
		t.Fatalf("all sites: %d", len(list))
	}
}

func People(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	p := &distans.Person{Name: "Nils Ny", Email: "Nils.Ny@Example.se", PersonalNumber: "19121212-1212", Phone: "0932-140 00"}
	Must(t, s.CreatePerson(admin, p))
	if p.Email != "nils.ny@example.se" || p.PersonalNumber != "" || p.PersonalNumberMasked != "19121212-****" || p.Language != "sv" {
		t.Fatalf("created: %+v", p)
	}
	wantLastAction(t, s, w.A.ID, "person.create", p.ID)
	got, err := s.FindPerson(admin, p.ID)
	Must(t, err)
	if got.Name != "Nils Ny" || got.PersonalNumber != "" || got.PersonalNumberMasked != "19121212-****" || got.UnitID != "" {
		t.Fatalf("found: %+v", got)
	}

	// E-mail addresses are unique per organisation, whatever the case;
	// another organisation may use the same.
	WantCode(t, s.CreatePerson(admin, &distans.Person{Name: "Dubbel", Email: "NILS.NY@example.se"}), distans.ECONFLICT)
	Must(t, s.CreatePerson(As(t, s, w.AdminB), &distans.Person{Name: "Nils i Beta", Email: "nils.ny@example.se"}))
	WantCode(t, s.CreatePerson(admin, &distans.Person{Name: "Fel", Email: "inte en adress"}), distans.EINVALID)
	WantCode(t, s.CreatePerson(admin, &distans.Person{Name: "Fel", Email: "fel@example.se", PersonalNumber: "19121212-1213"}), distans.EINVALID)
	WantCode(t, s.CreatePerson(As(t, s, w.ChefX), &distans.Person{Name: "Ok", Email: "ok@example.se"}), distans.EFORBIDDEN)

	// Update keeps the personal number when none is given.
	_, err = s.UpdatePerson(admin, p.ID, distans.PersonUpdate{Phone: ptr("090-123 45"), Email: ptr("nils@example.se")})
	Must(t, err)
	got, _ = s.FindPerson(admin, p.ID)
	if got.Phone != "090-123 45" || got.Email != "nils@example.se" || got.PersonalNumberMasked != "19121212-****" {
		t.Fatalf("updated: %+v", got)
	}
	_, err = s.UpdatePerson(admin, p.ID, distans.PersonUpdate{Email: &w.EmpY.Email})
	WantCode(t, err, distans.ECONFLICT)

	// A person edits their own phone, but not their name.
	self := As(t, s, w.EmpY)
	_, err = s.UpdatePerson(self, w.EmpY.ID, distans.PersonUpdate{Phone: ptr("070-111 22 33")})
	Must(t, err)
	_, err = s.UpdatePerson(self, w.EmpY.ID, distans.PersonUpdate{Name: ptr("Yngve Kung")})
	WantCode(t, err, distans.EFORBIDDEN)

	// Placement: the current employment, else the latest.
	if w.EmpX1.UnitID != w.X1.ID || w.EmpX1.UnitPath != w.X1.Path || w.EmpX1.Title != "Handläggare" {
		t.Fatalf("placement: %+v", w.EmpX1)
	}
	Must(t, s.EndEmployment(admin, w.EmpX1Employment.ID, Day(2021, 12, 31)))
	Must(t, s.CreateEmployment(admin, &distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.Y.ID, Title: "Utredare",
		StartsOn: Day(2022, 1, 1), SiteID: w.Site.ID}))
	got, _ = s.FindPerson(admin, w.EmpX1.ID)
	if got.UnitID != w.Y.ID || got.Title != "Utredare" || got.SiteID != w.Site.ID {
		t.Fatalf("placement after change: %+v", got)
	}
	future := time.Now().AddDate(1, 0, 0)
	fp := &distans.Person{Name: "Framtida", Email: "framtida@example.se"}
	Must(t, s.CreatePerson(admin, fp))
	Must(t, s.CreateEmployment(admin, &distans.Employment{PersonID: fp.ID, UnitID: w.X1.ID, Title: "Ny", StartsOn: future}))
	got, _ = s.FindPerson(admin, fp.ID)
	if got.UnitID != w.X1.ID {
		t.Fatalf("a future employment is the latest: %+v", got)
	}
}

func PeopleSearch(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	tests := []struct {
		name  string
		f     distans.PersonFilter
		want  []string
		total int
	}{
		{"all in Swedish order", distans.PersonFilter{}, []string{"Ada Admin", "Cecilia Chef", "Hugo HR", "Sven Växel", "Yngve Ystad", "Åsa Öberg"}, 6},
		{"diacritics ignored", distans.PersonFilter{Query: "asa OBERG"}, []string{"Åsa Öberg"}, 1},
		{"diacritics in query", distans.PersonFilter{Query: "växel"}, []string{"Sven Växel"}, 1},
		{"title", distans.PersonFilter{Query: "handläggare", Limit: 2}, []string{"Ada Admin", "Cecilia Chef"}, 6},
		{"e-mail", distans.PersonFilter{Query: "hugohr."}, []string{"Hugo HR"}, 1},
		{"unit subtree", distans.PersonFilter{UnitID: w.X.ID}, []string{"Cecilia Chef", "Hugo HR", "Åsa Öberg"}, 3},
		{"words in a unit's subtree", distans.PersonFilter{UnitID: w.X.ID, Query: "handl"}, []string{"Cecilia Chef", "Hugo HR", "Åsa Öberg"}, 3},
		{"words in a unit below", distans.PersonFilter{UnitID: w.X1.ID, Query: "handl"}, []string{"Åsa Öberg"}, 1},
		{"words in a unit, none there", distans.PersonFilter{UnitID: w.Y.ID, Query: "asa"}, nil, 0},
		{"after a cursor", distans.PersonFilter{After: distans.Cursor("Sven Växel", w.Switchboard.ID), Limit: 1}, []string{"Yngve Ystad"}, 6},
		{"before a cursor", distans.PersonFilter{Before: distans.Cursor("Yngve Ystad", w.EmpY.ID), Limit: 2}, []string{"Hugo HR", "Sven Växel"}, 6},
		{"past the end", distans.PersonFilter{After: distans.Cursor("Åsa Öberg", w.EmpX1.ID)}, nil, 6},
		{"a cursor between names", distans.PersonFilter{After: distans.Cursor("Z", "0")}, []string{"Åsa Öberg"}, 6},
		{"word prefixes", distans.PersonFilter{Query: "ceci ch"}, []string{"Cecilia Chef"}, 1},
		{"inside a word is no match", distans.PersonFilter{Query: "ecilia"}, nil, 0},
		{"part of the e-mail", distans.PersonFilter{Query: "exampl"}, []string{"Ada Admin", "Cecilia Chef", "Hugo HR", "Sven Växel", "Yngve Ystad", "Åsa Öberg"}, 6},
		{"like wildcards are literal", distans.PersonFilter{Query: "%"}, nil, 0},
		{"no match", distans.PersonFilter{Query: "zzz"}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, pg, err := s.ListPeople(admin, tc.f)
			Must(t, err)
			names := ids(ps, func(p *distans.Person) string { return p.Name })
			if total := pg.Total; !slices.Equal(names, tc.want) || total != tc.total {
				t.Fatalf("got %v (%d), want %v (%d)", names, total, tc.want, tc.total)
			}
			for _, p := range ps {
				if p.PersonalNumber != "" {
					t.Fatal("personal number in a list")
				}
			}
		})
	}
	_, _, err := s.ListPeople(admin, distans.PersonFilter{UnitID: w.RootB.ID})
	WantCode(t, err, distans.ENOTFOUND)

	// Those whom HR in X and X's manager may see, searched by words, are
	// those of their list whom the words find in the whole organisation.
	everyone, _, err := s.ListPeople(admin, distans.PersonFilter{Query: "handl"})
	Must(t, err)
	for _, p := range []*distans.Person{w.HRX, w.ChefX} {
		ctx := As(t, s, p)
		seen, _, err := s.ListPeople(ctx, distans.PersonFilter{})
		Must(t, err)
		for _, q := range []string{"handl", "a", "yngve", "asa ob"} {
			found, pg, err := s.ListPeople(ctx, distans.PersonFilter{Query: q})
			Must(t, err)
			all, _, err := s.ListPeople(admin, distans.PersonFilter{Query: q})
			Must(t, err)
			var want []string
			for _, x := range seen {
				if slices.ContainsFunc(all, func(y *distans.Person) bool { return y.ID == x.ID }) {
					want = append(want, x.Name)
				}
			}
			if got := ids(found, func(p *distans.Person) string { return p.Name }); !slices.Equal(got, want) || pg.Total != len(want) {
				t.Errorf("%s searching %q finds %v (%d), want %v", p.Name, q, got, pg.Total, want)
			}
		}
	}
	if len(everyone) != 6 {
		t.Fatalf("handl finds %d, want 6", len(everyone))
	}

	// A renamed person is found by the new name only; another
	// organisation's people are never found.
	p, err := s.FindPerson(admin, w.EmpX1.ID)
	Must(t, err)
	old := strings.Fields(p.Name)[0]
	_, err = s.UpdatePerson(admin, p.ID, distans.PersonUpdate{Name: ptr("Östen Ekdahl")})
	Must(t, err)
	for q, want := range map[string]int{"osten ekd": 1, old: 0} {
		_, pg, err := s.ListPeople(admin, distans.PersonFilter{Query: q})
		Must(t, err)
		if total := pg.Total; total != want {
			t.Errorf("%q after the rename: %d, want %d", q, total, want)
		}
	}
	_, pg, err := s.ListPeople(As(t, s, w.AdminB), distans.PersonFilter{Query: "osten"})
	Must(t, err)
	if pg.Total != 0 {
		t.Errorf("another organisation finds %d", pg.Total)
	}

	// Paging by cursor walks the whole list forwards and back, whatever
	// the page size, and a cursor not made by Distans is EINVALID.
	all, _, err := s.ListPeople(admin, distans.PersonFilter{})
	Must(t, err)
	want := ids(all, func(p *distans.Person) string { return p.Name })
	var got []string
	f := distans.PersonFilter{Limit: 2}
	var last distans.Page
	lastLen := 0
	for range 10 {
		ps, pg, err := s.ListPeople(admin, f)
		Must(t, err)
		got = append(got, ids(ps, func(p *distans.Person) string { return p.Name })...)
		if (f.After == "") != (pg.Prev == "") {
			t.Fatalf("prev %q after %q", pg.Prev, f.After)
		}
		last, lastLen = pg, len(ps)
		if pg.Next == "" {
			break
		}
		f.After = pg.Next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("forwards: %v, want %v", got, want)
	}
	got = nil
	f = distans.PersonFilter{Limit: 2, Before: last.Prev}
	for f.Before != "" {
		ps, pg, err := s.ListPeople(admin, f)
		Must(t, err)
		got = append(ids(ps, func(p *distans.Person) string { return p.Name }), got...)
		f.Before = pg.Prev
	}
	if !slices.Equal(got, want[:len(want)-lastLen]) {
		t.Fatalf("backwards: %v, want %v", got, want)
	}
	for _, bad := range []string{"x", "!!", distans.Cursor("", "")[:1]} {
		_, _, err := s.ListPeople(admin, distans.PersonFilter{After: bad})
		WantCode(t, err, distans.EINVALID)
	}
}

func Employments(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	hr := As(t, s, w.HRX)
	end := Day(2020, 12, 31)
	tests := []struct {
		name string
		ctx  context.Context
		e    distans.Employment
		code string
	}{
		{"overlap", admin, distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.X1.ID, Title: "T", StartsOn: Day(2023, 1, 1)}, distans.EINVALID},
		{"overlap before", admin, distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.X1.ID, Title: "T", StartsOn: Day(2019, 1, 1), EndsOn: &end}, distans.EINVALID},
		{"ends before it starts", admin, distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.X1.ID, Title: "T", StartsOn: Day(2019, 1, 1), EndsOn: &[]time.Time{Day(2018, 1, 1)}[0]}, distans.EINVALID},
		{"unit of other org", admin, distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.RootB.ID, Title: "T", StartsOn: Day(2010, 1, 1), EndsOn: &[]time.Time{Day(2010, 2, 1)}[0]}, distans.EINVALID},
		{"site of other org", admin, distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.X1.ID, SiteID: w.SiteB.ID, Title: "T", StartsOn: Day(2010, 1, 1), EndsOn: &[]time.Time{Day(2010, 2, 1)}[0]}, distans.EINVALID},
		{"person of other org", admin, distans.Employment{PersonID: w.EmpB.ID, UnitID: w.X1.ID, Title: "T", StartsOn: Day(2010, 1, 1)}, distans.ENOTFOUND},
		{"HR outside subtree", hr, distans.Employment{PersonID: w.EmpY.ID, UnitID: w.Y.ID, Title: "T", StartsOn: Day(2010, 1, 1), EndsOn: &[]time.Time{Day(2010, 2, 1)}[0]}, distans.ENOTFOUND},
		{"HR moving out of subtree", hr, distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.Y.ID, Title: "T", StartsOn: Day(2010, 1, 1), EndsOn: &[]time.Time{Day(2010, 2, 1)}[0]}, distans.EFORBIDDEN},
		{"chef may only look", As(t, s, w.ChefX), distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.X1.ID, Title: "T", StartsOn: Day(2010, 1, 1), EndsOn: &[]time.Time{Day(2010, 2, 1)}[0]}, distans.EFORBIDDEN},
		{"HR in subtree", hr, distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.X1.ID, Title: "Praktikant", StartsOn: Day(2010, 1, 1), EndsOn: &[]time.Time{Day(2010, 2, 1)}[0]}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.e
			WantCode(t, s.CreateEmployment(tc.ctx, &e), tc.code)
		})
	}
	emps, err := s.ListEmployments(admin, w.EmpX1.ID)
	Must(t, err)
	if len(emps) != 2 || emps[0].Title != "Praktikant" || emps[1].ID != w.EmpX1Employment.ID {
		t.Fatalf("employments: %+v", emps)
	}
	wantLastAction(t, s, w.A.ID, "employment.create", emps[0].ID)

	e, err := s.UpdateEmployment(hr, emps[0].ID, distans.EmploymentUpdate{Title: ptr("Sommarvikarie")})
	Must(t, err)
	wantLastAction(t, s, w.A.ID, "employment.update", e.ID)
	_, err = s.UpdateEmployment(hr, e.ID, distans.EmploymentUpdate{SetEndsOn: true}) // would overlap the next
	WantCode(t, err, distans.EINVALID)
	// Input the caller could not read is answered only to whoever may
	// change the employment: the others learn nothing of how it is judged.
	var bad distans.Validation
	bad.Add("starts_on", "Inget datum.", "Not a date.")
	invalid := distans.EmploymentUpdate{Invalid: bad.Err()}
	_, err = s.UpdateEmployment(As(t, s, w.ChefX), e.ID, invalid)
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.UpdateEmployment(As(t, s, w.EmpY), e.ID, invalid)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.UpdateEmployment(hr, e.ID, invalid)
	WantCode(t, err, distans.EINVALID)

	WantCode(t, s.EndEmployment(admin, w.EmpX1Employment.ID, Day(2019, 12, 31)), distans.EINVALID)
	Must(t, s.EndEmployment(admin, w.EmpX1Employment.ID, Day(2020, 1, 1)))
	wantLastAction(t, s, w.A.ID, "employment.end", w.EmpX1Employment.ID)
	emps, _ = s.ListEmployments(admin, w.EmpX1.ID)
	if emps[1].EndsOn == nil || !emps[1].EndsOn.Equal(Day(2020, 1, 1)) {
		t.Fatalf("ended: %+v", emps[1])
	}
	// With no current employment the person keeps the latest unit.
	p, _ := s.FindPerson(admin, w.EmpX1.ID)
	if p.UnitID != w.X1.ID {
		t.Fatalf("placement after the end: %+v", p)
	}
	// The person may read their own employments; a colleague may not.
	_, err = s.ListEmployments(As(t, s, w.EmpX1), w.EmpX1.ID)
	Must(t, err)
	_, err = s.ListEmployments(As(t, s, w.EmpY), w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
	found, err := s.FindEmployment(As(t, s, w.EmpX1), w.EmpX1Employment.ID)
	Must(t, err)
	if found.Title != w.EmpX1Employment.Title || found.PersonID != w.EmpX1.ID {
		t.Fatalf("found employment: %+v", found)
	}
	_, err = s.FindEmployment(As(t, s, w.EmpY), w.EmpX1Employment.ID)
	WantCode(t, err, distans.ENOTFOUND)
}

func Leaves(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	hr := As(t, s, w.HRX)
	end := Day(2024, 6, 30)
	l := &distans.Leave{PersonID: w.EmpX1.ID, Kind: distans.LeaveParental, StartsOn: Day(2024, 1, 1), EndsOn: &end}
	Must(t, s.CreateLeave(hr, l))
	wantLastAction(t, s, w.A.ID, "leave.create", l.ID)
	WantCode(t, s.CreateLeave(hr, &distans.Leave{PersonID: w.EmpX1.ID, Kind: distans.LeaveStudy, StartsOn: Day(2024, 6, 30)}), distans.EINVALID)
	WantCode(t, s.CreateLeave(hr, &distans.Leave{PersonID: w.EmpX1.ID, Kind: "semester", StartsOn: Day(2025, 1, 1)}), distans.EINVALID)
	WantCode(t, s.CreateLeave(hr, &distans.Leave{PersonID: w.EmpY.ID, Kind: distans.LeaveStudy, StartsOn: Day(2025, 1, 1)}), distans.ENOTFOUND)
	Must(t, s.CreateLeave(hr, &distans.Leave{PersonID: w.EmpX1.ID, Kind: distans.LeaveStudy, StartsOn: Day(2024, 7, 1)}))

	WantCode(t, s.EndLeave(hr, l.ID, Day(2023, 12, 31)), distans.EINVALID)
	Must(t, s.EndLeave(hr, l.ID, Day(2024, 3, 31)))
	wantLastAction(t, s, w.A.ID, "leave.end", l.ID)

	for _, tc := range []struct {
		name string
		ctx  context.Context
		code string
	}{
		{"self", As(t, s, w.EmpX1), ""},
		{"HR", hr, ""},
		{"chef", As(t, s, w.ChefX), ""},
		{"switchboard", As(t, s, w.Switchboard), distans.EFORBIDDEN},
		{"colleague", As(t, s, w.EmpY), distans.ENOTFOUND},
		{"other org", As(t, s, w.AdminB), distans.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ls, err := s.ListLeaves(tc.ctx, w.EmpX1.ID)
			WantCode(t, err, tc.code)
			if err == nil && (len(ls) != 2 || !ls[0].EndsOn.Equal(Day(2024, 3, 31)) || ls[1].EndsOn != nil) {
				t.Fatalf("leaves: %+v", ls)
			}
		})
	}
}

func Roles(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	r := &distans.RoleAssignment{PersonID: w.EmpY.ID, Role: distans.RoleIT, UnitID: w.Y.ID}
	Must(t, s.AssignRole(admin, r))
	wantLastAction(t, s, w.A.ID, "role.assign", r.ID)
	WantCode(t, s.AssignRole(admin, &distans.RoleAssignment{PersonID: w.EmpY.ID, Role: distans.RoleIT, UnitID: w.Y.ID}), distans.ECONFLICT)
	WantCode(t, s.AssignRole(admin, &distans.RoleAssignment{PersonID: w.EmpY.ID, Role: "kung"}), distans.EINVALID)
	WantCode(t, s.AssignRole(admin, &distans.RoleAssignment{PersonID: w.EmpB.ID, Role: distans.RoleIT}), distans.EINVALID)
	WantCode(t, s.AssignRole(admin, &distans.RoleAssignment{PersonID: w.EmpY.ID, Role: distans.RoleIT, UnitID: w.RootB.ID}), distans.EINVALID)
	WantCode(t, s.AssignRole(As(t, s, w.HRX), &distans.RoleAssignment{PersonID: w.EmpX1.ID, Role: distans.RoleIT}), distans.EFORBIDDEN)

	grants, err := s.Grants(context.Background(), w.A.ID, w.EmpY.ID)
	Must(t, err)
	if len(grants) != 1 || grants[0] != (distans.Grant{Role: distans.RoleIT, UnitID: w.Y.ID, UnitPath: w.Y.Path}) {
		t.Fatalf("grants: %+v", grants)
	}
	// Everyone lists their own; the admin lists everyone's.
	own, err := s.ListRoleAssignments(As(t, s, w.EmpY), distans.RoleFilter{})
	Must(t, err)
	if len(own) != 1 || own[0].ID != r.ID {
		t.Fatalf("own: %+v", own)
	}
	others, err := s.ListRoleAssignments(As(t, s, w.EmpX1), distans.RoleFilter{PersonID: w.EmpY.ID})
	Must(t, err)
	if len(others) != 0 {
		t.Fatalf("an employee sees others' roles: %+v", others)
	}
	all, err := s.ListRoleAssignments(admin, distans.RoleFilter{Role: distans.RoleManager})
	Must(t, err)
	if len(all) != 1 || all[0].PersonID != w.ChefX.ID || all[0].UnitID != w.X.ID {
		t.Fatalf("chefs: %+v", all)
	}

	WantCode(t, s.EndRoleAssignment(As(t, s, w.EmpY), r.ID), distans.EFORBIDDEN)
	WantCode(t, s.EndRoleAssignment(As(t, s, w.EmpX1), r.ID), distans.ENOTFOUND)
	Must(t, s.EndRoleAssignment(admin, r.ID))
	wantLastAction(t, s, w.A.ID, "role.end", r.ID)
	grants, _ = s.Grants(context.Background(), w.A.ID, w.EmpY.ID)
	if len(grants) != 0 {
		t.Fatalf("grants after end: %+v", grants)
	}
	ended, _ := s.ListRoleAssignments(admin, distans.RoleFilter{PersonID: w.EmpY.ID, IncludeEnded: true})
	if len(ended) != 1 || ended[0].EndedAt == nil {
		t.Fatalf("ended: %+v", ended)
	}
	// Assigning again after the end is allowed.
	Must(t, s.AssignRole(admin, &distans.RoleAssignment{PersonID: w.EmpY.ID, Role: distans.RoleIT, UnitID: w.Y.ID}))
}

func Unauthenticated(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := context.Background()
	calls := map[string]error{}
	_, calls["FindUnit"] = s.FindUnit(ctx, w.X.ID)
	_, calls["ListUnits"] = s.ListUnits(ctx, distans.UnitFilter{})
	_, calls["FindSite"] = s.FindSite(ctx, w.Site.ID)
	_, calls["FindPerson"] = s.FindPerson(ctx, w.EmpX1.ID)
	_, _, calls["ListPeople"] = s.ListPeople(ctx, distans.PersonFilter{})
	calls["CreatePerson"] = s.CreatePerson(ctx, &distans.Person{Name: "N", Email: "n@example.se"})
	_, calls["RevealPersonalNumber"] = s.RevealPersonalNumber(ctx, w.EmpX1.ID)
	_, calls["ListAuditEvents"] = s.ListAuditEvents(ctx, distans.AuditFilter{})
	_, calls["ListRoleAssignments"] = s.ListRoleAssignments(ctx, distans.RoleFilter{})
	_, calls["FindOrganisationByID"] = s.FindOrganisationByID(ctx, w.A.ID)
	calls["CreateOrganisation"] = s.CreateOrganisation(ctx, &distans.Organisation{})
	for name, err := range calls {
		if distans.ErrorCode(err) != distans.EUNAUTHORIZED {
			t.Errorf("%s without an actor: %v", name, err)
		}
	}
}

// TenantIsolation: the administrator of B gets ENOTFOUND for every record
// of A, and B's lists never include them.
func TenantIsolation(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	b := As(t, s, w.AdminB)
	hrA := As(t, s, w.Admin)
	leave := &distans.Leave{PersonID: w.EmpX1.ID, Kind: distans.LeaveOther, StartsOn: Day(2030, 1, 1)}
	Must(t, s.CreateLeave(hrA, leave))
	roles, err := s.ListRoleAssignments(hrA, distans.RoleFilter{PersonID: w.HRX.ID})
	Must(t, err)
	role := roles[0]
	now := distans.Now()

	checks := map[string]error{}
	_, checks["FindUnit"] = s.FindUnit(b, w.X.ID)
	_, checks["UpdateUnit"] = s.UpdateUnit(b, w.X.ID, distans.UnitUpdate{Name: ptr("Kapad")})
	checks["EndUnit"] = s.EndUnit(b, w.Y.ID, now)
	_, checks["FindSite"] = s.FindSite(b, w.Site.ID)
	_, checks["UpdateSite"] = s.UpdateSite(b, w.Site.ID, distans.SiteUpdate{Name: ptr("Kapad")})
	checks["EndSite"] = s.EndSite(b, w.Site.ID, now)
	_, checks["FindPerson"] = s.FindPerson(b, w.EmpX1.ID)
	_, checks["UpdatePerson"] = s.UpdatePerson(b, w.EmpX1.ID, distans.PersonUpdate{Name: ptr("Kapad")})
	_, checks["RevealPersonalNumber"] = s.RevealPersonalNumber(b, w.EmpX1.ID)
	_, checks["ListEmployments"] = s.ListEmployments(b, w.EmpX1.ID)
	_, checks["FindEmployment"] = s.FindEmployment(b, w.EmpX1Employment.ID)
	checks["CreateEmployment"] = s.CreateEmployment(b, &distans.Employment{PersonID: w.EmpX1.ID, UnitID: w.RootB.ID, Title: "T", StartsOn: Day(2040, 1, 1)})
	_, checks["UpdateEmployment"] = s.UpdateEmployment(b, w.EmpX1Employment.ID, distans.EmploymentUpdate{UnitID: &w.RootB.ID, Title: ptr("T")})
	checks["EndEmployment"] = s.EndEmployment(b, w.EmpX1Employment.ID, now)
	_, checks["ListLeaves"] = s.ListLeaves(b, w.EmpX1.ID)
	checks["CreateLeave"] = s.CreateLeave(b, &distans.Leave{PersonID: w.EmpX1.ID, Kind: distans.LeaveOther, StartsOn: Day(2040, 1, 1)})
	checks["EndLeave"] = s.EndLeave(b, leave.ID, Day(2030, 2, 1))
	checks["EndRoleAssignment"] = s.EndRoleAssignment(b, role.ID)
	_, checks["FindOrganisationByID"] = s.FindOrganisationByID(b, w.A.ID)
	_, checks["UpdateOrganisation"] = s.UpdateOrganisation(b, w.A.ID, distans.OrganisationUpdate{Name: ptr("Kapad")})
	for name, err := range checks {
		if distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("%s across organisations: %v, want not found", name, err)
		}
	}
	// Assigning a role to A's person, or in A's unit, is invalid input.
	WantCode(t, s.AssignRole(b, &distans.RoleAssignment{PersonID: w.EmpX1.ID, Role: distans.RoleIT}), distans.EINVALID)
	WantCode(t, s.AssignRole(b, &distans.RoleAssignment{PersonID: w.EmpB.ID, Role: distans.RoleIT, UnitID: w.X.ID}), distans.EINVALID)
	// A unit cannot hang below another organisation's unit.
	WantCode(t, s.CreateUnit(b, &distans.Unit{Name: "U", Kind: distans.UnitSection, ParentID: w.X.ID}), distans.EINVALID)

	units, err := s.ListUnits(b, distans.UnitFilter{IncludeEnded: true})
	Must(t, err)
	sites, err := s.ListSites(b, true)
	Must(t, err)
	people, total, err := s.ListPeople(b, distans.PersonFilter{Limit: 500})
	Must(t, err)
	ras, err := s.ListRoleAssignments(b, distans.RoleFilter{IncludeEnded: true})
	Must(t, err)
	events, err := s.ListAuditEvents(b, distans.AuditFilter{Limit: 1000})
	Must(t, err)
	orgOf := map[string][]string{}
	for _, u := range units {
		orgOf["unit"] = append(orgOf["unit"], u.OrganisationID)
	}
	for _, x := range sites {
		orgOf["site"] = append(orgOf["site"], x.OrganisationID)
	}
	for _, p := range people {
		orgOf["person"] = append(orgOf["person"], p.OrganisationID)
	}
	for _, r := range ras {
		orgOf["role"] = append(orgOf["role"], r.OrganisationID)
	}
	for _, e := range events {
		orgOf["audit"] = append(orgOf["audit"], e.OrganisationID)
		if e.RecordID == w.EmpX1.ID {
			t.Errorf("B sees an event about A's person: %+v", e)
		}
	}
	for kind, orgs := range orgOf {
		for _, o := range orgs {
			if o != w.B.ID {
				t.Errorf("B's list of %s includes a record of %s", kind, o)
			}
		}
	}
	if total.Total != 2 || len(units) != 1 || len(sites) != 1 || len(ras) != 1 {
		t.Errorf("B's lists: %d people, %d units, %d sites, %d roles", total.Total, len(units), len(sites), len(ras))
	}
	// A's records are unchanged.
	x, _ := s.FindUnit(hrA, w.X.ID)
	site, _ := s.FindSite(hrA, w.Site.ID)
	if x.Name != w.X.Name || site.Name != w.Site.Name || site.EndedOn != nil {
		t.Errorf("A's records changed: %+v %+v", x, site)
	}
	// The system actor of B stays in B.
	_, err = s.FindPerson(System(w.B.ID), w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
}

// SubtreeIsolation: who sees whom by role and unit.
func SubtreeIsolation(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	everyone := []*distans.Person{w.Admin, w.HRX, w.ChefX, w.Switchboard, w.EmpX1, w.EmpY}
	inX := []*distans.Person{w.HRX, w.ChefX, w.EmpX1}
	tests := []struct {
		name string
		as   *distans.Person
		sees []*distans.Person
	}{
		{"chef of X sees X's subtree", w.ChefX, inX},
		{"HR of X sees X's subtree", w.HRX, inX},
		{"switchboard sees everyone", w.Switchboard, everyone},
		{"admin sees everyone", w.Admin, everyone},
		// An employee reads their own record but not the register, on the
		// page and in the API alike.
		{"employee sees only self", w.EmpY, []*distans.Person{w.EmpY}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := As(t, s, tc.as)
			ps, total, err := s.ListPeople(ctx, distans.PersonFilter{})
			want := personIDs(tc.sees)
			if tc.as == w.EmpY {
				WantCode(t, err, distans.EFORBIDDEN)
			} else {
				Must(t, err)
				got := personIDs(ps)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) || total.Total != len(want) {
					t.Fatalf("sees %d people, want %d", len(got), len(want))
				}
			}
			for _, p := range everyone {
				_, err := s.FindPerson(ctx, p.ID)
				code := ""
				if !slices.Contains(want, p.ID) {
					code = distans.ENOTFOUND
				}
				WantCode(t, err, code)
			}
		})
	}
	// Changing someone you cannot see is not found; someone you see but may
	// not manage is forbidden.
	_, err := s.UpdatePerson(As(t, s, w.HRX), w.EmpY.ID, distans.PersonUpdate{Phone: ptr("0932-100 00")})
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.UpdatePerson(As(t, s, w.Switchboard), w.EmpY.ID, distans.PersonUpdate{Phone: ptr("0932-100 00")})
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.UpdatePerson(As(t, s, w.HRX), w.EmpX1.ID, distans.PersonUpdate{Phone: ptr("0932-100 00")})
	Must(t, err)
}

func Secrets(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	p, err := s.UpdatePerson(admin, w.EmpX1.ID, distans.PersonUpdate{PersonalNumber: ptr("121212-1212")})
	Must(t, err)
	if p.PersonalNumber != "" {
		t.Fatal("personal number returned by update")
	}
	p, _ = s.FindPerson(admin, w.EmpX1.ID)
	if p.PersonalNumber != "" || p.PersonalNumberMasked != "20121212-****" {
		t.Fatalf("masked: %q %q", p.PersonalNumber, p.PersonalNumberMasked)
	}
	before := lastEvent(t, s, w.A.ID).Seq
	for _, tc := range []struct {
		name string
		as   *distans.Person
		code string
	}{
		{"switchboard", w.Switchboard, distans.EFORBIDDEN},
		{"chef", w.ChefX, distans.EFORBIDDEN},
		{"admin without the secret permission", w.Admin, distans.EFORBIDDEN},
		{"colleague", w.EmpY, distans.ENOTFOUND},
		{"other organisation", w.AdminB, distans.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := s.RevealPersonalNumber(As(t, s, tc.as), w.EmpX1.ID)
			WantCode(t, err, tc.code)
			if n != "" {
				t.Fatal("number returned with an error")
			}
		})
	}
	if after := lastEvent(t, s, w.A.ID).Seq; after != before {
		t.Fatalf("refused reveals wrote %d audit events", after-before)
	}
	n, err := s.RevealPersonalNumber(As(t, s, w.HRX), w.EmpX1.ID)
	Must(t, err)
	if n != "20121212-1212" {
		t.Fatalf("revealed %q", n)
	}
	e := lastEvent(t, s, w.A.ID)
	if e.Action != "person.secret_read" || e.RecordID != w.EmpX1.ID || e.ActorID != w.HRX.ID {
		t.Fatalf("audit event: %+v", e)
	}
	// No audit summary anywhere holds the number.
	evs, err := s.ListAuditEvents(admin, distans.AuditFilter{Limit: 1000})
	Must(t, err)
	for _, e := range evs {
		if strings.Contains(e.Summary, "1212-1212") || strings.Contains(e.Summary, "121212") {
			t.Fatalf("secret in audit summary: %+v", e)
		}
	}
}

func AuditTrail(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	evs, err := s.ListAuditEvents(admin, distans.AuditFilter{Action: "person.", Limit: 1000})
	Must(t, err)
	if len(evs) != 6 {
		t.Fatalf("person events: %d", len(evs))
	}
	for i, e := range evs {
		if !strings.HasPrefix(e.Action, "person.") || i > 0 && e.Seq >= evs[i-1].Seq {
			t.Fatalf("event %d: %+v", i, e)
		}
	}
	evs, _ = s.ListAuditEvents(admin, distans.AuditFilter{RecordID: w.X.ID, RecordType: "unit"})
	if len(evs) != 2 || evs[0].Action != "unit.update" || evs[1].Action != "unit.create" {
		t.Fatalf("events of X: %+v", evs)
	}
	evs, _ = s.ListAuditEvents(admin, distans.AuditFilter{Query: "ÅSA", Limit: 1})
	if len(evs) != 1 {
		t.Fatalf("query: %+v", evs)
	}
	page, _ := s.ListAuditEvents(admin, distans.AuditFilter{BeforeSeq: 3})
	if len(page) != 2 || page[0].Seq != 2 || page[1].Seq != 1 || page[1].Action != "organisation.create" {
		t.Fatalf("page before 3: %+v", page)
	}
	if e := page[1]; e.PrevHash != "" || e.Hash != e.ComputeHash() || e.ActorName != "system" {
		t.Fatalf("first event: %+v", e)
	}
	_, err = s.ListAuditEvents(As(t, s, w.HRX), distans.AuditFilter{})
	WantCode(t, err, distans.EFORBIDDEN)
	b, err := s.VerifyAuditChains(context.Background())
	if err != nil || b != nil {
		t.Fatalf("intact chains: %v %v", b, err)
	}
}

// AuditChainTampering changes the trail behind the store's back and
// expects VerifyAuditChains to find each change.
func AuditChainTampering(t *testing.T, s *sqlstore.Store) {
	tests := []struct {
		name   string
		tamper string // SQL with $1 = organisation, $2 = a middle seq
	}{
		{"summary changed", `UPDATE audit_events SET summary = 'nothing happened' WHERE organisation_id = $1 AND seq = $2`},
		{"middle event deleted", `DELETE FROM audit_events WHERE organisation_id = $1 AND seq = $2`},
		{"last event deleted", `DELETE FROM audit_events WHERE organisation_id = $1 AND seq = (SELECT MAX(seq) FROM audit_events WHERE organisation_id = $1) AND $2 > 0`},
		{"two events swapped", `UPDATE audit_events SET seq = CASE WHEN seq = $2 THEN -1 ELSE seq END WHERE organisation_id = $1;
			UPDATE audit_events SET seq = $2 WHERE organisation_id = $1 AND seq = $2 + 1;
			UPDATE audit_events SET seq = $2 + 1 WHERE organisation_id = $1 AND seq = -1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := s
			if tc.name != tests[0].name {
				s = freshLike(t, s)
			}
			w := NewWorld(t, s)
			db := Raw(t, s)
			ctx := context.Background()
			for i, stmt := range strings.Split(tc.tamper, ";") {
				if _, err := db.ExecContext(ctx, stmt, w.B.ID, 3); err != nil {
					t.Fatalf("tamper %d: %v", i, err)
				}
			}
			b, err := s.VerifyAuditChains(ctx)
			Must(t, err)
			if b == nil {
				t.Fatal("tampering not detected")
			}
			if b.Slug != "beta" || b.OrganisationID != w.B.ID {
				t.Fatalf("break in the wrong organisation: %+v", b)
			}
			t.Logf("detected: %s", b)
		})
	}
}

// freshLike returns a new store of the same dialect as s.
func freshLike(t *testing.T, s *sqlstore.Store) *sqlstore.Store {
	t.Helper()
	if s.Dialect() == "sqlite" {
		return SQLite(t)
	}
	v, _ := dsns.Load(s)
	u := v.(string)
	// Strip the search_path that Postgres() added, then make another schema.
	if i := strings.Index(u, "search_path="); i >= 0 {
		j := strings.Index(u[i:], "&")
		if j < 0 {
			u = strings.TrimRight(u[:i], "?&")
		} else {
			u = u[:i] + u[i+j+1:]
		}
	}
	return Postgres(t, u)
}

func Accounts(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := context.Background()
	a, b := w.A.ID, w.B.ID

	// The same e-mail in two organisations: two accounts.
	twin := &distans.Person{Name: "Åsa i Beta", Email: strings.ToUpper(w.EmpX1.Email), EmployeeNumber: "B-17"}
	Must(t, s.CreatePerson(System(b), twin))
	accs, err := s.FindAccounts(ctx, " "+strings.ToUpper(w.EmpX1.Email))
	Must(t, err)
	if len(accs) != 2 || accs[0].OrgSlug != "alfa" || accs[1].OrgSlug != "beta" {
		t.Fatalf("accounts: %+v", accs)
	}
	if accs[0].Ended || !accs[1].Ended || accs[0].OrgName != "Org alfa" || accs[0].PasswordHash != "" {
		t.Fatalf("ended: %+v %+v", accs[0], accs[1])
	}
	acc, err := s.FindAccountByEmployeeNumber(ctx, b, "B-17")
	Must(t, err)
	if acc.PersonID != twin.ID {
		t.Fatalf("by number: %+v", acc)
	}
	_, err = s.FindAccountByEmployeeNumber(ctx, a, "B-17")
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.FindAccount(ctx, a, twin.ID)
	WantCode(t, err, distans.ENOTFOUND)
	none, err := s.FindAccounts(ctx, "nobody@example.se")
	if err != nil || len(none) != 0 {
		t.Fatalf("no accounts: %v %v", none, err)
	}

	// Lock-out after max failures.
	p := w.EmpX1.ID
	until := distans.Now().Add(15 * time.Minute).Truncate(time.Microsecond)
	for i := 1; i <= 3; i++ {
		locked, err := s.RecordSignInFailure(ctx, a, p, 3, distans.Now(), until)
		Must(t, err)
		if locked != (i == 3) {
			t.Fatalf("failure %d: locked = %v", i, locked)
		}
	}
	wantLastAction(t, s, a, "signin.locked", p)
	acc, err = s.FindAccount(ctx, a, p)
	Must(t, err)
	if acc.FailedCount != 3 || acc.LockedUntil == nil || !acc.LockedUntil.Equal(until) {
		t.Fatalf("locked account: %+v", acc)
	}
	// A failure after the lock has run out starts a fresh count.
	locked, err := s.RecordSignInFailure(ctx, a, p, 3, until.Add(time.Second), until.Add(time.Hour))
	Must(t, err)
	acc, _ = s.FindAccount(ctx, a, p)
	if locked || acc.FailedCount != 1 || acc.LockedUntil != nil {
		t.Fatalf("failure after the lock ran out: locked=%v %+v", locked, acc)
	}
	Must(t, s.UnlockAccount(ctx, a, p))
	acc, _ = s.FindAccount(ctx, a, p)
	if acc.FailedCount != 0 || acc.LockedUntil != nil {
		t.Fatalf("unlocked: %+v", acc)
	}
	_, err = s.RecordSignInFailure(ctx, a, p, 3, distans.Now(), until)
	Must(t, err)
	Must(t, s.RecordSignInSuccess(ctx, a, p, distans.SignInPassword))
	acc, _ = s.FindAccount(ctx, a, p)
	if acc.FailedCount != 0 {
		t.Fatalf("after success: %+v", acc)
	}
	_, err = s.RecordSignInFailure(ctx, b, p, 3, distans.Now(), until)
	WantCode(t, err, distans.ENOTFOUND)

	// Password history, newest first, at most 50 kept.
	Must(t, s.CreateSession(ctx, &distans.Session{TokenHash: "sess-1", OrganisationID: a, PersonID: p,
		CreatedAt: distans.Now(), ExpiresAt: distans.Now().Add(time.Hour), LastSeenAt: distans.Now()}))
	for i := range 52 {
		Must(t, s.SetPasswordHash(As(t, s, w.HRX), a, p, "hash-"+string(rune('A'+i))))
	}
	e := lastEvent(t, s, a)
	if e.Action != "password.set" || e.ActorID != w.HRX.ID || strings.Contains(e.Summary, "hash-") {
		t.Fatalf("password event: %+v", e)
	}
	hist, err := s.PasswordHistory(ctx, a, p, 5)
	Must(t, err)
	if !slices.Equal(hist, []string{"hash-" + string(rune('A'+51)), "hash-" + string(rune('A'+50)), "hash-" + string(rune('A'+49)),
		"hash-" + string(rune('A'+48)), "hash-" + string(rune('A'+47))}) {
		t.Fatalf("history: %v", hist)
	}
	hist, _ = s.PasswordHistory(ctx, a, p, 100)
	if len(hist) != 50 {
		t.Fatalf("history kept %d", len(hist))
	}
	acc, _ = s.FindAccount(ctx, a, p)
	if acc.PasswordHash != "hash-"+string(rune('A'+51)) {
		t.Fatalf("password: %+v", acc)
	}
	_, err = s.FindSession(ctx, "sess-1")
	WantCode(t, err, distans.ENOTFOUND) // setting the password ended the session
}

func SessionsAndTokens(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := context.Background()
	a := w.A.ID
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 123456000, time.UTC)
	mk := func(hash, person string, exp time.Time) *distans.Session {
		return &distans.Session{TokenHash: hash, OrganisationID: a, PersonID: person, CSRFToken: "csrf-" + hash,
			CreatedAt: t0, ExpiresAt: exp, LastSeenAt: t0}
	}
	Must(t, s.CreateSession(ctx, mk("h1", w.EmpX1.ID, t0.Add(time.Hour))))
	Must(t, s.CreateSession(ctx, mk("h2", w.EmpX1.ID, t0.Add(2*time.Hour))))
	Must(t, s.CreateSession(ctx, mk("h3", w.EmpY.ID, t0.Add(time.Minute))))
	WantCode(t, s.CreateSession(ctx, mk("h3", w.EmpY.ID, t0)), distans.ECONFLICT)
	x, err := s.FindSession(ctx, "h1")
	Must(t, err)
	if *x != *mk("h1", w.EmpX1.ID, t0.Add(time.Hour)) {
		t.Fatalf("session: %+v", x)
	}
	Must(t, s.TouchSession(ctx, "h1", t0.Add(time.Minute), t0.Add(3*time.Hour)))
	x, _ = s.FindSession(ctx, "h1")
	if !x.ExpiresAt.Equal(t0.Add(3*time.Hour)) || !x.LastSeenAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("touched: %+v", x)
	}
	WantCode(t, s.TouchSession(ctx, "nope", t0, t0), distans.ENOTFOUND)
	n, err := s.DeleteExpiredSessions(ctx, t0.Add(30*time.Minute))
	Must(t, err)
	if n != 1 {
		t.Fatalf("expired: %d", n)
	}
	Must(t, s.DeleteSessions(As(t, s, w.EmpX1), a, w.EmpX1.ID))
	wantLastAction(t, s, a, "session.revoke_all", w.EmpX1.ID)
	for _, h := range []string{"h1", "h2", "h3"} {
		_, err := s.FindSession(ctx, h)
		WantCode(t, err, distans.ENOTFOUND)
	}
	Must(t, s.CreateSession(ctx, mk("h4", w.EmpY.ID, t0.Add(time.Hour))))
	Must(t, s.DeleteSession(ctx, "h4"))
	WantCode(t, s.DeleteSession(ctx, "h4"), distans.ENOTFOUND)

	tok := &distans.APIToken{OrganisationID: a, PersonID: w.EmpY.ID, Name: "Integration", TokenHash: "th-1"}
	Must(t, s.CreateAPIToken(ctx, tok))
	e := lastEvent(t, s, a)
	if e.Action != "token.create" || strings.Contains(e.Summary, "th-1") {
		t.Fatalf("token event: %+v", e)
	}
	WantCode(t, s.CreateAPIToken(ctx, &distans.APIToken{OrganisationID: a, PersonID: w.EmpY.ID, Name: "Dubbel", TokenHash: "th-1"}), distans.ECONFLICT)
	WantCode(t, s.CreateAPIToken(ctx, &distans.APIToken{OrganisationID: w.B.ID, PersonID: w.EmpY.ID, Name: "Fel org", TokenHash: "th-2"}), distans.ENOTFOUND)
	got, err := s.FindAPIToken(ctx, "th-1")
	Must(t, err)
	if got.ID != tok.ID || got.RevokedAt != nil || got.LastUsedAt != nil {
		t.Fatalf("token: %+v", got)
	}
	Must(t, s.TouchAPIToken(ctx, a, tok.ID, t0))
	WantCode(t, s.TouchAPIToken(ctx, w.B.ID, tok.ID, t0), distans.ENOTFOUND)
	WantCode(t, s.RevokeAPIToken(ctx, w.B.ID, tok.ID), distans.ENOTFOUND)
	Must(t, s.RevokeAPIToken(ctx, a, tok.ID))
	wantLastAction(t, s, a, "token.revoke", tok.ID)
	list, err := s.ListAPITokens(ctx, a, w.EmpY.ID)
	Must(t, err)
	if len(list) != 1 || list[0].RevokedAt == nil || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(t0) {
		t.Fatalf("tokens: %+v", list)
	}

	_, err = s.FindOIDCProvider(ctx, a)
	WantCode(t, err, distans.ENOTFOUND)
	prov := &distans.OIDCProvider{OrganisationID: a, Issuer: "https://idp.example.se", ClientID: "distans", ClientSecret: "hemligt", MatchBy: "email", Enabled: true}
	Must(t, s.SaveOIDCProvider(ctx, prov))
	prov.Enabled = false
	prov.MatchBy = "employee_number"
	prov.Claim = "employeeNumber"
	Must(t, s.SaveOIDCProvider(ctx, prov))
	gotp, err := s.FindOIDCProvider(ctx, a)
	Must(t, err)
	if *gotp != *prov {
		t.Fatalf("provider: %+v", gotp)
	}
	if e := lastEvent(t, s, a); strings.Contains(e.Summary, "hemligt") {
		t.Fatalf("secret in audit: %+v", e)
	}
	WantCode(t, s.SaveOIDCProvider(ctx, &distans.OIDCProvider{OrganisationID: "nope", Issuer: "i", ClientID: "c", MatchBy: "email"}), distans.ENOTFOUND)
}

// PlacementRefresh: a person's unit is a copy of their current
// employment's, recomputed on the day it may change. The test makes that
// day pass by moving refresh_on into the past behind the store's back, and
// reads through a second instance: an instance probes for due rows once a
// day per organisation, and only the date moving on makes rows due.
func PlacementRefresh(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	db := Raw(t, s)
	v, _ := dsns.Load(s)
	s = open(t, v.(string))
	if _, err := db.Exec(`UPDATE people SET unit_id = '', unit_path = '', title = '', refresh_on = '2000-01-01'
		WHERE organisation_id = $1 AND id = $2`, w.A.ID, w.EmpX1.ID); err != nil {
		t.Fatal(err)
	}
	// Until refreshed, the chef of X would not see EmpX1; the read refreshes.
	p, err := s.FindPerson(As(t, s, w.ChefX), w.EmpX1.ID)
	Must(t, err)
	if p.UnitID != w.X1.ID || p.UnitPath != w.X1.Path || p.Title != "Handläggare" {
		t.Fatalf("refreshed: %+v", p)
	}
	ps, _, err := s.ListPeople(As(t, s, w.ChefX), distans.PersonFilter{Query: "oberg"})
	Must(t, err)
	if len(ps) != 1 {
		t.Fatalf("search after refresh: %d", len(ps))
	}
}
