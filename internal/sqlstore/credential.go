package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

type credentialKey struct {
	kind distans.CredentialKind
	hash string
}

// forgetSession drops the answer for a session: a touch changed it.
func (s *Store) forgetSession(tokenHash string) {
	s.creds.drop(credentialKey{distans.CredentialSession, tokenHash})
}

// forgetToken drops the answer for the API token with the ID: a touch
// changed its last use.
func (s *Store) forgetToken(id string) {
	s.creds.forget(func(_ credentialKey, c *distans.Credential) bool {
		return c.APIToken != nil && c.APIToken.ID == id
	})
}

// copyCredential gives the caller an answer of its own: Authenticate slides
// the session it gets, and another request may hold the same answer.
func copyCredential(c *distans.Credential) *distans.Credential {
	out := &distans.Credential{Grants: slices.Clone(c.Grants)}
	if c.Session != nil {
		x := *c.Session
		out.Session = &x
	}
	if c.APIToken != nil {
		x := *c.APIToken
		out.APIToken = &x
	}
	if c.Account != nil {
		x := *c.Account
		out.Account = &x
	}
	if c.Self != nil {
		p, o := *c.Self.Person, *c.Self.Organisation
		out.Self = &distans.Self{Person: &p, Organisation: &o, Stamp: c.Self.Stamp}
	}
	return out
}

// FindCredential implements distans.AccountStore: one statement when the
// cache does not answer (credentialQueries).
func (s *Store) FindCredential(ctx context.Context, kind distans.CredentialKind, tokenHash string) (*distans.Credential, error) {
	k := credentialKey{kind, tokenHash}
	if c, ok := s.creds.get(&s.access, k); ok {
		return copyCredential(c), nil
	}
	gen := s.access.gen.Load()
	c, err := s.readCredential(ctx, kind, tokenHash, gen)
	if err != nil {
		return nil, err
	}
	s.creds.put(&s.access, k, copyCredential(c), gen)
	return c, nil
}

// Every authenticated request that the cache does not answer reads its
// credential with one statement: the session or token, its person and
// organisation, the account, whether the person is employed, and one row
// for each role assignment not ended (none: one row of NULLs). The rules
// are the ones every other query asks: admitsSignIn (in accountFrom),
// employedOn (its currentOn) and heldOn.
//
// The day those rules are asked for is the organisation's own, and the
// statement learns the organisation only from the row it reads. Every time
// zone's day is within one of UTC's, so the statement asks for the day
// before, of and after today in UTC ($2, $3, $4) and the reader keeps the
// answer for the organisation's day.
//
// Whether the person is employed is employedOn asked as a CASE over the
// person's employments rather than as its EXISTS: SQLite compiles a
// statement again on every run when a parameter sits in the WHERE of one
// of its subqueries (the planner may look at its value), and that took
// most of this statement's time. On Citus the subquery names the
// organisation by its parameter ($5) instead: Citus sends a statement to
// one node only when every table in it, a correlated subquery's too, is
// held to one organisation by a constant.
func credentialQuery(cols, table, alias, org, route string) string {
	days := []string{"$2", "$3", "$4"}
	var employed, held []string
	for _, d := range days {
		employed = append(employed, `(SELECT COALESCE(MAX(CASE WHEN `+currentOn("e", d)+` THEN 1 ELSE 0 END), 0)
		FROM employments e WHERE e.organisation_id = `+org+` AND e.person_id = p.id)`)
		held = append(held, heldOn("r", "u", d))
	}
	return `SELECT ` + personCols + `, ` + cols + `, ` + accountCols + `, ` + orgColsAs + `,
	` + strings.Join(employed, ",\n\t") + `,
	r.role, COALESCE(r.unit_id, ''), COALESCE(u.path, ''),
	` + strings.Join(held, ",\n\t") + accountFrom + `
	JOIN ` + table + ` ` + alias + ` ON ` + alias + `.organisation_id = p.organisation_id AND ` + alias + `.person_id = p.id
	LEFT JOIN role_assignments r ON r.organisation_id = p.organisation_id AND r.person_id = p.id AND r.ended_at IS NULL
	LEFT JOIN units u ON u.organisation_id = r.organisation_id AND u.id = r.unit_id
	WHERE ` + alias + `.organisation_id = ` + route + ` AND ` + alias + `.token_hash = $1 AND p.organisation_id = ` + route + `
	ORDER BY r.created_at, r.id`
}

// routeSubquery is the organisation of the secret $1, read by the
// statement itself on PostgreSQL, whose secrets are keyed by organisation
// (SQLite's still by their hash alone): one statement, where Citus needs
// the organisation as a constant ($5, which routeOf reads first) to send
// the statement to one node.
const routeSubquery = `(SELECT tr.organisation_id FROM token_routes tr WHERE tr.token_hash = $1)`

