package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/distans/distans"
)

var _ distans.OperatorStore = (*Store)(nil)

// The installation's administration: its operators, their sessions and
// links (tables of no organisation, migration 00014), and the
// organisations' lives. The sign-in methods act as the system, as the
// AccountStore's do; the rest need Actor.RunsInstallation.

func errOperatorNotFound() error {
	return distans.NotFound("Driftadministratören finns inte.", "The operator does not exist.")
}

func errOperatorLinkNotFound() error {
	return distans.NotFound("Länken är okänd, redan använd eller för gammal. Be om en ny.",
		"The link is unknown, already used or too old. Ask for a new one.")
}

// installationActor returns the actor in ctx when it runs the
// installation; EFORBIDDEN otherwise.
func installationActor(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil {
		return nil, errUnauthorized()
	}
	if !a.RunsInstallation() {
		return nil, distans.Forbidden()
	}
	return a, nil
}

const operatorCols = `id, email, name, password_hash, failed_count, locked_until, created_at, updated_at`

func scanOperator(sc interface{ Scan(...any) error }) (*distans.Operator, error) {
	o := &distans.Operator{}
	err := sc.Scan(&o.ID, &o.Email, &o.Name, &o.PasswordHash, &o.FailedCount, nulltm(&o.LockedUntil),
		tm(&o.CreatedAt), tm(&o.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOperatorNotFound()
	}
	return o, err
}

// CreateOperator needs Actor.RunsInstallation. It fills the ID and times;
// the password is set later from a link.
func (s *Store) CreateOperator(ctx context.Context, o *distans.Operator) error {
	if _, err := installationActor(ctx); err != nil {
		return err
	}
	o.Email = distans.NormalizeEmail(o.Email)
	if err := o.Validate(); err != nil {
		return err
	}
	o.ID, o.PasswordHash, o.FailedCount, o.LockedUntil = newID(), "", 0, nil
	o.CreatedAt = now(ctx)
	o.UpdatedAt = o.CreatedAt
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO operators (`+operatorCols+`) VALUES ($1, $2, $3, '', 0, NULL, $4, $5)`,
			o.ID, o.Email, o.Name, ts(o.CreatedAt), ts(o.UpdatedAt))
		return conflict(err, "Det finns redan en driftadministratör med den e-postadressen.",
			"There is already an operator with that e-mail address.")
	})
}

// FindOperator returns the operator with the ID.
func (s *Store) FindOperator(ctx context.Context, id string) (*distans.Operator, error) {
	return scanOperator(s.rdb.QueryRowContext(ctx, `SELECT `+operatorCols+` FROM operators WHERE id = $1`, id))
}

// FindOperatorByEmail returns the operator with the address.
func (s *Store) FindOperatorByEmail(ctx context.Context, email string) (*distans.Operator, error) {
	return scanOperator(s.rdb.QueryRowContext(ctx, `SELECT `+operatorCols+` FROM operators WHERE email = $1`,
		distans.NormalizeEmail(email)))
}

// RecordOperatorFailure counts a failed sign-in and locks the operator
// until lockUntil at max failures; a lock over by now starts afresh.
func (s *Store) RecordOperatorFailure(ctx context.Context, id string, max int, now, lockUntil time.Time) (bool, error) {
	locked := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `UPDATE operators SET
				failed_count = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 THEN 1 ELSE failed_count + 1 END,
				locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 THEN NULL ELSE locked_until END
			WHERE id = $1 RETURNING failed_count`, id, ts(now)).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return errOperatorNotFound()
		} else if err != nil || n < max {
			return err
		}
		locked = true
		_, err = tx.ExecContext(ctx, `UPDATE operators SET locked_until = $1 WHERE id = $2`, ts(lockUntil), id)
		return err
	})
	return locked, err
}

// RecordOperatorSuccess clears the failure count and a lock that is over.
func (s *Store) RecordOperatorSuccess(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE operators SET failed_count = 0, locked_until = NULL WHERE id = $1`, id)
		return affected(res, err, errOperatorNotFound)
	})
}

// CreateOperatorSession stores a new session.
func (s *Store) CreateOperatorSession(ctx context.Context, x *distans.OperatorSession) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO operator_sessions (token_hash, operator_id, csrf_token, created_at, expires_at, last_seen_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, x.TokenHash, x.OperatorID, x.CSRFToken,
			ts(x.CreatedAt), ts(x.ExpiresAt), ts(x.LastSeenAt))
		return conflict(err, "Sessionen finns redan.", "The session already exists.")
	})
}

