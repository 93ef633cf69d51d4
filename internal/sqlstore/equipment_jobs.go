package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The equipment jobs: return tasks when a long leave begins or an
// employment ends, their reminders and escalations, and the reminder of
// an unsigned handover. They run as the system, across every
// organisation (or the system actor's one organisation when it names
// one), and are idempotent: a task exists once by its unique key
// (equipment_return_tasks_once), and a reminder or escalation is claimed
// by the UPDATE that stamps reminded_at or escalated_at where it is still
// empty, as the incident deadline job does; each notification is keyed by
// its occasion besides.

// returnHorizon is how far ahead a leave's start or an employment's end
// makes return tasks.
const returnHorizon = 30

// openLeaveDays is the length a leave without an end is given when the
// pack is asked: longer than any limit.
const openLeaveDays = 100 * 366

// jobActor returns the system actor of a job and the organisation it is
// limited to ("" for all).
func jobActor(ctx context.Context) (*distans.Actor, string, error) {
	act := distans.ActorFrom(ctx)
	if act == nil {
		return nil, "", errUnauthorized()
	}
	if !act.System {
		return nil, "", errSystemOnly()
	}
	return act, act.OrganisationID, nil
}

// orgFilter is the condition that limits col to the job's organisation.
func orgFilter(a *args, col, orgID string) string {
	if orgID == "" {
		return "1 = 1"
	}
	return col + " = " + a.add(orgID)
}

// returnCandidate is one held item of a person whose leave begins or
// whose employment ends.
type returnCandidate struct {
	org, person, reason, source string
	due                         time.Time
	leaveEnds                   *time.Time
	item, category              string
	hasItemTask, hasSubTask     bool
}

// newTask is a return task to insert.
type newTask struct {
	org, kind, reason, person, item, source, manager, rule, citation string
	due                                                              time.Time
}

