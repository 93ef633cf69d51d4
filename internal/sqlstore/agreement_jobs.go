package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/distans/distans"
)

func errSystemOnly() error {
	return distans.Errorf(distans.EFORBIDDEN, "Bara systemet kan göra det.", "Only the system can do that.")
}

// EndAgreements ends the organisation's active agreements that have
// expired, whose person has moved to another unit, or whose person has no
// current employment (an employment is current on today when it started on
// or before today and has not ended before today, as in refreshPlacement)
// or was deactivated by the identity system (SCIM): that person's
// employment ends today, yet they work no more, so the agreement ends on
// the employment's last day at the next round rather than tomorrow.
func (s *Store) EndAgreements(ctx context.Context, today time.Time) (int, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return 0, err
	}
	if !act.System {
		return 0, errSystemOnly()
	}
	n := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		n = 0 // write may run this again
		t := day(today)
		// The candidates, with the person's current employment if any.
		// The subquery names the organisation itself: Citus routes a
		// correlated subquery to one node only when it does, and otherwise
		// asked every shard, once an organisation.
		rows, err := tx.QueryContext(ctx, `SELECT a.id, a.end_on < $2, e.unit_id, e.starts_on, cu.path, cu.name,
			(SELECT MAX(x.ends_on) FROM employments x WHERE x.organisation_id = $1 AND x.person_id = a.person_id
				AND x.ends_on < $2), ac.disabled_at IS NOT NULL, e.ends_on
			FROM agreements a
			LEFT JOIN employments e ON e.organisation_id = a.organisation_id AND e.person_id = a.person_id
				AND e.starts_on <= $2 AND (e.ends_on IS NULL OR e.ends_on >= $2)
			LEFT JOIN units cu ON cu.organisation_id = e.organisation_id AND cu.id = e.unit_id
			LEFT JOIN accounts ac ON ac.organisation_id = a.organisation_id AND ac.person_id = a.person_id
			WHERE a.organisation_id = $1 AND a.state = 'active'
			AND (a.end_on < $2 OR e.unit_id IS NULL OR e.unit_id <> a.unit_id OR ac.disabled_at IS NOT NULL)
			ORDER BY a.id`, act.OrganisationID, t)
		if err != nil {
			return err
		}
		type cand struct {
			id              string
			expired         bool
			unitID, path    string
			unitName        string
			moved, lastEmpl *time.Time
			disabled        bool
			currentEnds     *time.Time
		}
		var cands []cand
		for rows.Next() {
			var c cand
			if err := rows.Scan(&c.id, &c.expired, str(&c.unitID), nulldt(&c.moved), str(&c.path), str(&c.unitName), nulldt(&c.lastEmpl),
				&c.disabled, nulldt(&c.currentEnds)); err != nil {
				rows.Close()
				return err
			}
			cands = append(cands, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		yesterday := today.AddDate(0, 0, -1)
		for _, c := range cands {
			g, err := findAgreementRow(ctx, tx, act.OrganisationID, c.id, s.dialect.forUpdate)
			if err != nil {
				return err
			}
			startOn, endOn := g.Request.Start, g.Request.End
			if g.Terms != nil {
				startOn, endOn = g.Terms.Start, g.Terms.End
			}
			var on time.Time
			switch {
			case c.expired:
				g.EndReason, on = distans.EndExpired, endOn
			case c.unitID == "":
				g.EndReason, on = distans.EndEmploymentEnded, yesterday
				if c.lastEmpl != nil {
					on = *c.lastEmpl
				}
			case c.disabled:
				g.EndReason, on = distans.EndEmploymentEnded, today
				if c.currentEnds != nil {
					on = *c.currentEnds
				}
			default:
				// A new employment that began while the agreement ran marks
				// the transfer: the agreement's last day is the day before.
				// Otherwise the unit of the employment the agreement was made
				// under was changed in place, and its start says nothing of
				// when (it may be years before the agreement): the move is
				// seen today.
				g.EndReason, on = distans.EndUnitMove, today
				if c.moved != nil && c.moved.After(startOn) && !c.moved.After(today) {
					on = c.moved.AddDate(0, 0, -1)
				}
			}
			if on.After(endOn) {
				on = endOn
			}
			// An agreement never ends before it began.
			if on.Before(startOn) {
				on = startOn
			}
			g.State, g.EndedOn, g.EndNote, g.EndedBy = distans.AgreementEnded, &on, "", ""
			g.NextFollowUpOn = nil // an ended agreement has no follow-up due
			if err := saveAgreement(ctx, tx, g); err != nil {
				return err
			}
			if err := notifyEnded(ctx, tx, g, ""); err != nil {
				return err
			}
			if g.EndReason == distans.EndUnitMove {
				managers, err := managersOf(ctx, tx, g.OrganisationID, c.path, today, g.PersonID)
				if err != nil {
					return err
				}
				// The new managers may not open the ended agreement, which
				// belongs to the old unit; they open the person, now theirs.
				if err := notifyLinked(ctx, tx, g.Agreement, distans.NotifyNewManagerAssess, "assess_anew", "/people/"+g.PersonID,
					map[string]string{"name": g.PersonName, "number": g.Number, "unit": c.unitName}, managers...); err != nil {
					return err
				}
			}
			if err := s.audit(ctx, tx, act, g.OrganisationID, "agreement.end", "agreement", g.ID,
				g.Number+": ended on "+day(on)+" ("+string(g.EndReason)+")"); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// The few expressions of the reminder scan that differ between the databases.
func (s *Store) sqlDayText(col string) string {
	if s.dialect.name == "postgres" {
		return "to_char(" + col + ", 'YYYY-MM-DD')"
	}
	return col
}

func (s *Store) sqlNewID() string {
	if s.dialect.name == "postgres" {
		return "gen_random_uuid()::text"
	}
	return "lower(hex(randomblob(16)))"
}

func (s *Store) sqlTS(param string) string {
	if s.dialect.name == "postgres" {
		return "CAST(" + param + " AS timestamptz)"
	}
	return param
}

// QueueReminders records the reminders due on today as notifications in
// one INSERT … SELECT over the partial indexes of active agreements, each
// keyed by occasion and recipient so that nothing is made twice.
func (s *Store) QueueReminders(ctx context.Context, today time.Time) (int, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return 0, err
	}
	if !act.System {
		return 0, errSystemOnly()
	}
	d := func(n int) string { return day(today.AddDate(0, 0, n)) }
	endText, dueText := s.sqlDayText("a.end_on"), s.sqlDayText("a.next_follow_up_on")
	// Each reminder is a kind, a recipient column, and a function that
	// writes its key occasion, JSON params (the members, without braces)
	// and condition with its arguments. The params also name the
	// recipient's role, so that the text fits the employee or the manager.
	type reminder struct {
		kind      distans.NotificationKind
		recipient string
		sql       func(q *args) (occasion, params, cond string)
	}
	roles := map[string]distans.SignerRole{"a.person_id": distans.SignerEmployee, "a.manager_id": distans.SignerManager}
	expiring := func(q *args) (string, string, string) {
		days := `CASE WHEN a.end_on <= ` + q.add(d(7)) + ` THEN '7' WHEN a.end_on <= ` + q.add(d(30)) + ` THEN '30' ELSE '60' END`
		return `'/expiring/' || ` + days + ` || '/' || ` + endText,
			`'"days":"' || ` + days + ` || '","number":"' || a.number || '","date":"' || ` + endText + ` || '"'`,
			`a.end_on >= ` + q.add(d(0)) + ` AND a.end_on <= ` + q.add(d(60))
	}
	dueParams := `'"number":"' || a.number || '","date":"' || ` + dueText + ` || '"'`
	due := func(q *args) (string, string, string) {
		return `'/follow_up_due/' || ` + dueText, dueParams,
			`a.next_follow_up_on >= ` + q.add(d(0)) + ` AND a.next_follow_up_on <= ` + q.add(d(14)) + ` AND a.end_on >= ` + q.add(d(0))
	}
	overdue := func(q *args) (string, string, string) {
		return `'/follow_up_overdue/' || ` + dueText, dueParams,
			`a.next_follow_up_on < ` + q.add(d(0)) + ` AND a.end_on >= ` + q.add(d(0))
	}
	all := []reminder{
		{distans.NotifyExpiring, "a.person_id", expiring}, {distans.NotifyExpiring, "a.manager_id", expiring},
		{distans.NotifyFollowUpDue, "a.manager_id", due},
		{distans.NotifyFollowUpOverdue, "a.person_id", overdue}, {distans.NotifyFollowUpOverdue, "a.manager_id", overdue},
	}
	// One statement for every kind and recipient: a scan over each partial
	// index, and a single round trip per organisation.
	var q args
	org, at := q.add(act.OrganisationID), q.add(ts(now(ctx)))
	selects := make([]string, len(all))
	for i, r := range all {
		occasion, params, cond := r.sql(&q)
		params = `'{"role":"` + string(roles[r.recipient]) + `",' || ` + params + ` || '}'`
		selects[i] = `SELECT a.organisation_id AS org, ` + r.recipient + ` AS person, 'agreement/' || a.id || ` + occasion +
			` || '/' || ` + r.recipient + ` AS key, ` + q.add(string(r.kind)) + ` AS kind, ` + params + ` AS params, a.id AS agreement
			FROM agreements a
			WHERE a.organisation_id = ` + org + ` AND a.state = 'active' AND ` + r.recipient + ` IS NOT NULL AND ` + cond
	}
	var n int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `INSERT INTO notifications (organisation_id, id, person_id, key, kind, params, link, created_at)
			SELECT org, `+s.sqlNewID()+`, person, key, kind, params, '/agreements/' || agreement, `+s.sqlTS(at)+`
			FROM (`+strings.Join(selects, "\n\t\t\tUNION ALL ")+`) due
			WHERE true
			ON CONFLICT (organisation_id, key) DO NOTHING
			RETURNING 1`, q...)
		if err != nil {
			return err
		}
		// Counted from RETURNING: Citus, which runs this INSERT through
		// the coordinator, counts as affected the rows ON CONFLICT skipped.
		defer rows.Close()
		for n = 0; rows.Next(); n++ {
		}
		return rows.Err()
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}

// ImportAgreement stores a complete case as it stands, for the system.
func (s *Store) ImportAgreement(ctx context.Context, a *distans.Agreement, requestPlace, termsPlace string, followUps []*distans.FollowUp) error {
	act, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !act.System {
		return errSystemOnly()
	}
	var v distans.Validation
	if !contains(distans.AgreementStates, a.State) {
		v.Add("state", "Okänt läge.", "Unknown state.")
	}
	if a.EndReason != "" && !contains(distans.EndReasons, a.EndReason) {
		v.Add("end_reason", "Okänt skäl.", "Unknown reason.")
	}
	if a.Request.Start.IsZero() || a.Request.End.Before(a.Request.Start) {
		v.Add("request", "Ansökans period är ogiltig.", "The request's period is not valid.")
	}
	v.MaxLen("request_place", requestPlace, 300)
	v.MaxLen("terms_place", termsPlace, 300)
	if err := v.Err(); err != nil {
		return err
	}
	if a.Terms != nil {
		if err := a.Terms.Validate(); err != nil {
			return err
		}
	}
	if a.State == distans.AgreementActive && a.Terms == nil {
		return invalid("terms", "En gällande överenskommelse behöver villkor.", "An active agreement needs terms.")
	}
	// What the transaction fills in when it is missing, kept for a second
	// attempt of it (see write): a number taken by a rolled-back attempt is
	// no longer taken.
	givenUnit, givenNumber := a.UnitID, a.Number
	return s.write(ctx, func(tx *sql.Tx) error {
		a.UnitID, a.Number = givenUnit, givenNumber
		p, err := findPersonRow(ctx, tx, act.OrganisationID, a.PersonID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("person_id", "Personen finns inte i organisationen.", "The person is not in the organisation.")
		} else if err != nil {
			return err
		}
		if a.UnitID == "" {
			a.UnitID = p.UnitID
		}
		unit, err := findUnit(ctx, tx, act.OrganisationID, a.UnitID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("unit_id", "Enheten finns inte i organisationen.", "The unit is not in the organisation.")
		} else if err != nil {
			return err
		}
		a.OrganisationID, a.PersonName, a.UnitName, a.UnitPath = act.OrganisationID, p.Name, unit.Name, unit.Path
		if a.ID == "" {
			a.ID = newID()
		}
		if a.Version <= 0 {
			a.Version = 1
		}
		t := now(ctx)
		if a.CreatedAt.IsZero() {
			a.CreatedAt = t
		}
		if a.UpdatedAt.IsZero() {
			a.UpdatedAt = t
		}
		if a.Number == "" {
			loc, err := s.orgLocation(ctx, tx, a.OrganisationID)
			if err != nil {
				return err
			}
			if a.Number, err = nextNumber(ctx, tx, a.OrganisationID, a.CreatedAt.In(loc).Year()); err != nil {
				return err
			}
		}
		a.Request.Place = ""
		if a.Terms != nil {
			a.Terms, _ = splitTerms(a.Terms)
		}
		a.FollowUps = nil
		a.PlaceSet = requestPlace != "" || termsPlace != ""
		g := &agreement{Agreement: a, requestPlace: requestPlace, termsPlace: termsPlace}
		if err := insertAgreement(ctx, tx, g); err != nil {
			return err
		}
		for _, f := range followUps {
			c := *f
			if c.ID == "" {
				c.ID = newID()
			}
			c.AgreementID = a.ID
			if c.RecordedAt.IsZero() {
				c.RecordedAt = t
			}
			if err := insertFollowUp(ctx, tx, a.OrganisationID, &c); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, act, a.OrganisationID, "agreement.import", "agreement", a.ID,
			a.Number+": imported the case of "+p.Name+" ("+string(a.State)+")")
	})
}

// orgLocation returns the organisation's time zone.
func (s *Store) orgLocation(ctx context.Context, q querier, orgID string) (*time.Location, error) {
	if _, err := s.today(ctx, q, orgID); err != nil { // loads and caches it
		return nil, err
	}
	loc, _ := s.locs.Load(orgID)
	return loc.(*time.Location), nil
}

// RemoteWeekdays returns, by person, the remote weekdays of the agreement
// in force on date for the people the actor may see: one query for a
// whole page of the directory.
func (s *Store) RemoteWeekdays(ctx context.Context, personIDs []string, date time.Time) (map[string][]string, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	if len(personIDs) == 0 {
		return out, nil
	}
	var q args
	org := q.add(act.OrganisationID)
	ids := make([]string, len(personIDs))
	for i, id := range personIDs {
		ids[i] = q.add(id)
	}
	d := q.add(day(date))
	rows, err := s.rdb.QueryContext(ctx, `SELECT a.person_id, p.unit_path, a.terms FROM agreements a
		JOIN people p ON p.organisation_id = a.organisation_id AND p.id = a.person_id
		WHERE a.organisation_id = `+org+` AND a.person_id IN (`+strings.Join(ids, ", ")+`)
		AND a.state IN ('active', 'ended') AND a.terms IS NOT NULL
		AND a.start_on <= `+d+` AND a.end_on >= `+d+` AND (a.ended_on IS NULL OR a.ended_on >= `+d+`)
		ORDER BY a.person_id, a.start_on DESC`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var personID, unitPath, terms string
		if err := rows.Scan(&personID, &unitPath, &terms); err != nil {
			return nil, err
		}
		// The newest agreement in force is the person's; a renewal that has
		// begun wins over the one it renews.
		if seen[personID] {
			continue
		}
		seen[personID] = true
		if !canSee(act, &distans.Person{ID: personID, UnitPath: unitPath}) {
			continue
		}
		var t distans.Terms
		if err := json.Unmarshal([]byte(terms), &t); err != nil {
			return nil, fmt.Errorf("sqlstore: agreement terms: %w", err)
		}
		if len(t.Weekdays) > 0 {
			out[personID] = t.Weekdays
		}
	}
	return out, rows.Err()
}
