package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/distans/distans"
)

var _ distans.AccountStore = (*Store)(nil)

// The AccountStore methods act as the system: internal/auth has already
// established who is signing in. Their audit events name the actor in ctx
// when it belongs to the organisation (HR setting a password, a person
// signing out everywhere), and the system otherwise.

// passwordHistoryMax is how many hashes are kept per person, the most an
// organisation's policy may ask for.
const passwordHistoryMax = 50

func errAccountNotFound() error {
	return distans.NotFound("Kontot finns inte.", "The account does not exist.")
}

func auditActor(ctx context.Context, orgID string) *distans.Actor {
	if a := distans.ActorFrom(ctx); a != nil && a.OrganisationID == orgID {
		return a
	}
	return distans.SystemActor(orgID)
}

// admitsSignIn is distans.OrgStatus.AdmitsSignIn in SQL, for an
// organisation row o: the one condition every query that lets people in
// (accounts, SCIM tokens, e-mail with links) joins on.
const admitsSignIn = `o.status = '` + string(distans.OrgActive) + `'`

const (
	accountCols = `p.organisation_id, o.slug, o.name, p.id, p.name, p.email, p.employee_number,
	COALESCE(a.password_hash, ''), COALESCE(a.failed_count, 0), a.locked_until,
	a.disabled_at IS NOT NULL`
	// Only an organisation whose status admits sign-in
	// (distans.OrgStatus.AdmitsSignIn) has accounts: in a suspended or
	// ended one, password and single sign-on find nobody, and sessions and
	// API tokens (FindCredential) stand for nobody.
	accountFrom = ` FROM people p JOIN organisations o ON o.id = p.organisation_id AND ` + admitsSignIn + `
	LEFT JOIN accounts a ON a.organisation_id = p.organisation_id AND a.person_id = p.id`
	accountSelect = `SELECT ` + accountCols + accountFrom
)

// accountDest is where a row of accountSelect goes.
func accountDest(ac *distans.Account) []any {
	return []any{&ac.OrganisationID, &ac.OrgSlug, &ac.OrgName, &ac.PersonID, &ac.Name, &ac.Email,
		&ac.EmployeeNumber, &ac.PasswordHash, &ac.FailedCount, nulltm(&ac.LockedUntil), &ac.Disabled}
}

