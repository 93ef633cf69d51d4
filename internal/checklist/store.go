package checklist

import (
	"context"
	"time"

	"github.com/distans/distans"
)

// Store is the checklist store; *sqlstore.Store is one. Each method acts
// as the actor in ctx and enforces the checklist rules of checklist.go
// in the domain package (SeesChecklistOf, OwnsTask,
// SeesChecklistOverview).
type Store interface {
	FindChecklist(ctx context.Context, id string) (*distans.Checklist, error)
	ListChecklists(ctx context.Context, f distans.ChecklistFilter) ([]*distans.Checklist, error)
	// ListOwnedTasks is the open tasks the actor may tick (OwnsTask),
	// due first.
	ListOwnedTasks(ctx context.Context) ([]*distans.ChecklistTask, error)
	// TickChecklistTask marks a task done by the actor with a note,
	// refusing with EFORBIDDEN a task the actor does not own, ECONFLICT a
	// stale checklist version or a task already done; the checklist is
	// done when its last task is. Audited ("checklist.task_done").
	TickChecklistTask(ctx context.Context, checklistID, taskID string, version int, note string) (*distans.Checklist, error)
	ChecklistOverview(ctx context.Context, today time.Time) (*distans.ChecklistOverview, error)

	// Jobs, as the system actor across all organisations, exactly once
	// per occasion.

	// OpenChecklists opens each template's checklist, exactly once per
	// template and employment or leave (a unique key), for events from
	// CatchUpDays ago to the template's LeadDays ahead; moves the due
	// dates of an open checklist's open tasks when its event's day
	// changed, and cancels it when its event is gone. It tells the person
	// and the owners.
	OpenChecklists(ctx context.Context, today time.Time, templates Templates) (int, error)
	// TickDoneTasks ticks every open task whose DoneWhen holds, as
	// Distans (Auto), and closes checklists whose last task it was.
	TickDoneTasks(ctx context.Context, today time.Time) (int, error)
	// ChecklistDeadlines reminds the owners of each open task once, the
	// day before it is due, and escalates it once to the person's managers
	// (HR for a manager's task) the day after.
	ChecklistDeadlines(ctx context.Context, today time.Time) (reminded, escalated int, err error)
}

// Templates gives an organisation's checklist templates and the version
// of the pack they come from; nil: none.
type Templates func(orgID string) ([]distans.ChecklistTemplate, int, error)

// CatchUpDays is how long after its event a checklist still opens (an
// employment registered a few days late). Events longer ago never open
// one: an organisation that moves in does not get a checklist for
// everyone already employed.
const CatchUpDays = 14
