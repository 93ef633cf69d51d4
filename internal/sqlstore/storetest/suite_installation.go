package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// Operator returns a context acting as an installation administrator.
func Operator() context.Context {
	return distans.NewContext(context.Background(), &distans.Actor{Operator: true, Name: "Olle Drift (olle@drift.example)"})
}

// testPack is a pack text for CreateOrganisationWithAdmin; the store does
// not parse it (the installation service does).
const testPack = "slug: x\norganisation: X\ntitle: T\ndocument: D\nversion: 1\n"

// InstallationCreate: an organisation, its root unit, its first
// administrator and its pack are made together, only by the installation's
// administrators, and the administrator can sign in at once.
func InstallationCreate(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := context.Background()
	newOrg := func() (*distans.Organisation, *distans.Person, *distans.PolicyVersion) {
		return &distans.Organisation{Slug: "gamma", Name: "Gamma kommun", TimeZone: "Europe/Stockholm", Language: "sv"},
			&distans.Person{Name: "Gun Gamma", Email: "Gun@Gamma.example"},
			&distans.PolicyVersion{Source: testPack, Reason: "Kopierad från mallen vara."}
	}
	for name, c := range map[string]context.Context{
		"organisation admin": As(t, s, w.Admin), "system in an organisation": System(w.A.ID), "nobody": ctx,
		"operator in an organisation": distans.NewContext(ctx, &distans.Actor{Operator: true, OrganisationID: w.A.ID}),
	} {
		o, p, v := newOrg()
		if err := s.CreateOrganisationWithAdmin(c, o, p, v); err == nil {
			t.Fatalf("%s created an organisation", name)
		}
	}
	if _, err := s.FindOrganisationBySlug(ctx, "gamma"); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatalf("a refused creation left the organisation: %v", err)
	}
	// A slug in use refuses the whole: nothing of it is left.
	o, p, v := newOrg()
	o.Slug = "alfa"
	WantCode(t, s.CreateOrganisationWithAdmin(Operator(), o, p, v), distans.ECONFLICT)
	if acc, err := s.FindAccounts(ctx, "gun@gamma.example"); err != nil || len(acc) != 0 {
		t.Fatalf("a refused creation left its administrator: %v %v", acc, err)
	}

	o, p, v = newOrg()
	Must(t, s.CreateOrganisationWithAdmin(Operator(), o, p, v))
	if o.ID == "" || o.Status != distans.OrgActive || p.ID == "" || p.OrganisationID != o.ID || v.Version != 1 {
		t.Fatalf("created %+v %+v %+v", o, p, v)
	}
	accs, err := s.FindAccounts(ctx, "gun@gamma.example")
	Must(t, err)
	if len(accs) != 1 || accs[0].OrganisationID != o.ID || accs[0].Ended || accs[0].PasswordHash != "" {
		t.Fatalf("the administrator's account: %+v", accs)
	}
	grants, err := s.Grants(ctx, o.ID, p.ID)
	Must(t, err)
	if len(grants) != 1 || grants[0].Role != distans.RoleAdmin || grants[0].UnitPath != "" {
		t.Fatalf("the administrator's grants: %+v", grants)
	}
	pv, err := s.ActivePolicyVersion(System(o.ID))
	Must(t, err)
	if pv.Version != 1 || pv.Source != testPack || pv.Reason != "Kopierad från mallen vara." {
		t.Fatalf("the pack: %+v", pv)
	}
	units, err := s.ListUnits(System(o.ID), distans.UnitFilter{})
	Must(t, err)
	if len(units) != 1 || units[0].Name != "Gamma kommun" {
		t.Fatalf("units: %+v", units)
	}
	evs, err := s.ListAuditEvents(System(o.ID), distans.AuditFilter{Limit: 20})
	Must(t, err)
	actions := map[string]bool{}
	for _, e := range evs {
		actions[e.Action] = true
		if !strings.Contains(e.ActorName, "driftadministratör Olle Drift") {
			t.Errorf("event %s by %q, want the operator", e.Action, e.ActorName)
		}
	}
	for _, a := range []string{"organisation.create", "unit.create", "person.create", "employment.create", "role.assign", "policy.save"} {
		if !actions[a] {
			t.Errorf("no %s in the new organisation's trail: %v", a, actions)
		}
	}
	if brk, err := s.VerifyAuditChains(System("")); err != nil || brk != nil {
		t.Fatalf("audit chains: %v %v", brk, err)
	}
}