// CreateReturnTasks makes the return tasks of the day across the
// organisations (see the interface's contract in the equipment service):
// for each person with items who begins a leave within returnHorizon days
// (or is on one), or whose employment ends within it (or has ended) with
// no other employment going on, the organisation's plan says what comes
// back; each held item gets a return_item task and, when the plan asks
// and the person holds a SIM card, phone or mobile broadband, one
// end_subscription task, due on the leave's first day or the
// employment's last, for the nearest manager over the person's unit.
// The candidates are one statement and the tasks a few, whatever the
// number of people. Open tasks whose leave or end date was withdrawn, or
// whose leave was shortened below the pack's limit (leaveDays), are
// cancelled, and those whose date moved follow it. Every round reads
// every organisation's sources and open tasks afresh: nothing it skips
// depends on what an earlier round saw, so a day the job did not run is
// caught up by the next. It returns the number of tasks made.
func (s *Store) CreateReturnTasks(ctx context.Context, today time.Time,
	plans func(orgID string) (distans.ReturnPlan, error)) (int, error) {
	_, only, err := jobActor(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		n = 0 // write may run this again
		if err := s.roundPlans(ctx, tx); err != nil {
			return err
		}
		ask := newPlanAsker(plans)
		cands, err := returnCandidates(ctx, tx, today, only)
		if err != nil {
			return err
		}
		tasks, err := planReturnTasks(cands, ask)
		if err != nil {
			return err
		}
		if len(tasks) > 0 {
			if err := nearestManagers(ctx, tx, today, only, tasks); err != nil {
				return err
			}
		}
		made, err := s.insertReturnTasks(ctx, tx, tasks)
		if err != nil {
			return err
		}
		n = len(made)
		stale, short, err := staleTasks(ctx, tx, only, ask)
		if err != nil {
			return err
		}
		var shortened []madeTask
		for chunk := range slices.Chunk(short, stalePeopleChunk) {
			c, err := cancelShortLeaves(ctx, tx, now(ctx), chunk)
			if err != nil {
				return err
			}
			shortened = append(shortened, c...)
		}
		var cancelled, moved []madeTask
		for chunk := range slices.Chunk(stale, stalePeopleChunk) {
			c, err := cancelWithdrawnTasks(ctx, tx, now(ctx), chunk)
			if err != nil {
				return err
			}
			m, err := moveRescheduledTasks(ctx, tx, now(ctx), chunk)
			if err != nil {
				return err
			}
			cancelled, moved = append(cancelled, c...), append(moved, m...)
		}
		return s.afterReturnTasks(ctx, tx, made, cancelled, shortened, moved)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// returnCandidates reads the held items of the people whose leave or
// employment end calls for a return, but only of the groups (a person, a
// reason and its source) that may still lack a task: one of their items
// has no return_item task, or a subscription item is held and the group
// has no end_subscription task. A group whose tasks all exist is not read
// back, so that a round on a day when nothing changed returns next to
// nothing; a group the plan asked nothing (or not everything) of, such as
// a short leave, is read back each day and asked again, as the plan may
// have changed.
func returnCandidates(ctx context.Context, tx *sql.Tx, today time.Time, only string) ([]returnCandidate, error) {
	var a args
	t, horizon := a.add(day(today)), a.add(day(today.AddDate(0, 0, returnHorizon)))
	where := orgFilter(&a, "c.organisation_id", only)
	subs := make([]string, len(subscriptionCategories))
	for i, c := range subscriptionCategories {
		subs[i] = a.add(string(c))
	}
	// Whether a task of the group exists is an EXISTS in the select list,
	// not an outer join: Citus runs no outer join on the union of sources.
	exists := func(kind, item string) string {
		return `CASE WHEN EXISTS (SELECT 1 FROM equipment_return_tasks t WHERE t.organisation_id = c.organisation_id
			AND t.person_id = c.person_id AND t.reason = c.reason AND t.source_id = c.source_id AND t.kind = '` + kind + `'` + item + `)
			THEN 1 ELSE 0 END`
	}
	// The tests are made once for each item in a materialised WITH: the
	// window below would otherwise repeat them, as PostgreSQL pulls the
	// query they are in up into its own.
	rows, err := tx.QueryContext(ctx, `WITH held AS MATERIALIZED (
		SELECT c.organisation_id, c.person_id, c.reason, c.source_id, c.due_on, c.leave_ends, i.id AS item_id, i.category,
			`+exists("return_item", " AND t.item_id = i.id")+` AS has_item,
			CASE WHEN i.category IN (`+strings.Join(subs, ", ")+`) THEN `+exists("end_subscription", "")+` ELSE 0 END AS has_sub
		FROM (
			SELECT l.organisation_id, l.person_id, 'leave' AS reason, l.id AS source_id, l.starts_on AS due_on, l.ends_on AS leave_ends
			FROM leaves l WHERE l.starts_on <= `+horizon+` AND (l.ends_on IS NULL OR l.ends_on >= `+t+`)
			UNION ALL
			SELECT e.organisation_id, e.person_id, 'employment_end', e.id, e.ends_on, NULL
			FROM employments e WHERE e.ends_on IS NOT NULL AND e.ends_on <= `+horizon+`
			AND NOT EXISTS (SELECT 1 FROM employments x WHERE x.organisation_id = e.organisation_id AND x.person_id = e.person_id
				AND x.id <> e.id AND (x.ends_on IS NULL OR x.ends_on > e.ends_on))
		) c
		JOIN equipment_items i ON i.organisation_id = c.organisation_id AND i.holder_id = c.person_id AND i.status = 'issued'
		WHERE `+where+`
	)
	SELECT organisation_id, person_id, reason, source_id, due_on, leave_ends, item_id, category, has_item, has_sub FROM (
		SELECT held.*, MAX(CASE WHEN has_item = 0 OR (has_sub = 0 AND category IN (`+strings.Join(subs, ", ")+`)) THEN 1 ELSE 0 END)
			OVER (PARTITION BY organisation_id, person_id, reason, source_id) AS lacks
		FROM held
	) y WHERE lacks = 1 ORDER BY organisation_id, person_id, reason, source_id, item_id`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []returnCandidate
	for rows.Next() {
		var c returnCandidate
		var hasItem, hasSub int
		if err := rows.Scan(&c.org, &c.person, &c.reason, &c.source, dt(&c.due), nulldt(&c.leaveEnds), &c.item, &c.category,
			&hasItem, &hasSub); err != nil {
			return nil, err
		}
		c.hasItemTask, c.hasSubTask = hasItem == 1, hasSub == 1
		out = append(out, c)
	}
	return out, rows.Err()
}

// subscriptionCategories are the categories whose item carries a
// subscription to end, in the order the end_subscription task picks its
// item: a SIM card first, then a phone, then mobile broadband.
var subscriptionCategories = []distans.EquipmentCategory{distans.EquipmentSIM, distans.EquipmentPhone, distans.EquipmentMobileBroadband}

// subscriptionRank orders the items whose subscription ends (see
// subscriptionCategories); -1 for none.
func subscriptionRank(cat string) int {
	return slices.Index(subscriptionCategories, distans.EquipmentCategory(cat))
}

// leaveDays is a leave's length in days, its first and last day
// included, or openLeaveDays when it has no end: the length the pack is
// asked about, whose limit says which leave is long (Sorsele 004 §8.6:
// longer than a year). The round asks it of a leave before making its
// tasks and again of a leave with open tasks, so that a leave shortened
// below the limit has its tasks cancelled.
func leaveDays(starts time.Time, ends *time.Time) int {
	if ends == nil {
		return openLeaveDays
	}
	return int(ends.Sub(starts).Hours()/24) + 1
}

// planAsker asks the organisations' plans what comes back, each
// organisation's plan fetched once and each question asked once in a
// round: many people ask the same.
type planAsker struct {
	plans    func(orgID string) (distans.ReturnPlan, error)
	orgPlans map[string]distans.ReturnPlan
	answers  map[string]*distans.ReturnDemand
}

func newPlanAsker(plans func(orgID string) (distans.ReturnPlan, error)) *planAsker {
	return &planAsker{plans: plans, orgPlans: map[string]distans.ReturnPlan{}, answers: map[string]*distans.ReturnDemand{}}
}

// demand is what the organisation's plan asks back for the reason, a
// leave of days (0 for an employment's end) and the held categories
// (sorted, each once); nil for nothing.
func (p *planAsker) demand(org string, reason distans.ReturnReason, days int, held []distans.EquipmentCategory) (*distans.ReturnDemand, error) {
	plan, ok := p.orgPlans[org]
	if !ok {
		var err error
		if plan, err = p.plans(org); err != nil {
			return nil, err
		}
		p.orgPlans[org] = plan
	}
	if plan == nil {
		return nil, nil
	}
	if reason != distans.ReturnLongLeave {
		days = 0
	}
	key := fmt.Sprint(org, "|", reason, "|", days, "|", held)
	d, ok := p.answers[key]
	if !ok {
		var err error
		if d, err = plan(reason, days, held); err != nil {
			return nil, err
		}
		p.answers[key] = d
	}
	return d, nil
}

// heldCategories are the categories of items, sorted, each once.
func heldCategories(items []string) []distans.EquipmentCategory {
	var held []distans.EquipmentCategory
	for _, c := range items {
		if cat := distans.EquipmentCategory(c); !slices.Contains(held, cat) {
			held = append(held, cat)
		}
	}
	slices.Sort(held)
	return held
}

// planReturnTasks asks each organisation's plan about each candidate
// group (a person, a reason and its source) and returns the tasks that do
// not exist yet.
func planReturnTasks(cands []returnCandidate, ask *planAsker) ([]*newTask, error) {
	var out []*newTask
	for start := 0; start < len(cands); {
		c := cands[start]
		end := start + 1
		for end < len(cands) && cands[end].org == c.org && cands[end].person == c.person && cands[end].reason == c.reason &&
			cands[end].source == c.source {
			end++
		}
		group := cands[start:end]
		start = end
		cats := make([]string, len(group))
		hasSub := false
		for i, g := range group {
			cats[i] = g.category
			hasSub = hasSub || g.hasSubTask
		}
		d, err := ask.demand(c.org, distans.ReturnReason(c.reason), leaveDays(c.due, c.leaveEnds), heldCategories(cats))
		if err != nil {
			return nil, err
		}
		if d == nil {
			continue
		}
		task := func(kind distans.ReturnTaskKind, item string) *newTask {
			return &newTask{org: c.org, kind: string(kind), reason: c.reason, person: c.person, item: item, source: c.source,
				rule: d.RuleID, citation: d.Citation, due: c.due}
		}
		for _, g := range group {
			if d.Asks(distans.EquipmentCategory(g.category)) && !g.hasItemTask {
				out = append(out, task(distans.TaskReturnItem, g.item))
			}
		}
		if d.Subscription && !hasSub {
			best := -1
			for i, g := range group {
				if r := subscriptionRank(g.category); r >= 0 && (best < 0 || r < subscriptionRank(group[best].category)) {
					best = i
				}
			}
			if best >= 0 {
				out = append(out, task(distans.TaskEndSubscription, group[best].item))
			}
		}
	}
	return out, nil
}

// nearestManagers sets each task's manager: the manager (role chef) whose
// unit is the nearest one over the person's unit, other than the person.
// The managers of the organisations concerned are read in one statement,
// the people's units in a few: only the people with tasks to make.
func nearestManagers(ctx context.Context, tx *sql.Tx, today time.Time, only string, tasks []*newTask) error {
	people := make([]orgPerson, len(tasks))
	for i, t := range tasks {
		people[i] = orgPerson{t.org, t.person}
	}
	paths, err := peopleColumnIn(ctx, tx, "unit_path", people)
	if err != nil {
		return err
	}
	var a args
	rows, err := tx.QueryContext(ctx, `SELECT r.organisation_id, r.person_id, COALESCE(u.path, '')`+roleFrom+`
		WHERE r.role = `+a.add(string(distans.RoleManager))+` AND r.ended_at IS NULL
		AND (u.ended_on IS NULL OR u.ended_on >= `+a.add(day(today))+`) AND `+orgFilter(&a, "r.organisation_id", only)+`
		ORDER BY r.organisation_id, r.person_id`, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	type grant struct{ person, path string }
	byOrg := map[string][]grant{}
	for rows.Next() {
		var org string
		var g grant
		if err := rows.Scan(&org, &g.person, &g.path); err != nil {
			return err
		}
		byOrg[org] = append(byOrg[org], g)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	nearest := map[string]string{}
	for _, t := range tasks {
		path := paths[orgPerson{t.org, t.person}]
		key := t.org + "|" + t.person
		m, ok := nearest[key]
		if !ok {
			best := -1
			for _, g := range byOrg[t.org] {
				over := g.path == "" || (path != "" && strings.HasPrefix(path, g.path))
				if over && g.person != t.person && len(g.path) > best {
					best, m = len(g.path), g.person
				}
			}
			nearest[key] = m
		}
		t.manager = m
	}
	return nil
}

// madeTask is a task the job made or cancelled.
type madeTask struct {
	org, id, person, reason, source, manager, kind string
	due                                            time.Time
}

// insertReturnTasks inserts the tasks a few thousand a statement, each
// unless it exists, and returns those it made.
func (s *Store) insertReturnTasks(ctx context.Context, tx *sql.Tx, tasks []*newTask) ([]madeTask, error) {
	if len(tasks) == 0 {
		return nil, nil
	}
	cols := []string{"organisation_id", "id", "kind", "reason", "person_id", "item_id", "source_id", "due_on", "manager_id",
		"rule_id", "citation", "state", "version", "created_at", "updated_at"}
	at := ts(now(ctx))
	per := maxParams / len(cols)
	if s.dialect.arrays {
		per = arrayRows
	}
	var out []madeTask
	for chunk := range slices.Chunk(tasks, per) {
		k := len(chunk)
		var text string
		if s.dialect.arrays {
			from, _ := s.rowsFrom(k, len(cols))
			sel := make([]string, len(cols))
			for c, name := range cols {
				sel[c] = s.vcol(c, name)
				if name == "version" {
					sel[c] = "CAST(" + sel[c] + " AS integer)"
				}
			}
			text = `SELECT ` + strings.Join(sel, ", ") + ` FROM ` + from
		} else {
			text = s.valuesList(k, len(cols))
		}
		text = `INSERT INTO equipment_return_tasks (` + strings.Join(cols, ", ") + `) ` + text + `
			ON CONFLICT (organisation_id, person_id, reason, source_id, kind, item_id) DO NOTHING
			RETURNING organisation_id, id, person_id, reason, source_id, manager_id, kind, due_on`
		q := make([]any, 0, k*len(cols))
		for _, t := range chunk {
			q = append(q, t.org, newID(), t.kind, t.reason, t.person, t.item, t.source, day(t.due), nullStr(t.manager), t.rule,
				t.citation, string(distans.TaskOpen), 1, at, at)
		}
		params := q
		if s.dialect.arrays {
			var err error
			if params, err = columns(q, k, len(cols)); err != nil {
				return nil, err
			}
		}
		rows, err := tx.QueryContext(ctx, text, params...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var m madeTask
			if err := rows.Scan(&m.org, &m.id, &m.person, &m.reason, &m.source, str(&m.manager), &m.kind, dt(&m.due)); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// withdrawnSQL is the condition on a task t that its source no longer
// asks for a return: the leave is gone, or the employment is gone, has
// no end date any more, or another employment goes on after it.
const withdrawnSQL = `((t.reason = 'leave' AND NOT EXISTS (SELECT 1 FROM leaves l
		WHERE l.organisation_id = t.organisation_id AND l.id = t.source_id))
	OR (t.reason = 'employment_end' AND NOT EXISTS (SELECT 1 FROM employments e
		WHERE e.organisation_id = t.organisation_id AND e.id = t.source_id AND e.ends_on IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM employments x WHERE x.organisation_id = e.organisation_id AND x.person_id = e.person_id
			AND x.id <> e.id AND (x.ends_on IS NULL OR x.ends_on > e.ends_on)))))`

// orgPerson is a person of an organisation.
type orgPerson struct{ org, person string }

// compareOrgPeople orders people by organisation, then person.
func compareOrgPeople(x, y orgPerson) int {
	return cmp.Or(strings.Compare(x.org, y.org), strings.Compare(x.person, y.person))
}

// orgSource is a person's source of return tasks: a leave.
type orgSource struct{ org, person, source string }

// stalePeopleChunk is how many people (or sources) one statement names:
// the statements that cancel or move tasks, and read people.
const stalePeopleChunk = 1000

// staleTasks returns the people with an open task whose source was
// withdrawn (withdrawnSQL) or now falls on another day (rescheduled), and
// the leaves with open tasks that the plan no longer asks a return for:
// shortened below the pack's limit (leaveDays). It tests each source of
// the open tasks once, not each task, by joins rather than a subquery
// for each: a person leaving has three tasks or so from one source, and
// on most days none is stale, so that the UPDATEs that cancel and move
// tasks are not run at all.
func staleTasks(ctx context.Context, tx *sql.Tx, only string, ask *planAsker) ([]orgPerson, []orgSource, error) {
	people := map[orgPerson]bool{}
	// An employment's tasks are stale when no employment of the person
	// is theirs and ends on their day (it is gone, has no end or moved),
	// or another goes on after that day.
	var a args
	rows, err := tx.QueryContext(ctx, `SELECT t.organisation_id, t.person_id FROM (
			SELECT DISTINCT organisation_id, person_id, source_id, due_on FROM equipment_return_tasks
			WHERE state = 'open' AND reason = 'employment_end' AND `+orgFilter(&a, "organisation_id", only)+`) t
		LEFT JOIN employments x ON x.organisation_id = t.organisation_id AND x.person_id = t.person_id
		GROUP BY t.organisation_id, t.person_id, t.source_id, t.due_on
		HAVING MAX(CASE WHEN x.id = t.source_id AND x.ends_on = t.due_on THEN 1 ELSE 0 END) = 0
			OR MAX(CASE WHEN x.id <> t.source_id AND (x.ends_on IS NULL OR x.ends_on > t.due_on) THEN 1 ELSE 0 END) = 1`, a...)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var p orgPerson
		if err := rows.Scan(&p.org, &p.person); err != nil {
			rows.Close()
			return nil, nil, err
		}
		people[p] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// A leave's tasks are stale when the leave is gone or begins on
	// another day; a leave with an end is asked of the plan again, with
	// the categories of its tasks' items. One without an end is longer
	// than any limit.
	a = args{}
	rows, err = tx.QueryContext(ctx, `SELECT t.organisation_id, t.person_id, t.source_id, t.due_on, COALESCE(l.id, ''), l.starts_on,
			l.ends_on, i.category
		FROM equipment_return_tasks t
		LEFT JOIN leaves l ON l.organisation_id = t.organisation_id AND l.id = t.source_id
		JOIN equipment_items i ON i.organisation_id = t.organisation_id AND i.id = t.item_id
		WHERE t.state = 'open' AND t.reason = 'leave' AND `+orgFilter(&a, "t.organisation_id", only)+`
			AND (l.id IS NULL OR l.starts_on <> t.due_on OR l.ends_on IS NOT NULL)
		ORDER BY t.organisation_id, t.source_id`, a...)
	if err != nil {
		return nil, nil, err
	}
	type leaveRow struct {
		src          orgSource
		leave        string
		starts, ends *time.Time
		due          time.Time
		category     string
	}
	var leaves []leaveRow
	for rows.Next() {
		var r leaveRow
		if err := rows.Scan(&r.src.org, &r.src.person, &r.src.source, dt(&r.due), &r.leave, nulldt(&r.starts), nulldt(&r.ends),
			&r.category); err != nil {
			rows.Close()
			return nil, nil, err
		}
		leaves = append(leaves, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var short []orgSource
	for start := 0; start < len(leaves); {
		r := leaves[start]
		end := start + 1
		for end < len(leaves) && leaves[end].src == r.src {
			end++
		}
		cats := make([]string, 0, end-start)
		moved := false
		for _, x := range leaves[start:end] {
			cats = append(cats, x.category)
			moved = moved || x.leave == "" || !x.starts.Equal(x.due)
		}
		start = end
		if moved {
			people[orgPerson{r.src.org, r.src.person}] = true
			continue
		}
		d, err := ask.demand(r.src.org, distans.ReturnLongLeave, leaveDays(*r.starts, r.ends), heldCategories(cats))
		if err != nil {
			return nil, nil, err
		}
		if d == nil {
			short = append(short, r.src)
		}
	}
	out := make([]orgPerson, 0, len(people))
	for p := range people {
		out = append(out, p)
	}
	slices.SortFunc(out, compareOrgPeople)
	return out, short, nil
}

// peopleSQL is the condition that a row (its columns prefixed by prefix)
// is one of people's, the person (or another row, such as a source) named
// by column person; people are sorted by organisation.
func peopleSQL(a *args, prefix, person string, people []orgPerson) string {
	var orgs []string
	for start := 0; start < len(people); {
		end := start
		var ids []string
		for ; end < len(people) && people[end].org == people[start].org; end++ {
			ids = append(ids, a.add(people[end].person))
		}
		orgs = append(orgs, "("+prefix+"organisation_id = "+a.add(people[start].org)+" AND "+prefix+person+" IN ("+
			strings.Join(ids, ", ")+"))")
		start = end
	}
	if len(orgs) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(orgs, " OR ") + ")"
}

// cancelWithdrawnTasks cancels the open tasks of people whose source no
// longer asks for a return.
func cancelWithdrawnTasks(ctx context.Context, tx *sql.Tx, at time.Time, people []orgPerson) ([]madeTask, error) {
	var a args
	stamp := a.add(ts(at))
	// The task is t itself, not found again by a join: RETURNING names
	// its columns bare, as SQLite wants them.
	rows, err := tx.QueryContext(ctx, `UPDATE equipment_return_tasks AS t SET state = 'cancelled', version = version + 1, updated_at = `+stamp+`
		WHERE t.state = 'open' AND `+peopleSQL(&a, "t.", "person_id", people)+` AND `+withdrawnSQL+`
		RETURNING organisation_id, id, person_id, reason, source_id, manager_id, kind, due_on`, a...)
	if err != nil {
		return nil, err
	}
	return scanMadeTasks(rows)
}

// cancelShortLeaves cancels the open tasks of the leaves the plan no
// longer asks a return for (staleTasks), which are sorted by
// organisation.
func cancelShortLeaves(ctx context.Context, tx *sql.Tx, at time.Time, leaves []orgSource) ([]madeTask, error) {
	var a args
	stamp := a.add(ts(at))
	ids := make([]orgPerson, len(leaves))
	for i, l := range leaves {
		ids[i] = orgPerson{l.org, l.source}
	}
	rows, err := tx.QueryContext(ctx, `UPDATE equipment_return_tasks SET state = 'cancelled', version = version + 1, updated_at = `+stamp+`
		WHERE state = 'open' AND reason = 'leave' AND `+peopleSQL(&a, "", "source_id", ids)+`
		RETURNING organisation_id, id, person_id, reason, source_id, manager_id, kind, due_on`, a...)
	if err != nil {
		return nil, err
	}
	return scanMadeTasks(rows)
}

// scanMadeTasks reads the tasks an UPDATE … RETURNING organisation_id,
// id, person_id, reason, source_id, manager_id, kind, due_on changed.
func scanMadeTasks(rows *sql.Rows) ([]madeTask, error) {
	defer rows.Close()
	var out []madeTask
	for rows.Next() {
		var m madeTask
		if err := rows.Scan(&m.org, &m.id, &m.person, &m.reason, &m.source, str(&m.manager), &m.kind, dt(&m.due)); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// rescheduled names, per reason, the table and column that give a task's
// due day: the leave's first day, the employment's last.
var rescheduled = []struct{ reason, table, column string }{
	{"leave", "leaves", "starts_on"},
	{"employment_end", "employments", "ends_on"},
}

// moveRescheduledTasks moves each open task of people whose leave or
// employment now falls on another day to that day. Its reminder and escalation are due
// again: they are made once per due day, and the manager was reminded
// of a day that no longer holds.
func moveRescheduledTasks(ctx context.Context, tx *sql.Tx, at time.Time, people []orgPerson) ([]madeTask, error) {
	var out []madeTask
	for _, r := range rescheduled {
		var a args
		stamp, reason := a.add(ts(at)), a.add(r.reason)
		source := `FROM ` + r.table + ` x WHERE x.organisation_id = equipment_return_tasks.organisation_id
			AND x.id = equipment_return_tasks.source_id`
		rows, err := tx.QueryContext(ctx, `UPDATE equipment_return_tasks SET due_on = (SELECT x.`+r.column+` `+source+`),
				reminded_at = NULL, escalated_at = NULL, version = version + 1, updated_at = `+stamp+`
			WHERE state = 'open' AND reason = `+reason+` AND `+peopleSQL(&a, "", "person_id", people)+`
				AND EXISTS (SELECT 1 `+source+` AND x.`+r.column+` IS NOT NULL AND x.`+r.column+` <> equipment_return_tasks.due_on)
			RETURNING organisation_id, id, person_id, reason, source_id, manager_id, kind, due_on`, a...)
		if err != nil {
			return nil, err
		}
		moved, err := scanMadeTasks(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, moved...)
	}
	return out, nil
}

// afterReturnTasks tells each made task's manager, once per person and
// source, and audits what was made, cancelled and moved, in each
// organisation's chain. The notifications, names and audit events of all
// the organisations are written in a few statements, not a few for each:
// a day's round touches most of them.
func (s *Store) afterReturnTasks(ctx context.Context, tx *sql.Tx, made, cancelled, shortened, moved []madeTask) error {
	notes := map[string][]*distans.Notification{}
	logs := map[string]*auditLog{}
	logOf := func(org string) *auditLog {
		l := logs[org]
		if l == nil {
			l = &auditLog{}
			logs[org] = l
		}
		return l
	}
	// One event per person and source, naming its tasks: a round that
	// makes a hundred thousand tasks writes a third as many events.
	type group struct{ org, person, reason, source, due string }
	groups := map[group][]string{}
	var order []group
	told := map[string]bool{}
	for _, m := range made {
		g := group{m.org, m.person, m.reason, m.source, day(m.due)}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], m.kind+" "+m.id)
		key := "equipment/return/" + m.person + "/" + m.reason + "/" + m.source + "/created/" + m.manager
		if m.manager == "" || told[m.org+"|"+key] {
			continue
		}
		told[m.org+"|"+key] = true
		notes[m.org] = append(notes[m.org], &distans.Notification{PersonID: m.manager, Kind: notifyReturnTaskCreated, Key: key,
			Params: map[string]string{"reason": m.reason, "date": day(m.due), "person_id": m.person},
			Link:   "/equipment/tasks?person=" + m.person})
	}
	for _, g := range order {
		logOf(g.org).add("equipment.task_create", "person", g.person, fmt.Sprintf("return tasks (%s %s, due %s): %s",
			g.reason, g.source, g.due, strings.Join(groups[g], ", ")))
	}
	for _, m := range cancelled {
		logOf(m.org).add("equipment.task_cancel", taskAuditRecord, m.id, m.kind+": the "+m.reason+" was withdrawn")
	}
	for _, m := range shortened {
		logOf(m.org).add("equipment.task_cancel", taskAuditRecord, m.id, m.kind+": the leave was shortened, no return is asked")
	}
	for _, m := range moved {
		logOf(m.org).add("equipment.task_move", taskAuditRecord, m.id, m.kind+": the "+m.reason+" moved, due "+day(m.due))
	}
	if err := namesIn(ctx, tx, notes); err != nil {
		return err
	}
	if err := s.notifyIn(ctx, tx, notes); err != nil {
		return err
	}
	return s.writeAudits(ctx, tx, logs)
}

// namesIn fills in the "name" parameter of the organisations' notes (by
// organisation) from their "person_id", as names does, across the
// organisations.
func namesIn(ctx context.Context, tx *sql.Tx, notes map[string][]*distans.Notification) error {
	var people []orgPerson
	for org, ns := range notes {
		for _, n := range ns {
			if id := n.Params["person_id"]; id != "" {
				people = append(people, orgPerson{org, id})
			}
		}
	}
	got, err := peopleColumnIn(ctx, tx, "name", people)
	if err != nil {
		return err
	}
	for org, ns := range notes {
		for _, n := range ns {
			if id, ok := n.Params["person_id"]; ok {
				n.Params["name"] = got[orgPerson{org, id}]
				delete(n.Params, "person_id")
			}
		}
	}
	return nil
}

// peopleColumnIn returns a text column of people of several
// organisations, by person, a thousand people a statement.
func peopleColumnIn(ctx context.Context, tx *sql.Tx, column string, people []orgPerson) (map[orgPerson]string, error) {
	people = slices.Clone(people)
	slices.SortFunc(people, compareOrgPeople)
	people = slices.Compact(people)
	out := map[orgPerson]string{}
	for chunk := range slices.Chunk(people, stalePeopleChunk) {
		var a args
		rows, err := tx.QueryContext(ctx, `SELECT organisation_id, id, `+column+` FROM people WHERE `+peopleSQL(&a, "", "id", chunk), a...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var p orgPerson
			var v string
			if err := rows.Scan(&p.org, &p.person, &v); err != nil {
				rows.Close()
				return nil, err
			}
			out[p] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// names fills in the "name" parameter of the organisation's notes from
// their "person_id" (namesIn).
func names(ctx context.Context, tx *sql.Tx, orgID string, notes []*distans.Notification) error {
	return namesIn(ctx, tx, map[string][]*distans.Notification{orgID: notes})
}

// timeZones returns the time zones of the organisations the job covers.
func timeZones(ctx context.Context, tx *sql.Tx, only string) ([]string, error) {
	var a args
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT time_zone FROM organisations o WHERE `+orgFilter(&a, "o.id", only)+
		` ORDER BY time_zone`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var tz string
		if err := rows.Scan(&tz); err != nil {
			return nil, err
		}
		out = append(out, tz)
	}
	return out, rows.Err()
}

// claimTasks stamps stamp with at on the open tasks whose due date is on
// or before (before, when strict) the day given, in the organisations of
// time zone tz, where the stamp is still empty, and returns them.
func claimTasks(ctx context.Context, tx *sql.Tx, stamp string, at, due time.Time, strict bool, tz, only string) ([]madeTask, error) {
	var a args
	op := "<="
	if strict {
		op = "<"
	}
	rows, err := tx.QueryContext(ctx, `UPDATE equipment_return_tasks SET `+stamp+` = `+a.add(ts(at))+`
		WHERE state = 'open' AND `+stamp+` IS NULL AND due_on `+op+` `+a.add(day(due))+`
		AND organisation_id IN (SELECT o.id FROM organisations o WHERE o.time_zone = `+a.add(tz)+` AND `+orgFilter(&a, "o.id", only)+`)
		RETURNING organisation_id, id, person_id, reason, source_id, manager_id, kind, due_on`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []madeTask
	for rows.Next() {
		var m madeTask
		if err := rows.Scan(&m.org, &m.id, &m.person, &m.reason, &m.source, str(&m.manager), &m.kind, dt(&m.due)); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y madeTask) int { return strings.Compare(x.org+x.id, y.org+y.id) })
	return out, nil
}

// ReturnTaskDeadlines reminds each open return task's manager once, 7 days
// before it is due (or at once when it was made later), and escalates
// each task past its due date once, to the managers over the manager's
// unit and IT over the person's. Notifications are one per person,
// source and occasion for each recipient.
func (s *Store) ReturnTaskDeadlines(ctx context.Context, at time.Time) (reminded, escalated int, err error) {
	_, only, err := jobActor(ctx)
	if err != nil {
		return 0, 0, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		reminded, escalated = 0, 0
		zones, err := timeZones(ctx, tx, only)
		if err != nil {
			return err
		}
		var reminders, escalations []madeTask
		todays := map[string]time.Time{}
		for _, tz := range zones {
			today := distans.Today(at, (&distans.Organisation{TimeZone: tz}).Location())
			r, err := claimTasks(ctx, tx, "reminded_at", at, today.AddDate(0, 0, 7), false, tz, only)
			if err != nil {
				return err
			}
			e, err := claimTasks(ctx, tx, "escalated_at", at, today, true, tz, only)
			if err != nil {
				return err
			}
			for _, m := range slices.Concat(r, e) {
				todays[m.org] = today
			}
			reminders, escalations = append(reminders, r...), append(escalations, e...)
		}
		reminded, escalated = len(reminders), len(escalations)
		return s.notifyTaskDeadlines(ctx, tx, reminders, escalations, todays)
	})
	if err != nil {
		return 0, 0, err
	}
	return reminded, escalated, nil
}

func (s *Store) notifyTaskDeadlines(ctx context.Context, tx *sql.Tx, reminders, escalations []madeTask, todays map[string]time.Time) error {
	var orgs []string
	for o := range todays {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	for _, org := range orgs {
		sys := distans.SystemActor(org)
		octx := distans.NewContext(ctx, sys)
		roles, err := liveRoles(ctx, tx, org, todays[org])
		if err != nil {
			return err
		}
		paths, err := unitPathsOf(ctx, tx, org, slices.Concat(reminders, escalations))
		if err != nil {
			return err
		}
		isManager := func(r distans.Role) bool { return r == distans.RoleManager }
		isIT := func(r distans.Role) bool { return r == distans.RoleIT }
		var notes []*distans.Notification
		var log auditLog
		seen := map[string]bool{}
		add := func(m madeTask, occasion string, kind distans.NotificationKind, to []string) {
			for _, p := range to {
				key := "equipment/return/" + m.person + "/" + m.reason + "/" + m.source + "/" + occasion + "/" + day(m.due) + "/" + p
				if p == "" || seen[key] {
					continue
				}
				seen[key] = true
				notes = append(notes, &distans.Notification{PersonID: p, Kind: kind, Key: key,
					Params: map[string]string{"reason": m.reason, "date": day(m.due), "person_id": m.person},
					Link:   "/equipment/tasks?person=" + m.person})
			}
		}
		for _, m := range reminders {
			if m.org != org {
				continue
			}
			to := []string{m.manager}
			if m.manager == "" {
				to = roles.holders(isManager, paths[m.person], m.person)
			}
			add(m, "reminder", notifyReturnTaskReminder, to)
			log.add("equipment.task_reminder", taskAuditRecord, m.id, m.kind+" due "+day(m.due)+": reminded")
		}
		for _, m := range escalations {
			if m.org != org {
				continue
			}
			var to []string
			if m.manager != "" {
				to = roles.holders(isManager, paths[m.manager], m.manager)
			}
			to = append(to, roles.holders(isIT, paths[m.person], m.person)...)
			add(m, "escalation", notifyReturnTaskEscalation, to)
			log.add("equipment.task_escalation", taskAuditRecord, m.id, m.kind+" due "+day(m.due)+": passed, escalated")
		}
		if err := names(octx, tx, org, notes); err != nil {
			return err
		}
		if err := s.notifyMany(octx, tx, notes); err != nil {
			return err
		}
		if err := s.writeAudit(octx, tx, sys, org, &log); err != nil {
			return err
		}
	}
	return nil
}

// unitPathsOf returns the unit paths of the people and managers of the
// tasks of the organisation.
func unitPathsOf(ctx context.Context, tx *sql.Tx, orgID string, tasks []madeTask) (map[string]string, error) {
	var ids []string
	for _, m := range tasks {
		for _, id := range []string{m.person, m.manager} {
			if m.org == orgID && id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return peopleColumn(ctx, tx, orgID, "unit_path", ids)
}

// peopleColumn returns a text column of the organisation's people ids,
// by ID (peopleColumnIn).
func peopleColumn(ctx context.Context, tx *sql.Tx, orgID, column string, ids []string) (map[string]string, error) {
	people := make([]orgPerson, len(ids))
	for i, id := range ids {
		people[i] = orgPerson{orgID, id}
	}
	got, err := peopleColumnIn(ctx, tx, column, people)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(got))
	for p, v := range got {
		out[p.person] = v
	}
	return out, nil
}

// handoverReminderAge is how long a handover waits for its signature
// before the person is reminded.
const handoverReminderAge = 3 * 24 * time.Hour

// HandoverReminders reminds the person of each handover pending for more
// than three days, once, and tells the one who issued it. It returns the
// number of handovers reminded of.
func (s *Store) HandoverReminders(ctx context.Context, at time.Time) (int, error) {
	_, only, err := jobActor(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		var a args
		rows, err := tx.QueryContext(ctx, `UPDATE equipment_handovers SET reminded_at = `+a.add(ts(at))+`
			WHERE state = 'pending' AND reminded_at IS NULL AND issued_at <= `+a.add(ts(at.Add(-handoverReminderAge)))+`
			AND `+orgFilter(&a, "organisation_id", only)+` RETURNING organisation_id, id, person_id, issued_by_id`, a...)
		if err != nil {
			return err
		}
		type claimed struct{ org, id, person, issuer string }
		var cs []claimed
		for rows.Next() {
			var c claimed
			if err := rows.Scan(&c.org, &c.id, &c.person, &c.issuer); err != nil {
				rows.Close()
				return err
			}
			cs = append(cs, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		n = len(cs)
		slices.SortFunc(cs, func(x, y claimed) int { return strings.Compare(x.org+x.id, y.org+y.id) })
		for start := 0; start < len(cs); {
			org := cs[start].org
			end := start
			var notes []*distans.Notification
			var log auditLog
			for ; end < len(cs) && cs[end].org == org; end++ {
				c := cs[end]
				link := "/equipment/handovers/" + c.id
				notes = append(notes, &distans.Notification{PersonID: c.person, Kind: notifyHandoverReminder,
					Key: "equipment/handover/" + c.id + "/reminder", Link: link, Params: map[string]string{}})
				if c.issuer != c.person {
					notes = append(notes, &distans.Notification{PersonID: c.issuer, Kind: notifyHandoverUnaccepted,
						Key: "equipment/handover/" + c.id + "/unaccepted", Link: link, Params: map[string]string{"person_id": c.person}})
				}
				log.add("equipment.handover_reminder", handoverAuditRecord, c.id, "not signed after "+
					strconv.Itoa(int(handoverReminderAge.Hours()/24))+" days: reminded")
			}
			start = end
			sys := distans.SystemActor(org)
			octx := distans.NewContext(ctx, sys)
			if err := names(octx, tx, org, notes); err != nil {
				return err
			}
			if err := s.notifyMany(octx, tx, notes); err != nil {
				return err
			}
			if err := s.writeAudit(octx, tx, sys, org, &log); err != nil {
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
