package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/distans/distans"
)

func errEmploymentNotFound() error {
	return distans.NotFound("Anställningen finns inte.", "The employment does not exist.")
}

func errLeaveNotFound() error {
	return distans.NotFound("Ledigheten finns inte.", "The leave does not exist.")
}

// overlaps reports whether two periods share a day; a nil end is open.
func overlaps(s1 time.Time, e1 *time.Time, s2 time.Time, e2 *time.Time) bool {
	return (e2 == nil || !s1.After(*e2)) && (e1 == nil || !s2.After(*e1))
}

// period is a start and an optional end, what the overlap check needs.
type period struct {
	id     string
	starts time.Time
	ends   *time.Time
}

// checkNoOverlap refuses a period that shares a day with another of the
// person's periods in table (employments or leaves), other than itself.
func checkNoOverlap(ctx context.Context, tx *sql.Tx, table, orgID, personID string, p period, sv, en string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, starts_on, ends_on FROM `+table+`
		WHERE organisation_id = $1 AND person_id = $2`, orgID, personID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var o period
		if err := rows.Scan(&o.id, dt(&o.starts), nulldt(&o.ends)); err != nil {
			return err
		}
		if o.id != p.id && overlaps(p.starts, p.ends, o.starts, o.ends) {
			return invalid("starts_on", sv, en)
		}
	}
	return rows.Err()
}

const employmentCols = `organisation_id, id, person_id, unit_id, title, site_id, starts_on, ends_on, created_at, updated_at`

// employmentColsAs is employmentCols of the table aliased as t.
func employmentColsAs(t string) string {
	return t + "." + strings.ReplaceAll(employmentCols, ", ", ", "+t+".")
}

// scanEmployment reads the columns of employmentCols, then extra.
func scanEmployment(sc interface{ Scan(...any) error }, extra ...any) (*distans.Employment, error) {
	e := &distans.Employment{}
	err := sc.Scan(append([]any{&e.OrganisationID, &e.ID, &e.PersonID, &e.UnitID, &e.Title, str(&e.SiteID), dt(&e.StartsOn),
		nulldt(&e.EndsOn), tm(&e.CreatedAt), tm(&e.UpdatedAt)}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errEmploymentNotFound()
	}
	return e, err
}

func findEmployment(ctx context.Context, q querier, orgID, id string) (*distans.Employment, error) {
	return scanEmployment(q.QueryRowContext(ctx, `SELECT `+employmentCols+` FROM employments WHERE organisation_id = $1 AND id = $2`, orgID, id))
}

// FindEmployment returns one employment to whoever may see its person.
func (s *Store) FindEmployment(ctx context.Context, id string) (*distans.Employment, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var e *distans.Employment
	err = s.read(ctx, func(tx *sql.Tx) error {
		if e, err = findEmployment(ctx, tx, a.OrganisationID, id); err != nil {
			return err
		}
		p, err := findPersonRow(ctx, tx, a.OrganisationID, e.PersonID)
		if err != nil {
			return err
		}
		if !canSee(a, p) {
			return errEmploymentNotFound()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// ListEmployments returns the person's employments, earliest first, to
// whoever may see the person.
func (s *Store) ListEmployments(ctx context.Context, personID string) ([]*distans.Employment, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out []*distans.Employment
	err = s.read(ctx, func(tx *sql.Tx) error {
		p, err := findPersonRow(ctx, tx, a.OrganisationID, personID)
		if err != nil {
			return err
		}
		if !canSee(a, p) {
			return errPersonNotFound()
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+employmentCols+` FROM employments
			WHERE organisation_id = $1 AND person_id = $2 ORDER BY starts_on, id`, a.OrganisationID, personID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEmployment(rows)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// checkEmployment checks that the employment's unit and site are in the
// organisation, that the actor manages people in the unit, and that the
// period does not overlap another of the person's employments.
func checkEmployment(ctx context.Context, tx *sql.Tx, a *distans.Actor, e *distans.Employment) error {
	u, err := findUnit(ctx, tx, e.OrganisationID, e.UnitID)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return invalid("unit_id", "Enheten finns inte i organisationen.", "The unit is not in the organisation.")
	} else if err != nil {
		return err
	}
	if !a.Scope(distans.PermManagePeople).Contains(u.Path) {
		return distans.Forbidden()
	}
	if e.SiteID != "" {
		if _, err := findSite(ctx, tx, e.OrganisationID, e.SiteID); distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("site_id", "Arbetsplatsen finns inte i organisationen.", "The site is not in the organisation.")
		} else if err != nil {
			return err
		}
	}
	return checkNoOverlap(ctx, tx, "employments", e.OrganisationID, e.PersonID, period{e.ID, e.StartsOn, e.EndsOn},
		"Anställningen överlappar en annan anställning för samma person.", "The employment overlaps another employment of the same person.")
}

// CreateEmployment needs PermManagePeople in the person's unit (if any)
// and in the employment's unit.
func (s *Store) CreateEmployment(ctx context.Context, e *distans.Employment) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.ManagesPeopleSomewhere() {
		return distans.Forbidden()
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		p, err := s.personFor(ctx, tx, a, e.PersonID, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		e.ID, e.OrganisationID = newID(), p.OrganisationID
		e.CreatedAt = now(ctx)
		e.UpdatedAt = e.CreatedAt
		if err := checkEmployment(ctx, tx, a, e); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO employments (`+employmentCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			e.OrganisationID, e.ID, e.PersonID, e.UnitID, e.Title, nullStr(e.SiteID), day(e.StartsOn), nullDay(e.EndsOn),
			ts(e.CreatedAt), ts(e.UpdatedAt)); err != nil {
			return err
		}
		if err := s.afterPeriodChange(ctx, tx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, e.OrganisationID, "employment.create", "employment", e.ID,
			"added employment as "+e.Title+" for "+p.Name+" from "+day(e.StartsOn))
	})
}

