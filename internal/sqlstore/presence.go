package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

var _ distans.AvailabilityStore = (*Store)(nil)

// This file holds day statuses, redirects, the telephone directory and the
// retention of status history; phone.go holds phone hours and on-call
// phones. Who may do what is documented on distans.Availability.

func errStatusNotFound() error {
	return distans.NotFound("Det finns ingen status för den dagen.", "There is no status for that day.")
}

func errRedirectNotFound() error {
	return distans.NotFound("Det finns ingen hänvisning.", "There is no redirection.")
}

// canActFor reports whether the actor may change the person's
// availability: the person, the managers of their unit, or PermManagePeople
// there.
func canActFor(a *distans.Actor, p *distans.Person) bool {
	return a.System || a.PersonID == p.ID || a.RoleScope(distans.RoleManager).Contains(p.UnitPath) ||
		a.Scope(distans.PermManagePeople).Contains(p.UnitPath)
}

// availabilityFor returns the person for a change of their availability:
// ENOTFOUND when the actor may not see them, EFORBIDDEN when they may see
// but not change.
func availabilityFor(ctx context.Context, q querier, a *distans.Actor, personID string) (*distans.Person, error) {
	p, err := findPersonRow(ctx, q, a.OrganisationID, personID)
	if err != nil {
		return nil, err
	}
	if canActFor(a, p) {
		return p, nil
	}
	if !canSee(a, p) {
		return nil, errPersonNotFound()
	}
	return nil, distans.Forbidden()
}

// mayReadMobile is Actor.ReadsWorkMobileOf for a person.
func mayReadMobile(a *distans.Actor, p *distans.Person) bool {
	return a.ReadsWorkMobileOf(p.ID, p.UnitPath)
}

// location returns the organisation's time zone, cached with today's.
func (s *Store) location(ctx context.Context, q querier, orgID string) (*time.Location, error) {
	if _, err := s.today(ctx, q, orgID); err != nil {
		return nil, err
	}
	loc, _ := s.locs.Load(orgID)
	return loc.(*time.Location), nil
}