// scanAccounts reads accounts and marks those without an employment that
// is current today as Ended: a person who has never been employed, or
// whose employment is over or has not yet begun, may not sign in; nor may
// a deactivated (Disabled) one, even on the last day of the employment.
func (s *Store) scanAccounts(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]*distans.Account, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []*distans.Account
	for rows.Next() {
		ac := &distans.Account{}
		if err := rows.Scan(accountDest(ac)...); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, ac)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, ac := range out {
		today, err := s.today(ctx, tx, ac.OrganisationID)
		if err != nil {
			return nil, err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people p WHERE p.organisation_id = $1 AND p.id = $2
			AND `+employedOn("p", "$3"), ac.OrganisationID, ac.PersonID, day(today)).Scan(&n); err != nil {
			return nil, err
		}
		ac.Ended = n == 0 || ac.Disabled
	}
	return out, nil
}

// employedOn is the condition that the person of the people row alias p
// has an employment current on the day in the parameter today: who may
// sign in, and so who may be invited (the one rule of scanAccounts,
// FindAccount and the pending invitations).
func employedOn(p, today string) string {
	return `EXISTS (SELECT 1 FROM employments e WHERE e.organisation_id = ` + p + `.organisation_id AND e.person_id = ` + p + `.id
			AND ` + currentOn("e", today) + `)`
}

// currentOn is the condition that the employment e is current on the day
// in the parameter today: begun, and not ended before it.
func currentOn(e, today string) string {
	return e + `.starts_on <= ` + today + ` AND (` + e + `.ends_on IS NULL OR ` + e + `.ends_on >= ` + today + `)`
}

// FindAccounts returns the person's accounts in every organisation, by
// e-mail; none is an empty list.
func (s *Store) FindAccounts(ctx context.Context, email string) ([]*distans.Account, error) {
	var out []*distans.Account
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.scanAccounts(ctx, tx, accountSelect+` WHERE p.email = $1 ORDER BY o.name, o.slug`, distans.NormalizeEmail(email))
		return err
	})
	return out, err
}

func (s *Store) findAccount(ctx context.Context, where string, args ...any) (*distans.Account, error) {
	var out []*distans.Account
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.scanAccounts(ctx, tx, accountSelect+` WHERE `+where, args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errAccountNotFound()
	}
	return out[0], nil
}

// FindAccount returns the account of a person. Every authenticated request
// asks for it, so it is one statement and no transaction: "today" comes
// from the cached time zone, and whether an employment is current is an
// EXISTS in the same query (as scanAccounts decides it).
func (s *Store) FindAccount(ctx context.Context, orgID, personID string) (*distans.Account, error) {
	today, err := s.today(ctx, s.rdb, orgID)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, errAccountNotFound()
	} else if err != nil {
		return nil, err
	}
	ac := &distans.Account{}
	var current bool
	err = s.rdb.QueryRowContext(ctx, `SELECT `+accountCols+`, `+employedOn("p", "$3")+accountFrom+`
		WHERE p.organisation_id = $1 AND p.id = $2`, orgID, personID, day(today)).Scan(append(accountDest(ac), &current)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errAccountNotFound()
	} else if err != nil {
		return nil, err
	}
	ac.Ended = !current || ac.Disabled
	return ac, nil
}

// FindAccountByEmployeeNumber returns the account with that employee
// number; an empty number matches nobody.
func (s *Store) FindAccountByEmployeeNumber(ctx context.Context, orgID, number string) (*distans.Account, error) {
	if number == "" {
		return nil, errAccountNotFound()
	}
	return s.findAccount(ctx, `p.organisation_id = $1 AND p.employee_number = $2 ORDER BY p.id LIMIT 1`, orgID, number)
}

// accountRow makes sure the person has an accounts row and returns the
// person's name; ENOTFOUND when the person is not in the organisation.
func accountRow(ctx context.Context, tx *sql.Tx, orgID, personID string) (string, error) {
	p, err := findPersonRow(ctx, tx, orgID, personID)
	if err != nil {
		return "", errAccountNotFound()
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO accounts (organisation_id, person_id) VALUES ($1, $2)
		ON CONFLICT (organisation_id, person_id) DO NOTHING`, orgID, personID)
	return p.Name, err
}

// RecordSignInFailure counts a failed sign-in and locks the account until
// lockUntil when the count reaches max; a lock over by now starts afresh.
func (s *Store) RecordSignInFailure(ctx context.Context, orgID, personID string, max int, now, lockUntil time.Time) (bool, error) {
	locked := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := accountRow(ctx, tx, orgID, personID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE accounts SET
				failed_count = CASE WHEN locked_until IS NOT NULL AND locked_until <= $3 THEN 1 ELSE failed_count + 1 END,
				locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= $3 THEN NULL ELSE locked_until END
			WHERE organisation_id = $1 AND person_id = $2 RETURNING failed_count`, orgID, personID, ts(now)).Scan(&n); err != nil {
			return err
		}
		if err := logSignIn(ctx, tx, orgID, personID, distans.SignInFailed, ""); err != nil {
			return err
		}
		if n < max {
			return nil
		}
		locked = true
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET locked_until = $1 WHERE organisation_id = $2 AND person_id = $3`,
			ts(lockUntil), orgID, personID); err != nil {
			return err
		}
		return s.audit(ctx, tx, distans.SystemActor(orgID), orgID, "signin.locked", "person", personID,
			"locked the account after "+strconv.Itoa(n)+" failed sign-ins in a row, until "+ts(lockUntil))
	})
	return locked, err
}