// afterPeriodChange recomputes the person's current unit and title.
func (s *Store) afterPeriodChange(ctx context.Context, tx *sql.Tx, p *distans.Person) error {
	today, err := s.today(ctx, tx, p.OrganisationID)
	if err != nil {
		return err
	}
	return s.refreshPlacement(ctx, tx, p.OrganisationID, p.ID, today)
}

// employmentFor loads an employment and its person for a change. The
// person's row is locked first, as every change of their periods does, and
// the employment read again under that lock, so that the change starts from
// the employment as the last change left it.
func (s *Store) employmentFor(ctx context.Context, tx *sql.Tx, a *distans.Actor, id string) (*distans.Employment, *distans.Person, error) {
	e, err := findEmployment(ctx, tx, a.OrganisationID, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.personFor(ctx, tx, a, e.PersonID, s.dialect.forUpdate)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, nil, errEmploymentNotFound()
	} else if err != nil {
		return nil, nil, err
	}
	if e, err = findEmployment(ctx, tx, a.OrganisationID, id); err != nil {
		return nil, nil, err
	}
	return e, p, nil
}

// UpdateEmployment changes unit, title, site and period; the person stays.
func (s *Store) UpdateEmployment(ctx context.Context, id string, upd distans.EmploymentUpdate) (*distans.Employment, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.Employment
	err = s.writeAccess(ctx, func(tx *sql.Tx) error {
		e, p, err := s.employmentFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := unchanged(upd.UpdatedAt, e.UpdatedAt); err != nil {
			return err
		}
		if upd.Invalid != nil {
			return upd.Invalid
		}
		upd.Apply(e)
		if err := e.Validate(); err != nil {
			return err
		}
		e.UpdatedAt = touched(ctx, e.UpdatedAt)
		if err := checkEmployment(ctx, tx, a, e); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE employments SET unit_id = $1, title = $2, site_id = $3, starts_on = $4,
			ends_on = $5, updated_at = $6 WHERE organisation_id = $7 AND id = $8`,
			e.UnitID, e.Title, nullStr(e.SiteID), day(e.StartsOn), nullDay(e.EndsOn), ts(e.UpdatedAt), e.OrganisationID, e.ID); err != nil {
			return err
		}
		if err := s.afterPeriodChange(ctx, tx, p); err != nil {
			return err
		}
		out = e
		return s.audit(ctx, tx, a, e.OrganisationID, "employment.update", "employment", e.ID,
			"updated employment as "+e.Title+" for "+p.Name)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EndEmployment sets the employment's last day, not before its first.
func (s *Store) EndEmployment(ctx context.Context, id string, on time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		e, p, err := s.employmentFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if day(on) < day(e.StartsOn) {
			return invalid("ends_on", "Slutdatum kan inte vara före startdatum.", "The end date cannot be before the start date.")
		}
		if err := checkNoOverlap(ctx, tx, "employments", e.OrganisationID, e.PersonID, period{e.ID, e.StartsOn, &on},
			"Anställningen överlappar en annan anställning för samma person.", "The employment overlaps another employment of the same person."); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE employments SET ends_on = $1, updated_at = $2 WHERE organisation_id = $3 AND id = $4`,
			day(on), ts(now(ctx)), e.OrganisationID, e.ID); err != nil {
			return err
		}
		if err := s.afterPeriodChange(ctx, tx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, e.OrganisationID, "employment.end", "employment", e.ID,
			"ended employment as "+e.Title+" for "+p.Name+" on "+day(on))
	})
}