// localDay is the calendar day of t in loc, as midnight UTC.
func localDay(t time.Time, loc *time.Location) time.Time {
	n := t.In(loc)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// dateOf is the calendar day of t as written, as midnight UTC.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// --- Day statuses ---

const statusCols = `organisation_id, person_id, on_date, kind, site_id, back_at, reason, one_off, updated_by, updated_at`

func scanStatus(sc interface{ Scan(...any) error }) (*distans.DayStatus, error) {
	d := &distans.DayStatus{}
	err := sc.Scan(&d.OrganisationID, &d.PersonID, dt(&d.Date), &d.Kind, str(&d.SiteID), nulltm(&d.BackAt),
		&d.Reason, &d.OneOff, &d.UpdatedBy, tm(&d.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errStatusNotFound()
	}
	return d, err
}

// hideReason keeps the private reason for the person alone.
func hideReason(a *distans.Actor, d *distans.DayStatus) {
	if !a.System && a.PersonID != d.PersonID {
		d.Reason = ""
	}
}

// statusReader returns the person whose statuses the actor reads: their
// own, or anyone's in their PermViewPeople scope.
func statusReader(ctx context.Context, q querier, a *distans.Actor, personID string) (*distans.Person, error) {
	p, err := findPersonRow(ctx, q, a.OrganisationID, personID)
	if err != nil {
		return nil, err
	}
	if !canSee(a, p) && !canActFor(a, p) {
		return nil, errPersonNotFound()
	}
	return p, nil
}

// FindStatus returns the status set for the person and day.
func (s *Store) FindStatus(ctx context.Context, personID string, date time.Time) (*distans.DayStatus, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := statusReader(ctx, s.rdb, a, personID); err != nil {
		return nil, err
	}
	d, err := scanStatus(s.rdb.QueryRowContext(ctx, `SELECT `+statusCols+` FROM day_statuses
		WHERE organisation_id = $1 AND person_id = $2 AND on_date = $3`, a.OrganisationID, personID, day(dateOf(date))))
	if err != nil {
		return nil, err
	}
	hideReason(a, d)
	return d, nil
}

// ListStatuses returns the statuses set for the person in [from, to].
func (s *Store) ListStatuses(ctx context.Context, personID string, from, to time.Time) ([]*distans.DayStatus, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := statusReader(ctx, s.rdb, a, personID); err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+statusCols+` FROM day_statuses
		WHERE organisation_id = $1 AND person_id = $2 AND on_date >= $3 AND on_date <= $4 ORDER BY on_date`,
		a.OrganisationID, personID, day(dateOf(from)), day(dateOf(to)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.DayStatus
	for rows.Next() {
		d, err := scanStatus(rows)
		if err != nil {
			return nil, err
		}
		hideReason(a, d)
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetStatus creates or replaces the person's status for the day. The day
// must lie between today (in the organisation's time zone at now) and the
// horizon; the site must be the organisation's.
func (s *Store) SetStatus(ctx context.Context, d *distans.DayStatus, at time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	loc, err := s.location(ctx, s.rdb, a.OrganisationID)
	if err != nil {
		return err
	}
	d.Date = dateOf(d.Date)
	d.Reason = strings.TrimSpace(d.Reason)
	if err := d.Validate(localDay(at, loc), at); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := availabilityFor(ctx, tx, a, d.PersonID)
		if err != nil {
			return err
		}
		if d.SiteID != "" {
			if _, err := findSite(ctx, tx, a.OrganisationID, d.SiteID); distans.ErrorCode(err) == distans.ENOTFOUND {
				return invalid("site_id", "Arbetsplatsen finns inte.", "The site does not exist.")
			} else if err != nil {
				return err
			}
		}
		d.OrganisationID, d.UpdatedBy, d.UpdatedAt, d.Default = a.OrganisationID, a.PersonID, now(ctx), false
		if _, err := tx.ExecContext(ctx, `INSERT INTO day_statuses (`+statusCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (organisation_id, person_id, on_date) DO UPDATE SET kind = excluded.kind, site_id = excluded.site_id,
			back_at = excluded.back_at, reason = excluded.reason, one_off = excluded.one_off,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			d.OrganisationID, d.PersonID, day(d.Date), string(d.Kind), nullStr(d.SiteID), nullTS(d.BackAt), d.Reason, d.OneOff,
			d.UpdatedBy, ts(d.UpdatedAt)); err != nil {
			return err
		}
		// The summary names the kind, never the reason.
		return s.audit(ctx, tx, a, d.OrganisationID, "status.set", "person", p.ID,
			fmt.Sprintf("set the status of %s on %s to %s", p.Name, day(d.Date), d.Kind))
	})
}

// ClearStatus removes the person's status for the day.
func (s *Store) ClearStatus(ctx context.Context, personID string, date time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := availabilityFor(ctx, tx, a, personID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM day_statuses WHERE organisation_id = $1 AND person_id = $2 AND on_date = $3`,
			a.OrganisationID, p.ID, day(dateOf(date)))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStatusNotFound()
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "status.clear", "person", p.ID,
			fmt.Sprintf("cleared the status of %s on %s", p.Name, day(dateOf(date))))
	})
}

// --- Redirects ---

const redirectCols = `r.organisation_id, r.person_id, r.phone, r.message, r.until_at, r.target, r.colleague_id,
	COALESCE(c.name, ''), r.pack_version, r.updated_by, r.updated_at`

const redirectFrom = ` FROM redirects r LEFT JOIN people c ON c.organisation_id = r.organisation_id AND c.id = r.colleague_id`

func scanRedirect(sc interface{ Scan(...any) error }) (*distans.Redirect, error) {
	r := &distans.Redirect{}
	err := sc.Scan(&r.OrganisationID, &r.PersonID, &r.Phone, &r.Text, nulltm(&r.Until), &r.Target, str(&r.ColleagueID),
		&r.ColleagueName, &r.PackVersion, &r.UpdatedBy, tm(&r.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errRedirectNotFound()
	}
	return r, err
}

// FindRedirect returns the person's redirect in force at now. Everyone
// signed in may read it: it is what the directory shows callers.
func (s *Store) FindRedirect(ctx context.Context, personID string, at time.Time) (*distans.Redirect, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return scanRedirect(s.rdb.QueryRowContext(ctx, `SELECT `+redirectCols+redirectFrom+`
		WHERE r.organisation_id = $1 AND r.person_id = $2 AND (r.until_at IS NULL OR r.until_at > $3)`,
		a.OrganisationID, personID, ts(at)))
}

// SetRedirect creates or replaces the person's redirect. Only personal
// phones are redirected: an on-call phone never is (Sorsele 004 §6), so
// Distans keeps no redirect for one whatever the pack says. The colleague
// must be a person of the organisation. The caller (the presence service)
// has checked the redirect against the pack and set PackVersion.
func (s *Store) SetRedirect(ctx context.Context, r *distans.Redirect, at time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	r.Text = strings.TrimSpace(r.Text)
	if err := r.Validate(at); err != nil {
		return err
	}
	if r.Phone == distans.PhoneOnCall {
		sv, en := "En jourtelefon hänvisas aldrig; ändra jourschemat i stället.",
			"An on-call phone is never redirected; change the duty roster instead."
		return &distans.Error{Code: distans.EINVALID, Sv: sv, En: en, Fields: []distans.FieldError{{Field: "phone", Sv: sv, En: en}}}
	}
	r.Phone = distans.PhonePersonal
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := availabilityFor(ctx, tx, a, r.PersonID)
		if err != nil {
			return err
		}
		r.ColleagueName = ""
		if r.ColleagueID != "" {
			c, err := findPersonRow(ctx, tx, a.OrganisationID, r.ColleagueID)
			if distans.ErrorCode(err) == distans.ENOTFOUND {
				return invalid("colleague_id", "Kollegan finns inte.", "The colleague does not exist.")
			} else if err != nil {
				return err
			}
			r.ColleagueName = c.Name
		}
		r.OrganisationID, r.UpdatedBy, r.UpdatedAt = a.OrganisationID, a.PersonID, now(ctx)
		if _, err := tx.ExecContext(ctx, `INSERT INTO redirects (organisation_id, person_id, phone, message, until_at, target,
			colleague_id, pack_version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (organisation_id, person_id) DO UPDATE SET phone = excluded.phone, message = excluded.message,
			until_at = excluded.until_at, target = excluded.target, colleague_id = excluded.colleague_id,
			pack_version = excluded.pack_version, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			r.OrganisationID, r.PersonID, string(r.Phone), r.Text, nullTS(r.Until), string(r.Target), nullStr(r.ColleagueID),
			r.PackVersion, r.UpdatedBy, ts(r.UpdatedAt)); err != nil {
			return err
		}
		summary := fmt.Sprintf("redirected the phone of %s to %s", p.Name, r.Target)
		if r.ColleagueName != "" {
			summary += " (" + r.ColleagueName + ")"
		}
		if r.Until != nil {
			summary += " until " + ts(*r.Until)
		}
		return s.audit(ctx, tx, a, r.OrganisationID, "redirect.set", "person", p.ID, summary)
	})
}

// ClearRedirect removes the person's redirect.
func (s *Store) ClearRedirect(ctx context.Context, personID string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := availabilityFor(ctx, tx, a, personID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM redirects WHERE organisation_id = $1 AND person_id = $2`, a.OrganisationID, p.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errRedirectNotFound()
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "redirect.clear", "person", p.ID, "removed the redirection of "+p.Name)
	})
}

// --- Retention ---

// DeleteStatusHistory removes the organisation's statuses of days before
// before, and the redirects whose return time passed before it; the
// deletion is audited when it removed anything. Only the system runs it.
func (s *Store) DeleteStatusHistory(ctx context.Context, before time.Time) (int, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return 0, err
	}
	if !a.System {
		return 0, distans.Forbidden()
	}
	var n int
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM day_statuses WHERE organisation_id = $1 AND on_date < $2`,
			a.OrganisationID, day(dateOf(before)))
		if err != nil {
			return err
		}
		statuses, _ := res.RowsAffected()
		res, err = tx.ExecContext(ctx, `DELETE FROM redirects WHERE organisation_id = $1 AND until_at < $2`,
			a.OrganisationID, ts(before))
		if err != nil {
			return err
		}
		redirects, _ := res.RowsAffected()
		n = int(statuses + redirects)
		if n == 0 {
			return nil
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "status.purge", "organisation", a.OrganisationID,
			fmt.Sprintf("removed %d statuses and %d redirections from before %s", statuses, redirects, day(dateOf(before))))
	})
	return n, err
}

