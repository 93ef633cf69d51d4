package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/checklist"
)

var _ checklist.Store = (*Store)(nil)

// The checklist store: checklists the job opens from the pack's
// templates, and their tasks, ticked by their owners or by Distans. Who
// sees a checklist is Actor.SeesChecklistOf, who ticks a task
// Actor.OwnsTask; both are asked of the person's unit path, which the
// lists turn into SQL through the actor's role scopes (scopeSQL).

func errChecklistNotFound() error {
	return distans.NotFound("Checklistan finns inte.", "The checklist does not exist.")
}

func errChecklistTaskNotFound() error {
	return distans.NotFound("Uppgiften finns inte.", "The task does not exist.")
}

const checklistAuditRecord = "checklist"

// Checklists are read with their person's name, unit and unit path.
const checklistCols = `c.organisation_id, c.id, c.template_id, c.event, c.title_sv, c.title_en, c.person_id, p.name, p.unit_id,
	p.unit_path, c.source_id, c.event_on, c.state, c.citation, c.opened_at, c.closed_at, c.version, c.pack_version`
const checklistFrom = ` FROM checklists c JOIN people p ON p.organisation_id = c.organisation_id AND p.id = c.person_id`

func scanChecklist(sc interface{ Scan(...any) error }) (*distans.Checklist, error) {
	c := &distans.Checklist{}
	err := sc.Scan(&c.OrganisationID, &c.ID, &c.TemplateID, &c.Event, &c.Title.Sv, &c.Title.En, &c.PersonID, &c.PersonName,
		&c.PersonUnitID, &c.PersonUnitPath, &c.SourceID, dt(&c.EventOn), &c.State, &c.Citation, tm(&c.OpenedAt), nulltm(&c.ClosedAt),
		&c.Version, &c.PackVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errChecklistNotFound()
	}
	return c, err
}

const clTaskCols = `t.id, t.checklist_id, t.position, t.task_id, t.title_sv, t.title_en, t.owner, t.due_on, t.done_when, t.citation,
	t.state, t.auto, t.note, t.done_at, t.done_by, COALESCE(d.name, ''), t.reminded_at, t.escalated_at`
const clTaskFrom = ` FROM checklist_tasks t LEFT JOIN people d ON d.organisation_id = t.organisation_id AND d.id = t.done_by`