// credentialQueries are the statements by dialect and kind of credential.
var credentialQueries = map[string]map[distans.CredentialKind]string{
	"sqlite": {
		distans.CredentialSession:  credentialQuery(sessionColsAs, "sessions", "s", "p.organisation_id", "s.organisation_id"),
		distans.CredentialAPIToken: credentialQuery(tokenColsAs, "api_tokens", "t", "p.organisation_id", "t.organisation_id"),
	},
	"postgres": {
		distans.CredentialSession:  credentialQuery(sessionColsAs, "sessions", "s", "p.organisation_id", routeSubquery),
		distans.CredentialAPIToken: credentialQuery(tokenColsAs, "api_tokens", "t", "p.organisation_id", routeSubquery),
	},
	"citus": {
		distans.CredentialSession:  credentialQuery(sessionColsAs, "sessions", "s", "$5", "$5"),
		distans.CredentialAPIToken: credentialQuery(tokenColsAs, "api_tokens", "t", "$5", "$5"),
	},
}

var tokenColsAs = "t." + strings.ReplaceAll(tokenCols, ", ", ", t.")

// readCredential runs the credential statement; gen is the count of
// changes read before it, the stamp of the Self it returns.
func (s *Store) readCredential(ctx context.Context, kind distans.CredentialKind, tokenHash string, gen uint64) (*distans.Credential, error) {
	citus, err := s.onCitus(ctx)
	if err != nil {
		return nil, err
	}
	dialect := s.dialect.name
	if citus {
		dialect = "citus"
	}
	query, ok := credentialQueries[dialect][kind]
	if !ok {
		return nil, errTokenNotFound()
	}
	now := distans.NowFrom(ctx)
	first := distans.Today(now, time.UTC).AddDate(0, 0, -1)
	q := []any{tokenHash, day(first), day(first.AddDate(0, 0, 1)), day(first.AddDate(0, 0, 2))}
	if citus {
		// The route names the organisation, which every table of the
		// statement is then read in: one node answers it.
		org, err := routeOf(ctx, s.rdb, tokenHash)
		if err != nil {
			return nil, err
		}
		q = append(q, org)
	}
	rows, err := s.rdb.QueryContext(ctx, query, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	c := &distans.Credential{Account: &distans.Account{}}
	var cred []any
	switch kind {
	case distans.CredentialSession:
		c.Session = &distans.Session{}
		cred = sessionDest(c.Session)
	default:
		c.APIToken = &distans.APIToken{}
		cred = tokenDest(c.APIToken)
	}
	o := &distans.Organisation{}
	var p *distans.Person
	var employed, held [3]bool
	type roleRow struct {
		g    distans.Grant
		held [3]bool
	}
	var roles []roleRow
	var role sql.NullString
	var g distans.Grant
	dest := slices.Concat(cred, accountDest(c.Account), orgDest(o),
		[]any{&employed[0], &employed[1], &employed[2], &role, &g.UnitID, &g.UnitPath, &held[0], &held[1], &held[2]})
	for rows.Next() {
		if p, err = scanPerson(rows, dest...); err != nil {
			return nil, err
		}
		if role.Valid {
			roles = append(roles, roleRow{distans.Grant{Role: distans.Role(role.String), UnitID: g.UnitID, UnitPath: g.UnitPath}, held})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if p == nil {
		if kind == distans.CredentialSession {
			return nil, errSessionNotFound()
		}
		return nil, errTokenNotFound()
	}
	today := distans.Today(now, s.locationOf(o))
	i := int(today.Sub(first) / (24 * time.Hour))
	if i < 0 || i > 2 {
		return nil, fmt.Errorf("sqlstore: %s's day %s is not within a day of UTC's", o.TimeZone, day(today))
	}
	c.Account.Ended = !employed[i] || c.Account.Disabled
	for _, r := range roles {
		if r.held[i] {
			c.Grants = append(c.Grants, r.g)
		}
	}
	c.Self = &distans.Self{Person: p, Organisation: o, Stamp: gen}
	return c, nil
}

// writeAccess is write for the changes that alter what a credential stands
// for: sessions, tokens, roles, employments, units, people, organisations.
// Every kept answer of FindCredential and FindSelf is stale once it returns.
func (s *Store) writeAccess(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer s.access.changed()
	return s.write(ctx, fn)
}

// writeAccessAnalysed is writeAccess by writeAnalysed.
func (s *Store) writeAccessAnalysed(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer s.access.changed()
	return s.writeAnalysed(ctx, fn)
}