// RecordSignInSuccess clears the failure count and any lock that is
// over, and logs the sign-in.
func (s *Store) RecordSignInSuccess(ctx context.Context, orgID, personID string, method distans.SignInMethod) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := accountRow(ctx, tx, orgID, personID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET failed_count = 0, locked_until = NULL
			WHERE organisation_id = $1 AND person_id = $2`, orgID, personID); err != nil {
			return err
		}
		return logSignIn(ctx, tx, orgID, personID, distans.SignInSucceeded, method)
	})
}

// PasswordHistory returns up to n hashes, the current one first.
func (s *Store) PasswordHistory(ctx context.Context, orgID, personID string, n int) ([]string, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT hash FROM password_history WHERE organisation_id = $1 AND person_id = $2
		ORDER BY created_at DESC, id DESC`+limitRows(max(n, 0)), orgID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// SetPasswordHash replaces the password, keeps it in the history (the
// newest passwordHistoryMax), ends every session of the person and clears
// a lock.
func (s *Store) SetPasswordHash(ctx context.Context, orgID, personID, hash string) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		if err := setPasswordHash(ctx, tx, orgID, personID, hash); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditActor(ctx, orgID), orgID, "password.set", "person", personID,
			"set the password, ended every session and cleared any lock")
	})
}

// setPasswordHash is SetPasswordHash without its audit event, which each
// caller words for itself; the caller runs it in writeAccess, since
// sessions end.
func setPasswordHash(ctx context.Context, tx *sql.Tx, orgID, personID, hash string) error {
	if _, err := accountRow(ctx, tx, orgID, personID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1, failed_count = 0, locked_until = NULL
		WHERE organisation_id = $2 AND person_id = $3`, hash, orgID, personID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO password_history (organisation_id, person_id, id, hash, created_at)
		VALUES ($1, $2, $3, $4, $5)`, orgID, personID, newID(), hash, ts(now(ctx))); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM password_history WHERE organisation_id = $1 AND person_id = $2
		AND id NOT IN (SELECT id FROM password_history WHERE organisation_id = $1 AND person_id = $2
		ORDER BY created_at DESC, id DESC`+limitRows(passwordHistoryMax)+`)`, orgID, personID); err != nil {
		return err
	}
	_, err := deleteSecrets(ctx, tx, "sessions", `organisation_id = $1 AND person_id = $2`, orgID, personID)
	return err
}

// UnlockAccount clears the failure count and the lock.
func (s *Store) UnlockAccount(ctx context.Context, orgID, personID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := accountRow(ctx, tx, orgID, personID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET failed_count = 0, locked_until = NULL
			WHERE organisation_id = $1 AND person_id = $2`, orgID, personID); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditActor(ctx, orgID), orgID, "signin.unlock", "person", personID, "unlocked the account")
	})
}

func errSessionNotFound() error {
	return distans.NotFound("Sessionen finns inte.", "The session does not exist.")
}

// CreateSession stores a session. Signing in is audited by
// RecordSignInSuccess; sessions themselves are not, being many and short.
func (s *Store) CreateSession(ctx context.Context, x *distans.Session) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := findPersonRow(ctx, tx, x.OrganisationID, x.PersonID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, organisation_id, person_id, csrf_token, created_at, expires_at, last_seen_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, x.TokenHash, x.OrganisationID, x.PersonID, x.CSRFToken,
			ts(x.CreatedAt), ts(x.ExpiresAt), ts(x.LastSeenAt))
		if err == nil {
			err = addRoute(ctx, tx, x.TokenHash, x.OrganisationID, routeSession)
		}
		return conflict(err, "Sessionen finns redan.", "The session already exists.")
	})
}

// sessionColsAs are the columns of a session s, as sessionDest reads them.
const sessionColsAs = `s.token_hash, s.organisation_id, s.person_id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at`

func sessionDest(x *distans.Session) []any {
	return []any{&x.TokenHash, &x.OrganisationID, &x.PersonID, &x.CSRFToken, tm(&x.CreatedAt), tm(&x.ExpiresAt), tm(&x.LastSeenAt)}
}