// FindOperatorSession returns the session, expired or not, and its operator.
func (s *Store) FindOperatorSession(ctx context.Context, tokenHash string) (*distans.OperatorSession, *distans.Operator, error) {
	x := &distans.OperatorSession{}
	o := &distans.Operator{}
	err := s.rdb.QueryRowContext(ctx, `SELECT x.token_hash, x.operator_id, x.csrf_token, x.created_at, x.expires_at, x.last_seen_at,
		o.id, o.email, o.name, o.password_hash, o.failed_count, o.locked_until, o.created_at, o.updated_at
		FROM operator_sessions x JOIN operators o ON o.id = x.operator_id WHERE x.token_hash = $1`, tokenHash).
		Scan(&x.TokenHash, &x.OperatorID, &x.CSRFToken, tm(&x.CreatedAt), tm(&x.ExpiresAt), tm(&x.LastSeenAt),
			&o.ID, &o.Email, &o.Name, &o.PasswordHash, &o.FailedCount, nulltm(&o.LockedUntil), tm(&o.CreatedAt), tm(&o.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errSessionNotFound()
	} else if err != nil {
		return nil, nil, err
	}
	return x, o, nil
}

// TouchOperatorSession records activity and slides the expiry.
func (s *Store) TouchOperatorSession(ctx context.Context, tokenHash string, seen, expires time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE operator_sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3`,
			ts(seen), ts(expires), tokenHash)
		return affected(res, err, errSessionNotFound)
	})
}

// DeleteOperatorSession ends a session.
func (s *Store) DeleteOperatorSession(ctx context.Context, tokenHash string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM operator_sessions WHERE token_hash = $1`, tokenHash)
		return affected(res, err, errSessionNotFound)
	})
}

// CreateOperatorLink stores a link and uses up the operator's earlier
// unused ones, so that only the newest link works.
func (s *Store) CreateOperatorLink(ctx context.Context, l *distans.OperatorLink) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE operator_links SET used_at = $1 WHERE operator_id = $2 AND used_at IS NULL`,
			ts(l.CreatedAt), l.OperatorID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO operator_links (token_hash, operator_id, created_at, expires_at, used_at)
			VALUES ($1, $2, $3, $4, NULL)`, l.TokenHash, l.OperatorID, ts(l.CreatedAt), ts(l.ExpiresAt))
		return err
	})
}

// FindOperatorLink returns the operator of a link that still works at now.
func (s *Store) FindOperatorLink(ctx context.Context, tokenHash string, now time.Time) (*distans.Operator, error) {
	o, err := scanOperator(s.rdb.QueryRowContext(ctx, `SELECT `+operatorCols+` FROM operators WHERE id =
		(SELECT operator_id FROM operator_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)`,
		tokenHash, ts(now)))
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, errOperatorLinkNotFound()
	}
	return o, err
}

// SetOperatorPasswordWithLink uses the link up and sets the password in
// one transaction: of two requests with one link, one sets it.
func (s *Store) SetOperatorPasswordWithLink(ctx context.Context, tokenHash, passwordHash string, at time.Time) (*distans.Operator, error) {
	var o *distans.Operator
	err := s.write(ctx, func(tx *sql.Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, `UPDATE operator_links SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING operator_id`, ts(at), tokenHash).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errOperatorLinkNotFound()
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE operators SET password_hash = $1, failed_count = 0, locked_until = NULL,
			updated_at = $2 WHERE id = $3`, passwordHash, ts(now(ctx)), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM operator_sessions WHERE operator_id = $1`, id); err != nil {
			return err
		}
		o, err = scanOperator(tx.QueryRowContext(ctx, `SELECT `+operatorCols+` FROM operators WHERE id = $1`, id))
		return err
	})
	return o, err
}

