package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/distans/distans"
)

// BenchmarkFindCredential is what authenticating a request costs the store
// when the credential cache misses (or is off): one statement, for a
// session and for an API token of a person with a role, in an organisation
// of 5,000 people.
func BenchmarkFindCredential(b *testing.B) {
	benchStores(b, func(b *testing.B, s *Store) {
		s.SetCredentialTTL(0)
		orgID, dept, section := seedPeople(b, s, 5_000)
		sys := distans.NewContext(context.Background(), distans.SystemActor(orgID))
		var personID string
		if err := s.rdb.QueryRow(`SELECT id FROM people WHERE organisation_id = $1 AND unit_id = $2 LIMIT 1`, orgID, section.ID).
			Scan(&personID); err != nil {
			b.Fatal(err)
		}
		r := &distans.RoleAssignment{PersonID: personID, Role: distans.RoleManager, UnitID: dept.ID}
		if err := s.AssignRole(sys, r); err != nil {
			b.Fatal(err)
		}
		at := time.Now().UTC()
		if err := s.CreateSession(sys, &distans.Session{TokenHash: "bench-session", OrganisationID: orgID, PersonID: personID,
			CSRFToken: "csrf", CreatedAt: at, ExpiresAt: at.Add(time.Hour), LastSeenAt: at}); err != nil {
			b.Fatal(err)
		}
		if err := s.CreateAPIToken(sys, &distans.APIToken{OrganisationID: orgID, PersonID: personID, Name: "bench",
			TokenHash: "bench-token"}); err != nil {
			b.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			kind distans.CredentialKind
			hash string
		}{{"session", distans.CredentialSession, "bench-session"}, {"token", distans.CredentialAPIToken, "bench-token"}} {
			b.Run(tc.name, func(b *testing.B) {
				ctx := context.Background()
				for b.Loop() {
					c, err := s.FindCredential(ctx, tc.kind, tc.hash)
					if err != nil {
						b.Fatal(err)
					}
					if c.Account.Ended || len(c.Grants) != 1 || c.Self == nil {
						b.Fatalf("credential: %+v %+v", c.Account, c.Grants)
					}
				}
			})
		}
	})
}
