package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Phone hours and on-call phones (Sorsele 004 §3, §6).

func errPhoneHoursNotFound() error {
	return distans.NotFound("Det finns inga telefontider.", "There are no phone hours.")
}

func errOnCallNotFound() error {
	return distans.NotFound("Jourtelefonen finns inte.", "The on-call phone does not exist.")
}

func errDutyNotFound() error {
	return distans.NotFound("Jourpasset finns inte.", "The on-call duty does not exist.")
}

// weekdayNumber is 1 for "mon" to 7 for "sun", the stored form.
func weekdayNumber(name string) int { return slices.Index(distans.Weekdays, name) + 1 }

// unitFor returns a unit of the organisation the actor may keep: ENOTFOUND
// for an unknown unit, EFORBIDDEN when the actor may not keep it (the unit
// tree itself is public within the organisation).
func unitFor(ctx context.Context, q querier, a *distans.Actor, id string) (*distans.Unit, error) {
	u, err := findUnit(ctx, q, a.OrganisationID, id)
	if err != nil {
		return nil, err
	}
	if !a.KeepsUnit(u.Path) {
		return nil, distans.Forbidden()
	}
	return u, nil
}

// --- Phone hours ---

// FindPhoneHours returns the phone hours of a person or unit. Everyone
// signed in may read them: the switchboard tells callers when to ring.
func (s *Store) FindPhoneHours(ctx context.Context, ownerID string) (*distans.PhoneHours, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var h *distans.PhoneHours
	err = s.read(ctx, func(tx *sql.Tx) error {
		var err error
		h, err = findPhoneHours(ctx, tx, a.OrganisationID, ownerID)
		return err
	})
	return h, err
}

