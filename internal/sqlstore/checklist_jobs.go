package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/checklist"
)

// The checklist jobs, as the system across every organisation (or the
// system actor's one): opening checklists when an employment begins or
// ends or a long leave comes, ticking the tasks Distans sees done, and the
// reminders and escalations of tasks. Each is exactly once: a checklist by
// its unique key (checklists_once, ON CONFLICT DO NOTHING), a reminder or
// escalation by the UPDATE that stamps reminded_at or escalated_at where
// it is still empty, and each notification by its key besides.

// checklistEvent is an employment's start or end, or a leave, that may
// open a checklist.
type checklistEvent struct {
	event   distans.ChecklistEvent
	person  string
	source  string
	on      time.Time
	leaveTo *time.Time // a leave's last day; nil: open-ended
	path    string
}

// leaveDays is the length of a leave from on to its last day, both
// counted; an open-ended leave is longer than any limit.
func (e checklistEvent) leaveDays() int {
	if e.leaveTo == nil {
		return openLeaveDays
	}
	return int(e.leaveTo.Sub(e.on).Hours()/24) + 1
}

// OpenChecklists opens, for each organisation's templates, a checklist per
// template and event within [today-CatchUpDays, today+LeadDays], moves the
// open tasks of a checklist whose event's day changed, cancels one whose
// event is gone, and tells the person and the owners of what opened. It
// returns the number of checklists opened.
func (s *Store) OpenChecklists(ctx context.Context, today time.Time, templates checklist.Templates) (int, error) {
	_, only, err := jobActor(ctx)
	if err != nil {
		return 0, err
	}
	today = distans.DateOf(today)
	return s.eachOrganisation(ctx, only, func(org string) (func(*sql.Tx) (int, error), error) {
		tpls, version, err := templates(org)
		if err != nil || len(tpls) == 0 {
			return nil, err
		}
		return func(tx *sql.Tx) (int, error) { return s.openChecklists(ctx, tx, org, today, tpls, version) }, nil
	})
}

func (s *Store) openChecklists(ctx context.Context, tx *sql.Tx, org string, today time.Time, tpls []distans.ChecklistTemplate,
	packVersion int) (int, error) {
	lead := 0
	for _, t := range tpls {
		lead = max(lead, t.LeadDays)
	}
	from, to := day(today.AddDate(0, 0, -checklist.CatchUpDays)), day(today.AddDate(0, 0, lead))
	events, err := s.checklistEvents(ctx, tx, org, from, to)
	if err != nil {
		return 0, err
	}
	type key struct{ tpl, source string }
	var want []key
	var wantEv []checklistEvent
	var wantTpl []*distans.ChecklistTemplate
	sources := map[string]bool{}
	for i := range tpls {
		t := &tpls[i]
		first, last := today.AddDate(0, 0, -checklist.CatchUpDays), today.AddDate(0, 0, t.LeadDays)
		for _, e := range events {
			if e.event != t.Event || e.on.Before(first) || e.on.After(last) ||
				(e.event == distans.EventLongLeave && e.leaveDays() <= t.LeaveDays) {
				continue
			}
			want, wantEv, wantTpl = append(want, key{t.ID, e.source}), append(wantEv, e), append(wantTpl, t)
			sources[e.source] = true
		}
	}
	// The checklists these events have opened already, whatever their
	// state: a round on a day with nothing new writes nothing.
	have := map[key]bool{}
	ids := make([]string, 0, len(sources))
	for id := range sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for chunk := range slices.Chunk(ids, 500) {
		var q args
		where := "organisation_id = " + q.add(org)
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = q.add(id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT template_id, source_id FROM checklists WHERE `+where+` AND source_id IN (`+
			strings.Join(ph, ", ")+`)`, q...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.tpl, &k.source); err != nil {
				rows.Close()
				return 0, err
			}
			have[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	at := now(ctx)
	sys := distans.SystemActor(org)
	octx := distans.NewContext(ctx, sys)
	var log auditLog
	var notes []*distans.Notification
	var roles orgRoles
	opened := 0
	for i, k := range want {
		if have[k] {
			continue
		}
		have[k] = true
		e, t := wantEv[i], wantTpl[i]
		id := newID()
		res, err := tx.ExecContext(ctx, `INSERT INTO checklists (organisation_id, id, template_id, event, title_sv, title_en, person_id,
			source_id, event_on, state, citation, pack_version, opened_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11, $12, 1) ON CONFLICT DO NOTHING`,
			org, id, t.ID, string(t.Event), t.Title.Sv, t.Title.En, e.person, e.source, day(e.on), t.Citation, packVersion, ts(at))
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, err
		} else if n == 0 {
			continue // another instance opened it
		}
		opened++
		owners := map[distans.TaskOwner]bool{}
		for pos, k := range t.Tasks {
			if _, err := tx.ExecContext(ctx, `INSERT INTO checklist_tasks (organisation_id, id, checklist_id, position, task_id,
				title_sv, title_en, owner, due_on, done_when, citation, state)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open')`, org, newID(), id, pos, k.ID, k.Title.Sv, k.Title.En,
				string(k.Owner), day(e.on.AddDate(0, 0, k.DueDays)), string(k.DoneWhen), k.Citation); err != nil {
				return 0, err
			}
			owners[k.Owner] = true
		}
		log.add("checklist.opened", checklistAuditRecord, id, "opened "+t.ID+" for person "+e.person+" ("+string(t.Event)+" "+day(e.on)+")")
		if roles == nil {
			if roles, err = liveRoles(ctx, tx, org, today); err != nil {
				return 0, err
			}
		}
		to := []string{e.person}
		for _, o := range distans.TaskOwners {
			if owners[o] && o != distans.OwnerPerson {
				to = append(to, ownersOf(roles, o, e.path, e.person)...)
			}
		}
		seen := map[string]bool{}
		for _, p := range to {
			if seen[p] {
				continue
			}
			seen[p] = true
			notes = append(notes, &distans.Notification{PersonID: p, Kind: distans.NotifyChecklistOpened,
				Key:    "checklist/" + id + "/opened/" + p,
				Params: map[string]string{"event": string(t.Event), "person_id": e.person, "date": day(e.on)},
				Link:   "/checklists/" + id})
		}
	}
	if err := s.moveAndCancel(ctx, tx, org, at, tpls, &log); err != nil {
		return 0, err
	}
	if err := names(octx, tx, org, notes); err != nil {
		return 0, err
	}
	for _, n := range notes {
		n.Params["person"] = n.Params["name"]
		delete(n.Params, "name")
	}
	if _, err := s.notifyNew(octx, tx, notes); err != nil {
		return 0, err
	}
	return opened, s.writeAudit(octx, tx, sys, org, &log)
}

