package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/distans/distans"
)

var _ distans.AccountLinkStore = (*Store)(nil)

// errLinkNotFound is every link that cannot be used: unknown, used, ended
// or expired are one answer, so that the page tells nobody which.
func errLinkNotFound() error {
	return distans.NotFound("Länken finns inte, har redan använts eller har gått ut.",
		"The link does not exist, has already been used or has expired.")
}

const linkCols = `organisation_id, id, person_id, purpose, token_hash, created_by, created_at, expires_at, used_at`

func scanLink(sc interface{ Scan(...any) error }) (*distans.AccountLink, error) {
	l := &distans.AccountLink{}
	var purpose string
	err := sc.Scan(&l.OrganisationID, &l.ID, &l.PersonID, &purpose, &l.TokenHash, &l.CreatedBy,
		tm(&l.CreatedAt), tm(&l.ExpiresAt), nulltm(&l.UsedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errLinkNotFound()
	}
	l.Purpose = distans.LinkPurpose(purpose)
	return l, err
}

// mayLink decides whether the actor in ctx may make a link for p: the
// system (of p's organisation, or of none, as when an organisation is
// created), or a person of p's organisation who SetsPasswordOf p. Someone
// who may not see p does not learn that p exists.
func mayLink(ctx context.Context, p *distans.Person) error {
	a := distans.ActorFrom(ctx)
	switch {
	case a == nil:
		return errUnauthorized()
	case a.System && (a.OrganisationID == "" || a.OrganisationID == p.OrganisationID):
		return nil
	case a.System || a.OrganisationID != p.OrganisationID || !canSee(a, p):
		return errPersonNotFound()
	case !a.SetsPasswordOf(p.ID, p.UnitPath):
		return distans.Forbidden()
	}
	return nil
}

// CreateAccountLink stores l and ends the person's earlier unused links of
// its purpose.
func (s *Store) CreateAccountLink(ctx context.Context, l *distans.AccountLink) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return s.createLink(ctx, tx, l)
	})
}

func (s *Store) createLink(ctx context.Context, tx *sql.Tx, l *distans.AccountLink) error {
	if l.Purpose != distans.LinkInvitation && l.Purpose != distans.LinkReset {
		var v distans.Validation
		v.Add("purpose", "Okänt syfte med länken.", "Unknown purpose of the link.")
		return v.Err()
	}
	if l.TokenHash == "" || !l.ExpiresAt.After(now(ctx)) {
		return errors.New("sqlstore: an account link needs a token hash and an expiry ahead")
	}
	p, err := findPersonRow(ctx, tx, l.OrganisationID, l.PersonID)
	if err != nil {
		return errPersonNotFound()
	}
	if err := mayLink(ctx, p); err != nil {
		return err
	}
	l.ID, l.CreatedAt, l.UsedAt = newID(), now(ctx), nil
	// An earlier link still in someone's mailbox or hands stops working:
	// only the newest may set the password. Ended links are marked as used
	// at the moment the new one was made, which the audit event explains.
	res, err := tx.ExecContext(ctx, `UPDATE account_links SET used_at = $1
		WHERE organisation_id = $2 AND person_id = $3 AND purpose = $4 AND used_at IS NULL AND expires_at > $1`,
		ts(l.CreatedAt), l.OrganisationID, l.PersonID, string(l.Purpose))
	if err != nil {
		return err
	}
	ended, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO account_links (`+linkCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)`,
		l.OrganisationID, l.ID, l.PersonID, string(l.Purpose), l.TokenHash, l.CreatedBy, ts(l.CreatedAt), ts(l.ExpiresAt)); err != nil {
		return conflict(err, "Länken finns redan.", "The link already exists.")
	}
	what := "an invitation"
	if l.Purpose == distans.LinkReset {
		what = "a password reset link"
	}
	summary := "made " + what + " for " + p.Name + ", valid until " + ts(l.ExpiresAt)
	if ended > 0 {
		summary += "; ended " + strconv.FormatInt(ended, 10) + " earlier unused one(s)"
	}
	return s.audit(ctx, tx, auditActor(ctx, l.OrganisationID), l.OrganisationID, "link.create", "person", l.PersonID, summary)
}