func scanChecklistTask(sc interface{ Scan(...any) error }, extra ...any) (*distans.ChecklistTask, error) {
	k := &distans.ChecklistTask{}
	err := sc.Scan(append([]any{&k.ID, &k.ChecklistID, &k.Position, &k.TaskID, &k.Title.Sv, &k.Title.En, &k.Owner, dt(&k.DueOn),
		&k.DoneWhen, &k.Citation, &k.State, &k.Auto, &k.Note, nulltm(&k.DoneAt), str(&k.DoneByID), &k.DoneByName,
		nulltm(&k.RemindedAt), nulltm(&k.EscalatedAt)}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errChecklistTaskNotFound()
	}
	return k, err
}

// seesChecklistSQL is Actor.SeesChecklistOf as a condition on the
// checklist c and its person p.
func seesChecklistSQL(q *args, a *distans.Actor) string {
	if a.System {
		return "1 = 1"
	}
	return "(c.person_id = " + q.add(a.PersonID) + " OR " + scopeSQL(q, "p.unit_path", a.RoleScope(distans.RoleManager)) +
		" OR " + scopeSQL(q, "p.unit_path", a.RoleScope(distans.RoleHR)) + " OR " + scopeSQL(q, "p.unit_path", a.RoleScope(distans.RoleIT)) + ")"
}

// findChecklist returns a checklist with its tasks, not found unless the
// actor sees it.
func findChecklist(ctx context.Context, q querier, a *distans.Actor, id string) (*distans.Checklist, error) {
	c, err := scanChecklist(q.QueryRowContext(ctx, `SELECT `+checklistCols+checklistFrom+`
		WHERE c.organisation_id = $1 AND c.id = $2`, a.OrganisationID, id))
	if err != nil {
		return nil, err
	}
	if !a.SeesChecklistOf(c.PersonID, c.PersonUnitPath) {
		return nil, errChecklistNotFound()
	}
	return c, loadTasks(ctx, q, a.OrganisationID, []*distans.Checklist{c})
}

// loadTasks reads the tasks of the checklists, in position order, 500
// checklists a statement.
func loadTasks(ctx context.Context, q querier, orgID string, cs []*distans.Checklist) error {
	byID := map[string]*distans.Checklist{}
	for _, c := range cs {
		byID[c.ID] = c
		c.Tasks = []*distans.ChecklistTask{}
	}
	for start := 0; start < len(cs); start += 500 {
		chunk := cs[start:min(start+500, len(cs))]
		var a args
		where := "t.organisation_id = " + a.add(orgID)
		ph := make([]string, len(chunk))
		for i, c := range chunk {
			ph[i] = a.add(c.ID)
		}
		rows, err := q.QueryContext(ctx, `SELECT `+clTaskCols+clTaskFrom+` WHERE `+where+` AND t.checklist_id IN (`+
			strings.Join(ph, ", ")+`) ORDER BY t.checklist_id, t.position, t.id`, a...)
		if err != nil {
			return err
		}
		for rows.Next() {
			k, err := scanChecklistTask(rows)
			if err != nil {
				rows.Close()
				return err
			}
			c := byID[k.ChecklistID]
			k.PersonID, k.PersonName, k.Event = c.PersonID, c.PersonName, c.Event
			c.Tasks = append(c.Tasks, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// FindChecklist returns a checklist the actor sees, with its tasks.
func (s *Store) FindChecklist(ctx context.Context, id string) (*distans.Checklist, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.Checklist
	err = s.read(ctx, func(tx *sql.Tx) error {
		out, err = findChecklist(ctx, tx, a, id)
		return err
	})
	return out, err
}

// ListChecklists returns the checklists the actor sees that match f, the
// latest event first, with their tasks.
func (s *Store) ListChecklists(ctx context.Context, f distans.ChecklistFilter) ([]*distans.Checklist, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var out []*distans.Checklist
	err = s.read(ctx, func(tx *sql.Tx) error {
		var q args
		where := "c.organisation_id = " + q.add(a.OrganisationID) + " AND " + seesChecklistSQL(&q, a)
		if f.PersonID != "" {
			where += " AND c.person_id = " + q.add(f.PersonID)
		}
		if f.UnitID != "" {
			u, err := findUnit(ctx, tx, a.OrganisationID, f.UnitID)
			if err != nil {
				return err
			}
			where += " AND " + inSubtree(&q, "p.unit_path", u.Path)
		}
		if f.Event != "" {
			where += " AND c.event = " + q.add(string(f.Event))
		}
		if f.Open {
			where += " AND c.state = " + q.add(string(distans.ChecklistOpen))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+checklistCols+checklistFrom+` WHERE `+where+`
			ORDER BY c.event_on DESC, c.id`+limitRows(limit), q...)
		if err != nil {
			return err
		}
		for rows.Next() {
			c, err := scanChecklist(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return loadTasks(ctx, tx, a.OrganisationID, out)
	})
	return out, err
}

// ListOwnedTasks returns the open tasks of open checklists that the actor
// may tick (Actor.OwnsTask, as SQL over the actor's role scopes), the
// earliest due first.
func (s *Store) ListOwnedTasks(ctx context.Context) ([]*distans.ChecklistTask, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.System || a.PersonID == "" {
		return nil, nil
	}
	var q args
	me := q.add(a.PersonID)
	owns := "((t.owner = 'person' AND c.person_id = " + me + ")" +
		" OR (t.owner = 'manager' AND c.person_id <> " + me + " AND " + scopeSQL(&q, "p.unit_path", a.RoleScope(distans.RoleManager)) + ")" +
		" OR (t.owner = 'it' AND " + scopeSQL(&q, "p.unit_path", a.RoleScope(distans.RoleIT)) + ")" +
		" OR (t.owner = 'hr' AND " + scopeSQL(&q, "p.unit_path", a.RoleScope(distans.RoleHR)) + "))"
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+clTaskCols+`, c.person_id, p.name, p.unit_path, c.event`+clTaskFrom+`
		JOIN checklists c ON c.organisation_id = t.organisation_id AND c.id = t.checklist_id
		JOIN people p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
		WHERE t.organisation_id = `+q.add(a.OrganisationID)+` AND t.state = 'open' AND c.state = 'open' AND `+owns+`
		ORDER BY t.due_on, p.name_key, t.position, t.id LIMIT 1000`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.ChecklistTask
	for rows.Next() {
		var person, name, path string
		var event distans.ChecklistEvent
		k, err := scanChecklistTask(rows, &person, &name, &path, &event)
		if err != nil {
			return nil, err
		}
		k.PersonID, k.PersonName, k.Event = person, name, event
		if a.OwnsTask(k.Owner, k.PersonID, path) {
			out = append(out, k)
		}
	}
	return out, rows.Err()
}

// TickChecklistTask marks a task (by its ID, or its template task's ID)
// done by its owner, at the version of the checklist the owner read; the
// checklist is done with its last open task.
func (s *Store) TickChecklistTask(ctx context.Context, checklistID, taskID string, version int, note string) (*distans.Checklist, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 2000 {
		return nil, invalid("note", "Högst 2000 tecken.", "At most 2000 characters.")
	}
	var out *distans.Checklist
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := lockRow(ctx, tx, "checklists", a.OrganisationID, checklistID, s.dialect.forUpdate, errChecklistNotFound); err != nil {
			return err
		}
		c, err := findChecklist(ctx, tx, a, checklistID)
		if err != nil {
			return err
		}
		var k *distans.ChecklistTask
		for _, x := range c.Tasks {
			if x.ID == taskID || x.TaskID == taskID {
				k = x
			}
		}
		if k == nil {
			return errChecklistTaskNotFound()
		}
		if version != c.Version {
			return distans.Errorf(distans.ECONFLICT,
				"Checklistan har ändrats sedan du läste den. Läs in den på nytt.",
				"The checklist has changed since you read it. Reload it.")
		}
		if c.State != distans.ChecklistOpen || k.State != distans.TaskStateOpen {
			return distans.Errorf(distans.ECONFLICT, "Uppgiften är redan avklarad eller inställd.",
				"The task is already done or cancelled.")
		}
		if !a.OwnsTask(k.Owner, c.PersonID, c.PersonUnitPath) {
			return distans.Errorf(distans.EFORBIDDEN, "Uppgiften är inte din att bocka av.", "The task is not yours to tick.")
		}
		at := ts(now(ctx))
		if _, err := tx.ExecContext(ctx, `UPDATE checklist_tasks SET state = 'done', auto = $3, note = $4, done_at = $5, done_by = $6
			WHERE organisation_id = $1 AND id = $2`, a.OrganisationID, k.ID, false, note, at, a.PersonID); err != nil {
			return err
		}
		open := 0
		for _, x := range c.Tasks {
			if x.ID != k.ID && x.State == distans.TaskStateOpen {
				open++
			}
		}
		state, closed := distans.ChecklistOpen, any(nil)
		if open == 0 {
			state, closed = distans.ChecklistDone, at
		}
		if _, err := tx.ExecContext(ctx, `UPDATE checklists SET state = $3, closed_at = $4, version = version + 1
			WHERE organisation_id = $1 AND id = $2`, a.OrganisationID, c.ID, string(state), closed); err != nil {
			return err
		}
		summary := "ticked " + k.TaskID + " (" + string(k.Owner) + ")"
		if note != "" {
			summary += ": " + note
		}
		if open == 0 {
			summary += "; the checklist is done"
		}
		if err := s.audit(ctx, tx, a, a.OrganisationID, "checklist.task_done", checklistAuditRecord, c.ID, summary); err != nil {
			return err
		}
		out, err = findChecklist(ctx, tx, a, checklistID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChecklistOverview counts the organisation's open checklists per event
// and their tasks overdue on today (the organisation's today when zero)
// per event and owner, for HR and the administrators.
func (s *Store) ChecklistOverview(ctx context.Context, today time.Time) (*distans.ChecklistOverview, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.System && !a.SeesChecklistOverview() {
		return nil, distans.Forbidden()
	}
	if today.IsZero() {
		if today, err = s.today(ctx, s.rdb, a.OrganisationID); err != nil {
			return nil, err
		}
	}
	out := &distans.ChecklistOverview{Open: map[distans.ChecklistEvent]int{}, OverdueTasks: map[distans.ChecklistEvent]int{},
		OverdueByOwner: map[distans.TaskOwner]int{}}
	err = s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.event, COUNT(*) FROM checklists c
			WHERE c.organisation_id = $1 AND c.state = 'open' GROUP BY c.event`, a.OrganisationID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e distans.ChecklistEvent
			var n int
			if err := rows.Scan(&e, &n); err != nil {
				rows.Close()
				return err
			}
			out.Open[e] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT c.event, t.owner, COUNT(*) FROM checklist_tasks t
			JOIN checklists c ON c.organisation_id = t.organisation_id AND c.id = t.checklist_id
			WHERE t.organisation_id = $1 AND t.state = 'open' AND t.due_on < $2 GROUP BY c.event, t.owner`,
			a.OrganisationID, day(today))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e distans.ChecklistEvent
			var o distans.TaskOwner
			var n int
			if err := rows.Scan(&e, &o, &n); err != nil {
				return err
			}
			out.OverdueTasks[e] += n
			out.OverdueByOwner[o] += n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