// FindSession returns the session with that token hash, expired or not.
func (s *Store) FindSession(ctx context.Context, tokenHash string) (*distans.Session, error) {
	var a args
	cond, err := s.bySecret(ctx, s.rdb, &a, tokenHash)
	if err != nil {
		return nil, err
	}
	x := &distans.Session{}
	err = s.rdb.QueryRowContext(ctx, `SELECT `+sessionColsAs+` FROM sessions s WHERE `+cond, a...).Scan(sessionDest(x)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSessionNotFound()
	}
	return x, err
}

// TouchSession records activity and slides the expiry.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) error {
	defer s.forgetSession(tokenHash)
	return s.write(ctx, func(tx *sql.Tx) error {
		a := args{ts(seen), ts(expires)}
		cond, err := s.bySecret(ctx, tx, &a, tokenHash)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE `+cond, a...)
		return affected(res, err, errSessionNotFound)
	})
}

// affected turns "no row changed" into the not-found error.
func affected(res sql.Result, err error, notFound func() error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound()
	}
	return nil
}

// DeleteSession signs one session out; it is audited.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		var a args
		cond, err := s.bySecret(ctx, tx, &a, tokenHash)
		if err != nil {
			return err
		}
		var orgID, personID string
		err = tx.QueryRowContext(ctx, `DELETE FROM sessions WHERE `+cond+` RETURNING organisation_id, person_id`, a...).
			Scan(&orgID, &personID)
		if errors.Is(err, sql.ErrNoRows) {
			return errSessionNotFound()
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM token_routes WHERE token_hash = $1`, tokenHash); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditActor(ctx, orgID), orgID, "session.revoke", "person", personID, "signed out")
	})
}

// DeleteSessions ends every session of the person.
func (s *Store) DeleteSessions(ctx context.Context, orgID, personID string) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		n, err := deleteSecrets(ctx, tx, "sessions", `organisation_id = $1 AND person_id = $2`, orgID, personID)
		if err != nil {
			return err
		}
		if _, err := findPersonRow(ctx, tx, orgID, personID); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditActor(ctx, orgID), orgID, "session.revoke_all", "person", personID,
			"signed out everywhere ("+strconv.Itoa(n)+" sessions)")
	})
}

// DeleteExpiredSessions removes sessions that expired before now, the
// operators' too, and operators' links a day after they expired (see
// linkKeep); this is housekeeping across organisations and is not audited.
func (s *Store) DeleteExpiredSessions(ctx context.Context, at time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		k, err := deleteSecrets(ctx, tx, "sessions", `expires_at < $1`, ts(at))
		if err != nil {
			return err
		}
		n = int64(k)
		for _, x := range []struct{ stmt, at string }{
			{`DELETE FROM operator_sessions WHERE expires_at < $1`, ts(at)},
			{`DELETE FROM operator_links WHERE expires_at < $1`, ts(at.Add(-linkKeep))},
		} {
			res, err := tx.ExecContext(ctx, x.stmt, x.at)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	return int(n), err
}

func errTokenNotFound() error {
	return distans.NotFound("API-nyckeln finns inte.", "The API token does not exist.")
}

const tokenCols = `organisation_id, id, person_id, name, token_hash, created_at, last_used_at, revoked_at`

// tokenDest is where a row of tokenCols goes.
func tokenDest(t *distans.APIToken) []any {
	return []any{&t.OrganisationID, &t.ID, &t.PersonID, &t.Name, &t.TokenHash, tm(&t.CreatedAt), nulltm(&t.LastUsedAt), nulltm(&t.RevokedAt)}
}

func scanToken(sc interface{ Scan(...any) error }) (*distans.APIToken, error) {
	t := &distans.APIToken{}
	err := sc.Scan(tokenDest(t)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTokenNotFound()
	}
	return t, err
}

// CreateAPIToken stores a token's hash; it fills ID and CreatedAt.
func (s *Store) CreateAPIToken(ctx context.Context, t *distans.APIToken) error {
	var v distans.Validation
	v.Required("name", t.Name)
	v.MaxLen("name", t.Name, 200)
	if t.TokenHash == "" {
		v.Add("token_hash", "Nyckeln saknas.", "The token is missing.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := findPersonRow(ctx, tx, t.OrganisationID, t.PersonID); err != nil {
			return err
		}
		t.ID, t.CreatedAt, t.LastUsedAt, t.RevokedAt = newID(), now(ctx), nil, nil
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)`,
			t.OrganisationID, t.ID, t.PersonID, t.Name, t.TokenHash, ts(t.CreatedAt)); err != nil {
			return conflict(err, "Nyckeln finns redan.", "The token already exists.")
		}
		if err := addRoute(ctx, tx, t.TokenHash, t.OrganisationID, routeAPIToken); err != nil {
			return conflict(err, "Nyckeln finns redan.", "The token already exists.")
		}
		return s.audit(ctx, tx, auditActor(ctx, t.OrganisationID), t.OrganisationID, "token.create", "api_token", t.ID,
			"created API token "+t.Name+" for person "+t.PersonID)
	})
}

// FindAPIToken returns the token with that hash, revoked or not.
func (s *Store) FindAPIToken(ctx context.Context, tokenHash string) (*distans.APIToken, error) {
	var a args
	cond, err := s.bySecret(ctx, s.rdb, &a, tokenHash)
	if err != nil {
		return nil, err
	}
	return scanToken(s.rdb.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE `+cond, a...))
}

