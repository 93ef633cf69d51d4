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

// mayInviteAll decides whether the actor in ctx may invite everyone of
// orgID who is pending: the system of orgID (or of none), or a person of
// orgID who SetsPasswordsOfAll. Another organisation is not found.
func mayInviteAll(ctx context.Context, orgID string) error {
	a := distans.ActorFrom(ctx)
	switch {
	case a == nil:
		return errUnauthorized()
	case a.System && (a.OrganisationID == "" || a.OrganisationID == orgID):
		return nil
	case a.System || a.OrganisationID != orgID:
		return errOrgNotFound()
	case !a.SetsPasswordsOfAll():
		return distans.Forbidden()
	}
	return nil
}

// pendingWhere is who still needs an invitation in the organisation $1 on
// the day $2 at the instant $3: employed then (employedOn, as for signing
// in), without a password, and without an invitation that is unused and
// unexpired. An invitation that expired, or was ended because its mail
// failed, leaves the person pending again. Only an active organisation has
// accounts (accountFrom). Both databases find the links through
// account_links_person.
var pendingWhere = ` FROM people p JOIN organisations o ON o.id = p.organisation_id AND ` + admitsSignIn + `
	WHERE p.organisation_id = $1 AND ` + employedOn("p", "$2") + `
	AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.organisation_id = p.organisation_id AND a.person_id = p.id
		AND (a.password_hash <> '' OR a.disabled_at IS NOT NULL))
	AND NOT EXISTS (SELECT 1 FROM account_links l WHERE l.organisation_id = p.organisation_id AND l.person_id = p.id
		AND l.purpose = 'invitation' AND l.used_at IS NULL AND l.expires_at > $3)`

// CountPendingInvitations counts whom CreatePendingInvitations would
// invite now.
func (s *Store) CountPendingInvitations(ctx context.Context, orgID string) (int, error) {
	if err := mayInviteAll(ctx, orgID); err != nil {
		return 0, err
	}
	today, err := s.today(ctx, s.rdb, orgID)
	if err != nil {
		return 0, err
	}
	// CreatePendingInvitations leaves the actor out (SetsPasswordOf: never
	// one's own); so does the count. The system has no person ID.
	self := ""
	if a := distans.ActorFrom(ctx); !a.System {
		self = a.PersonID
	}
	var n int
	err = s.rdb.QueryRowContext(ctx, `SELECT COUNT(*)`+pendingWhere+` AND p.id <> $4`,
		orgID, day(today), ts(now(ctx)), self).Scan(&n)
	return n, err
}

// linkInsertCols are the columns CreatePendingInvitations writes; used_at
// is left NULL.
var linkInsertCols = []string{"organisation_id", "id", "person_id", "purpose", "token_hash", "created_by", "created_at", "expires_at"}

// CreatePendingInvitations invites everyone pending in one transaction:
// one query finds them, multi-row inserts write the links, and the audit
// events go into the chain in batches (auditChain, as an import's do), so
// that 50,000 people take seconds. Each person passes the same rule as
// CreateAccountLink's (mayLink); nobody pending has an unused invitation
// to end.
func (s *Store) CreatePendingInvitations(ctx context.Context, orgID string, expiresAt time.Time, newHash func() (string, error)) ([]*distans.InvitedLink, error) {
	if err := mayInviteAll(ctx, orgID); err != nil {
		return nil, err
	}
	at := now(ctx)
	if !expiresAt.After(at) {
		return nil, errors.New("sqlstore: invitations need an expiry ahead")
	}
	a := auditActor(ctx, orgID)
	createdBy := ""
	if !a.System {
		createdBy = a.PersonID
	}
	var out []*distans.InvitedLink
	err := s.write(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		// The audit head is held first, before anyone pending is read: two
		// batches at the same moment queue here on PostgreSQL (SQLite has
		// one writer), and the second reads the first's links once they
		// are committed, inviting nobody twice.
		chain, err := s.openChain(ctx, tx, orgID)
		if err != nil {
			return err
		}
		today, err := s.today(ctx, tx, orgID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT p.id, p.name, p.email, p.unit_path`+pendingWhere+` ORDER BY p.name_key, p.id`,
			orgID, day(today), ts(at))
		if err != nil {
			return err
		}
		for rows.Next() {
			p := &distans.Person{OrganisationID: orgID}
			if err := rows.Scan(&p.ID, &p.Name, &p.Email, &p.UnitPath); err != nil {
				rows.Close()
				return err
			}
			if mayLink(ctx, p) != nil {
				continue // the actor themselves
			}
			out = append(out, &distans.InvitedLink{Name: p.Name, Email: p.Email, AccountLink: distans.AccountLink{
				OrganisationID: orgID, PersonID: p.ID, Purpose: distans.LinkInvitation, CreatedBy: createdBy,
				CreatedAt: at, ExpiresAt: expiresAt.UTC().Truncate(time.Microsecond)}})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		for _, l := range out {
			l.ID = newID()
			if l.TokenHash, err = newHash(); err != nil {
				return err
			}
		}
		if err := s.insertMany(ctx, tx, "account_links", linkInsertCols, len(out), func(i int, q []any) []any {
			l := out[i]
			return append(q, l.OrganisationID, l.ID, l.PersonID, string(l.Purpose), l.TokenHash, l.CreatedBy, ts(l.CreatedAt), ts(l.ExpiresAt))
		}, nil); err != nil {
			return conflict(err, "Länken finns redan.", "The link already exists.")
		}
		until := ts(out[0].ExpiresAt)
		for _, l := range out {
			if err := chain.add(ctx, newAuditEvent(at, a, orgID, "link.create", "person", l.PersonID,
				"made an invitation for "+l.Name+", valid until "+until+" (with everyone who still needed one)")); err != nil {
				return err
			}
		}
		if err := chain.add(ctx, newAuditEvent(at, a, orgID, "link.create_batch", "organisation", orgID,
			"invited everyone who still needed a password: "+strconv.Itoa(len(out))+" invitation(s), valid until "+until)); err != nil {
			return err
		}
		return chain.close(ctx)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EndAccountLink ends an unused link, as the system: its mail could not
// be sent, and a link nobody got would keep the person from the next
// batch until it expired.
func (s *Store) EndAccountLink(ctx context.Context, orgID, linkID, why string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		at := now(ctx)
		var personID string
		err := tx.QueryRowContext(ctx, `UPDATE account_links SET used_at = $1
			WHERE organisation_id = $2 AND id = $3 AND used_at IS NULL AND expires_at > $1 RETURNING person_id`,
			ts(at), orgID, linkID).Scan(&personID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		return s.audit(ctx, tx, distans.SystemActor(orgID), orgID, "link.end", "person", personID, "ended an unused link: "+why)
	})
}
