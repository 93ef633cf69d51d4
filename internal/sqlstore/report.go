package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"github.com/distans/distans"
)

// The reports' facts (issue 17): counts by the unit a record belongs to,
// each query an index range over one organisation, narrowed to the
// actor's report scope by the unit's materialised path. Laying them out
// in tables and suppressing them for the union is the report service's.

// reportScope is the actor's report scope, EFORBIDDEN when there is none.
func reportScope(a *distans.Actor) (distans.ReportScope, error) {
	rs := a.ReportScope()
	if rs.None() {
		return rs, distans.Forbidden()
	}
	return rs, nil
}

// ReportData finds the facts of one report kind in the actor's report
// scope: the period [from, to] bounds decisions, follow-ups, incidents
// and losses; standing counts are as of today.
func (s *Store) ReportData(ctx context.Context, kind distans.ReportKind, from, to time.Time) (*distans.ReportData, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := reportScope(a)
	if err != nil {
		return nil, err
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, err
	}
	today, err := s.today(ctx, s.rdb, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	d := &distans.ReportData{OrganisationID: a.OrganisationID, Today: today, Labels: map[string]distans.ReportNote{}}
	f := &factSet{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = $1`, a.OrganisationID).Scan(&d.OrganisationName); err != nil {
			return err
		}
		if err := reportUnits(ctx, tx, a.OrganisationID, rs.Scope, d); err != nil {
			return err
		}
		var q args
		q.add(a.OrganisationID)
		if err := f.query(ctx, tx, "staff", `SELECT p.unit_id, '', '', COUNT(*) FROM people p
			WHERE p.organisation_id = $1 AND p.employed AND p.unit_id <> '' AND `+scopeSQL(&q, "p.unit_path", rs.Scope)+`
			GROUP BY p.unit_id`, q...); err != nil {
			return err
		}
		switch kind {
		case distans.ReportAgreements:
			return agreementFacts(ctx, tx, a.OrganisationID, rs.Scope, from, to, today, f)
		case distans.ReportIncidents:
			return incidentFacts(ctx, tx, a.OrganisationID, rs.Scope, from, to, f)
		case distans.ReportEquipment:
			return equipmentFacts(ctx, tx, a.OrganisationID, rs.Scope, from, to, f)
		case distans.ReportTraining:
			return ackFacts(ctx, tx, a.OrganisationID, rs.Scope, today, f, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.Facts = f.facts
	if kind == distans.ReportOffice {
		if d.Utilisation, err = s.Utilisation(ctx, from, to); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// reportUnits reads the units of the scope and finds its top ones.
func reportUnits(ctx context.Context, tx *sql.Tx, orgID string, sc distans.Scope, d *distans.ReportData) error {
	var q args
	q.add(orgID)
	rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(parent_id, ''), name, path FROM units
		WHERE organisation_id = $1 AND `+scopeSQL(&q, "path", sc)+` ORDER BY path`, q...)
	if err != nil {
		return err
	}
	defer rows.Close()
	in := map[string]bool{}
	for rows.Next() {
		var u distans.ReportUnit
		if err := rows.Scan(&u.ID, &u.ParentID, &u.Name, &u.Path); err != nil {
			return err
		}
		in[u.ID] = true
		d.Units = append(d.Units, u)
	}
	for _, u := range d.Units {
		if !in[u.ParentID] {
			d.RootIDs = append(d.RootIDs, u.ID)
		}
	}
	return rows.Err()
}

// factSet collects facts, adding up those with the same keys.
type factSet struct {
	facts []distans.ReportFact
	index map[distans.ReportFact]int // keyed with N zero
}

func (f *factSet) add(measure, unit, category, month string, days, n int) {
	if n == 0 {
		return
	}
	if f.index == nil {
		f.index = map[distans.ReportFact]int{}
	}
	k := distans.ReportFact{Measure: measure, UnitID: unit, Category: category, Month: month, Days: days}
	if i, ok := f.index[k]; ok {
		f.facts[i].N += n
		return
	}
	f.index[k] = len(f.facts)
	k.N = n
	f.facts = append(f.facts, k)
}

// query adds the facts of a statement that selects unit, category, month
// and a count, under measure.
func (f *factSet) query(ctx context.Context, tx *sql.Tx, measure, query string, q ...any) error {
	rows, err := tx.QueryContext(ctx, query, q...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var unit, cat, month string
		var n int
		if err := rows.Scan(&unit, &cat, &month, &n); err != nil {
			return err
		}
		f.add(measure, unit, cat, month, -1, n)
	}
	return rows.Err()
}

// agreementFacts reads every case in scope once and counts it in Go: its
// state, whether it ends within 30 and 60 days, whether a follow-up is
// overdue, its decision in the period and the days it took, its remote
// weekdays while active, and whether it was in force at the end of each of
// the twelve months up to to.
func agreementFacts(ctx context.Context, tx *sql.Tx, orgID string, sc distans.Scope, from, to, today time.Time, f *factSet) error {
	var q args
	q.add(orgID)
	rows, err := tx.QueryContext(ctx, `SELECT a.unit_id, a.state, a.start_on, a.end_on, a.ended_on, a.next_follow_up_on,
		a.created_at, a.decision, CASE WHEN a.state = 'active' THEN a.terms END
		FROM agreements a JOIN units u ON u.organisation_id = a.organisation_id AND u.id = a.unit_id
		WHERE a.organisation_id = $1 AND `+scopeSQL(&q, "u.path", sc), q...)
	if err != nil {
		return err
	}
	defer rows.Close()
	months := reportMonths(to)
	end := to.AddDate(0, 0, 1)
	for rows.Next() {
		var unit, state string
		var start, stop, created time.Time
		var ended, next *time.Time
		var decision, terms sql.NullString
		if err := rows.Scan(&unit, &state, dt(&start), dt(&stop), nulldt(&ended), nulldt(&next), tm(&created),
			&decision, &terms); err != nil {
			return err
		}
		f.add("state:"+state, unit, "", "", -1, 1)
		if state == string(distans.AgreementActive) {
			if !stop.Before(today) && !stop.After(today.AddDate(0, 0, 30)) {
				f.add("ending_30", unit, "", "", -1, 1)
			}
			if !stop.Before(today) && !stop.After(today.AddDate(0, 0, 60)) {
				f.add("ending_60", unit, "", "", -1, 1)
			}
			if next != nil && next.Before(today) {
				f.add("follow_up_overdue", unit, "", "", -1, 1)
			}
			if terms.Valid {
				var t distans.Terms
				if json.Unmarshal([]byte(terms.String), &t) == nil {
					for _, w := range t.Weekdays {
						f.add("remote_days", unit, w, "", -1, 1)
					}
					if len(t.Weekdays) == 0 && t.DaysPerWeek > 0 {
						f.add("remote_days", unit, "flexible", "", -1, 1)
					}
				}
			}
		}
		if decision.Valid {
			var dc distans.Decision
			if json.Unmarshal([]byte(decision.String), &dc) == nil && !dc.DecidedAt.Before(from) && dc.DecidedAt.Before(end) {
				m := "decided_declined"
				if dc.Approved {
					m = "decided_approved"
				}
				f.add(m, unit, "", "", -1, 1)
				f.add("decision_days", unit, "", "", max(0, int(dc.DecidedAt.Sub(created).Hours()/24)), 1)
			}
		}
		if state == string(distans.AgreementActive) || state == string(distans.AgreementEnded) {
			for _, m := range months {
				on := m.AddDate(0, 1, -1) // the month's last day
				if on.After(today) {
					on = today
				}
				if !start.After(on) && !stop.Before(on) && (ended == nil || !ended.Before(on)) {
					f.add("in_force", unit, "", m.Format("2006-01"), -1, 1)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	q = args{}
	q.add(orgID)
	if err := f.query(ctx, tx, "staff_with_agreement", `SELECT p.unit_id, '', '', COUNT(*) FROM people p
		WHERE p.organisation_id = $1 AND p.employed AND p.unit_id <> '' AND `+scopeSQL(&q, "p.unit_path", sc)+`
		AND EXISTS (SELECT 1 FROM agreements a WHERE a.organisation_id = p.organisation_id AND a.person_id = p.id
		AND a.state = 'active') GROUP BY p.unit_id`, q...); err != nil {
		return err
	}
	q = args{}
	q.add(orgID)
	lo, hi := q.add(day(from)), q.add(day(to))
	rows2, err := tx.QueryContext(ctx, `SELECT a.unit_id, fu.spill_over_rating, COUNT(*)
		FROM agreement_follow_ups fu
		JOIN agreements a ON a.organisation_id = fu.organisation_id AND a.id = fu.agreement_id
		JOIN units u ON u.organisation_id = a.organisation_id AND u.id = a.unit_id
		WHERE fu.organisation_id = $1 AND fu.on_date >= `+lo+` AND fu.on_date <= `+hi+` AND `+scopeSQL(&q, "u.path", sc)+`
		GROUP BY a.unit_id, fu.spill_over_rating`, q...)
	if err != nil {
		return err
	}
	defer rows2.Close()
	for rows2.Next() {
		var unit, rating string
		var n int
		if err := rows2.Scan(&unit, &rating, &n); err != nil {
			return err
		}
		if rating == "" {
			rating = "unrated"
		}
		f.add("spill:"+rating, unit, "", "", -1, n)
	}
	return rows2.Err()
}

// reportMonths are the first days of the twelve months up to and
// including to's.
func reportMonths(to time.Time) []time.Time {
	last := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, 12)
	for i := range out {
		out[i] = last.AddDate(0, i-11, 0)
	}
	return out
}

// incidentFacts counts the incidents discovered in the period by unit,
// kind and month, and each of their clocks as met (done by the deadline,
// or not required), missed (done late, or still open past it) or open.
// An incident of no unit counts only in a scope of the whole
// organisation.
func incidentFacts(ctx context.Context, tx *sql.Tx, orgID string, sc distans.Scope, from, to time.Time, f *factSet) error {
	var q args
	q.add(orgID)
	lo, hi := q.add(ts(from)), q.add(ts(to.AddDate(0, 0, 1)))
	where := "i.organisation_id = $1 AND i.discovered_at >= " + lo + " AND i.discovered_at < " + hi
	if !sc.All {
		where += " AND " + scopeSQL(&q, "u.path", sc)
	}
	at := now(ctx)
	rows, err := tx.QueryContext(ctx, `SELECT COALESCE(i.unit_id, ''), i.kind, i.discovered_at, c.due_at, c.done_at,
		c.not_required
		FROM incidents i LEFT JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id
		JOIN incident_clocks c ON c.organisation_id = i.organisation_id AND c.incident_id = i.id
		WHERE `+where+` ORDER BY i.id`, q...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var unit, kind string
		var discovered time.Time
		var due time.Time
		var done *time.Time
		var notRequired bool
		if err := rows.Scan(&unit, &kind, tm(&discovered), tm(&due), nulltm(&done), &notRequired); err != nil {
			return err
		}
		month := discovered.Format("2006-01")
		f.add("clocks", unit, kind, month, -1, 1)
		switch {
		case notRequired || (done != nil && !done.After(due)):
			f.add("clock_met", unit, kind, month, -1, 1)
		case done != nil || at.After(due):
			f.add("clock_missed", unit, kind, month, -1, 1)
		default:
			f.add("clock_open", unit, kind, month, -1, 1)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	q = args{}
	q.add(orgID)
	lo, hi = q.add(ts(from)), q.add(ts(to.AddDate(0, 0, 1)))
	where = "i.organisation_id = $1 AND i.discovered_at >= " + lo + " AND i.discovered_at < " + hi
	if !sc.All {
		where += " AND " + scopeSQL(&q, "u.path", sc)
	}
	rows2, err := tx.QueryContext(ctx, `SELECT COALESCE(i.unit_id, ''), i.kind, i.discovered_at
		FROM incidents i LEFT JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id WHERE `+where, q...)
	if err != nil {
		return err
	}
	defer rows2.Close()
	for rows2.Next() {
		var unit, kind string
		var discovered time.Time
		if err := rows2.Scan(&unit, &kind, tm(&discovered)); err != nil {
			return err
		}
		f.add("incidents", unit, kind, discovered.Format("2006-01"), -1, 1)
	}
	return rows2.Err()
}

// equipmentFacts counts items by status and unit, items still held by
// people no longer employed (returns outstanding), loss reports made in
// the period and issues not yet accepted, each by the unit of the item or
// of the person.
func equipmentFacts(ctx context.Context, tx *sql.Tx, orgID string, sc distans.Scope, from, to time.Time, f *factSet) error {
	var q args
	q.add(orgID)
	if err := f.query(ctx, tx, "items_issued", `SELECT i.unit_id, '', '', COUNT(*) FROM equipment_items i
		JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id
		WHERE i.organisation_id = $1 AND i.status = 'issued' AND `+scopeSQL(&q, "u.path", sc)+` GROUP BY i.unit_id`, q...); err != nil {
		return err
	}
	q = args{}
	q.add(orgID)
	// Outstanding returns are open return tasks, as IT's overview counts
	// them (EquipmentOverview): an item to hand back when a long leave or
	// the employment ends, or a subscription to end.
	if err := f.query(ctx, tx, "return_outstanding", `SELECT p.unit_id, '', '', COUNT(*) FROM equipment_return_tasks x
		JOIN people p ON p.organisation_id = x.organisation_id AND p.id = x.person_id
		WHERE x.organisation_id = $1 AND x.state = 'open' AND p.unit_id <> '' AND `+
		scopeSQL(&q, "p.unit_path", sc)+` GROUP BY p.unit_id`, q...); err != nil {
		return err
	}
	q = args{}
	q.add(orgID)
	lo, hi := q.add(ts(from)), q.add(ts(to.AddDate(0, 0, 1)))
	if err := f.query(ctx, tx, "losses", `SELECT p.unit_id, '', '', COUNT(*) FROM equipment_losses l
		JOIN people p ON p.organisation_id = l.organisation_id AND p.id = l.person_id
		WHERE l.organisation_id = $1 AND l.created_at >= `+lo+` AND l.created_at < `+hi+` AND p.unit_id <> '' AND `+
		scopeSQL(&q, "p.unit_path", sc)+` GROUP BY p.unit_id`, q...); err != nil {
		return err
	}
	q = args{}
	q.add(orgID)
	return f.query(ctx, tx, "handover_pending", `SELECT p.unit_id, '', '', COUNT(*) FROM equipment_handovers h
		JOIN people p ON p.organisation_id = h.organisation_id AND p.id = h.person_id
		WHERE h.organisation_id = $1 AND h.state = 'pending' AND p.unit_id <> '' AND `+
		scopeSQL(&q, "p.unit_path", sc)+` GROUP BY p.unit_id`, q...)
}

// ackFacts counts, for each current required document, the employed
// people it applies to who have not acknowledged its current version, by
// unit (the rule of Outstanding, counted).
func ackFacts(ctx context.Context, tx *sql.Tx, orgID string, sc distans.Scope, today time.Time, f *factSet, d *distans.ReportData) error {
	docs, err := currentDocuments(ctx, tx, orgID, true)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		var q args
		q.add(orgID)
		where := "p.organisation_id = $1 AND p.employed AND p.unit_id <> '' AND " + scopeSQL(&q, "p.unit_path", sc)
		if doc.path != "" {
			where += " AND " + inSubtree(&q, "p.unit_path", doc.path)
		}
		where += ` AND NOT EXISTS (SELECT 1 FROM acknowledgements k WHERE k.organisation_id = p.organisation_id
			AND k.document_id = ` + q.add(doc.ID) + ` AND k.version = ` + q.add(doc.Version) + ` AND k.person_id = p.id)`
		if err := f.query(ctx, tx, "ack_outstanding", `SELECT p.unit_id, `+q.add(doc.ID)+`, '', COUNT(*) FROM people p
			WHERE `+where+` GROUP BY p.unit_id`, q...); err != nil {
			return err
		}
		d.Labels[doc.ID] = distans.ReportNote{Sv: doc.Title, En: doc.Title}
	}
	return nil
}

// ReportTrainingSubjects returns what the training rule needs of the
// people employed in the actor's report scope; the report service counts
// them by course and unit. Names are read but never leave the service.
func (s *Store) ReportTrainingSubjects(ctx context.Context, courses ...string) ([]*distans.TrainingSubject, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := reportScope(a)
	if err != nil {
		return nil, err
	}
	today, err := s.today(ctx, s.rdb, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	var out []*distans.TrainingSubject
	err = s.read(ctx, func(tx *sql.Tx) error {
		var q args
		where := "p.organisation_id = " + q.add(a.OrganisationID)
		whole := rs.All
		if !rs.All {
			where += " AND " + scopeSQL(&q, "p.unit_path", rs.Scope)
		}
		out, err = trainingSubjects(ctx, tx, where, whole, today, q, courses)
		return err
	})
	return out, err
}

// detailPage is how many agreements a details scan reads at a time.
const detailPage = 1000

// ReportDetails streams one row per agreement in scope, in ID order, a
// page at a time by keyset, so that no more than a page is ever held.
func (s *Store) ReportDetails(ctx context.Context, f distans.ReportFilter, w distans.DetailWriter) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	rs, err := reportScope(a)
	if err != nil {
		return err
	}
	if rs.Suppressed {
		return distans.Forbidden()
	}
	if f.Kind != distans.ReportAgreements {
		return distans.Errorf(distans.EINVALID, "Underlag finns bara för distansarbete.", "Details exist only for remote work.")
	}
	sc := rs.Scope
	if f.UnitID != "" {
		var path string
		if err := s.read(ctx, func(tx *sql.Tx) error {
			u, err := findUnit(ctx, tx, a.OrganisationID, f.UnitID)
			if err != nil {
				return err
			}
			path = u.Path
			return nil
		}); err != nil {
			return err
		}
		if !sc.Contains(path) {
			return errUnitNotFound()
		}
		sc = distans.Scope{UnitPaths: []string{path}}
	}
	if err := w.Columns([]distans.ReportNote{{Sv: "Diarienummer", En: "Registration number"}, {Sv: "Enhet", En: "Unit"},
		{Sv: "Medarbetare", En: "Employee"}, {Sv: "Status", En: "State"}, {Sv: "Första dag", En: "Start"},
		{Sv: "Sista dag", En: "End"}, {Sv: "Distansdagar per vecka", En: "Remote days per week"}}); err != nil {
		return err
	}
	after := ""
	for {
		type rec struct{ id, number, unit, person, state, start, end, days string }
		var page []rec
		err := s.read(ctx, func(tx *sql.Tx) error {
			var q args
			q.add(a.OrganisationID)
			rows, err := tx.QueryContext(ctx, `SELECT a.id, a.number, u.name, p.name, a.state, a.start_on, a.end_on, a.terms
				FROM agreements a
				JOIN units u ON u.organisation_id = a.organisation_id AND u.id = a.unit_id
				JOIN people p ON p.organisation_id = a.organisation_id AND p.id = a.person_id
				WHERE a.organisation_id = $1 AND a.id > `+q.add(after)+` AND `+scopeSQL(&q, "u.path", sc)+`
				ORDER BY a.id`+limitRows(detailPage), q...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var r rec
				var start, end time.Time
				var terms sql.NullString
				if err := rows.Scan(&r.id, &r.number, &r.unit, &r.person, &r.state, dt(&start), dt(&end), &terms); err != nil {
					return err
				}
				r.start, r.end = day(start), day(end)
				if terms.Valid {
					var t distans.Terms
					if json.Unmarshal([]byte(terms.String), &t) == nil {
						n := len(t.Weekdays)
						if n == 0 {
							n = t.DaysPerWeek
						}
						r.days = strconv.Itoa(n)
					}
				}
				page = append(page, r)
			}
			return rows.Err()
		})
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := w.Row([]string{r.number, r.unit, r.person, r.state, r.start, r.end, r.days}); err != nil {
				return err
			}
		}
		if len(page) < detailPage {
			return nil
		}
		after = page[len(page)-1].id
	}
}

// InstallationCounts counts, per organisation, what the operator may
// know of it: people, units, agreements, incidents and equipment. No
// unit, no person.
func (s *Store) InstallationCounts(ctx context.Context) ([]distans.InstallationCount, error) {
	if !distans.ActorFrom(ctx).RunsInstallation() {
		return nil, distans.Forbidden()
	}
	var out []distans.InstallationCount
	// Each count is one scan grouped by organisation, which a Citus
	// cluster runs on every node and adds up; a subquery per organisation
	// joined to the organisations is a join it refuses across nodes.
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, name FROM organisations ORDER BY name, id`)
		if err != nil {
			return err
		}
		at := map[string]int{}
		for rows.Next() {
			var c distans.InstallationCount
			if err := rows.Scan(&c.OrganisationID, &c.OrganisationName); err != nil {
				rows.Close()
				return err
			}
			at[c.OrganisationID] = len(out)
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, c := range []struct {
			from string
			dst  func(*distans.InstallationCount) *int
		}{
			{"people WHERE employed", func(c *distans.InstallationCount) *int { return &c.People }},
			{"units WHERE ended_on IS NULL", func(c *distans.InstallationCount) *int { return &c.Units }},
			{"agreements WHERE state = 'active'", func(c *distans.InstallationCount) *int { return &c.ActiveAgreements }},
			{"agreements WHERE state IN ('requested', 'assessed', 'awaiting_signature')",
				func(c *distans.InstallationCount) *int { return &c.OpenAgreements }},
			{"incidents WHERE state <> 'closed'", func(c *distans.InstallationCount) *int { return &c.OpenIncidents }},
			{"equipment_items WHERE 1 = 1", func(c *distans.InstallationCount) *int { return &c.EquipmentItems }},
			{"equipment_items WHERE status = 'lost'", func(c *distans.InstallationCount) *int { return &c.LostItems }},
		} {
			rows, err := tx.QueryContext(ctx, `SELECT organisation_id, COUNT(*) FROM `+c.from+` GROUP BY organisation_id`)
			if err != nil {
				return err
			}
			for rows.Next() {
				var org string
				var n int
				if err := rows.Scan(&org, &n); err != nil {
					rows.Close()
					return err
				}
				if i, ok := at[org]; ok {
					*c.dst(&out[i]) = n
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