const leaveCols = `organisation_id, id, person_id, kind, starts_on, ends_on, created_at`

func scanLeave(sc interface{ Scan(...any) error }) (*distans.Leave, error) {
	l := &distans.Leave{}
	err := sc.Scan(&l.OrganisationID, &l.ID, &l.PersonID, &l.Kind, dt(&l.StartsOn), nulldt(&l.EndsOn), tm(&l.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errLeaveNotFound()
	}
	return l, err
}

// canSeeLeave is Actor.SeesLeaveOf for a person.
func canSeeLeave(a *distans.Actor, p *distans.Person) bool { return a.SeesLeaveOf(p.ID, p.UnitPath) }

// ListLeaves returns the person's leave, earliest first (see canSeeLeave).
func (s *Store) ListLeaves(ctx context.Context, personID string) ([]*distans.Leave, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out []*distans.Leave
	err = s.read(ctx, func(tx *sql.Tx) error {
		p, err := findPersonRow(ctx, tx, a.OrganisationID, personID)
		if err != nil {
			return err
		}
		if !canSee(a, p) {
			return errPersonNotFound()
		}
		if !canSeeLeave(a, p) {
			return distans.Forbidden()
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+leaveCols+` FROM leaves
			WHERE organisation_id = $1 AND person_id = $2 ORDER BY starts_on, id`, a.OrganisationID, personID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l, err := scanLeave(rows)
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	return out, err
}

const leaveOverlapSv, leaveOverlapEn = "Ledigheten överlappar en annan ledighet för samma person.", "The leave overlaps another leave of the same person."

// CreateLeave needs PermManagePeople in the person's unit.
func (s *Store) CreateLeave(ctx context.Context, l *distans.Leave) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := s.personFor(ctx, tx, a, l.PersonID, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		l.ID, l.OrganisationID, l.CreatedAt = newID(), p.OrganisationID, now(ctx)
		if err := checkNoOverlap(ctx, tx, "leaves", l.OrganisationID, l.PersonID, period{l.ID, l.StartsOn, l.EndsOn}, leaveOverlapSv, leaveOverlapEn); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO leaves (`+leaveCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			l.OrganisationID, l.ID, l.PersonID, l.Kind, day(l.StartsOn), nullDay(l.EndsOn), ts(l.CreatedAt)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, l.OrganisationID, "leave.create", "leave", l.ID, "added leave for "+p.Name+" from "+day(l.StartsOn))
	})
}

// EndLeave sets the leave's last day, not before its first.
func (s *Store) EndLeave(ctx context.Context, id string, on time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		l, err := scanLeave(tx.QueryRowContext(ctx, `SELECT `+leaveCols+` FROM leaves WHERE organisation_id = $1 AND id = $2`, a.OrganisationID, id))
		if err != nil {
			return err
		}
		p, err := s.personFor(ctx, tx, a, l.PersonID, s.dialect.forUpdate)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return errLeaveNotFound()
		} else if err != nil {
			return err
		}
		if day(on) < day(l.StartsOn) {
			return invalid("ends_on", "Slutdatum kan inte vara före startdatum.", "The end date cannot be before the start date.")
		}
		if err := checkNoOverlap(ctx, tx, "leaves", l.OrganisationID, l.PersonID, period{l.ID, l.StartsOn, &on}, leaveOverlapSv, leaveOverlapEn); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE leaves SET ends_on = $1 WHERE organisation_id = $2 AND id = $3`,
			day(on), l.OrganisationID, l.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, l.OrganisationID, "leave.end", "leave", l.ID, "ended leave for "+p.Name+" on "+day(on))
	})
}