// InstallationSeesNoPersonalData: the operator reads counts, and every
// organisation-scoped query finds nothing for it.
func InstallationSeesNoPersonalData(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	op := Operator()
	stats, err := s.OrganisationStats(op)
	Must(t, err)
	var a *distans.OrganisationStats
	for _, st := range stats {
		if st.Organisation.ID == w.A.ID {
			a = st
		}
	}
	if len(stats) != 2 || a == nil {
		t.Fatalf("stats: %+v", stats)
	}
	if a.People != 6 || a.Units != 4 || a.CurrentEmployments != 6 || a.ActiveAgreements != 0 || a.PolicyVersion != 0 ||
		a.LastActivityAt == nil || a.FailedNotifications != 0 {
		t.Fatalf("stats of A: %+v", a)
	}
	js, err := json.Marshal(stats)
	Must(t, err)
	for _, p := range []*distans.Person{w.Admin, w.HRX, w.EmpX1, w.EmpB} {
		if strings.Contains(string(js), p.Name) || strings.Contains(string(js), p.Email) || strings.Contains(string(js), p.ID) {
			t.Fatalf("the stats name %s: %s", p.Name, js)
		}
	}
	for name, c := range map[string]context.Context{"organisation admin": As(t, s, w.Admin), "system in A": System(w.A.ID)} {
		if _, err := s.OrganisationStats(c); distans.ErrorCode(err) != distans.EFORBIDDEN {
			t.Fatalf("%s read the stats: %v", name, err)
		}
	}
	if _, _, err := s.ListPeople(op, distans.PersonFilter{}); err == nil {
		t.Fatal("the operator listed people")
	}
	if _, err := s.FindPerson(op, w.EmpX1.ID); err == nil {
		t.Fatal("the operator read a person")
	}
	if _, err := s.ListAuditEvents(op, distans.AuditFilter{}); err == nil {
		t.Fatal("the operator read an audit trail")
	}
	if _, err := s.FindOrganisationByID(op, w.A.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatalf("the operator read an organisation as its own: %v", err)
	}
}