func findPhoneHours(ctx context.Context, q querier, orgID, ownerID string) (*distans.PhoneHours, error) {
	h := &distans.PhoneHours{OrganisationID: orgID}
	var kind string
	var d distans.PhoneHoursDecision
	var decidedAt *time.Time
	err := q.QueryRowContext(ctx, `SELECT owner_kind, pack_version, decided_by, decided_by_name, decided_role, decision_reason,
		decided_at, updated_by, updated_at FROM phone_hours WHERE organisation_id = $1 AND owner_id = $2`, orgID, ownerID).
		Scan(&kind, &h.PackVersion, &d.DecidedBy, &d.DecidedByName, &d.Role, &d.Reason, nulltm(&decidedAt), &h.UpdatedBy, tm(&h.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errPhoneHoursNotFound()
	} else if err != nil {
		return nil, err
	}
	if kind == "unit" {
		h.UnitID = ownerID
	} else {
		h.PersonID = ownerID
	}
	if decidedAt != nil {
		d.DecidedAt = *decidedAt
		h.Exception = &d
	}
	rows, err := q.QueryContext(ctx, `SELECT weekday, starts, ends FROM phone_sessions
		WHERE organisation_id = $1 AND owner_id = $2 ORDER BY weekday, starts`, orgID, ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var wd int
		var ps distans.PhoneSession
		if err := rows.Scan(&wd, &ps.Start, &ps.End); err != nil {
			return nil, err
		}
		if wd >= 1 && wd <= 7 {
			ps.Weekday = distans.Weekdays[wd-1]
		}
		h.Sessions = append(h.Sessions, ps)
	}
	return h, rows.Err()
}

// phoneOwner checks that the actor may keep the hours of the person or
// unit, and returns the owner's kind and name for the audit trail. The
// approver of exceptions may save hours with an exception wherever they
// hold the role (Actor.KeepsPhoneHoursIn), for the decision is theirs to
// record.
func phoneOwner(ctx context.Context, q querier, a *distans.Actor, personID, unitID string, exception bool) (kind, name string, err error) {
	if personID != "" {
		p, err := findPersonRow(ctx, q, a.OrganisationID, personID)
		if err != nil {
			return "", "", err
		}
		if a.KeepsPhoneHoursIn(p.UnitPath, exception) {
			return "person", p.Name, nil
		}
		if p, err = availabilityFor(ctx, q, a, personID); err != nil {
			return "", "", err
		}
		return "person", p.Name, nil
	}
	u, err := findUnit(ctx, q, a.OrganisationID, unitID)
	if err != nil {
		return "", "", err
	}
	if !a.KeepsUnitPhoneHours(u.Path, exception) {
		return "", "", distans.Forbidden()
	}
	return "unit", u.Name, nil
}

// SavePhoneHours replaces the phone hours of a person or unit. A new
// exception (h.Exception) is recorded only when the actor holds
// distans.PhoneHoursApprover: the store records the actor as the one who
// decided, and when. Without a new one, a decision recorded earlier for the
// same person or unit stands (Sorsele 004 §3: the exception is what lets
// them have phone hours at all) and h.Exception is set to it. The caller
// (the presence service) has checked the hours against the pack and set
// PackVersion.
func (s *Store) SavePhoneHours(ctx context.Context, h *distans.PhoneHours, at time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := h.Validate(); err != nil {
		return err
	}
	if h.Exception != nil && !a.DecidesPhoneHoursExceptions() {
		return distans.Errorf(distans.EFORBIDDEN,
			"Bara "+strings.ToLower(distans.PhoneHoursApprover.Label("sv"))+" kan besluta om undantag från reglerna för telefontider.",
			"Only "+strings.ToLower(distans.PhoneHoursApprover.Label("en"))+" can decide on an exception from the rules for phone hours.")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		kind, name, err := phoneOwner(ctx, tx, a, h.PersonID, h.UnitID, h.Exception != nil)
		if err != nil {
			return err
		}
		owner := h.OwnerID()
		h.OrganisationID, h.UpdatedBy, h.UpdatedAt = a.OrganisationID, a.PersonID, now(ctx)
		var d distans.PhoneHoursDecision
		var decidedAt *time.Time
		if h.Exception != nil {
			h.Exception.DecidedBy, h.Exception.DecidedByName = a.PersonID, a.Name
			h.Exception.Role, h.Exception.DecidedAt = distans.PhoneHoursApprover, h.UpdatedAt
			h.Exception.Reason = strings.TrimSpace(h.Exception.Reason)
			d, decidedAt = *h.Exception, &h.UpdatedAt
		}
		decision := `decided_by = excluded.decided_by, decided_by_name = excluded.decided_by_name,
			decided_role = excluded.decided_role, decision_reason = excluded.decision_reason, decided_at = excluded.decided_at, `
		if h.Exception == nil {
			decision = "" // the decision on record, if any, stands
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO phone_hours (organisation_id, owner_id, owner_kind, pack_version,
			decided_by, decided_by_name, decided_role, decision_reason, decided_at, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (organisation_id, owner_id) DO UPDATE SET pack_version = excluded.pack_version, `+decision+`
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			h.OrganisationID, owner, kind, h.PackVersion, d.DecidedBy, d.DecidedByName, string(d.Role), d.Reason,
			nullTS(decidedAt), h.UpdatedBy, ts(h.UpdatedAt)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM phone_sessions WHERE organisation_id = $1 AND owner_id = $2`,
			h.OrganisationID, owner); err != nil {
			return err
		}
		minutes := 0
		for _, ps := range h.Sessions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO phone_sessions (organisation_id, owner_id, weekday, starts, ends)
				VALUES ($1, $2, $3, $4, $5)`, h.OrganisationID, owner, weekdayNumber(ps.Weekday), ps.Start, ps.End); err != nil {
				return conflict(err, "Två telefontider börjar samtidigt samma dag.", "Two sessions start at the same time on the same day.")
			}
			minutes += clockMinutes(ps.End) - clockMinutes(ps.Start)
		}
		summary := fmt.Sprintf("saved the phone hours of %s: %d sessions, %d minutes a week", name, len(h.Sessions), minutes)
		if h.Exception != nil {
			summary += "; exception decided by " + a.Name + ": " + h.Exception.Reason
		} else {
			saved, err := findPhoneHours(ctx, tx, h.OrganisationID, owner)
			if err != nil {
				return err
			}
			h.Exception = saved.Exception
		}
		return s.audit(ctx, tx, a, h.OrganisationID, "phone_hours.save", kind, owner, summary)
	})
}