// ListAPITokens returns the person's tokens, oldest first.
func (s *Store) ListAPITokens(ctx context.Context, orgID, personID string) ([]*distans.APIToken, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE organisation_id = $1 AND person_id = $2
		ORDER BY created_at, id`, orgID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes a token now; revoking twice changes nothing.
func (s *Store) RevokeAPIToken(ctx context.Context, orgID, id string) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE organisation_id = $1 AND id = $2`, orgID, id))
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE organisation_id = $2 AND id = $3`,
			ts(now(ctx)), orgID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditActor(ctx, orgID), orgID, "token.revoke", "api_token", id, "revoked API token "+t.Name)
	})
}

// TouchAPIToken records the token's last use; it is not audited.
func (s *Store) TouchAPIToken(ctx context.Context, orgID, id string, at time.Time) error {
	defer s.forgetToken(id)
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE organisation_id = $2 AND id = $3`, ts(at), orgID, id)
		return affected(res, err, errTokenNotFound)
	})
}

// FindOIDCProvider returns the organisation's single sign-on settings.
func (s *Store) FindOIDCProvider(ctx context.Context, orgID string) (*distans.OIDCProvider, error) {
	p := &distans.OIDCProvider{}
	err := s.rdb.QueryRowContext(ctx, `SELECT organisation_id, issuer, client_id, client_secret, claim, match_by, enabled
		FROM oidc_providers WHERE organisation_id = $1`, orgID).
		Scan(&p.OrganisationID, &p.Issuer, &p.ClientID, &p.ClientSecret, &p.Claim, &p.MatchBy, &p.Enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, distans.NotFound("Inloggning med SSO är inte inställd.", "Single sign-on is not set up.")
	}
	return p, err
}

// SaveOIDCProvider creates or replaces the organisation's settings.
func (s *Store) SaveOIDCProvider(ctx context.Context, p *distans.OIDCProvider) error {
	var v distans.Validation
	v.Required("issuer", p.Issuer)
	v.Required("client_id", p.ClientID)
	if p.MatchBy != "email" && p.MatchBy != "employee_number" {
		v.Add("match_by", "Matcha på email eller employee_number.", "Match by email or employee_number.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if p.Claim == "" {
		p.Claim = "email"
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := findOrg(ctx, tx, p.OrganisationID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO oidc_providers (organisation_id, issuer, client_id, client_secret, claim, match_by, enabled)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (organisation_id) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
			client_secret = excluded.client_secret, claim = excluded.claim, match_by = excluded.match_by, enabled = excluded.enabled`,
			p.OrganisationID, p.Issuer, p.ClientID, p.ClientSecret, p.Claim, p.MatchBy, p.Enabled); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditActor(ctx, p.OrganisationID), p.OrganisationID, "oidc.save", "organisation", p.OrganisationID,
			"saved single sign-on settings for issuer "+p.Issuer)
	})
}
