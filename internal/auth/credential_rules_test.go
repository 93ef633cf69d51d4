package auth

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/secret"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// credHolder is a person with a session and an API token of their own.
type credHolder struct {
	p       *distans.Person
	session string // the session token, as the cookie carries it
	token   string // the API token, as the bearer header carries it
	tokenID string
}

// TestCredentialRules drives every reason to refuse a credential through
// the one statement that reads it, on both databases: the service reads
// through a second instance with the credential cache off, while the
// changes are made through the first, so nothing but the statement can
// see them. Each case first shows the credential working, then breaks one
// thing and shows what that alone refuses.
func TestCredentialRules(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		// A fixed instant, far enough ahead that the fixtures' employments
		// (since 2020) are current; noon UTC is 02:00 the next day on
		// Kiritimati (UTC+14).
		at := time.Date(2030, 6, 15, 12, 0, 0, 0, time.UTC)
		today := distans.DateOf(at.In(mustZone(t, "Europe/Stockholm")))
		w := storetest.NewWorld(t, st)
		a := w.A.ID
		raw := storetest.Raw(t, st)
		reader := storetest.Twin(t, st)
		reader.SetCredentialTTL(0)
		svc := New(Config{Accounts: reader, Organisations: reader, People: reader})
		ctxAt := func(t time.Time) context.Context { return distans.WithNow(context.Background(), t) }

		hold := func(t *testing.T, orgID, unitID, name string, at time.Time) *credHolder {
			t.Helper()
			p := storetest.NewPerson(t, st, orgID, name, unitID)
			h := &credHolder{p: p, session: "session-" + p.ID, token: apiTokenPrefix + "token-" + p.ID}
			storetest.Must(t, st.CreateSession(storetest.System(orgID), &distans.Session{TokenHash: secret.Hash(h.session),
				OrganisationID: orgID, PersonID: p.ID, CSRFToken: "csrf", CreatedAt: at.Add(-time.Hour),
				ExpiresAt: at.Add(time.Hour), LastSeenAt: at.Add(-time.Hour)}))
			tok := &distans.APIToken{OrganisationID: orgID, PersonID: p.ID, Name: "test", TokenHash: secret.Hash(h.token)}
			storetest.Must(t, st.CreateAPIToken(storetest.System(orgID), tok))
			h.tokenID = tok.ID
			return h
		}
		// auth authenticates h's session and token at the instant and
		// returns the actors (nil when refused) and the errors.
		type outcome struct {
			bySession, byToken *distans.Actor
			sessErr, tokErr    error
		}
		authn := func(h *credHolder, at time.Time) outcome {
			var o outcome
			o.bySession, _, o.sessErr = svc.Authenticate(ctxAt(at), h.session)
			o.byToken, o.tokErr = svc.AuthenticateAPIToken(ctxAt(at), h.token)
			return o
		}
		hasRole := func(x *distans.Actor, r distans.Role, path string) bool {
			return x != nil && slices.ContainsFunc(x.Grants, func(g distans.Grant) bool { return g.Role == r && g.UnitPath == path })
		}
		refusedBoth := func(t *testing.T, o outcome) {
			t.Helper()
			if distans.ErrorCode(o.sessErr) != distans.EUNAUTHORIZED || distans.ErrorCode(o.tokErr) != distans.EUNAUTHORIZED {
				t.Fatalf("want both refused, got session %v (%v), token %v (%v)", o.bySession, o.sessErr, o.byToken, o.tokErr)
			}
		}
		admittedBoth := func(t *testing.T, o outcome) {
			t.Helper()
			if o.sessErr != nil || o.tokErr != nil {
				t.Fatalf("want both admitted, got session %v, token %v", o.sessErr, o.tokErr)
			}
		}
		yesterday := today.AddDate(0, 0, -1)

		cases := []struct {
			name string
			at   time.Time               // when the credential is presented; zero: at
			org  func(*testing.T) string // the holder's organisation and unit; nil: w.A, w.X1
			// breaks makes the one change; then check judges.
			breaks func(t *testing.T, h *credHolder)
			check  func(t *testing.T, h *credHolder, o outcome)
		}{
			{name: "session idle too long", breaks: func(t *testing.T, h *credHolder) {},
				check: func(t *testing.T, h *credHolder, _ outcome) {
					// Presented at `at`, the session slid to expire a
					// whole idle timeout later.
					o := authn(h, at.Add(DefaultSessionTTL))
					if distans.ErrorCode(o.sessErr) != distans.EUNAUTHORIZED || o.tokErr != nil {
						t.Fatalf("session %v, token %v", o.sessErr, o.tokErr)
					}
					if _, err := st.FindSession(context.Background(), secret.Hash(h.session)); distans.ErrorCode(err) != distans.ENOTFOUND {
						t.Fatalf("the expired session was kept: %v", err)
					}
				}},
			{name: "session past its absolute limit", breaks: func(t *testing.T, h *credHolder) {
				// Used a minute ago and so slid forward, but signed in
				// as long ago as the limit.
				h.session += "-old"
				storetest.Must(t, st.CreateSession(storetest.System(a), &distans.Session{TokenHash: secret.Hash(h.session),
					OrganisationID: a, PersonID: h.p.ID, CSRFToken: "csrf", CreatedAt: at.Add(-DefaultSessionMaxAge),
					ExpiresAt: at.Add(time.Hour), LastSeenAt: at.Add(-time.Minute)}))
			}, check: func(t *testing.T, h *credHolder, o outcome) {
				if distans.ErrorCode(o.sessErr) != distans.EUNAUTHORIZED || o.tokErr != nil {
					t.Fatalf("session %v, token %v", o.sessErr, o.tokErr)
				}
			}},
			{name: "session signed out", breaks: func(t *testing.T, h *credHolder) {
				storetest.Must(t, st.DeleteSession(storetest.System(a), secret.Hash(h.session)))
			}, check: func(t *testing.T, h *credHolder, o outcome) {
				if distans.ErrorCode(o.sessErr) != distans.EUNAUTHORIZED || o.tokErr != nil {
					t.Fatalf("session %v, token %v", o.sessErr, o.tokErr)
				}
			}},
			{name: "token revoked", breaks: func(t *testing.T, h *credHolder) {
				storetest.Must(t, st.RevokeAPIToken(storetest.System(a), a, h.tokenID))
			}, check: func(t *testing.T, h *credHolder, o outcome) {
				if distans.ErrorCode(o.tokErr) != distans.EUNAUTHORIZED || o.sessErr != nil {
					t.Fatalf("session %v, token %v", o.sessErr, o.tokErr)
				}
			}},
			{name: "account disabled", breaks: func(t *testing.T, h *credHolder) {
				// Behind the store's back, so that nothing but disabled_at
				// changes (deactivating through SCIM also ends sessions).
				_, err := raw.ExecContext(t.Context(), `INSERT INTO accounts (organisation_id, person_id, disabled_at)
					VALUES ($1, $2, CURRENT_TIMESTAMP)`, a, h.p.ID)
				storetest.Must(t, err)
			}, check: func(t *testing.T, _ *credHolder, o outcome) { refusedBoth(t, o) }},
			{name: "organisation suspended",
				org: func(t *testing.T) string { return storetest.NewOrg(t, st, "gamma").ID },
				breaks: func(t *testing.T, h *credHolder) {
					// Behind the store's back: suspending through the store
					// also ends the sessions.
					_, err := raw.ExecContext(t.Context(), `UPDATE organisations SET status = $1 WHERE id = $2`,
						string(distans.OrgSuspended), h.p.OrganisationID)
					storetest.Must(t, err)
				}, check: func(t *testing.T, _ *credHolder, o outcome) { refusedBoth(t, o) }},
			{name: "employment ended yesterday", breaks: func(t *testing.T, h *credHolder) {
				endEmployment(t, st, h.p, yesterday)
			}, check: func(t *testing.T, _ *credHolder, o outcome) { refusedBoth(t, o) }},
			{name: "employment ends today", breaks: func(t *testing.T, h *credHolder) {
				endEmployment(t, st, h.p, today)
			}, check: func(t *testing.T, _ *credHolder, o outcome) { admittedBoth(t, o) }},
			{name: "role ended", breaks: func(t *testing.T, h *credHolder) {
				r := storetest.Assign(t, st, h.p, distans.RoleHR, w.X.ID)
				if !hasRole(authn(h, at).byToken, distans.RoleHR, w.X.Path) {
					t.Fatal("the role is not held before it ends")
				}
				storetest.Must(t, st.EndRoleAssignment(storetest.System(a), r.ID))
			}, check: func(t *testing.T, _ *credHolder, o outcome) {
				admittedBoth(t, o)
				if hasRole(o.bySession, distans.RoleHR, w.X.Path) || hasRole(o.byToken, distans.RoleHR, w.X.Path) {
					t.Fatalf("an ended role still grants: %+v", o.byToken.Grants)
				}
			}},
			{name: "role's unit ended yesterday", breaks: func(t *testing.T, h *credHolder) {
				u := storetest.NewUnit(t, st, a, w.Root.ID, "Avdelning Z "+h.p.ID, distans.UnitDepartment)
				storetest.Assign(t, st, h.p, distans.RoleManager, u.ID)
				if !hasRole(authn(h, at).byToken, distans.RoleManager, u.Path) {
					t.Fatal("the role is not held before its unit ends")
				}
				_, err := raw.ExecContext(t.Context(), `UPDATE units SET ended_on = $1 WHERE organisation_id = $2 AND id = $3`,
					yesterday.Format(time.DateOnly), a, u.ID)
				storetest.Must(t, err)
			}, check: func(t *testing.T, _ *credHolder, o outcome) {
				admittedBoth(t, o)
				if hasRole(o.bySession, distans.RoleManager, "") || slices.ContainsFunc(o.byToken.Grants, func(g distans.Grant) bool {
					return g.Role == distans.RoleManager
				}) {
					t.Fatalf("a role in an ended unit still grants: %+v", o.byToken.Grants)
				}
			}},
			{name: "role's unit ends today", breaks: func(t *testing.T, h *credHolder) {
				storetest.Assign(t, st, h.p, distans.RoleManager, w.Y.ID)
				_, err := raw.ExecContext(t.Context(), `UPDATE units SET ended_on = $1 WHERE organisation_id = $2 AND id = $3`,
					today.Format(time.DateOnly), a, w.Y.ID)
				storetest.Must(t, err)
			}, check: func(t *testing.T, h *credHolder, o outcome) {
				admittedBoth(t, o)
				// The grant covers the unit's subtree: it carries its path.
				if !hasRole(o.bySession, distans.RoleManager, w.Y.Path) || !hasRole(o.byToken, distans.RoleManager, w.Y.Path) {
					t.Fatalf("a role in a unit that ends today does not grant: %+v", o.byToken.Grants)
				}
			}},
			{name: "employment ended on the UTC day, yesterday on Kiritimati",
				org: func(t *testing.T) string { return zoneOrg(t, st, "kiritimati", "Pacific/Kiritimati") },
				breaks: func(t *testing.T, h *credHolder) {
					// 12:00 UTC on the 15th is 02:00 on the 16th there.
					endEmployment(t, st, h.p, time.Date(2030, 6, 15, 0, 0, 0, 0, time.UTC))
				}, check: func(t *testing.T, _ *credHolder, o outcome) { refusedBoth(t, o) }},
			{name: "employment starting on the UTC day, tomorrow on Pago Pago",
				at:  time.Date(2030, 6, 15, 5, 0, 0, 0, time.UTC), // 18:00 on the 14th there
				org: func(t *testing.T) string { return zoneOrg(t, st, "pagopago", "Pacific/Pago_Pago") },
				breaks: func(t *testing.T, h *credHolder) {
					emps, err := st.ListEmployments(storetest.System(h.p.OrganisationID), h.p.ID)
					storetest.Must(t, err)
					_, err = raw.ExecContext(t.Context(), `UPDATE employments SET starts_on = $1 WHERE organisation_id = $2 AND id = $3`,
						"2030-06-15", h.p.OrganisationID, emps[0].ID)
					storetest.Must(t, err)
				}, check: func(t *testing.T, _ *credHolder, o outcome) { refusedBoth(t, o) }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				when := tc.at
				if when.IsZero() {
					when = at
				}
				orgID, unitID := a, w.X1.ID
				if tc.org != nil {
					orgID = tc.org(t)
					root := storetest.NewUnit(t, st, orgID, "", "Förvaltningen", distans.UnitAdministration)
					unitID = root.ID
				}
				h := hold(t, orgID, unitID, "Person "+tc.name, when)
				before := authn(h, when)
				admittedBoth(t, before)
				for _, x := range []*distans.Actor{before.bySession, before.byToken} {
					if x.PersonID != h.p.ID || x.Self == nil || x.Self.Person.ID != h.p.ID || x.Self.Organisation.ID != orgID {
						t.Fatalf("actor before the change: %+v", x)
					}
				}
				tc.breaks(t, h)
				tc.check(t, h, authn(h, when))
			})
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// zoneOrg creates an organisation in the time zone.
func zoneOrg(t *testing.T, st *sqlstore.Store, slug, zone string) string {
	t.Helper()
	o := &distans.Organisation{Slug: slug, Name: "Org " + slug, TimeZone: zone, Language: "sv"}
	storetest.Must(t, st.CreateOrganisation(storetest.System(""), o))
	return o.ID
}

// endEmployment ends the person's one employment on the day.
func endEmployment(t *testing.T, st *sqlstore.Store, p *distans.Person, on time.Time) {
	t.Helper()
	sys := storetest.System(p.OrganisationID)
	emps, err := st.ListEmployments(sys, p.ID)
	storetest.Must(t, err)
	storetest.Must(t, st.EndEmployment(sys, emps[0].ID, on))
}