func clockMinutes(hhmm string) int {
	h, _ := strconv.Atoi(hhmm[:2])
	m, _ := strconv.Atoi(hhmm[3:])
	return h*60 + m
}

// DeletePhoneHours removes the phone hours of a person or unit.
func (s *Store) DeletePhoneHours(ctx context.Context, ownerID string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		h, err := findPhoneHours(ctx, tx, a.OrganisationID, ownerID)
		if err != nil {
			return err
		}
		kind, name, err := phoneOwner(ctx, tx, a, h.PersonID, h.UnitID, false)
		if err != nil {
			return err
		}
		for _, stmt := range []string{`DELETE FROM phone_sessions WHERE organisation_id = $1 AND owner_id = $2`,
			`DELETE FROM phone_hours WHERE organisation_id = $1 AND owner_id = $2`} {
			if _, err := tx.ExecContext(ctx, stmt, a.OrganisationID, ownerID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "phone_hours.delete", kind, ownerID, "removed the phone hours of "+name)
	})
}

// --- On-call phones ---

const onCallCols = `o.organisation_id, o.id, o.unit_id, u.name, o.name, o.number, o.created_at, o.updated_at`

const onCallFrom = ` FROM on_call_phones o JOIN units u ON u.organisation_id = o.organisation_id AND u.id = o.unit_id`