// RequestPasswordReset records the request and makes the link unless the
// person already got max reset links since since.
func (s *Store) RequestPasswordReset(ctx context.Context, l *distans.AccountLink, max int, since time.Time) (bool, error) {
	made := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		made = false
		if _, err := findPersonRow(ctx, tx, l.OrganisationID, l.PersonID); err != nil {
			return errPersonNotFound()
		}
		// The person asked; the event is theirs, though nobody is signed in.
		a := distans.SystemActor(l.OrganisationID)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM account_links
			WHERE organisation_id = $1 AND person_id = $2 AND purpose = $3 AND created_at > $4`,
			l.OrganisationID, l.PersonID, string(distans.LinkReset), ts(since)).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return s.audit(ctx, tx, a, l.OrganisationID, "password.reset_request", "person", l.PersonID,
				"asked for a password reset by e-mail; none sent: "+strconv.Itoa(n)+" links were already sent within the hour")
		}
		if err := s.audit(ctx, tx, a, l.OrganisationID, "password.reset_request", "person", l.PersonID,
			"asked for a password reset by e-mail"); err != nil {
			return err
		}
		l.Purpose = distans.LinkReset
		if err := s.createLink(distans.NewContext(ctx, a), tx, l); err != nil {
			return err
		}
		made = true
		return nil
	})
	return made, err
}

// FindAccountLink returns the usable link with that hash.
func (s *Store) FindAccountLink(ctx context.Context, orgID, tokenHash string, at time.Time) (*distans.AccountLink, error) {
	return scanLink(s.rdb.QueryRowContext(ctx, `SELECT `+linkCols+` FROM account_links
		WHERE organisation_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > $3`, orgID, tokenHash, ts(at)))
}

// UseAccountLink uses the link up and sets the password in one
// transaction. The UPDATE that marks the link used is the single-use
// check: of two requests with the same link, the second changes no row.
func (s *Store) UseAccountLink(ctx context.Context, orgID, tokenHash string, at time.Time, passwordHash string) (*distans.AccountLink, error) {
	var l *distans.AccountLink
	err := s.writeAccess(ctx, func(tx *sql.Tx) error {
		var err error
		l, err = scanLink(tx.QueryRowContext(ctx, `UPDATE account_links SET used_at = $1
			WHERE organisation_id = $2 AND token_hash = $3 AND used_at IS NULL AND expires_at > $1
			RETURNING `+linkCols, ts(at), orgID, tokenHash))
		if err != nil {
			return err
		}
		if err := setPasswordHash(ctx, tx, orgID, l.PersonID, passwordHash); err != nil {
			return err
		}
		p, err := findPersonRow(ctx, tx, orgID, l.PersonID)
		if err != nil {
			return err
		}
		a := &distans.Actor{OrganisationID: orgID, PersonID: p.ID, Name: p.Name}
		return s.audit(ctx, tx, a, orgID, "link.use", "person", l.PersonID,
			"set the password with a "+string(l.Purpose)+" link; ended every session and cleared any lock")
	})
	return l, err
}

// linkKeep is how long a link is kept after it expired: the hourly reset
// limit counts links made in the last hour, and a day covers that with
// room; what happened to each link stays in the audit trail.
const linkKeep = 24 * time.Hour

// DeleteExpiredAccountLinks removes links that expired more than a day
// before now, used or not; housekeeping across organisations, like the
// session sweep, and not audited.
func (s *Store) DeleteExpiredAccountLinks(ctx context.Context, at time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM account_links WHERE expires_at < $1`, ts(at.Add(-linkKeep)))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
