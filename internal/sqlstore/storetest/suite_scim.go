package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// scimClient makes a SCIM token for the organisation as its administrator
// and returns the provisioning client's context.
func scimClient(t testing.TB, s *sqlstore.Store, admin *distans.Person) context.Context {
	t.Helper()
	secret, _, err := s.CreateSCIMToken(As(t, s, admin), "Entra ID")
	Must(t, err)
	a, err := s.AuthenticateSCIM(context.Background(), secret)
	Must(t, err)
	return distans.NewContext(context.Background(), a)
}

func scimUser(userName string) *distans.SCIMUser {
	return &distans.SCIMUser{UserName: userName, GivenName: "Nina", FamilyName: "Ny", Email: userName,
		Title: "Socialsekreterare", Active: true}
}

// scimToday is the organisations' calendar day (Europe/Stockholm).
func scimToday() time.Time { return agrToday() }

// SCIMFirstSyncPlans: an identity system's first sync fills tables that
// held nothing, and PostgreSQL's cached (generic) plans are made from
// their statistics: once 64 users are in, the tables have been analysed,
// and a user looked up by id is not found by walking the organisation's
// entries of another index (which a plan made before
// had done, at every read of a user, in 14 ms at 10,000 users).
func SCIMFirstSyncPlans(t *testing.T, s *sqlstore.Store) {
	if s.Dialect() != "postgres" {
		t.Skip("generic plans from statistics are PostgreSQL's")
	}
	db := Raw(t, s)
	var citus bool
	Must(t, db.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')`).Scan(&citus))
	if citus {
		t.Skip("on Citus the store leaves statistics to the workers")
	}
	w := NewWorld(t, s)
	ctx := scimClient(t, s, w.Admin)
	var last string
	for i := range 64 {
		u := scimUser(fmt.Sprintf("forsta.synk.%02d@example.se", i))
		Must(t, s.CreateUser(ctx, u))
		last = u.ID
	}
	for _, table := range []string{"people", "scim_users", "employments"} {
		var analysed bool
		Must(t, db.QueryRow(`SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables
			WHERE schemaname = current_schema() AND relname = $1`, table).Scan(&analysed))
		if !analysed {
			t.Errorf("%s not analysed after 64 new users", table)
		}
	}
	conn, err := db.Conn(context.Background())
	Must(t, err)
	defer conn.Close()
	c := context.Background()
	_, err = conn.ExecContext(c, `SET plan_cache_mode = force_generic_plan`)
	Must(t, err)
	_, err = conn.ExecContext(c, `PREPARE by_id (text, text) AS SELECT user_name FROM scim_users WHERE organisation_id = $1 AND person_id = $2`)
	Must(t, err)
	rows, err := conn.QueryContext(c, `EXPLAIN EXECUTE by_id ('`+w.A.ID+`', '`+last+`')`)
	Must(t, err)
	var plan []string
	for rows.Next() {
		var line string
		Must(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	Must(t, rows.Err())
	// Small as the table still is, reading it whole is right too; an
	// index on the organisation and another column is what is wrong.
	if p := strings.Join(plan, "\n"); strings.Contains(p, "scim_users_user_name") || strings.Contains(p, "scim_users_external_id") {
		t.Fatalf("a user by id is looked for among all the organisation's users:\n%s", p)
	}
}

// SCIMTokens: a token is shown once, authenticates as the organisation's
// provisioning client (audited by its name), and stops at once when
// revoked; only the organisation's administrator makes and lists them.
func SCIMTokens(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	_, _, err := s.CreateSCIMToken(As(t, s, w.HRX), "HR")
	WantCode(t, err, distans.EFORBIDDEN)
	_, _, err = s.CreateSCIMToken(admin, " ")
	WantCode(t, err, distans.EINVALID)
	secret, tok, err := s.CreateSCIMToken(admin, "Entra ID")
	Must(t, err)
	if !strings.HasPrefix(secret, "dsc_"+w.A.ID+".") || tok.ID == "" || tok.CreatedBy != w.Admin.ID {
		t.Fatalf("token %q %+v", secret, tok)
	}
	wantLastAction(t, s, w.A.ID, "scim.token.create", tok.ID)
	if e := lastEvent(t, s, w.A.ID); strings.Contains(e.Summary, secret[len(secret)-20:]) {
		t.Fatalf("secret in the trail: %+v", e)
	}
	a, err := s.AuthenticateSCIM(context.Background(), secret)
	Must(t, err)
	if !a.Provisions() || a.OrganisationID != w.A.ID || a.Name != "SCIM: Entra ID" || a.ManagesOrganisation() || a.Can(distans.PermManagePeople) {
		t.Fatalf("actor %+v", a)
	}
	for _, bad := range []string{"", "dst_x", secret + "x", strings.Replace(secret, w.A.ID, w.B.ID, 1), "dsc_" + w.A.ID + "." + strings.Repeat("A", 43)} {
		_, err := s.AuthenticateSCIM(context.Background(), bad)
		WantCode(t, err, distans.EUNAUTHORIZED)
	}
	list, err := s.ListSCIMTokens(admin)
	Must(t, err)
	if len(list) != 1 || list[0].LastUsedAt == nil {
		t.Fatalf("tokens %+v", list)
	}
	_, err = s.ListSCIMTokens(As(t, s, w.AdminB))
	Must(t, err)
	WantCode(t, s.RevokeSCIMToken(As(t, s, w.AdminB), tok.ID), distans.ENOTFOUND)
	// The answer is kept (SetCredentialTTL), and still a revocation and a
	// suspension through this instance apply at once.
	for range 2 {
		_, err = s.AuthenticateSCIM(context.Background(), secret)
		Must(t, err)
	}
	Must(t, s.RevokeSCIMToken(admin, tok.ID))
	wantLastAction(t, s, w.A.ID, "scim.token.revoke", tok.ID)
	_, err = s.AuthenticateSCIM(context.Background(), secret)
	WantCode(t, err, distans.EUNAUTHORIZED)
	other, _, err := s.CreateSCIMToken(admin, "Okta")
	Must(t, err)
	_, err = s.AuthenticateSCIM(context.Background(), other)
	Must(t, err)
	_, err = s.SetOrganisationStatus(Operator(), w.A.ID, distans.OrgSuspended)
	Must(t, err)
	_, err = s.AuthenticateSCIM(context.Background(), other)
	WantCode(t, err, distans.EUNAUTHORIZED)
	_, err = s.SetOrganisationStatus(Operator(), w.A.ID, distans.OrgActive)
	Must(t, err)
	_, err = s.AuthenticateSCIM(context.Background(), other)
	Must(t, err)
	// Nobody but the provisioning client provisions.
	_, _, err = s.ListUsers(admin, nil, 1, 10)
	WantCode(t, err, distans.EFORBIDDEN)
	WantCode(t, s.CreateUser(System(w.A.ID), scimUser("x@example.se")), distans.EFORBIDDEN)
}

// SCIMUsers: create, replace, patch, filters and paging, and the
// provisioning client's audit trail.
func SCIMUsers(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := scimClient(t, s, w.Admin)
	today := scimToday()
	_, err := s.UpdateUnit(System(w.A.ID), w.X1.ID, distans.UnitUpdate{Code: ptr("X1-KOD")})
	Must(t, err)

	u := scimUser("Nina.Ny@Example.se")
	u.ExternalID, u.EmployeeNumber, u.Department, u.ManagerID, u.Phone = "ext-1", "E100", "X1-KOD", w.EmpY.ID, "070-123 45 67"
	Must(t, s.CreateUser(ctx, u))
	if u.ID == "" || u.DisplayName != "Nina Ny" || u.Email != "nina.ny@example.se" || u.Department != "X1-KOD" ||
		u.Title != "Socialsekreterare" || !u.Active || u.ManagerID != w.EmpY.ID || u.Created.IsZero() {
		t.Fatalf("created %+v", u)
	}
	e := lastEvent(t, s, w.A.ID)
	if e.ActorName != "SCIM: Entra ID" || e.ActorID != "" {
		t.Fatalf("audited as %+v", e)
	}
	p, err := s.FindPerson(System(w.A.ID), u.ID)
	Must(t, err)
	if p.UnitID != w.X1.ID || p.EmployeeNumber != "E100" {
		t.Fatalf("person %+v", p)
	}
	// The directory finds the new person by name and title.
	found, _, err := s.ListPeople(System(w.A.ID), distans.PersonFilter{Query: "nina socialsek"})
	Must(t, err)
	if len(found) != 1 || found[0].ID != u.ID {
		t.Fatalf("search found %+v", found)
	}
	inactive := &distans.SCIMUser{UserName: "sovande@example.se", DisplayName: "Sigrid Sovande", Active: false}
	Must(t, s.CreateUser(ctx, inactive))
	if found, _, _ := s.ListPeople(System(w.A.ID), distans.PersonFilter{Query: "sigrid"}); len(found) != 1 {
		t.Fatalf("inactive user not searchable: %+v", found)
	}
	// X1 had no manager: the user's manager becomes its chef.
	x1, err := s.FindUnit(System(w.A.ID), w.X1.ID)
	Must(t, err)
	if x1.ManagerID != w.EmpY.ID {
		t.Fatalf("X1 manager %q", x1.ManagerID)
	}

	// userName is unique without case; externalId and e-mail too.
	for _, tc := range []struct {
		u    *distans.SCIMUser
		attr string
	}{
		{&distans.SCIMUser{UserName: "NINA.NY@example.SE", Email: "annan@example.se", Active: true}, "userName"},
		{&distans.SCIMUser{UserName: "other", ExternalID: "ext-1", Email: "annan@example.se", Active: true}, "externalId"},
		{&distans.SCIMUser{UserName: "other", Email: "nina.ny@example.se", Active: true}, "emails"},
	} {
		err := s.CreateUser(ctx, tc.u)
		WantCode(t, err, distans.ECONFLICT)
		if de, ok := err.(*distans.Error); !ok || len(de.Fields) != 1 || de.Fields[0].Field != tc.attr {
			t.Fatalf("%s: %v", tc.attr, err)
		}
	}
	WantCode(t, s.CreateUser(ctx, &distans.SCIMUser{UserName: "utan-epost", Active: true}), distans.EINVALID)
	err = s.CreateUser(ctx, &distans.SCIMUser{UserName: "okand@example.se", Department: "Finns inte", Active: true})
	WantCode(t, err, distans.EINVALID)
	if de, _ := err.(*distans.Error); de == nil || de.Fields[0].Field != "department" || !strings.Contains(de.Fields[0].Sv, "Finns inte") {
		t.Fatalf("unknown department: %v", err)
	}
	if _, n, _ := s.ListUsers(ctx, distans.SCIMFilter{{Attr: "userName", Value: "okand@example.se"}}, 1, 10); n != 0 {
		t.Fatal("a refused user was half saved")
	}
	// With CreateUnits the department becomes a unit under the root.
	Must(t, s.SaveSCIMSettings(As(t, s, w.Admin), &distans.SCIMSettings{CreateUnits: true}))
	nu := &distans.SCIMUser{UserName: "okand@example.se", Department: "Nya avdelningen", Active: true}
	Must(t, s.CreateUser(ctx, nu))
	np, err := s.FindPerson(System(w.A.ID), nu.ID)
	Must(t, err)
	nunit, err := s.FindUnit(System(w.A.ID), np.UnitID)
	Must(t, err)
	if nunit.Name != "Nya avdelningen" || nunit.ParentID != w.Root.ID || np.Title != "Medarbetare" || nu.DisplayName != "okand@example.se" {
		t.Fatalf("new unit %+v, person %+v", nunit, np)
	}

	// Filters, each one index lookup, and paging.
	for _, f := range []distans.SCIMFilter{
		{{Attr: "userName", Value: "nina.ny@EXAMPLE.se"}},
		{{Attr: "externalId", Value: "ext-1"}},
		{{Attr: "emails.value", Value: "Nina.Ny@example.se"}},
		{{Attr: "employeeNumber", Value: "E100"}, {Attr: "userName", Value: "nina.ny@example.se"}},
	} {
		got, n, err := s.ListUsers(ctx, f, 1, 10)
		Must(t, err)
		if n != 1 || len(got) != 1 || got[0].ID != u.ID {
			t.Fatalf("filter %v: %d %+v", f, n, got)
		}
	}
	got, n, err := s.ListUsers(ctx, distans.SCIMFilter{{Attr: "userName", Value: "nina.ny@example.se"}, {Attr: "externalId", Value: "x"}}, 1, 10)
	Must(t, err)
	if n != 0 || len(got) != 0 {
		t.Fatalf("and: %d", n)
	}
	// One user named, paged past or not asked for: counted all the same.
	byName := distans.SCIMFilter{{Attr: "userName", Value: "nina.ny@example.se"}}
	if page, n, err := s.ListUsers(ctx, byName, 2, 10); err != nil || n != 1 || len(page) != 0 {
		t.Fatalf("userName, from 2: %d %d %v", n, len(page), err)
	}
	if page, n, err := s.ListUsers(ctx, byName, 1, 0); err != nil || n != 1 || len(page) != 0 {
		t.Fatalf("userName, count 0: %d %d %v", n, len(page), err)
	}
	if page, n, err := s.ListUsers(ctx, distans.SCIMFilter{{Attr: "externalId", Value: ""}}, 1, 10); err != nil || n != 2 || len(page) != 2 {
		t.Fatalf("no externalId: %d %d %v", n, len(page), err)
	}
	_, _, err = s.ListUsers(ctx, distans.SCIMFilter{{Attr: "title", Value: "x"}}, 1, 10)
	WantCode(t, err, distans.EINVALID)
	all, n, err := s.ListUsers(ctx, nil, 1, 10)
	Must(t, err)
	if n != 3 || len(all) != 3 {
		t.Fatalf("all: %d", n)
	}
	page, n, err := s.ListUsers(ctx, nil, 2, 1)
	Must(t, err)
	if n != 3 || len(page) != 1 || page[0].ID != all[1].ID {
		t.Fatalf("page 2: %d %+v", n, page)
	}
	if page, n, _ := s.ListUsers(ctx, nil, 1, 0); n != 3 || len(page) != 0 {
		t.Fatalf("count 0: %d %d", n, len(page))
	}
	if page, n, _ := s.ListUsers(ctx, nil, 5, 10); n != 3 || len(page) != 0 {
		t.Fatalf("past the end: %d %d", n, len(page))
	}

	// PUT replaces; a title changes the employment in place.
	r := *u
	r.Title, r.GivenName, r.DisplayName, r.Phone = "Enhetschef", "Nina", "Nina Nyberg", ""
	got1, err := s.ReplaceUser(ctx, u.ID, &r)
	Must(t, err)
	if got1.Title != "Enhetschef" || got1.DisplayName != "Nina Nyberg" || got1.Phone != "" || !got1.Created.Equal(u.Created) ||
		!got1.LastModified.After(u.LastModified) {
		t.Fatalf("replaced %+v", got1)
	}
	emps, err := s.ListEmployments(System(w.A.ID), u.ID)
	Must(t, err)
	if len(emps) != 1 || emps[0].Title != "Enhetschef" {
		t.Fatalf("employments %+v", emps)
	}
	// A PATCH to another unit the same day moves the employment in place.
	got1, err = s.PatchUser(ctx, u.ID, func(x *distans.SCIMUser) error { x.Department = w.Y.Name; return nil })
	Must(t, err)
	if emps, _ = s.ListEmployments(System(w.A.ID), u.ID); len(emps) != 1 || emps[0].UnitID != w.Y.ID || got1.Department != w.Y.Name {
		t.Fatalf("moved same day: %+v %+v", emps, got1)
	}
	// A move of someone employed since before today ends the employment
	// yesterday and starts one today (the imported EmpX1 linked below).
	_, err = s.PatchUser(ctx, u.ID, func(x *distans.SCIMUser) error { x.UserName = "okand@example.se"; return nil })
	WantCode(t, err, distans.ECONFLICT)
	_, err = s.PatchUser(ctx, u.ID, func(x *distans.SCIMUser) error { x.Department = "Finns inte heller"; x.Title = ""; return errBoom })
	if err != errBoom {
		t.Fatalf("change's error: %v", err)
	}
	_, err = s.PatchUser(ctx, w.EmpY.ID, func(*distans.SCIMUser) error { return nil })
	WantCode(t, err, distans.ENOTFOUND)

	// Linking: EmpX1, imported, employed since 2020, is matched by
	// e-mail; no second person is made.
	link := scimUser("asa@example.se")
	link.Email, link.Department, link.Title = w.EmpX1.Email, w.X1.ID, "Handläggare"
	link.Department = "X1-KOD"
	Must(t, s.CreateUser(ctx, link))
	if link.ID != w.EmpX1.ID || link.DisplayName != "Nina Ny" {
		t.Fatalf("linked %+v", link)
	}
	if emps, _ = s.ListEmployments(System(w.A.ID), w.EmpX1.ID); len(emps) != 1 {
		t.Fatalf("linked employments %+v", emps)
	}
	_, err = s.PatchUser(ctx, link.ID, func(x *distans.SCIMUser) error { x.Department = w.Y.Name; return nil })
	Must(t, err)
	emps, _ = s.ListEmployments(System(w.A.ID), w.EmpX1.ID)
	if len(emps) != 2 || emps[0].EndsOn == nil || !emps[0].EndsOn.Equal(today.AddDate(0, 0, -1)) ||
		emps[1].UnitID != w.Y.ID || !emps[1].StartsOn.Equal(today) || emps[1].EndsOn != nil {
		t.Fatalf("moved: %+v %+v", emps[0], emps[1])
	}
	// By employee number before e-mail.
	_, err = s.UpdatePerson(System(w.A.ID), w.EmpY.ID, distans.PersonUpdate{EmployeeNumber: ptr("E200")})
	Must(t, err)
	byNum := scimUser("yngve@example.se")
	byNum.EmployeeNumber = "E200"
	Must(t, s.CreateUser(ctx, byNum))
	if byNum.ID != w.EmpY.ID || byNum.Email != "yngve@example.se" {
		t.Fatalf("by number %+v", byNum)
	}
}

var errBoom = distans.Errorf(distans.EINVALID, "Bom.", "Boom.")

// SCIMDeactivation: active=false ends the employment today, and sign-in,
// sessions and API tokens at once; the agreement job ends the person's
// agreements at its next round; reactivation starts again; DELETE leaves
// the person and their history and frees the userName.
func SCIMDeactivation(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := scimClient(t, s, w.Admin)
	today := scimToday()
	sys := System(w.A.ID)
	u := scimUser("asa@example.se")
	u.Email, u.Department = w.EmpX1.Email, w.X1.Name
	Must(t, s.CreateUser(ctx, u))
	ag := importActive(t, s, w.EmpX1, w.ChefX, today.AddDate(0, -1, 0), today.AddDate(0, 6, 0), today.AddDate(0, 1, 0))
	sess := &distans.Session{TokenHash: "scim-session", OrganisationID: w.A.ID, PersonID: w.EmpX1.ID, CSRFToken: "c",
		CreatedAt: distans.Now(), ExpiresAt: distans.Now().Add(time.Hour), LastSeenAt: distans.Now()}
	Must(t, s.CreateSession(context.Background(), sess))
	tok := &distans.APIToken{OrganisationID: w.A.ID, PersonID: w.EmpX1.ID, Name: "Integration", TokenHash: "scim-token"}
	Must(t, s.CreateAPIToken(context.Background(), tok))
	// Warm the credential cache, as requests do.
	if c, err := s.FindCredential(context.Background(), distans.CredentialAPIToken, "scim-token"); err != nil || c.Account.Ended {
		t.Fatalf("before: %+v %v", c, err)
	}
	if _, err := s.FindCredential(context.Background(), distans.CredentialSession, "scim-session"); err != nil {
		t.Fatal(err)
	}
	mapped := &distans.SCIMGroup{DisplayName: "Distans-HR", Members: []string{u.ID}}
	Must(t, s.SaveSCIMGroupMapping(As(t, s, w.Admin), &distans.SCIMGroupMapping{DisplayName: "Distans-HR", Role: distans.RoleHR, UnitID: w.X.ID}))
	Must(t, s.CreateGroup(ctx, mapped))
	if !hasSCIMRole(t, s, w.EmpX1, distans.RoleHR) {
		t.Fatal("the group granted no role")
	}

	got, err := s.PatchUser(ctx, u.ID, func(x *distans.SCIMUser) error { x.Active = false; return nil })
	Must(t, err)
	if got.Active {
		t.Fatalf("still active: %+v", got)
	}
	emps, _ := s.ListEmployments(sys, w.EmpX1.ID)
	if len(emps) != 1 || emps[0].EndsOn == nil || !emps[0].EndsOn.Equal(today) {
		t.Fatalf("employment %+v", emps)
	}
	// Today is the employment's last day and still current, yet the
	// account signs in no more, by password or single sign-on ...
	accs, err := s.FindAccounts(context.Background(), w.EmpX1.Email)
	Must(t, err)
	if len(accs) != 1 || !accs[0].Ended || !accs[0].Disabled {
		t.Fatalf("accounts %+v", accs)
	}
	acc, err := s.FindAccount(context.Background(), w.A.ID, w.EmpX1.ID)
	Must(t, err)
	if !acc.Ended {
		t.Fatalf("account %+v", acc)
	}
	// ... its session is gone and its API token revoked, at once.
	_, err = s.FindCredential(context.Background(), distans.CredentialSession, "scim-session")
	WantCode(t, err, distans.ENOTFOUND)
	c, err := s.FindCredential(context.Background(), distans.CredentialAPIToken, "scim-token")
	Must(t, err)
	if c.APIToken.RevokedAt == nil || !c.Account.Ended {
		t.Fatalf("token after: %+v %+v", c.APIToken, c.Account)
	}
	if hasSCIMRole(t, s, w.EmpX1, distans.RoleHR) {
		t.Fatal("the group's role outlived the deactivation")
	}
	// The agreement job ends the agreement at its next round, on the
	// employment's last day.
	n, err := s.EndAgreements(sys, today)
	Must(t, err)
	if n != 1 {
		t.Fatalf("ended %d agreements", n)
	}
	g, err := s.FindAgreement(sys, ag.ID)
	Must(t, err)
	if g.State != distans.AgreementEnded || g.EndReason != distans.EndEmploymentEnded || !g.EndedOn.Equal(today) {
		t.Fatalf("agreement %+v %v", g.State, g.EndedOn)
	}

	// Reactivation the same day reopens the employment and the group's role.
	got, err = s.PatchUser(ctx, u.ID, func(x *distans.SCIMUser) error { x.Active = true; return nil })
	Must(t, err)
	emps, _ = s.ListEmployments(sys, w.EmpX1.ID)
	if !got.Active || len(emps) != 1 || emps[0].EndsOn != nil {
		t.Fatalf("reactivated %+v %+v", got, emps)
	}
	if acc, _ := s.FindAccount(context.Background(), w.A.ID, w.EmpX1.ID); acc.Ended {
		t.Fatal("reactivated account still refused")
	}
	if !hasSCIMRole(t, s, w.EmpX1, distans.RoleHR) {
		t.Fatal("reactivation did not grant the group's role again")
	}

	// DELETE deactivates and removes the SCIM identity; the person stays.
	Must(t, s.DeleteUser(ctx, u.ID))
	_, err = s.FindUser(ctx, u.ID)
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.DeleteUser(ctx, u.ID), distans.ENOTFOUND)
	if _, err := s.FindPerson(sys, w.EmpX1.ID); err != nil {
		t.Fatal(err)
	}
	if acc, _ := s.FindAccount(context.Background(), w.A.ID, w.EmpX1.ID); !acc.Ended {
		t.Fatal("deleted user may still sign in")
	}
	if g, _ := s.FindGroup(ctx, mapped.ID, true); len(g.Members) != 0 {
		t.Fatalf("members after delete %v", g.Members)
	}
	// Provisioned again, the person is linked anew and active.
	again := scimUser("asa@example.se")
	again.Email = w.EmpX1.Email
	Must(t, s.CreateUser(ctx, again))
	if again.ID != w.EmpX1.ID || !again.Active {
		t.Fatalf("again %+v", again)
	}
	// Created inactive: a person who may not sign in.
	off := scimUser("vilande@example.se")
	off.Active = false
	Must(t, s.CreateUser(ctx, off))
	if acc, _ := s.FindAccount(context.Background(), w.A.ID, off.ID); off.Active || !acc.Ended {
		t.Fatalf("inactive %+v", off)
	}
}

func hasSCIMRole(t testing.TB, s *sqlstore.Store, p *distans.Person, r distans.Role) bool {
	t.Helper()
	rs, err := s.ListRoleAssignments(System(p.OrganisationID), distans.RoleFilter{PersonID: p.ID, Role: r})
	Must(t, err)
	return slices.ContainsFunc(rs, func(x *distans.RoleAssignment) bool { return x.Source == distans.RoleSourceSCIM })
}

// SCIMGroups: membership of a mapped group grants its role and leaving
// ends it; a mapping made or changed later re-grants; unmapped groups
// grant nothing; members are read only when asked.
func SCIMGroups(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := scimClient(t, s, w.Admin)
	admin := As(t, s, w.Admin)
	var users []*distans.SCIMUser
	for _, p := range []*distans.Person{w.EmpX1, w.EmpY} {
		u := scimUser(p.Email)
		u.Email = p.Email
		Must(t, s.CreateUser(ctx, u))
		users = append(users, u)
	}
	g := &distans.SCIMGroup{DisplayName: "Chefer X", ExternalID: "g-1", Members: []string{users[0].ID, users[0].ID}}
	Must(t, s.CreateGroup(ctx, g))
	if len(g.Members) != 1 || g.ID == "" {
		t.Fatalf("group %+v", g)
	}
	if hasSCIMRole(t, s, w.EmpX1, distans.RoleManager) {
		t.Fatal("an unmapped group granted a role")
	}
	WantCode(t, s.CreateGroup(ctx, &distans.SCIMGroup{DisplayName: "Chefer X"}), distans.ECONFLICT)
	WantCode(t, s.CreateGroup(ctx, &distans.SCIMGroup{DisplayName: "Annan", ExternalID: "g-1"}), distans.ECONFLICT)
	WantCode(t, s.CreateGroup(ctx, &distans.SCIMGroup{DisplayName: "Främmande", Members: []string{w.EmpB.ID}}), distans.EINVALID)
	WantCode(t, s.CreateGroup(ctx, &distans.SCIMGroup{DisplayName: "Ej användare", Members: []string{w.ChefX.ID}}), distans.EINVALID)

	// A mapping made later grants the role to the members already in.
	_, err := s.ListSCIMGroupMappings(As(t, s, w.HRX))
	WantCode(t, err, distans.EFORBIDDEN)
	WantCode(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Chefer X", Role: "kung"}), distans.EINVALID)
	WantCode(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Chefer X", Role: distans.RoleManager, UnitID: w.RootB.ID}), distans.EINVALID)
	Must(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Chefer X", Role: distans.RoleManager, UnitID: w.X.ID}))
	if !hasSCIMRole(t, s, w.EmpX1, distans.RoleManager) {
		t.Fatal("the mapping granted nothing")
	}
	grants, err := s.Grants(context.Background(), w.A.ID, w.EmpX1.ID)
	Must(t, err)
	if !slices.ContainsFunc(grants, func(g distans.Grant) bool { return g.Role == distans.RoleManager && g.UnitID == w.X.ID }) {
		t.Fatalf("grants %+v", grants)
	}
	// Joining grants, leaving ends.
	_, err = s.PatchGroup(ctx, g.ID, func(x *distans.SCIMGroup) error {
		x.Members = []string{users[1].ID}
		return nil
	})
	Must(t, err)
	if hasSCIMRole(t, s, w.EmpX1, distans.RoleManager) || !hasSCIMRole(t, s, w.EmpY, distans.RoleManager) {
		t.Fatal("membership change did not move the role")
	}
	// A mapping changed later re-grants accordingly.
	Must(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Chefer X", Role: distans.RoleHR}))
	if hasSCIMRole(t, s, w.EmpY, distans.RoleManager) || !hasSCIMRole(t, s, w.EmpY, distans.RoleHR) {
		t.Fatal("the changed mapping did not re-grant")
	}
	maps, err := s.ListSCIMGroupMappings(admin)
	Must(t, err)
	if len(maps) != 1 || maps[0].Role != distans.RoleHR || maps[0].UnitID != "" {
		t.Fatalf("mappings %+v", maps)
	}
	// A role granted by hand is not the group's to end.
	Assign(t, s, w.EmpY, distans.RoleIT, "")
	// Renaming the group away from its mapping ends the role.
	_, err = s.ReplaceGroup(ctx, g.ID, &distans.SCIMGroup{DisplayName: "Omdöpt", Members: []string{users[1].ID}})
	Must(t, err)
	if hasSCIMRole(t, s, w.EmpY, distans.RoleHR) {
		t.Fatal("renamed group still grants")
	}
	rs, _ := s.ListRoleAssignments(System(w.A.ID), distans.RoleFilter{PersonID: w.EmpY.ID, Role: distans.RoleIT})
	if len(rs) != 1 {
		t.Fatalf("hand-granted role touched: %+v", rs)
	}
	Must(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Omdöpt", Role: distans.RoleSwitchboard}))
	if !hasSCIMRole(t, s, w.EmpY, distans.RoleSwitchboard) {
		t.Fatal("new mapping granted nothing")
	}
	Must(t, s.DeleteSCIMGroupMapping(admin, "Omdöpt"))
	if hasSCIMRole(t, s, w.EmpY, distans.RoleSwitchboard) {
		t.Fatal("deleted mapping still grants")
	}
	Must(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Omdöpt", Role: distans.RoleSwitchboard}))
	Must(t, s.DeleteGroup(ctx, g.ID))
	if hasSCIMRole(t, s, w.EmpY, distans.RoleSwitchboard) {
		t.Fatal("deleted group still grants")
	}
	_, err = s.FindGroup(ctx, g.ID, false)
	WantCode(t, err, distans.ENOTFOUND)

	// Lists: filters, paging, members only when asked.
	for i, name := range []string{"A", "B", "C"} {
		Must(t, s.CreateGroup(ctx, &distans.SCIMGroup{DisplayName: name, ExternalID: "e" + name, Members: []string{users[i%2].ID}}))
	}
	gs, n, err := s.ListGroups(ctx, nil, 2, 1, false)
	Must(t, err)
	if n != 3 || len(gs) != 1 || gs[0].DisplayName != "B" || gs[0].Members != nil {
		t.Fatalf("page %d %+v", n, gs)
	}
	gs, n, err = s.ListGroups(ctx, distans.SCIMFilter{{Attr: "displayName", Value: "C"}}, 1, 10, true)
	Must(t, err)
	if n != 1 || len(gs[0].Members) != 1 {
		t.Fatalf("filter %d %+v", n, gs)
	}
	if gs, n, _ = s.ListGroups(ctx, distans.SCIMFilter{{Attr: "externalId", Value: "eA"}}, 1, 10, false); n != 1 || gs[0].DisplayName != "A" {
		t.Fatalf("externalId %+v", gs)
	}
	_, _, err = s.ListGroups(ctx, distans.SCIMFilter{{Attr: "members", Value: "x"}}, 1, 10, false)
	WantCode(t, err, distans.EINVALID)
}

// scimUnitNow is the unit of the person's employment current today, or "".
func scimUnitNow(t testing.TB, s *sqlstore.Store, orgID, personID string) string {
	t.Helper()
	today := scimToday()
	emps, err := s.ListEmployments(System(orgID), personID)
	Must(t, err)
	unit := ""
	for _, e := range emps {
		if !e.StartsOn.After(today) && (e.EndsOn == nil || !e.EndsOn.Before(today)) {
			unit = e.UnitID
		}
	}
	return unit
}

// SCIMUnitGroups: membership of a unit-mapped group places the member in
// the unit (a move ends the employment yesterday and starts one today),
// over the department; the deepest unit of several wins, ties by group
// name; leaving falls back to the department, else stays; a changed or
// deleted mapping re-places the members; a deactivated user is not placed;
// another organisation's group or unit moves no one.
func SCIMUnitGroups(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := scimClient(t, s, w.Admin)
	admin := As(t, s, w.Admin)
	today := scimToday()
	yesterday := today.AddDate(0, 0, -1)
	a := w.A.ID

	WantCode(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Placering Y", Kind: distans.SCIMMapUnit}), distans.EINVALID)
	WantCode(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Placering Y", Kind: "kung", UnitID: w.Y.ID}), distans.EINVALID)
	WantCode(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Placering Y", Kind: distans.SCIMMapUnit, UnitID: w.RootB.ID}), distans.EINVALID)
	for name, unit := range map[string]string{"Placering Y": w.Y.ID, "Placering X": w.X.ID, "Placering X1": w.X1.ID} {
		Must(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: name, Kind: distans.SCIMMapUnit,
			Role: distans.RoleHR, UnitID: unit}))
	}
	maps, err := s.ListSCIMGroupMappings(admin)
	Must(t, err)
	if len(maps) != 3 || maps[0].Kind != distans.SCIMMapUnit || maps[0].Role != "" || maps[0].UnitID != w.X.ID {
		t.Fatalf("mappings %+v", maps[0])
	}

	// EmpX1, employed in X1 since before today, is linked with the
	// department X1; joining the Y group moves them.
	u1 := scimUser(w.EmpX1.Email)
	u1.Department = w.X1.Name
	Must(t, s.CreateUser(ctx, u1))
	gy := &distans.SCIMGroup{DisplayName: "Placering Y", Members: []string{u1.ID}}
	Must(t, s.CreateGroup(ctx, gy))
	if got := scimUnitNow(t, s, a, u1.ID); got != w.Y.ID {
		t.Fatalf("joined Y, placed in %s", got)
	}
	emps, err := s.ListEmployments(System(a), u1.ID)
	Must(t, err)
	if len(emps) != 2 || !slices.ContainsFunc(emps, func(e *distans.Employment) bool {
		return e.UnitID == w.X1.ID && e.EndsOn != nil && e.EndsOn.Equal(yesterday)
	}) || !slices.ContainsFunc(emps, func(e *distans.Employment) bool { return e.UnitID == w.Y.ID && e.StartsOn.Equal(today) }) {
		t.Fatalf("the move is not end yesterday, start today: %+v", emps)
	}
	if e := lastEvent(t, s, a); e.Action != "employment.create" || e.ActorName != "SCIM: Entra ID" {
		t.Fatalf("move audited as %s by %s", e.Action, e.ActorName)
	}
	if hasSCIMRole(t, s, w.EmpX1, distans.RoleHR) {
		t.Fatal("a unit group granted a role")
	}

	// The department is kept, and ignored while in a unit group.
	got, err := s.PatchUser(ctx, u1.ID, func(x *distans.SCIMUser) error { x.Department = w.X.Name; return nil })
	Must(t, err)
	if got.Department != w.X.Name || scimUnitNow(t, s, a, u1.ID) != w.Y.ID {
		t.Fatalf("department %q moved the member of a unit group to %s", got.Department, scimUnitNow(t, s, a, u1.ID))
	}

	// X and Y are as deep: the group name decides (X); X1 is deeper.
	gx := &distans.SCIMGroup{DisplayName: "Placering X", Members: []string{u1.ID}}
	Must(t, s.CreateGroup(ctx, gx))
	if got := scimUnitNow(t, s, a, u1.ID); got != w.X.ID {
		t.Fatalf("tie placed in %s, want X", got)
	}
	gx1 := &distans.SCIMGroup{DisplayName: "Placering X1", Members: []string{u1.ID}}
	Must(t, s.CreateGroup(ctx, gx1))
	if got := scimUnitNow(t, s, a, u1.ID); got != w.X1.ID {
		t.Fatalf("deeper unit lost: %s", got)
	}

	// Leaving every unit group: back to the department (X).
	for _, g := range []*distans.SCIMGroup{gy, gx, gx1} {
		_, err := s.PatchGroup(ctx, g.ID, func(x *distans.SCIMGroup) error { x.Members = nil; return nil })
		Must(t, err)
	}
	if got := scimUnitNow(t, s, a, u1.ID); got != w.X.ID {
		t.Fatalf("left the groups, placed in %s, want the department X", got)
	}

	// A user without a department stays where the group left them.
	u2 := scimUser("utan.avdelning@example.se")
	Must(t, s.CreateUser(ctx, u2))
	_, err = s.PatchGroup(ctx, gx1.ID, func(x *distans.SCIMGroup) error { x.Members = []string{u2.ID}; return nil })
	Must(t, err)
	_, err = s.PatchGroup(ctx, gx1.ID, func(x *distans.SCIMGroup) error { x.Members = nil; return nil })
	Must(t, err)
	if got := scimUnitNow(t, s, a, u2.ID); got != w.X1.ID {
		t.Fatalf("without a department, leaving moved to %s", got)
	}

	// A changed mapping re-places its members; a deleted one falls back.
	u3 := scimUser("ny.i.y@example.se")
	u3.Department = w.Y.Name
	Must(t, s.CreateUser(ctx, u3))
	_, err = s.PatchGroup(ctx, gx.ID, func(x *distans.SCIMGroup) error { x.Members = []string{u3.ID}; return nil })
	Must(t, err)
	if got := scimUnitNow(t, s, a, u3.ID); got != w.X.ID {
		t.Fatalf("joined X, placed in %s", got)
	}
	Must(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Placering X", Kind: distans.SCIMMapUnit, UnitID: w.X1.ID}))
	if got := scimUnitNow(t, s, a, u3.ID); got != w.X1.ID {
		t.Fatalf("changed mapping left the member in %s", got)
	}
	Must(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Placering X", Kind: distans.SCIMMapRole, Role: distans.RoleHR}))
	if got := scimUnitNow(t, s, a, u3.ID); got != w.Y.ID || !hasSCIMRole(t, s, &distans.Person{ID: u3.ID, OrganisationID: a}, distans.RoleHR) {
		t.Fatalf("mapping turned to a role: placed in %s", got)
	}
	Must(t, s.SaveSCIMGroupMapping(admin, &distans.SCIMGroupMapping{DisplayName: "Placering X", Kind: distans.SCIMMapUnit, UnitID: w.X.ID}))
	Must(t, s.DeleteSCIMGroupMapping(admin, "Placering X"))
	if got := scimUnitNow(t, s, a, u3.ID); got != w.Y.ID {
		t.Fatalf("deleted mapping left the member in %s", got)
	}

	// A deactivated user is not placed.
	_, err = s.PatchUser(ctx, u3.ID, func(x *distans.SCIMUser) error { x.Active = false; return nil })
	Must(t, err)
	_, err = s.PatchGroup(ctx, gx1.ID, func(x *distans.SCIMGroup) error { x.Members = []string{u3.ID}; return nil })
	Must(t, err)
	emps, err = s.ListEmployments(System(a), u3.ID)
	Must(t, err)
	if len(emps) != 1 || emps[0].UnitID != w.Y.ID || emps[0].EndsOn == nil {
		t.Fatalf("deactivated user placed: %+v", emps)
	}

	// Another organisation's group of the same name places no one in A,
	// and A's mappings do not reach B.
	ctxB := scimClient(t, s, w.AdminB)
	ub := scimUser("b@example.se")
	Must(t, s.CreateUser(ctxB, ub))
	before := scimUnitNow(t, s, w.B.ID, ub.ID)
	Must(t, s.CreateGroup(ctxB, &distans.SCIMGroup{DisplayName: "Placering Y", Members: []string{ub.ID}}))
	if got := scimUnitNow(t, s, w.B.ID, ub.ID); got != before || got == "" {
		t.Fatalf("B's member placed by A's mapping: %s", got)
	}
	WantCode(t, s.CreateGroup(ctxB, &distans.SCIMGroup{DisplayName: "Främmande", Members: []string{u1.ID}}), distans.EINVALID)
	if got := scimUnitNow(t, s, a, u1.ID); got != w.X.ID {
		t.Fatalf("B moved A's member to %s", got)
	}
}

// SCIMIsolation: a token of one organisation neither sees nor touches
// another's users and groups: their IDs are not found.
func SCIMIsolation(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctxA := scimClient(t, s, w.Admin)
	ctxB := scimClient(t, s, w.AdminB)
	ua := scimUser("a@example.se")
	Must(t, s.CreateUser(ctxA, ua))
	ga := &distans.SCIMGroup{DisplayName: "G", Members: []string{ua.ID}}
	Must(t, s.CreateGroup(ctxA, ga))
	// The same userName and group name are another organisation's own.
	ub := scimUser("a@example.se")
	Must(t, s.CreateUser(ctxB, ub))
	Must(t, s.CreateGroup(ctxB, &distans.SCIMGroup{DisplayName: "G"}))
	if ub.ID == ua.ID {
		t.Fatal("one person in two organisations")
	}
	_, err := s.FindUser(ctxB, ua.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.PatchUser(ctxB, ua.ID, func(x *distans.SCIMUser) error { x.Active = false; return nil })
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.ReplaceUser(ctxB, ua.ID, scimUser("b@example.se"))
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.DeleteUser(ctxB, ua.ID), distans.ENOTFOUND)
	_, err = s.FindGroup(ctxB, ga.ID, true)
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.DeleteGroup(ctxB, ga.ID), distans.ENOTFOUND)
	_, err = s.PatchGroup(ctxB, ga.ID, func(*distans.SCIMGroup) error { return nil })
	WantCode(t, err, distans.ENOTFOUND)
	list, n, err := s.ListUsers(ctxB, distans.SCIMFilter{{Attr: "userName", Value: "a@example.se"}}, 1, 10)
	Must(t, err)
	if n != 1 || list[0].ID != ub.ID {
		t.Fatalf("B sees %+v", list)
	}
	if u, err := s.FindUser(ctxA, ua.ID); err != nil || !u.Active {
		t.Fatalf("A's user after B's attempts: %+v %v", u, err)
	}
}

// SCIMPhoneNumbers: a user's work number is the person's phone and their
// mobile the work mobile of their directory profile. Each is kept and
// changed on its own, the person's keywords stay, and the directory gives
// the mobile of a mobile-only person to the switchboard and not to
// colleagues (Sorsele 004 §2): the switchboard reaches them.
func SCIMPhoneNumbers(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := scimClient(t, s, w.Admin)
	org := System(w.A.ID)
	numbers := func(step, id, phone, mobile string) {
		t.Helper()
		u, err := s.FindUser(ctx, id)
		Must(t, err)
		if u.Phone != phone || u.Mobile != mobile {
			t.Fatalf("%s: work %q, mobile %q; want %q, %q", step, u.Phone, u.Mobile, phone, mobile)
		}
		p, err := s.FindPerson(org, id)
		Must(t, err)
		d, err := s.FindDirectoryProfile(org, id)
		Must(t, err)
		if p.Phone != phone || d.WorkMobile != mobile {
			t.Fatalf("%s: person's phone %q, work mobile %q; want %q, %q", step, p.Phone, d.WorkMobile, phone, mobile)
		}
	}

	m := scimUser("maja.mobil@example.se")
	m.GivenName, m.FamilyName, m.Mobile = "Maja", "Mobilsson", "070-111 11 11"
	Must(t, s.CreateUser(ctx, m))
	if m.Phone != "" || m.Mobile != "070-111 11 11" {
		t.Fatalf("created %+v", m)
	}
	numbers("created", m.ID, "", "070-111 11 11")

	// The switchboard sees the mobile of a mobile-only person, a colleague
	// does not; both find them.
	for _, viewer := range []*distans.Person{w.Switchboard, w.EmpY} {
		hits, _, err := s.SearchDirectory(As(t, s, viewer), distans.DirectoryFilter{Query: "mobilsson"}, distans.Now())
		Must(t, err)
		if len(hits) != 1 || hits[0].Phone != "" {
			t.Fatalf("%s: hits %+v", viewer.Name, hits)
		}
		if want := viewer == w.Switchboard; (hits[0].WorkMobile == "070-111 11 11") != want {
			t.Fatalf("%s sees work mobile %q", viewer.Name, hits[0].WorkMobile)
		}
	}

	// The mobile changed alone leaves the work number; the work number
	// changed alone leaves the mobile.
	_, err := s.PatchUser(ctx, m.ID, func(u *distans.SCIMUser) error { u.Mobile = "070-222 22 22"; return nil })
	Must(t, err)
	numbers("mobile changed", m.ID, "", "070-222 22 22")
	_, err = s.PatchUser(ctx, m.ID, func(u *distans.SCIMUser) error { u.Phone = "0952-140 00"; return nil })
	Must(t, err)
	numbers("work number added", m.ID, "0952-140 00", "070-222 22 22")
	hits, _, err := s.SearchDirectory(As(t, s, w.EmpY), distans.DirectoryFilter{Query: "mobilsson"}, distans.Now())
	Must(t, err)
	if len(hits) != 1 || hits[0].Phone != "0952-140 00" || hits[0].WorkMobile != "" {
		t.Fatalf("a colleague sees %+v", hits)
	}

	// The person's keywords stay when the identity system changes the
	// mobile, and a mobile the person set is the one SCIM reads.
	Must(t, s.SaveDirectoryProfile(As(t, s, w.Admin), &distans.DirectoryProfile{PersonID: m.ID, Keywords: []string{"Bygglov"},
		WorkMobile: "070-333 33 33"}))
	numbers("set by an administrator", m.ID, "0952-140 00", "070-333 33 33")
	_, err = s.PatchUser(ctx, m.ID, func(u *distans.SCIMUser) error { u.Mobile = "070-444 44 44"; return nil })
	Must(t, err)
	if d, err := s.FindDirectoryProfile(org, m.ID); err != nil || !slices.Equal(d.Keywords, []string{"Bygglov"}) || d.WorkMobile != "070-444 44 44" {
		t.Fatalf("profile %+v, %v", d, err)
	}

	// PUT replaces both; without a mobile the profile keeps its keywords.
	r := *m
	r.Phone, r.Mobile = "0952-141 00", ""
	got, err := s.ReplaceUser(ctx, m.ID, &r)
	Must(t, err)
	if got.Phone != "0952-141 00" || got.Mobile != "" {
		t.Fatalf("replaced %+v", got)
	}
	numbers("replaced", m.ID, "0952-141 00", "")
	if d, _ := s.FindDirectoryProfile(org, m.ID); !slices.Equal(d.Keywords, []string{"Bygglov"}) {
		t.Fatalf("keywords after PUT %+v", d.Keywords)
	}

	// A number that is no number is refused, naming phoneNumbers, and
	// nothing is saved.
	_, err = s.PatchUser(ctx, m.ID, func(u *distans.SCIMUser) error { u.Title, u.Mobile = "Chef", "ring mig"; return nil })
	WantCode(t, err, distans.EINVALID)
	if de, _ := err.(*distans.Error); de == nil || len(de.Fields) != 1 || de.Fields[0].Field != "phoneNumbers" {
		t.Fatalf("error %v", err)
	}
	if u, _ := s.FindUser(ctx, m.ID); u.Title == "Chef" || u.Mobile != "" {
		t.Fatalf("half saved: %+v", u)
	}
	bad := scimUser("fel@example.se")
	bad.Mobile = "mobil"
	WantCode(t, s.CreateUser(ctx, bad), distans.EINVALID)
	if _, n, err := s.ListUsers(ctx, distans.SCIMFilter{{Attr: "userName", Value: "fel@example.se"}}, 1, 1); err != nil || n != 0 {
		t.Fatalf("a refused user was saved: %d, %v", n, err)
	}

	// A user linked to a person already in the organisation takes the
	// identity system's numbers; a person without a mobile gets no
	// profile made for them.
	linked := scimUser(w.EmpX1.Email)
	linked.Phone, linked.Mobile = "0952-150 00", "070-555 55 55"
	Must(t, s.CreateUser(ctx, linked))
	if linked.ID != w.EmpX1.ID {
		t.Fatalf("not linked: %+v", linked)
	}
	numbers("linked", w.EmpX1.ID, "0952-150 00", "070-555 55 55")
	plain := scimUser("utan.mobil@example.se")
	Must(t, s.CreateUser(ctx, plain))
	numbers("no mobile", plain.ID, "", "")
	if without, err := s.PeopleWithoutKeywords(org, ""); err != nil || !slices.ContainsFunc(without, func(p *distans.Person) bool { return p.ID == plain.ID }) {
		t.Fatalf("people without keywords %v, %v", without, err)
	}

	// Another organisation's provisioning client reads none of it.
	other := scimClient(t, s, w.AdminB)
	_, err = s.FindUser(other, m.ID)
	WantCode(t, err, distans.ENOTFOUND)
}