// --- Directory ---

// keywordsText is how keywords are stored: as written, one a line. The
// directory finds them by the person's search words (indexPeople).
func keywordsText(kws []string) string { return strings.Join(kws, "\n") }

func splitKeywords(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// FindDirectoryProfile returns the person's directory profile. Everyone
// signed in may read the keywords; the work mobile only those
// mayReadMobile allows.
func (s *Store) FindDirectoryProfile(ctx context.Context, personID string) (*distans.DirectoryProfile, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	p, err := findPersonRow(ctx, s.rdb, a.OrganisationID, personID)
	if err != nil {
		return nil, err
	}
	d := &distans.DirectoryProfile{OrganisationID: p.OrganisationID, PersonID: p.ID, Keywords: []string{}}
	var kws string
	err = s.rdb.QueryRowContext(ctx, `SELECT keywords, work_mobile, updated_at FROM directory_profiles
		WHERE organisation_id = $1 AND person_id = $2`, p.OrganisationID, p.ID).Scan(&kws, &d.WorkMobile, tm(&d.UpdatedAt))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	d.Keywords = splitKeywords(kws)
	if !mayReadMobile(a, p) {
		d.WorkMobile = ""
	}
	return d, nil
}

// SaveDirectoryProfile replaces the person's keywords and work mobile. The
// person keeps their own keywords (004 §5), and so may their managers and
// PermManagePeople; the work mobile is changed only by the person and
// PermManagePeople.
func (s *Store) SaveDirectoryProfile(ctx context.Context, d *distans.DirectoryProfile) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := availabilityFor(ctx, tx, a, d.PersonID)
		if err != nil {
			return err
		}
		var old string
		err = tx.QueryRowContext(ctx, `SELECT work_mobile FROM directory_profiles WHERE organisation_id = $1 AND person_id = $2`,
			a.OrganisationID, p.ID).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if d.WorkMobile != old && !(a.System || a.PersonID == p.ID || a.Scope(distans.PermManagePeople).Contains(p.UnitPath)) {
			return distans.Forbidden()
		}
		d.OrganisationID, d.UpdatedAt = a.OrganisationID, now(ctx)
		if _, err := tx.ExecContext(ctx, `INSERT INTO directory_profiles (organisation_id, person_id, keywords,
			work_mobile, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (organisation_id, person_id) DO UPDATE SET keywords = excluded.keywords,
			work_mobile = excluded.work_mobile, updated_at = excluded.updated_at`,
			d.OrganisationID, p.ID, keywordsText(d.Keywords), d.WorkMobile, ts(d.UpdatedAt)); err != nil {
			return err
		}
		if err := s.indexPeople(ctx, tx, d.OrganisationID, []string{p.ID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, d.OrganisationID, "directory.save", "person", p.ID,
			fmt.Sprintf("updated the directory entry of %s (%d keywords)", p.Name, len(d.Keywords)))
	})
}