// OrganisationStats lists every organisation with counts that name nobody.
// Each figure is one indexed count in the organisation; "today" is the
// organisation's own.
func (s *Store) OrganisationStats(ctx context.Context) ([]*distans.OrganisationStats, error) {
	if _, err := installationActor(ctx); err != nil {
		return nil, err
	}
	orgs, err := s.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*distans.OrganisationStats, 0, len(orgs))
	for _, o := range orgs {
		today, err := s.today(ctx, s.rdb, o.ID)
		if err != nil {
			return nil, err
		}
		st := &distans.OrganisationStats{Organisation: o}
		if err := s.rdb.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM people WHERE organisation_id = $1),
			(SELECT COUNT(*) FROM units WHERE organisation_id = $1 AND (ended_on IS NULL OR ended_on >= $2)),
			(SELECT COUNT(*) FROM employments WHERE organisation_id = $1 AND starts_on <= $2 AND (ends_on IS NULL OR ends_on >= $2)),
			(SELECT COUNT(*) FROM agreements WHERE organisation_id = $1 AND state = 'active'),
			(SELECT COALESCE(MAX(version), 0) FROM policy_versions WHERE organisation_id = $1),
			(SELECT MAX(at) FROM audit_events WHERE organisation_id = $1),
			(SELECT COUNT(*) FROM notifications WHERE organisation_id = $1 AND emailed_at IS NULL AND email_attempts > 0)`,
			o.ID, day(today)).Scan(&st.People, &st.Units, &st.CurrentEmployments, &st.ActiveAgreements,
			&st.PolicyVersion, nulltm(&st.LastActivityAt), &st.FailedNotifications); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// operatorAuditName is how an installation administrator appears in an
// organisation's audit trail: by role and name, as no person of it.
func operatorAuditActor(a *distans.Actor) *distans.Actor {
	if a.System {
		return distans.SystemActor(a.OrganisationID)
	}
	return &distans.Actor{Name: "driftadministratör " + a.Name}
}

// CreateOrganisationWithAdmin needs Actor.RunsInstallation. The whole of it
// is one transaction: nothing is left of a creation that fails.
func (s *Store) CreateOrganisationWithAdmin(ctx context.Context, o *distans.Organisation, admin *distans.Person, pack *distans.PolicyVersion) error {
	a, err := installationActor(ctx)
	if err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	admin.Email = distans.NormalizeEmail(admin.Email)
	if admin.Language == "" {
		admin.Language = o.Language
	}
	if err := admin.Validate(); err != nil {
		return err
	}
	if pack == nil || pack.Source == "" {
		return invalid("pack", "Organisationen behöver ett regelpaket.", "The organisation needs a policy pack.")
	}
	actor := operatorAuditActor(a)
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		if err := s.insertOrg(ctx, tx, actor, o); err != nil {
			return err
		}
		at := o.CreatedAt
		today := o.Today(at)
		unitID := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO units (`+unitCols+`) VALUES ($1, $2, NULL, '', $3, $4, NULL, $5, NULL, $6, $6)`,
			o.ID, unitID, o.Name, string(distans.UnitAdministration), "/"+unitID+"/", ts(at)); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, o.ID, "unit.create", "unit", unitID, "created unit "+o.Name); err != nil {
			return err
		}
		admin.ID, admin.OrganisationID = newID(), o.ID
		admin.UnitID, admin.UnitPath, admin.Title, admin.SiteID = "", "", "", ""
		admin.PersonalNumber, admin.PersonalNumberMasked = "", ""
		admin.CreatedAt, admin.UpdatedAt = at, at
		if _, err := tx.ExecContext(ctx, `INSERT INTO people (organisation_id, id, name, email, phone, employee_number,
			personal_number, language, search, name_key, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8, $9, $10, $10)`,
			admin.OrganisationID, admin.ID, admin.Name, admin.Email, admin.Phone, admin.EmployeeNumber, admin.Language,
			searchText(admin), nameKey(admin.Name), ts(at)); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, o.ID, "person.create", "person", admin.ID, "created person "+admin.Name); err != nil {
			return err
		}
		title := distans.RoleAdmin.Label(o.Language)
		empID := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO employments (`+employmentCols+`) VALUES ($1, $2, $3, $4, $5, NULL, $6, NULL, $7, $7)`,
			o.ID, empID, admin.ID, unitID, title, day(today), ts(at)); err != nil {
			return err
		}
		if err := s.refreshPlacement(ctx, tx, o.ID, admin.ID, today); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, o.ID, "employment.create", "employment", empID,
			"added employment as "+title+" for "+admin.Name+" from "+day(today)); err != nil {
			return err
		}
		if err := s.insertRole(ctx, tx, actor, &distans.RoleAssignment{OrganisationID: o.ID, PersonID: admin.ID, Role: distans.RoleAdmin}); err != nil {
			return err
		}
		pack.OrganisationID, pack.Version = o.ID, 1
		pack.CreatedBy, pack.CreatedByName, pack.CreatedAt = "", actor.Name, at
		if _, err := tx.ExecContext(ctx, `INSERT INTO policy_versions (`+policyCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			pack.OrganisationID, pack.Version, pack.Source, pack.Reason, pack.CreatedBy, pack.CreatedByName, ts(at)); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, o.ID, "policy.save", "policy_version", "1", "saved version 1 of the policy pack: "+pack.Reason)
	})
}

// orgForInstallation reads the organisation locked for a change by the
// installation's administrator.
func (s *Store) orgForInstallation(ctx context.Context, tx *sql.Tx, id string) (*distans.Organisation, error) {
	return scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`+s.dialect.forUpdate, id))
}