// InstallationLifecycle: a suspended or ended organisation lets nobody in —
// sessions end, API tokens and sign-in find nobody — and the others go on.
func InstallationLifecycle(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := context.Background()
	n := distans.Now().UTC().Truncate(time.Microsecond)
	sess := func(p *distans.Person, hash string) {
		Must(t, s.CreateSession(ctx, &distans.Session{TokenHash: hash, OrganisationID: p.OrganisationID, PersonID: p.ID,
			CSRFToken: "c", CreatedAt: n, ExpiresAt: n.Add(time.Hour), LastSeenAt: n}))
	}
	sess(w.EmpX1, "sess-a")
	sess(w.EmpB, "sess-b")
	tok := &distans.APIToken{OrganisationID: w.A.ID, PersonID: w.EmpX1.ID, Name: "t", TokenHash: "tok-a"}
	Must(t, s.CreateAPIToken(ctx, tok))
	found := func(kind distans.CredentialKind, hash string) bool {
		t.Helper()
		_, err := s.FindCredential(ctx, kind, hash)
		if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Fatal(err)
		}
		return err == nil
	}
	// Kept answers must not outlive the change.
	if !found(distans.CredentialSession, "sess-a") || !found(distans.CredentialAPIToken, "tok-a") {
		t.Fatal("credentials do not work before the suspension")
	}

	WantCode(t, func() error {
		_, err := s.SetOrganisationStatus(As(t, s, w.Admin), w.A.ID, distans.OrgSuspended)
		return err
	}(),
		distans.EFORBIDDEN)
	WantCode(t, func() error { _, err := s.SetOrganisationStatus(Operator(), w.A.ID, distans.OrgActive); return err }(),
		distans.EINVALID)
	o, err := s.SetOrganisationStatus(Operator(), w.A.ID, distans.OrgSuspended)
	Must(t, err)
	if o.Status != distans.OrgSuspended || o.StatusChangedAt == nil {
		t.Fatalf("suspended: %+v", o)
	}
	wantLastAction(t, s, w.A.ID, "organisation.suspend", w.A.ID)
	if found(distans.CredentialSession, "sess-a") || found(distans.CredentialAPIToken, "tok-a") {
		t.Fatal("a credential of a suspended organisation still works")
	}
	if !found(distans.CredentialSession, "sess-b") {
		t.Fatal("another organisation's session stopped")
	}
	if accs, err := s.FindAccounts(ctx, w.EmpX1.Email); err != nil || len(accs) != 0 {
		t.Fatalf("sign-in finds accounts of a suspended organisation: %+v %v", accs, err)
	}
	if _, err := s.FindAccountByEmployeeNumber(ctx, w.A.ID, "x"); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatal(err)
	}
	if got, err := s.FindOrganisationBySlug(ctx, "alfa"); err != nil || got.Status.AdmitsSignIn() {
		t.Fatalf("the sign-in page would offer a suspended organisation: %+v %v", got, err)
	}
	// Its e-mail waits: the links in it lead nowhere.
	notifyAs(t, s, w.EmpX1, "held", distans.NotifyDecisionMade, nil)
	notifyAs(t, s, w.EmpB, "sent", distans.NotifyDecisionMade, nil)
	claimed := func() []string {
		t.Helper()
		got, err := s.ClaimEmails(System(""), distans.Now(), time.Minute, 10)
		Must(t, err)
		return ids(got, func(e *distans.OutgoingEmail) string { return e.Key })
	}
	if got := claimed(); len(got) != 1 || got[0] != "sent" {
		t.Fatalf("claimed %v while A is suspended, want only B's", got)
	}

	// Resumed: the token works again; the ended session stays ended.
	o, err = s.SetOrganisationStatus(Operator(), w.A.ID, distans.OrgActive)
	Must(t, err)
	wantLastAction(t, s, w.A.ID, "organisation.resume", w.A.ID)
	if !found(distans.CredentialAPIToken, "tok-a") || found(distans.CredentialSession, "sess-a") {
		t.Fatal("after resuming: the token should work and the old session stay ended")
	}
	if got := claimed(); len(got) != 1 || got[0] != "held" {
		t.Fatalf("claimed %v after resuming, want the e-mail that waited", got)
	}

	// Renamed, then ended: final.
	_, err = s.RenameOrganisation(Operator(), w.A.ID, "Alfa kommun", "beta")
	WantCode(t, err, distans.ECONFLICT)
	_, err = s.RenameOrganisation(Operator(), w.A.ID, "", "alfa kommun")
	WantCode(t, err, distans.EINVALID)
	o, err = s.RenameOrganisation(Operator(), w.A.ID, "Alfa kommun", "alfa-kommun")
	Must(t, err)
	if o.Name != "Alfa kommun" || o.Slug != "alfa-kommun" {
		t.Fatalf("renamed: %+v", o)
	}
	wantLastAction(t, s, w.A.ID, "organisation.rename", w.A.ID)
	if _, err := s.RenameOrganisation(As(t, s, w.Admin), w.A.ID, "X", "x"); distans.ErrorCode(err) != distans.EFORBIDDEN {
		t.Fatalf("an organisation admin renamed through the operator's door: %v", err)
	}
	_, err = s.SetOrganisationStatus(Operator(), w.A.ID, distans.OrgEnded)
	Must(t, err)
	wantLastAction(t, s, w.A.ID, "organisation.end", w.A.ID)
	if found(distans.CredentialAPIToken, "tok-a") {
		t.Fatal("a token of an ended organisation works")
	}
	for _, to := range []distans.OrgStatus{distans.OrgActive, distans.OrgSuspended} {
		_, err = s.SetOrganisationStatus(Operator(), w.A.ID, to)
		WantCode(t, err, distans.ECONFLICT)
	}
	_, err = s.RenameOrganisation(Operator(), w.A.ID, "Y", "y")
	WantCode(t, err, distans.ECONFLICT)
	_, err = s.SetOrganisationStatus(Operator(), "nope", distans.OrgSuspended)
	WantCode(t, err, distans.ENOTFOUND)
	if brk, err := s.VerifyAuditChains(System("")); err != nil || brk != nil {
		t.Fatalf("audit chains: %v %v", brk, err)
	}
}

