package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// store is what the tests need of the real store.
type store interface {
	distans.AccountStore
	distans.OrganisationService
	distans.UnitService
	distans.PersonService
	distans.RoleService
	distans.PolicyStore
	distans.AccountLinkStore
	distans.AuditService
}

// testClock is the injectable clock: it starts at the real time (the store
// judges employments by the real date) and moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testBaseURL is where the tests' links point.
const testBaseURL = "https://distans.example.se"

type fixture struct {
	t     *testing.T
	ctx   context.Context
	st    store
	svc   *Service
	clock *testClock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := storetest.SQLite(t)
	clock := &testClock{t: time.Now()}
	f := &fixture{t: t, ctx: t.Context(), st: st, clock: clock}
	f.svc = New(Config{
		Accounts: st, Organisations: st, People: st, Packs: policy.NewService(st, st),
		Links: st, BaseURL: testBaseURL + "/",
		Now: clock.Now,
	})
	return f
}

func (f *fixture) sys(orgID string) context.Context {
	return distans.NewContext(f.ctx, distans.SystemActor(orgID))
}

// org creates an organisation with a root unit. A non-zero password
// policy is saved as the organisation's policy pack, its parameters, which
// is where sign-in reads it; zero means no pack (the defaults).
func (f *fixture) org(slug string, pw distans.PasswordPolicy) (*distans.Organisation, *distans.Unit) {
	f.t.Helper()
	o := &distans.Organisation{Slug: slug, Name: "Org " + slug, TimeZone: "Europe/Stockholm", Language: "sv"}
	if err := f.st.CreateOrganisation(f.sys(""), o); err != nil {
		f.t.Fatalf("create organisation: %v", err)
	}
	if pw != (distans.PasswordPolicy{}) {
		f.setPack(o, pw, 0)
	}
	u := &distans.Unit{Name: "Förvaltningen", Kind: distans.UnitAdministration}
	if err := f.st.CreateUnit(f.sys(o.ID), u); err != nil {
		f.t.Fatalf("create unit: %v", err)
	}
	return o, u
}

// unit creates a unit below parent.
func (f *fixture) unit(o *distans.Organisation, parent *distans.Unit, name string) *distans.Unit {
	f.t.Helper()
	u := &distans.Unit{Name: name, Kind: distans.UnitSection, ParentID: parent.ID}
	if err := f.st.CreateUnit(f.sys(o.ID), u); err != nil {
		f.t.Fatalf("create unit: %v", err)
	}
	return u
}

// person creates a person employed in u with password pw (none if empty).
func (f *fixture) person(o *distans.Organisation, u *distans.Unit, name, email, pw string) *distans.Person {
	f.t.Helper()
	ctx := f.sys(o.ID)
	p := &distans.Person{Name: name, Email: email}
	if err := f.st.CreatePerson(ctx, p); err != nil {
		f.t.Fatalf("create person: %v", err)
	}
	e := &distans.Employment{PersonID: p.ID, UnitID: u.ID, Title: "Handläggare", StartsOn: time.Now().AddDate(-1, 0, 0)}
	if err := f.st.CreateEmployment(ctx, e); err != nil {
		f.t.Fatalf("create employment: %v", err)
	}
	if pw != "" {
		f.setHash(o, p, pw)
	}
	p, err := f.st.FindPerson(ctx, p.ID)
	if err != nil {
		f.t.Fatalf("find person: %v", err)
	}
	return p
}

func (f *fixture) setHash(o *distans.Organisation, p *distans.Person, pw string) {
	f.t.Helper()
	h, err := HashPassword(pw)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.SetPasswordHash(f.sys(o.ID), o.ID, p.ID, h); err != nil {
		f.t.Fatalf("set password hash: %v", err)
	}
}

// grant gives p role r in unit u (the whole organisation when u is nil).
func (f *fixture) grant(o *distans.Organisation, p *distans.Person, r distans.Role, u *distans.Unit) {
	f.t.Helper()
	ra := &distans.RoleAssignment{PersonID: p.ID, Role: r}
	if u != nil {
		ra.UnitID = u.ID
	}
	if err := f.st.AssignRole(f.sys(o.ID), ra); err != nil {
		f.t.Fatalf("assign role: %v", err)
	}
}

// signIn signs in and returns the token, failing the test on error.
func (f *fixture) signIn(email, pw, slug string) string {
	f.t.Helper()
	res, err := f.svc.SignIn(f.ctx, email, pw, slug)
	if err != nil {
		f.t.Fatalf("SignIn(%s): %v", email, err)
	}
	if res.Token == "" {
		f.t.Fatalf("SignIn(%s): no token (choices %d)", email, len(res.Choices))
	}
	return res.Token
}

// as returns a context with the actor of a session token.
func (f *fixture) as(token string) context.Context {
	f.t.Helper()
	a, _, err := f.svc.Authenticate(f.ctx, token)
	if err != nil {
		f.t.Fatalf("Authenticate: %v", err)
	}
	return distans.NewContext(f.ctx, a)
}

// wantCode fails unless err is a *distans.Error with code and, when given,
// a Swedish message containing sv.
func wantCode(t *testing.T, err error, code, sv string) {
	t.Helper()
	var e *distans.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	msg := e.Sv
	for _, fe := range e.Fields {
		msg += " " + fe.Sv
	}
	if sv != "" && !strings.Contains(msg, sv) {
		t.Fatalf("message %q, want it to contain %q", msg, sv)
	}
}

// setPack saves the password policy as a new version (after base) of the
// organisation's policy pack.
func (f *fixture) setPack(o *distans.Organisation, pw distans.PasswordPolicy, base int) {
	f.t.Helper()
	param := func(name, unit string, v int) string {
		return fmt.Sprintf("  - {name: %s, type: int, unit: %s, default: %d, label: {sv: %s, en: %s}}\n", name, unit, v, name, name)
	}
	src := fmt.Sprintf("slug: %s\norganisation: %s\ntitle: Lösenord\ndocument: test\nversion: %d\nparameters:\n", o.Slug, o.Name, base+1) +
		param(MinLengthParam, "characters", pw.MinLength) + param(MaxFailuresParam, "attempts", pw.MaxFailures) +
		param(LockoutMinutesParam, "minutes", pw.LockoutMinutes) + param(HistoryParam, "count", pw.HistoryCount)
	if _, err := policy.Parse([]byte(src)); err != nil {
		f.t.Fatalf("pack: %v\n%s", err, src)
	}
	if err := f.st.SavePolicyVersion(f.sys(o.ID), base, &distans.PolicyVersion{Source: src, Reason: "Lösenordsregler"}); err != nil {
		f.t.Fatalf("save pack: %v", err)
	}
}