// RenameOrganisation needs Actor.RunsInstallation. An ended organisation
// is final and keeps its name.
func (s *Store) RenameOrganisation(ctx context.Context, id, name, slug string) (*distans.Organisation, error) {
	a, err := installationActor(ctx)
	if err != nil {
		return nil, err
	}
	var o *distans.Organisation
	err = s.writeAccess(ctx, func(tx *sql.Tx) error {
		var err error
		if o, err = s.orgForInstallation(ctx, tx, id); err != nil {
			return err
		}
		if o.Status == distans.OrgEnded {
			return errOrgEnded()
		}
		old := o.Slug + " (" + o.Name + ")"
		o.Name, o.Slug = name, slug
		if err := o.Validate(); err != nil {
			return err
		}
		o.UpdatedAt = touched(ctx, o.UpdatedAt)
		if _, err := tx.ExecContext(ctx, `UPDATE organisations SET slug = $1, name = $2, updated_at = $3 WHERE id = $4`,
			o.Slug, o.Name, ts(o.UpdatedAt), o.ID); err != nil {
			return conflict(err, "Kortnamnet används redan av en annan organisation.", "The slug is already used by another organisation.")
		}
		return s.audit(ctx, tx, operatorAuditActor(a), o.ID, "organisation.rename", "organisation", o.ID,
			"renamed organisation "+old+" to "+o.Slug+" ("+o.Name+")")
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func errOrgEnded() error {
	return distans.Errorf(distans.ECONFLICT, "Organisationen är avslutad och kan inte ändras.",
		"The organisation has ended and cannot be changed.")
}

// SetOrganisationStatus needs Actor.RunsInstallation. Leaving the active
// status ends every session in the organisation at once, on every
// instance; API tokens are kept but stand for nobody (FindCredential
// finds no account) until the organisation is resumed.
func (s *Store) SetOrganisationStatus(ctx context.Context, id string, to distans.OrgStatus) (*distans.Organisation, error) {
	a, err := installationActor(ctx)
	if err != nil {
		return nil, err
	}
	var o *distans.Organisation
	err = s.writeAccess(ctx, func(tx *sql.Tx) error {
		var err error
		if o, err = s.orgForInstallation(ctx, tx, id); err != nil {
			return err
		}
		from := o.Status
		if from == distans.OrgEnded {
			return errOrgEnded()
		}
		if !from.CanBecome(to) {
			return invalid("status",
				"Organisationen kan inte gå från "+from.Label("sv")+" till "+to.Label("sv")+".",
				"The organisation cannot go from "+from.Label("en")+" to "+to.Label("en")+".")
		}
		at := now(ctx)
		o.Status, o.StatusChangedAt = to, &at
		o.UpdatedAt = touched(ctx, o.UpdatedAt)
		if _, err := tx.ExecContext(ctx, `UPDATE organisations SET status = $1, status_changed_at = $2, updated_at = $3 WHERE id = $4`,
			string(to), ts(at), ts(o.UpdatedAt), o.ID); err != nil {
			return err
		}
		ended := 0
		if !to.AdmitsSignIn() {
			n, err := deleteSecrets(ctx, tx, "sessions", `organisation_id = $1`, o.ID)
			if err != nil {
				return err
			}
			ended = n
		}
		return s.audit(ctx, tx, operatorAuditActor(a), o.ID, "organisation."+statusAction(to), "organisation", o.ID,
			"changed the organisation's status from "+string(from)+" to "+string(to)+"; ended "+strconv.Itoa(ended)+" sessions")
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// statusAction names the audit action of a move to status to.
func statusAction(to distans.OrgStatus) string {
	switch to {
	case distans.OrgActive:
		return "resume"
	case distans.OrgSuspended:
		return "suspend"
	default:
		return "end"
	}
}