// ownersOf are the people who own a task of owner over the person in the
// unit at path: the managers over the unit (not the person), IT or HR
// holding the role over it.
func ownersOf(roles orgRoles, owner distans.TaskOwner, path, person string) []string {
	role := map[distans.TaskOwner]distans.Role{distans.OwnerManager: distans.RoleManager, distans.OwnerIT: distans.RoleIT,
		distans.OwnerHR: distans.RoleHR}[owner]
	if owner == distans.OwnerPerson {
		return []string{person}
	}
	except := ""
	if owner == distans.OwnerManager {
		except = person
	}
	return roles.holders(func(r distans.Role) bool { return r == role }, path, except)
}

// checklistEvents reads the organisation's employment starts and ends and
// leaves whose day is within [from, to].
func (s *Store) checklistEvents(ctx context.Context, tx *sql.Tx, org, from, to string) ([]checklistEvent, error) {
	rows, err := tx.QueryContext(ctx, `SELECT 'employment_start', e.person_id, e.id, e.starts_on, `+s.dialect.cast("NULL", "date")+`, p.unit_path
		FROM employments e JOIN people p ON p.organisation_id = e.organisation_id AND p.id = e.person_id
		WHERE e.organisation_id = $1 AND e.starts_on >= $2 AND e.starts_on <= $3
		UNION ALL
		SELECT 'employment_end', e.person_id, e.id, e.ends_on, `+s.dialect.cast("NULL", "date")+`, p.unit_path
		FROM employments e JOIN people p ON p.organisation_id = e.organisation_id AND p.id = e.person_id
		WHERE e.organisation_id = $1 AND e.ends_on >= $2 AND e.ends_on <= $3
		UNION ALL
		SELECT 'long_leave', l.person_id, l.id, l.starts_on, l.ends_on, p.unit_path
		FROM leaves l JOIN people p ON p.organisation_id = l.organisation_id AND p.id = l.person_id
		WHERE l.organisation_id = $1 AND l.starts_on >= $2 AND l.starts_on <= $3`, org, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []checklistEvent
	for rows.Next() {
		var e checklistEvent
		if err := rows.Scan(&e.event, &e.person, &e.source, dt(&e.on), nulldt(&e.leaveTo), &e.path); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// moveAndCancel follows the organisation's open checklists to their
// events: when the event's day changed, the checklist's day and its open
// tasks' due dates move by as many days; when the event is gone (the
// employment or leave deleted, the end date removed, the leave shortened
// under its template's limit), the checklist and its open tasks are
// cancelled.
func (s *Store) moveAndCancel(ctx context.Context, tx *sql.Tx, org string, at time.Time, tpls []distans.ChecklistTemplate, log *auditLog) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.template_id, c.event, c.event_on, e.starts_on, e.ends_on, l.starts_on, l.ends_on,
		e.id IS NOT NULL, l.id IS NOT NULL
		FROM checklists c
		LEFT JOIN employments e ON e.organisation_id = c.organisation_id AND e.id = c.source_id AND c.event <> 'long_leave'
		LEFT JOIN leaves l ON l.organisation_id = c.organisation_id AND l.id = c.source_id AND c.event = 'long_leave'
		WHERE c.organisation_id = $1 AND c.state = 'open'`, org)
	if err != nil {
		return err
	}
	type change struct {
		id, why    string
		cancel     bool
		from, onto time.Time
	}
	var changes []change
	for rows.Next() {
		var id, tpl string
		var ev distans.ChecklistEvent
		var on time.Time
		var es, ee, ls, le *time.Time
		var hasE, hasL bool
		if err := rows.Scan(&id, &tpl, &ev, dt(&on), nulldt(&es), nulldt(&ee), nulldt(&ls), nulldt(&le), &hasE, &hasL); err != nil {
			rows.Close()
			return err
		}
		var now *time.Time
		why := ""
		switch ev {
		case distans.EventEmploymentStart:
			now, why = es, "the employment was removed"
		case distans.EventEmploymentEnd:
			now, why = ee, "the employment's end date was removed"
		case distans.EventLongLeave:
			now, why = ls, "the leave was removed"
			if ls != nil {
				limit := 0
				for _, t := range tpls {
					if t.ID == tpl {
						limit = t.LeaveDays
					}
				}
				if (checklistEvent{on: *ls, leaveTo: le}).leaveDays() <= limit {
					now, why = nil, "the leave was shortened under the limit"
				}
			}
		}
		switch {
		case now == nil:
			changes = append(changes, change{id: id, why: why, cancel: true})
		case !now.Equal(on):
			changes = append(changes, change{id: id, from: on, onto: *now})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stamp := ts(at)
	for _, c := range changes {
		if c.cancel {
			if _, err := tx.ExecContext(ctx, `UPDATE checklist_tasks SET state = 'cancelled'
				WHERE organisation_id = $1 AND checklist_id = $2 AND state = 'open'`, org, c.id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE checklists SET state = 'cancelled', closed_at = $3, version = version + 1
				WHERE organisation_id = $1 AND id = $2`, org, c.id, stamp); err != nil {
				return err
			}
			log.add("checklist.cancelled", checklistAuditRecord, c.id, "cancelled: "+c.why)
			continue
		}
		shift := int(c.onto.Sub(c.from).Hours() / 24)
		tasks, err := tx.QueryContext(ctx, `SELECT id, due_on FROM checklist_tasks
			WHERE organisation_id = $1 AND checklist_id = $2 AND state = 'open'`, org, c.id)
		if err != nil {
			return err
		}
		type due struct {
			id string
			on time.Time
		}
		var dues []due
		for tasks.Next() {
			var d due
			if err := tasks.Scan(&d.id, dt(&d.on)); err != nil {
				tasks.Close()
				return err
			}
			dues = append(dues, d)
		}
		tasks.Close()
		if err := tasks.Err(); err != nil {
			return err
		}
		for _, d := range dues {
			// A moved due date is reminded of and escalated anew.
			if _, err := tx.ExecContext(ctx, `UPDATE checklist_tasks SET due_on = $3, reminded_at = NULL, escalated_at = NULL
				WHERE organisation_id = $1 AND id = $2`, org, d.id, day(d.on.AddDate(0, 0, shift))); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE checklists SET event_on = $3, version = version + 1
			WHERE organisation_id = $1 AND id = $2`, org, c.id, day(c.onto)); err != nil {
			return err
		}
		log.add("checklist.moved", checklistAuditRecord, c.id, "the event moved from "+day(c.from)+" to "+day(c.onto))
	}
	return nil
}

// doneWhenSQL is when condition kind holds for the person of checklist c
// (and, for a training task, the task checklist_tasks) on the day today.
func doneWhenSQL(q *args, kind distans.DoneWhen, today time.Time) string {
	switch kind {
	case distans.DoneAcknowledged:
		return strings.Replace(doneWhenText[kind], "$required", q.add(true), 1)
	case distans.DoneAccountClosed:
		return strings.ReplaceAll(doneWhenText[kind], "$today", q.add(day(today)))
	}
	return doneWhenText[kind]
}

var doneWhenText = map[distans.DoneWhen]string{
	distans.DoneTraining: `EXISTS (SELECT 1 FROM training_completions x WHERE x.organisation_id = c.organisation_id
		AND x.person_id = c.person_id AND x.removed_at IS NULL AND 'training:' || x.course_id = checklist_tasks.done_when)`,
	// Outstanding's condition: no current version of a required document
	// that applies to the person (organisation-wide, or over their unit)
	// is left unacknowledged.
	distans.DoneAcknowledged: `NOT EXISTS (SELECT 1 FROM people p
		JOIN policy_documents d ON d.organisation_id = p.organisation_id AND d.required = $required
		LEFT JOIN units u ON u.organisation_id = d.organisation_id AND u.id = d.unit_id
		WHERE p.organisation_id = c.organisation_id AND p.id = c.person_id AND ` + isCurrent + `
		AND (u.path IS NULL OR (p.unit_path >= u.path AND p.unit_path < substr(u.path, 1, length(u.path) - 1) || '0'))
		AND NOT EXISTS (SELECT 1 FROM acknowledgements k WHERE k.organisation_id = d.organisation_id AND k.document_id = d.id
			AND k.version = d.version AND k.person_id = p.id))`,
	distans.DoneEquipmentIssued: `EXISTS (SELECT 1 FROM equipment_handovers h WHERE h.organisation_id = c.organisation_id
		AND h.person_id = c.person_id AND h.state = 'accepted')`,
	distans.DoneEquipmentBack: `NOT EXISTS (SELECT 1 FROM equipment_items i WHERE i.organisation_id = c.organisation_id
		AND i.holder_id = c.person_id)`,
	distans.DoneAgreementsEnded: `NOT EXISTS (SELECT 1 FROM agreements g WHERE g.organisation_id = c.organisation_id
		AND g.person_id = c.person_id AND g.state IN ('requested', 'assessed', 'awaiting_signature', 'active'))`,
	// Sign-in refuses a person with no current employment (employedOn):
	// the account is closed once the employment's last day has passed.
	distans.DoneAccountClosed: `((c.event = 'employment_end' AND EXISTS (SELECT 1 FROM employments e
			WHERE e.organisation_id = c.organisation_id AND e.id = c.source_id AND e.ends_on < $today))
		OR (c.event <> 'employment_end' AND NOT EXISTS (SELECT 1 FROM employments e
			WHERE e.organisation_id = c.organisation_id AND e.person_id = c.person_id AND ` + currentOn("e", "$today") + `)))`,
	distans.DonePhoneRegistered: `EXISTS (SELECT 1 FROM people p WHERE p.organisation_id = c.organisation_id AND p.id = c.person_id
		AND p.phone <> '')`,
	distans.DoneKeywords: `EXISTS (SELECT 1 FROM directory_profiles dp WHERE dp.organisation_id = c.organisation_id
		AND dp.person_id = c.person_id AND dp.keywords <> '')`,
}

// TickDoneTasks ticks, as Distans, every open task whose condition holds,
// one UPDATE per condition across the organisations, and closes the
// checklists whose last open task that was. It returns the number of
// tasks ticked.
func (s *Store) TickDoneTasks(ctx context.Context, today time.Time) (int, error) {
	_, only, err := jobActor(ctx)
	if err != nil {
		return 0, err
	}
	today = distans.DateOf(today)
	kinds := []distans.DoneWhen{distans.DoneTraining, distans.DoneAcknowledged, distans.DoneEquipmentIssued, distans.DoneEquipmentBack,
		distans.DoneAgreementsEnded, distans.DoneAccountClosed, distans.DonePhoneRegistered, distans.DoneKeywords}
	n := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		type ticked struct{ org, checklist, task, done string }
		var all []ticked
		at := ts(now(ctx))
		for _, kind := range kinds {
			var q args
			var match string
			if kind == distans.DoneTraining {
				match = "done_when >= " + q.add("training:") + " AND done_when < " + q.add("training;")
			} else {
				match = "done_when = " + q.add(string(kind))
			}
			stamp := q.add(at)
			rows, err := tx.QueryContext(ctx, `UPDATE checklist_tasks SET state = 'done', auto = `+q.add(true)+`, done_at = `+stamp+`
				WHERE state = 'open' AND `+match+` AND `+orgFilter(&q, "organisation_id", only)+`
				AND EXISTS (SELECT 1 FROM checklists c WHERE c.organisation_id = checklist_tasks.organisation_id
					AND c.id = checklist_tasks.checklist_id AND c.state = 'open' AND `+doneWhenSQL(&q, kind, today)+`)
				RETURNING organisation_id, checklist_id, task_id, done_when`, q...)
			if err != nil {
				return fmt.Errorf("%s: %w", kind, err)
			}
			for rows.Next() {
				var t ticked
				if err := rows.Scan(&t.org, &t.checklist, &t.task, &t.done); err != nil {
					rows.Close()
					return err
				}
				all = append(all, t)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		n = len(all)
		if n == 0 {
			return nil
		}
		var q args
		stamp := q.add(at)
		rows, err := tx.QueryContext(ctx, `UPDATE checklists SET state = 'done', closed_at = `+stamp+`, version = version + 1
			WHERE state = 'open' AND `+orgFilter(&q, "organisation_id", only)+` AND NOT EXISTS (SELECT 1 FROM checklist_tasks t
				WHERE t.organisation_id = checklists.organisation_id AND t.checklist_id = checklists.id AND t.state = 'open')
			RETURNING organisation_id, id`, q...)
		if err != nil {
			return err
		}
		closed := map[string]bool{}
		for rows.Next() {
			var org, id string
			if err := rows.Scan(&org, &id); err != nil {
				rows.Close()
				return err
			}
			closed[org+"/"+id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		slices.SortFunc(all, func(x, y ticked) int { return strings.Compare(x.org+x.checklist+x.task, y.org+y.checklist+y.task) })
		for start := 0; start < len(all); {
			org := all[start].org
			var log auditLog
			end := start
			for ; end < len(all) && all[end].org == org; end++ {
				t := all[end]
				summary := "ticked " + t.task + " by itself (" + t.done + ")"
				if closed[org+"/"+t.checklist] && (end+1 == len(all) || all[end+1].checklist != t.checklist) {
					summary += "; the checklist is done"
				}
				log.add("checklist.task_done", checklistAuditRecord, t.checklist, summary)
			}
			start = end
			sys := distans.SystemActor(org)
			if err := s.writeAudit(distans.NewContext(ctx, sys), tx, sys, org, &log); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// claimedTask is a task a deadline round claimed.
type claimedTask struct {
	org, id, checklist, taskID, title string
	owner                             distans.TaskOwner
	due                               time.Time
}

// ChecklistDeadlines reminds the owners of each open task once, from the
// day before it is due to its due day, and escalates each open task once
// the day after it was due (or later), to the managers of the person's
// unit, or HR over it for a manager's task. The claims stamp reminded_at
// and escalated_at where they are empty, so two instances running at once
// claim each task once.
func (s *Store) ChecklistDeadlines(ctx context.Context, today time.Time) (reminded, escalated int, err error) {
	_, only, err := jobActor(ctx)
	if err != nil {
		return 0, 0, err
	}
	today = distans.DateOf(today)
	err = s.write(ctx, func(tx *sql.Tx) error {
		at := now(ctx)
		r, err := claimChecklistTasks(ctx, tx, "reminded_at", at, "due_on >= $2 AND due_on <= $3",
			[]any{day(today), day(today.AddDate(0, 0, 1))}, only)
		if err != nil {
			return err
		}
		e, err := claimChecklistTasks(ctx, tx, "escalated_at", at, "due_on < $2", []any{day(today)}, only)
		if err != nil {
			return err
		}
		reminded, escalated = len(r), len(e)
		return s.notifyChecklistDeadlines(ctx, tx, today, r, e)
	})
	if err != nil {
		return 0, 0, err
	}
	return reminded, escalated, nil
}

func claimChecklistTasks(ctx context.Context, tx *sql.Tx, stamp string, at time.Time, due string, dueArgs []any, only string) ([]claimedTask, error) {
	q := append(args{ts(at)}, dueArgs...)
	rows, err := tx.QueryContext(ctx, `UPDATE checklist_tasks SET `+stamp+` = $1
		WHERE state = 'open' AND `+stamp+` IS NULL AND `+due+` AND `+orgFilter(&q, "organisation_id", only)+`
		RETURNING organisation_id, id, checklist_id, task_id, title_sv, owner, due_on`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []claimedTask
	for rows.Next() {
		var c claimedTask
		if err := rows.Scan(&c.org, &c.id, &c.checklist, &c.taskID, &c.title, &c.owner, dt(&c.due)); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y claimedTask) int { return strings.Compare(x.org+x.id, y.org+y.id) })
	return out, nil
}

func (s *Store) notifyChecklistDeadlines(ctx context.Context, tx *sql.Tx, today time.Time, reminders, escalations []claimedTask) error {
	byOrg := map[string][2][]claimedTask{}
	for _, c := range reminders {
		x := byOrg[c.org]
		x[0] = append(x[0], c)
		byOrg[c.org] = x
	}
	for _, c := range escalations {
		x := byOrg[c.org]
		x[1] = append(x[1], c)
		byOrg[c.org] = x
	}
	orgs := make([]string, 0, len(byOrg))
	for o := range byOrg {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	for _, org := range orgs {
		sets := byOrg[org]
		sys := distans.SystemActor(org)
		octx := distans.NewContext(ctx, sys)
		roles, err := liveRoles(ctx, tx, org, today)
		if err != nil {
			return err
		}
		people, err := checklistPeople(ctx, tx, org, slices.Concat(sets[0], sets[1]))
		if err != nil {
			return err
		}
		var notes []*distans.Notification
		var log auditLog
		add := func(c claimedTask, occasion string, kind distans.NotificationKind, to []string) {
			p := people[c.checklist]
			for _, r := range to {
				if r == "" {
					continue
				}
				notes = append(notes, &distans.Notification{PersonID: r, Kind: kind,
					Key:    "checklist/task/" + c.id + "/" + occasion + "/" + day(c.due) + "/" + r,
					Params: map[string]string{"task": c.title, "person": p.name, "due": day(c.due), "owner": string(c.owner)},
					Link:   "/checklists/" + c.checklist})
			}
		}
		for _, c := range sets[0] {
			p := people[c.checklist]
			add(c, "due", distans.NotifyTaskDueSoon, ownersOf(roles, c.owner, p.path, p.id))
			log.add("checklist.task_reminder", checklistAuditRecord, c.checklist, c.taskID+" due "+day(c.due)+": reminded")
		}
		for _, c := range sets[1] {
			p := people[c.checklist]
			to := ownersOf(roles, distans.OwnerManager, p.path, p.id)
			if c.owner == distans.OwnerManager {
				to = ownersOf(roles, distans.OwnerHR, p.path, p.id)
			}
			add(c, "overdue", distans.NotifyTaskOverdue, to)
			log.add("checklist.task_escalation", checklistAuditRecord, c.checklist, c.taskID+" due "+day(c.due)+": passed, escalated")
		}
		if _, err := s.notifyNew(octx, tx, notes); err != nil {
			return err
		}
		if err := s.writeAudit(octx, tx, sys, org, &log); err != nil {
			return err
		}
	}
	return nil
}

type checklistPerson struct{ id, name, path string }

// checklistPeople returns the person of each checklist of the tasks, by
// checklist ID, 500 checklists a statement.
func checklistPeople(ctx context.Context, tx *sql.Tx, org string, tasks []claimedTask) (map[string]checklistPerson, error) {
	var ids []string
	seen := map[string]bool{}
	for _, t := range tasks {
		if !seen[t.checklist] {
			seen[t.checklist] = true
			ids = append(ids, t.checklist)
		}
	}
	out := map[string]checklistPerson{}
	for chunk := range slices.Chunk(ids, 500) {
		var q args
		where := "c.organisation_id = " + q.add(org)
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = q.add(id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT c.id, p.id, p.name, p.unit_path`+checklistFrom+` WHERE `+where+
			` AND c.id IN (`+strings.Join(ph, ", ")+`)`, q...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var p checklistPerson
			if err := rows.Scan(&id, &p.id, &p.name, &p.path); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