func scanOnCall(sc interface{ Scan(...any) error }, extra ...any) (*distans.OnCallPhone, error) {
	p := &distans.OnCallPhone{}
	err := sc.Scan(append([]any{&p.OrganisationID, &p.ID, &p.UnitID, &p.UnitName, &p.Name, &p.Number,
		tm(&p.CreatedAt), tm(&p.UpdatedAt)}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOnCallNotFound()
	}
	return p, err
}

func findOnCall(ctx context.Context, q querier, orgID, id string, lock ...string) (*distans.OnCallPhone, error) {
	return scanOnCall(q.QueryRowContext(ctx, `SELECT `+onCallCols+onCallFrom+` WHERE o.organisation_id = $1 AND o.id = $2`+
		strings.Join(lock, ""), orgID, id))
}

// lockOnCall locks the phone's row, not its unit's, on PostgreSQL.
func (s *Store) lockOnCall() string {
	if s.dialect.forUpdate == "" {
		return ""
	}
	return s.dialect.forUpdate + " OF o"
}

// FindOnCallPhone returns an on-call phone; everyone signed in may read the list.
func (s *Store) FindOnCallPhone(ctx context.Context, id string) (*distans.OnCallPhone, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return findOnCall(ctx, s.rdb, a.OrganisationID, id)
}

// ListOnCallPhones returns the on-call phones of a unit's subtree (all when
// unitID is empty), by unit name and phone name.
func (s *Store) ListOnCallPhones(ctx context.Context, unitID string) ([]*distans.OnCallPhone, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out []*distans.OnCallPhone
	err = s.read(ctx, func(tx *sql.Tx) error {
		var q args
		where := "o.organisation_id = " + q.add(a.OrganisationID)
		if unitID != "" {
			u, err := findUnit(ctx, tx, a.OrganisationID, unitID)
			if err != nil {
				return err
			}
			where += " AND " + inSubtree(&q, "u.path", u.Path)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+onCallCols+onCallFrom+` WHERE `+where+` ORDER BY u.name, o.name, o.id`, q...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanOnCall(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// CreateOnCallPhone adds an on-call phone to a unit the actor keeps.
func (s *Store) CreateOnCallPhone(ctx context.Context, p *distans.OnCallPhone) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	p.Name, p.Number = strings.TrimSpace(p.Name), strings.TrimSpace(p.Number)
	if err := p.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		u, err := unitFor(ctx, tx, a, p.UnitID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("unit_id", "Enheten finns inte.", "The unit does not exist.")
		} else if err != nil {
			return err
		}
		p.ID, p.OrganisationID, p.UnitName, p.OnDuty = newID(), a.OrganisationID, u.Name, nil
		p.CreatedAt = now(ctx)
		p.UpdatedAt = p.CreatedAt
		if _, err := tx.ExecContext(ctx, `INSERT INTO on_call_phones (organisation_id, id, unit_id, name, number, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, p.OrganisationID, p.ID, p.UnitID, p.Name, p.Number,
			ts(p.CreatedAt), ts(p.UpdatedAt)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, p.OrganisationID, "on_call_phone.create", "on_call_phone", p.ID,
			fmt.Sprintf("added on-call phone %s (%s) to %s", p.Name, p.Number, u.Name))
	})
}

// UpdateOnCallPhone changes an on-call phone's name, number or unit; the
// actor must keep both the old and the new unit.
func (s *Store) UpdateOnCallPhone(ctx context.Context, p *distans.OnCallPhone) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	p.Name, p.Number = strings.TrimSpace(p.Name), strings.TrimSpace(p.Number)
	if err := p.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		old, err := findOnCall(ctx, tx, a.OrganisationID, p.ID, s.lockOnCall())
		if err != nil {
			return err
		}
		if _, err := unitFor(ctx, tx, a, old.UnitID); err != nil {
			return err
		}
		u, err := unitFor(ctx, tx, a, p.UnitID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("unit_id", "Enheten finns inte.", "The unit does not exist.")
		} else if err != nil {
			return err
		}
		p.OrganisationID, p.UnitName, p.CreatedAt, p.UpdatedAt, p.OnDuty = old.OrganisationID, u.Name, old.CreatedAt, now(ctx), nil
		if _, err := tx.ExecContext(ctx, `UPDATE on_call_phones SET unit_id = $1, name = $2, number = $3, updated_at = $4
			WHERE organisation_id = $5 AND id = $6`, p.UnitID, p.Name, p.Number, ts(p.UpdatedAt), p.OrganisationID, p.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, p.OrganisationID, "on_call_phone.update", "on_call_phone", p.ID,
			fmt.Sprintf("updated on-call phone %s (%s) in %s", p.Name, p.Number, u.Name))
	})
}

// DeleteOnCallPhone removes an on-call phone and its duty periods.
func (s *Store) DeleteOnCallPhone(ctx context.Context, id string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := findOnCall(ctx, tx, a.OrganisationID, id, s.lockOnCall())
		if err != nil {
			return err
		}
		if _, err := unitFor(ctx, tx, a, p.UnitID); err != nil {
			return err
		}
		for _, stmt := range []string{`DELETE FROM on_call_duties WHERE organisation_id = $1 AND phone_id = $2`,
			`DELETE FROM on_call_phones WHERE organisation_id = $1 AND id = $2`} {
			if _, err := tx.ExecContext(ctx, stmt, a.OrganisationID, id); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "on_call_phone.delete", "on_call_phone", id,
			fmt.Sprintf("removed on-call phone %s (%s) from %s", p.Name, p.Number, p.UnitName))
	})
}

const dutyCols = `d.organisation_id, d.id, d.phone_id, d.person_id, pe.name, d.starts_at, d.ends_at, d.created_at`

const dutyFrom = ` FROM on_call_duties d JOIN people pe ON pe.organisation_id = d.organisation_id AND pe.id = d.person_id`

func scanDuty(sc interface{ Scan(...any) error }) (*distans.OnCallDuty, error) {
	d := &distans.OnCallDuty{}
	err := sc.Scan(&d.OrganisationID, &d.ID, &d.PhoneID, &d.PersonID, &d.PersonName, tm(&d.Starts), tm(&d.Ends), tm(&d.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errDutyNotFound()
	}
	return d, err
}

// ListOnCallDuties returns the phone's duty periods that overlap
// [from, to), by start.
func (s *Store) ListOnCallDuties(ctx context.Context, phoneID string, from, to time.Time) ([]*distans.OnCallDuty, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out []*distans.OnCallDuty
	err = s.read(ctx, func(tx *sql.Tx) error {
		if _, err := findOnCall(ctx, tx, a.OrganisationID, phoneID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+dutyCols+dutyFrom+` WHERE d.organisation_id = $1 AND d.phone_id = $2
			AND d.starts_at < $3 AND d.ends_at > $4 ORDER BY d.starts_at, d.id`, a.OrganisationID, phoneID, ts(to), ts(from))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDuty(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// AddOnCallDuty adds a duty period to a phone of a unit the actor keeps.
// The phone's row is locked first, so that two periods added at once are
// checked one after the other; an overlap is ECONFLICT.
func (s *Store) AddOnCallDuty(ctx context.Context, d *distans.OnCallDuty) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := findOnCall(ctx, tx, a.OrganisationID, d.PhoneID, s.lockOnCall())
		if err != nil {
			return err
		}
		if _, err := unitFor(ctx, tx, a, p.UnitID); err != nil {
			return err
		}
		person, err := findPersonRow(ctx, tx, a.OrganisationID, d.PersonID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("person_id", "Personen finns inte.", "The person does not exist.")
		} else if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM on_call_duties WHERE organisation_id = $1 AND phone_id = $2
			AND starts_at < $3 AND ends_at > $4`, a.OrganisationID, p.ID, ts(d.Ends), ts(d.Starts)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return distans.Errorf(distans.ECONFLICT, "Passet överlappar ett annat pass på samma jourtelefon.",
				"The duty overlaps another duty on the same on-call phone.")
		}
		d.ID, d.OrganisationID, d.PersonName, d.CreatedAt = newID(), a.OrganisationID, person.Name, now(ctx)
		if _, err := tx.ExecContext(ctx, `INSERT INTO on_call_duties (organisation_id, id, phone_id, person_id, starts_at, ends_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, d.OrganisationID, d.ID, d.PhoneID, d.PersonID, ts(d.Starts), ts(d.Ends),
			ts(d.CreatedAt)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, d.OrganisationID, "on_call_duty.create", "on_call_phone", p.ID,
			fmt.Sprintf("put %s on duty on %s from %s to %s", person.Name, p.Name, ts(d.Starts), ts(d.Ends)))
	})
}

// DeleteOnCallDuty removes a duty period.
func (s *Store) DeleteOnCallDuty(ctx context.Context, id string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		d, err := scanDuty(tx.QueryRowContext(ctx, `SELECT `+dutyCols+dutyFrom+` WHERE d.organisation_id = $1 AND d.id = $2`,
			a.OrganisationID, id))
		if err != nil {
			return err
		}
		p, err := findOnCall(ctx, tx, a.OrganisationID, d.PhoneID, s.lockOnCall())
		if err != nil {
			return err
		}
		if _, err := unitFor(ctx, tx, a, p.UnitID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM on_call_duties WHERE organisation_id = $1 AND id = $2`, a.OrganisationID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "on_call_duty.delete", "on_call_phone", p.ID,
			fmt.Sprintf("removed the duty of %s on %s from %s", d.PersonName, p.Name, ts(d.Starts)))
	})
}

// CurrentOnCall lists every on-call phone of the organisation with who is
// on duty at now. Everyone signed in may read it; the switchboard always does.
func (s *Store) CurrentOnCall(ctx context.Context, at time.Time) ([]*distans.OnCallPhone, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+onCallCols+`, COALESCE(d.id, ''), COALESCE(d.person_id, ''),
		COALESCE(pe.name, ''), d.starts_at, d.ends_at`+onCallFrom+`
		LEFT JOIN on_call_duties d ON d.organisation_id = o.organisation_id AND d.phone_id = o.id
			AND d.starts_at <= $2 AND d.ends_at > $2
		LEFT JOIN people pe ON pe.organisation_id = d.organisation_id AND pe.id = d.person_id
		WHERE o.organisation_id = $1 ORDER BY u.name, o.name, o.id`, a.OrganisationID, ts(at))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.OnCallPhone
	for rows.Next() {
		d := &distans.OnCallDuty{}
		var starts, ends *time.Time
		p, err := scanOnCall(rows, &d.ID, &d.PersonID, &d.PersonName, nulltm(&starts), nulltm(&ends))
		if err != nil {
			return nil, err
		}
		if d.ID != "" {
			d.OrganisationID, d.PhoneID, d.Starts, d.Ends = p.OrganisationID, p.ID, *starts, *ends
			p.OnDuty = d
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