// InstallationOperators: operators, their single-use links and sessions.
func InstallationOperators(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	n := distans.Now().UTC().Truncate(time.Microsecond)
	o := &distans.Operator{Email: " Olle@Drift.example ", Name: "Olle"}
	WantCode(t, s.CreateOperator(System("x"), o), distans.EFORBIDDEN)
	WantCode(t, s.CreateOperator(ctx, o), distans.EUNAUTHORIZED)
	Must(t, s.CreateOperator(System(""), o))
	if o.Email != "olle@drift.example" || o.ID == "" {
		t.Fatalf("operator: %+v", o)
	}
	WantCode(t, s.CreateOperator(Operator(), &distans.Operator{Email: "olle@drift.example"}), distans.ECONFLICT)
	WantCode(t, s.CreateOperator(Operator(), &distans.Operator{Email: "not an address"}), distans.EINVALID)

	Must(t, s.CreateOperatorLink(ctx, &distans.OperatorLink{TokenHash: "l1", OperatorID: o.ID, CreatedAt: n, ExpiresAt: n.Add(time.Hour)}))
	Must(t, s.CreateOperatorLink(ctx, &distans.OperatorLink{TokenHash: "l2", OperatorID: o.ID, CreatedAt: n, ExpiresAt: n.Add(time.Hour)}))
	_, err := s.FindOperatorLink(ctx, "l1", n)
	WantCode(t, err, distans.ENOTFOUND) // a newer link ends the older
	if got, err := s.FindOperatorLink(ctx, "l2", n); err != nil || got.ID != o.ID {
		t.Fatalf("link: %+v %v", got, err)
	}
	_, err = s.FindOperatorLink(ctx, "l2", n.Add(time.Hour))
	WantCode(t, err, distans.ENOTFOUND) // expired
	_, err = s.SetOperatorPasswordWithLink(ctx, "l2", "hash", n.Add(2*time.Hour))
	WantCode(t, err, distans.ENOTFOUND)

	Must(t, s.CreateOperatorSession(ctx, &distans.OperatorSession{TokenHash: "s1", OperatorID: o.ID, CSRFToken: "c",
		CreatedAt: n, ExpiresAt: n.Add(time.Hour), LastSeenAt: n}))
	got, err := s.SetOperatorPasswordWithLink(ctx, "l2", "hash", n)
	Must(t, err)
	if got.PasswordHash != "hash" {
		t.Fatalf("after the link: %+v", got)
	}
	_, err = s.SetOperatorPasswordWithLink(ctx, "l2", "other", n)
	WantCode(t, err, distans.ENOTFOUND) // used
	_, _, err = s.FindOperatorSession(ctx, "s1")
	WantCode(t, err, distans.ENOTFOUND) // a new password ends the sessions

	Must(t, s.CreateOperatorSession(ctx, &distans.OperatorSession{TokenHash: "s2", OperatorID: o.ID, CSRFToken: "c",
		CreatedAt: n, ExpiresAt: n.Add(time.Hour), LastSeenAt: n}))
	Must(t, s.TouchOperatorSession(ctx, "s2", n.Add(time.Minute), n.Add(2*time.Hour)))
	x, op, err := s.FindOperatorSession(ctx, "s2")
	Must(t, err)
	if op.ID != o.ID || !x.ExpiresAt.Equal(n.Add(2*time.Hour)) || x.CSRFToken != "c" {
		t.Fatalf("session: %+v %+v", x, op)
	}
	Must(t, s.DeleteOperatorSession(ctx, "s2"))
	WantCode(t, s.DeleteOperatorSession(ctx, "s2"), distans.ENOTFOUND)

	// The session sweep takes the operators' expired sessions and links
	// (a day after they expired) too.
	Must(t, s.CreateOperatorSession(ctx, &distans.OperatorSession{TokenHash: "s3", OperatorID: o.ID, CSRFToken: "c",
		CreatedAt: n, ExpiresAt: n.Add(time.Hour), LastSeenAt: n}))
	Must(t, s.CreateOperatorLink(ctx, &distans.OperatorLink{TokenHash: "l3", OperatorID: o.ID, CreatedAt: n, ExpiresAt: n.Add(time.Hour)}))
	swept, err := s.DeleteExpiredSessions(ctx, n.Add(2*time.Hour))
	Must(t, err)
	_, _, err = s.FindOperatorSession(ctx, "s3")
	WantCode(t, err, distans.ENOTFOUND)
	if swept != 1 {
		t.Fatalf("swept %d, want the session (the link is kept a day)", swept)
	}
	if swept, err = s.DeleteExpiredSessions(ctx, n.Add(26*time.Hour)); err != nil || swept != 3 {
		t.Fatalf("swept %d (%v), want the three expired links", swept, err)
	}

	for i := 1; i <= 3; i++ {
		locked, err := s.RecordOperatorFailure(ctx, o.ID, 3, n, n.Add(time.Minute))
		Must(t, err)
		if locked != (i == 3) {
			t.Fatalf("failure %d: locked = %v", i, locked)
		}
	}
	got, err = s.FindOperatorByEmail(ctx, "OLLE@drift.example")
	Must(t, err)
	if got.LockedUntil == nil || got.FailedCount != 3 {
		t.Fatalf("locked: %+v", got)
	}
	Must(t, s.RecordOperatorSuccess(ctx, o.ID))
	if got, _ = s.FindOperator(ctx, o.ID); got.LockedUntil != nil || got.FailedCount != 0 {
		t.Fatalf("after success: %+v", got)
	}
	_, err = s.FindOperatorByEmail(ctx, "nobody@drift.example")
	WantCode(t, err, distans.ENOTFOUND)
}