// PeopleWithoutKeywords lists the employed people in the actor's
// PermViewPeople scope who have no keywords, in Swedish name order.
func (s *Store) PeopleWithoutKeywords(ctx context.Context, unitID string) ([]*distans.Person, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	scope := a.Scope(distans.PermViewPeople)
	if scope.None() {
		return nil, distans.Forbidden()
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, err
	}
	var out []*distans.Person
	err = s.read(ctx, func(tx *sql.Tx) error {
		var q args
		where := "p.organisation_id = " + q.add(a.OrganisationID) + " AND " + scopeSQL(&q, "p.unit_path", scope)
		if unitID != "" {
			u, err := findUnit(ctx, tx, a.OrganisationID, unitID)
			if err != nil {
				return err
			}
			where += " AND " + inSubtree(&q, "p.unit_path", u.Path)
		}
		where += " AND p.employed AND (dp.person_id IS NULL OR dp.keywords = '')"
		rows, err := tx.QueryContext(ctx, `SELECT `+personCols+` FROM people p
			LEFT JOIN directory_profiles dp ON dp.organisation_id = p.organisation_id AND dp.person_id = p.id
			WHERE `+where+` ORDER BY p.name_key, p.id`, q...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// SearchDirectory is the switchboard's search; see distans.Availability.
// Everyone signed in may search every employed person of the organisation:
// the directory is what the switchboard tells any caller. Work mobiles are
// filled for the switchboard role alone, and reasons are never read.
func (s *Store) SearchDirectory(ctx context.Context, f distans.DirectoryFilter, at time.Time) ([]*distans.DirectoryHit, distans.Page, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, distans.Page{}, err
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, distans.Page{}, err
	}
	loc, err := s.location(ctx, s.rdb, a.OrganisationID)
	if err != nil {
		return nil, distans.Page{}, err
	}
	today := localDay(at, loc)
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)

	var hits []*distans.DirectoryHit
	var paths []string
	var pg distans.Page
	err = s.read(ctx, func(tx *sql.Tx) error {
		var q args
		where := "p.organisation_id = " + q.add(a.OrganisationID)
		n := notNarrowed
		if f.UnitID != "" {
			u, err := findUnit(ctx, tx, a.OrganisationID, f.UnitID)
			if err != nil {
				return err
			}
			n.unitPath = u.Path
			where += " AND " + inSubtree(&q, "p.unit_path", u.Path)
		}
		words := newWordMatch("dir_terms", f.Query).where(s, &q, a.OrganisationID, n)
		from := words.from
		if words.cond != "" {
			where += " AND " + words.cond
		}
		// Whether the person is employed today is theirs as placed
		// (refreshDue above placed everyone due today).
		where += " AND p.employed"
		var total int
		searched := words.cond != ""
		if f.After == "" && f.Before == "" {
			total, from, where, q, err = s.firstPage(ctx, tx, from, where, words, q, searched, a.OrganisationID, limit)
			searched = false // the page names its people
		} else {
			total, from, where, q, searched, err = s.laterPage(ctx, tx, from, where, words, q, searched, a.OrganisationID, f.After, f.Before, limit)
		}
		if err != nil || total == 0 {
			return err
		}
		where += " AND p.employed" // as the page's people were found
		// Everything a hit shows comes in this one statement, and the phone
		// hours of the whole page in one more (phoneHoursToday): no query
		// per hit.
		from += `
			LEFT JOIN units u ON u.organisation_id = p.organisation_id AND u.id = p.unit_id
			LEFT JOIN directory_profiles dp ON dp.organisation_id = p.organisation_id AND dp.person_id = p.id`
		todayArg, nowArg := q.add(day(today)), q.add(ts(at))
		pg, err = s.pageRows(ctx, tx, `SELECT p.id, p.name, p.title, p.unit_id, p.unit_path, COALESCE(u.name, ''), p.email,
			p.phone, COALESCE(dp.work_mobile, ''), COALESCE(dp.keywords, ''),
			COALESCE(ds.kind, ''), COALESCE(ds.site_id, ''), COALESCE(si.name, ''), ds.back_at,
			COALESCE(r.message, ''), r.until_at, COALESCE(r.target, ''), COALESCE(r.colleague_id, ''), COALESCE(c.name, '') `+from+`
			LEFT JOIN day_statuses ds ON ds.organisation_id = p.organisation_id AND ds.person_id = p.id AND ds.on_date = `+todayArg+`
			LEFT JOIN sites si ON si.organisation_id = ds.organisation_id AND si.id = ds.site_id
			LEFT JOIN redirects r ON r.organisation_id = p.organisation_id AND r.person_id = p.id
				AND (r.until_at IS NULL OR r.until_at > `+nowArg+`)
			LEFT JOIN people c ON c.organisation_id = r.organisation_id AND c.id = r.colleague_id`,
			where, q, searched, f.After, f.Before, limit, func(rows *sql.Rows) (string, string, error) {
				h := &distans.DirectoryHit{PhoneHoursToday: []distans.PhoneSession{}}
				var path, kws string
				var back, until *time.Time
				if err := rows.Scan(&h.PersonID, &h.Name, &h.Title, &h.UnitID, &path, &h.UnitName, &h.Email,
					&h.Phone, &h.WorkMobile, &kws, &h.Status, &h.SiteID, &h.SiteName, nulltm(&back),
					&h.RedirectText, nulltm(&until), &h.RedirectTarget, &h.CoveredByID, &h.CoveredByName); err != nil {
					return "", "", err
				}
				h.Keywords = splitKeywords(kws)
				if !a.ReadsWorkMobileOf(h.PersonID, path) {
					h.WorkMobile = ""
				}
				// The redirect's return time is the one callers need; a status's
				// return time counts when there is no redirect.
				h.BackAt = back
				if h.RedirectText != "" {
					h.BackAt = until
				}
				hits = append(hits, h)
				paths = append(paths, path)
				return h.Name, h.PersonID, nil
			})
		if err != nil {
			return err
		}
		pg.Total = total
		if f.Before != "" {
			slices.Reverse(hits)
			slices.Reverse(paths)
		}
		return phoneHoursToday(ctx, tx, a.OrganisationID, distans.WeekdayOf(today), hits, paths)
	})
	if err != nil {
		return nil, distans.Page{}, err
	}
	return hits, pg, nil
}

// phoneHoursToday fills each hit's phone sessions on weekday: the person's
// own hours if they have any, else those of the nearest unit above them
// (paths[i] is hit i's unit path) that has some.
func phoneHoursToday(ctx context.Context, tx *sql.Tx, orgID, weekday string, hits []*distans.DirectoryHit, paths []string) error {
	if len(hits) == 0 {
		return nil
	}
	var q args
	org := q.add(orgID)
	var owners []string
	seen := map[string]bool{}
	for i, h := range hits {
		for _, id := range append([]string{h.PersonID}, strings.Split(strings.Trim(paths[i], "/"), "/")...) {
			if id != "" && !seen[id] {
				seen[id] = true
				owners = append(owners, q.add(id))
			}
		}
	}
	// An owner with hours but none on weekday has a row without a
	// session: their hours, not a unit's above them, are the person's.
	rows, err := tx.QueryContext(ctx, `SELECT h.owner_id, s.starts, s.ends FROM phone_hours h
		LEFT JOIN phone_sessions s ON s.organisation_id = h.organisation_id AND s.owner_id = h.owner_id
			AND s.weekday = `+q.add(weekdayNumber(weekday))+`
		WHERE h.organisation_id = `+org+` AND h.owner_id IN (`+strings.Join(owners, ", ")+`) ORDER BY s.starts`, q...)
	if err != nil {
		return err
	}
	defer rows.Close()
	has := map[string]bool{}
	sessions := map[string][]distans.PhoneSession{}
	for rows.Next() {
		var id string
		var starts, ends sql.NullString
		if err := rows.Scan(&id, &starts, &ends); err != nil {
			return err
		}
		has[id] = true
		if starts.Valid {
			sessions[id] = append(sessions[id], distans.PhoneSession{Weekday: weekday, Start: starts.String, End: ends.String})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, h := range hits {
		units := strings.Split(strings.Trim(paths[i], "/"), "/")
		chain := []string{h.PersonID}
		for j := len(units) - 1; j >= 0; j-- {
			chain = append(chain, units[j])
		}
		for _, id := range chain {
			if has[id] {
				h.PhoneHoursToday = append(h.PhoneHoursToday, sessions[id]...)
				break
			}
		}
	}
	return nil
}
