package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// Credentials: what a session or API token stands for is read once and
// kept a few seconds. A change this instance makes is seen at once; one
// made by another instance once the kept answer has lived out.
func Credentials(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := context.Background()
	a := w.A.ID
	n := distans.Now().UTC().Truncate(time.Microsecond)
	tok := &distans.APIToken{OrganisationID: a, PersonID: w.EmpX1.ID, Name: "test", TokenHash: "token-hash"}
	Must(t, s.CreateAPIToken(ctx, tok))
	sess := &distans.Session{TokenHash: "session-hash", OrganisationID: a, PersonID: w.EmpX1.ID, CSRFToken: "csrf",
		CreatedAt: n, ExpiresAt: n.Add(time.Hour), LastSeenAt: n}
	Must(t, s.CreateSession(ctx, sess))
	find := func(s *sqlstore.Store, kind distans.CredentialKind, hash string) *distans.Credential {
		t.Helper()
		c, err := s.FindCredential(ctx, kind, hash)
		Must(t, err)
		return c
	}
	hasHR := func(c *distans.Credential) bool {
		return slices.ContainsFunc(c.Grants, func(g distans.Grant) bool { return g.Role == distans.RoleHR })
	}

	c := find(s, distans.CredentialAPIToken, tok.TokenHash)
	if c.APIToken == nil || c.APIToken.ID != tok.ID || c.Session != nil || c.Account.PersonID != w.EmpX1.ID ||
		c.Account.OrgSlug != "alfa" || c.Account.Ended || hasHR(c) {
		t.Fatalf("token credential: %+v %+v", c, c.Account)
	}
	// Each caller gets an answer of its own.
	c.Account.Name = "Ändrad"
	c.Grants = append(c.Grants, distans.Grant{Role: distans.RoleHR})
	if again := find(s, distans.CredentialAPIToken, tok.TokenHash); again.Account.Name != w.EmpX1.Name || hasHR(again) {
		t.Fatalf("a caller changed the kept answer: %+v", again.Account)
	}
	c = find(s, distans.CredentialSession, sess.TokenHash)
	if c.Session == nil || c.Session.CSRFToken != "csrf" || c.APIToken != nil || !c.Session.ExpiresAt.Equal(sess.ExpiresAt) {
		t.Fatalf("session credential: %+v", c)
	}
	for _, kind := range []distans.CredentialKind{distans.CredentialSession, distans.CredentialAPIToken} {
		_, err := s.FindCredential(ctx, kind, "unknown")
		WantCode(t, err, distans.ENOTFOUND)
	}

	// A role given or taken here is seen here at once.
	r := Assign(t, s, w.EmpX1, distans.RoleHR, w.X.ID)
	if !hasHR(find(s, distans.CredentialAPIToken, tok.TokenHash)) {
		t.Fatal("a role given here is not seen at once")
	}

	// Another instance keeps its answer for its own lifetime.
	v, _ := dsns.Load(s)
	other := open(t, v.(string))
	other.SetCredentialTTL(100 * time.Millisecond)
	if !hasHR(find(other, distans.CredentialAPIToken, tok.TokenHash)) {
		t.Fatal("the other instance does not see the role")
	}
	Must(t, s.EndRoleAssignment(System(a), r.ID))
	if hasHR(find(s, distans.CredentialAPIToken, tok.TokenHash)) {
		t.Fatal("a role ended here is still seen here")
	}
	time.Sleep(250 * time.Millisecond)
	if hasHR(find(other, distans.CredentialAPIToken, tok.TokenHash)) {
		t.Fatal("the other instance still sees the ended role after its cache lived out")
	}
	// Without a cache, another instance's change is seen at once.
	other.SetCredentialTTL(0)
	find(other, distans.CredentialSession, sess.TokenHash)
	Must(t, s.DeleteSession(ctx, sess.TokenHash))
	_, err := other.FindCredential(ctx, distans.CredentialSession, sess.TokenHash)
	WantCode(t, err, distans.ENOTFOUND)

	// Who-am-I is kept like the credential, each caller gets its own copy,
	// and a change here is seen here at once.
	me := As(t, s, w.EmpX1)
	p, o, err := s.FindSelf(me)
	Must(t, err)
	if p.ID != w.EmpX1.ID || o.ID != a || o.Slug != "alfa" {
		t.Fatalf("self: %+v %+v", p, o)
	}
	p.Name, o.Name = "Ändrad", "Ändrad"
	p, o, err = s.FindSelf(me)
	Must(t, err)
	if p.Name != w.EmpX1.Name || o.Name != "Org alfa" {
		t.Fatalf("a caller changed the kept self: %q %q", p.Name, o.Name)
	}
	_, err = s.UpdatePerson(System(a), w.EmpX1.ID, distans.PersonUpdate{Phone: ptr("070-123 45 67")})
	Must(t, err)
	if p, _, err = s.FindSelf(me); err != nil || p.Phone != "070-123 45 67" {
		t.Fatalf("self after a change: %+v %v", p, err)
	}
	_, _, err = s.FindSelf(System(a))
	WantCode(t, err, distans.ENOTFOUND)

	// The credential carries the person's own record and organisation, read
	// with it; FindSelf answers from them while this instance has changed
	// nothing since, and reads afresh once it has.
	c = find(s, distans.CredentialAPIToken, tok.TokenHash)
	if c.Self == nil || c.Self.Person.ID != w.EmpX1.ID || c.Self.Person.Phone != "070-123 45 67" || c.Self.Organisation.ID != a {
		t.Fatalf("credential's self: %+v", c.Self)
	}
	c.Self.Person.Title = "Läst med nyckeln"
	withSelf := distans.NewContext(ctx, &distans.Actor{OrganisationID: a, PersonID: w.EmpX1.ID, Name: w.EmpX1.Name, Self: c.Self})
	if p, _, err = s.FindSelf(withSelf); err != nil || p.Title != "Läst med nyckeln" {
		t.Fatalf("FindSelf did not answer from the credential's self: %+v %v", p, err)
	}
	// So does FindOrganisationByID, which every page's layout asks, for
	// the actor's own organisation alone, and a copy each time.
	c.Self.Organisation.Name = "Läst med nyckeln"
	if o, err := s.FindOrganisationByID(withSelf, a); err != nil || o.Name != "Läst med nyckeln" {
		t.Fatalf("FindOrganisationByID did not answer from the credential's self: %+v %v", o, err)
	} else if o.Name = "Ändrad"; c.Self.Organisation.Name != "Läst med nyckeln" {
		t.Fatal("a caller changed the credential's organisation")
	}
	_, err = s.FindOrganisationByID(withSelf, w.B.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.UpdatePerson(System(a), w.EmpX1.ID, distans.PersonUpdate{Phone: ptr("070-765 43 21")})
	Must(t, err)
	if p, _, err = s.FindSelf(withSelf); err != nil || p.Phone != "070-765 43 21" || p.Title == "Läst med nyckeln" {
		t.Fatalf("FindSelf answered from a self older than a change: %+v %v", p, err)
	}
	if o, err := s.FindOrganisationByID(withSelf, a); err != nil || o.Name != "Org alfa" {
		t.Fatalf("FindOrganisationByID answered from a self older than a change: %+v %v", o, err)
	}

	// A touch, a revocation and an ended employment are seen here at once.
	sess.TokenHash = "session-hash-2"
	Must(t, s.CreateSession(ctx, sess))
	find(s, distans.CredentialSession, sess.TokenHash)
	later := n.Add(2 * time.Minute)
	Must(t, s.TouchSession(ctx, sess.TokenHash, later, later.Add(time.Hour)))
	if c := find(s, distans.CredentialSession, sess.TokenHash); !c.Session.LastSeenAt.Equal(later) {
		t.Fatalf("touched session: %+v", c.Session)
	}
	Must(t, s.TouchAPIToken(ctx, a, tok.ID, later))
	if c := find(s, distans.CredentialAPIToken, tok.TokenHash); c.APIToken.LastUsedAt == nil || !c.APIToken.LastUsedAt.Equal(later) {
		t.Fatalf("touched token: %+v", c.APIToken)
	}
	Must(t, s.RevokeAPIToken(ctx, a, tok.ID))
	if c := find(s, distans.CredentialAPIToken, tok.TokenHash); c.APIToken.RevokedAt == nil {
		t.Fatal("a revoked token is not seen as revoked")
	}
	Must(t, s.EndEmployment(System(a), w.EmpX1Employment.ID, Day(2021, 12, 31)))
	if c := find(s, distans.CredentialSession, sess.TokenHash); !c.Account.Ended {
		t.Fatalf("an ended employment is not seen: %+v", c.Account)
	}
}
