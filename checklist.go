package distans

import (
	"context"
	"time"
)

// Checklists: what must be done when an employment begins, when it ends,
// and before a long leave, so that no one forgets the account, DISA, the
// acknowledgements, the equipment, the phone number and the sökord at the
// start (Sorsele kommun, Policy för telefoni, 5: everyone registers their
// keywords) and the account, the equipment, the agreements, the work
// material and the e-mail at the end (Kristianstads kommun, Instruktion
// för digital kommunikation, När anställningen upphör and E-post; Sorsele
// 004 §8.6 and §9).
//
// The templates are the organisation's policy pack, each task citing its
// clause. The checklist job opens a checklist from a template, exactly
// once per template and employment or leave, when the event comes within
// the pack's lead time; the tasks that Distans can see done elsewhere tick
// themselves (DoneWhen); each open task is reminded once before it is due
// and escalated once after.

// ChecklistEvent is what opens a checklist.
type ChecklistEvent string

const (
	EventEmploymentStart ChecklistEvent = "employment_start" // its first day
	EventEmploymentEnd   ChecklistEvent = "employment_end"   // its last day
	EventLongLeave       ChecklistEvent = "long_leave"       // the first day of a leave longer than the template's LeaveDays
)

// ChecklistEvents lists the events in the order the pages show them.
var ChecklistEvents = []ChecklistEvent{EventEmploymentStart, EventEmploymentEnd, EventLongLeave}

// Label returns the event's name for people to read.
func (e ChecklistEvent) Label(lang string) string {
	l := map[ChecklistEvent][2]string{
		EventEmploymentStart: {"Anställningens början", "Start of employment"},
		EventEmploymentEnd:   {"Anställningens slut", "End of employment"},
		EventLongLeave:       {"Lång ledighet", "Long leave"},
	}[e]
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// TaskOwner is who does a checklist task.
type TaskOwner string

const (
	OwnerPerson  TaskOwner = "person"  // the person the checklist is about
	OwnerManager TaskOwner = "manager" // a manager of the person's unit
	OwnerIT      TaskOwner = "it"      // IT, in the person's unit
	OwnerHR      TaskOwner = "hr"      // HR, in the person's unit
)

// TaskOwners lists the owners in the order the pages show them.
var TaskOwners = []TaskOwner{OwnerPerson, OwnerManager, OwnerIT, OwnerHR}

// DoneWhen names something Distans sees done elsewhere, which ticks a
// task by itself. Empty: the owner ticks it.
type DoneWhen string

const (
	DoneManual DoneWhen = ""
	// DoneTraining, as "training:COURSE", is a completion of the course.
	DoneTraining        DoneWhen = "training:"
	DoneAcknowledged    DoneWhen = "acknowledgements"    // no required document left to acknowledge
	DoneEquipmentIssued DoneWhen = "equipment_issued"    // a handover to the person, accepted
	DoneEquipmentBack   DoneWhen = "equipment_returned"  // the person holds no item
	DoneAgreementsEnded DoneWhen = "agreements_ended"    // no agreement of the person in force or under way
	DoneAccountClosed   DoneWhen = "account_closed"      // the employment's last day has passed: the account closes by itself (003)
	DonePhoneRegistered DoneWhen = "phone_registered"    // the person's record has a phone number
	DoneKeywords        DoneWhen = "keywords_registered" // the person has registered sökord (004 §5)
)

// ChecklistTemplate is one template of the active pack.
type ChecklistTemplate struct {
	ID    string         `json:"id"`
	Event ChecklistEvent `json:"event"`
	Title PolicyText     `json:"title"`
	// LeadDays is how many days before the event the checklist opens
	// (an account is made before the first day).
	LeadDays int `json:"lead_days"`
	// LeaveDays is, for EventLongLeave, the length a leave must exceed
	// (Sorsele 004 §8.6: a year).
	LeaveDays int            `json:"leave_days,omitempty"`
	Tasks     []TemplateTask `json:"tasks"`
	Source    PolicySource   `json:"source"`
	Citation  string         `json:"citation"`
}

// TemplateTask is one task of a template: DueDays counts from the
// event's day (negative: before it).
type TemplateTask struct {
	ID       string       `json:"id"`
	Title    PolicyText   `json:"title"`
	Owner    TaskOwner    `json:"owner"`
	DueDays  int          `json:"due_days"`
	DoneWhen DoneWhen     `json:"done_when,omitempty"`
	Source   PolicySource `json:"source"`
	Citation string       `json:"citation"`
}

// ChecklistState is where a checklist stands.
type ChecklistState string

const (
	ChecklistOpen      ChecklistState = "open"
	ChecklistDone      ChecklistState = "done"      // every task done
	ChecklistCancelled ChecklistState = "cancelled" // the employment, its end or the leave was withdrawn
)

// Checklist is one opened checklist for one person and event, with its
// tasks copied from the template as it was, so that a later pack
// changes nothing already opened.
type Checklist struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisation_id"`
	TemplateID     string         `json:"template_id"`
	Event          ChecklistEvent `json:"event"`
	Title          PolicyText     `json:"title"`
	PersonID       string         `json:"person_id"`
	PersonName     string         `json:"person_name,omitempty"`
	PersonUnitID   string         `json:"person_unit_id,omitempty"`
	PersonUnitPath string         `json:"-"`
	// SourceID is the employment's or the leave's ID.
	SourceID string           `json:"source_id"`
	EventOn  time.Time        `json:"event_on"` // a date, midnight UTC
	State    ChecklistState   `json:"state"`
	Tasks    []*ChecklistTask `json:"tasks"`
	Citation string           `json:"citation"`
	OpenedAt time.Time        `json:"opened_at"`
	ClosedAt *time.Time       `json:"closed_at,omitempty"`
	Version  int              `json:"version"`
	// PackVersion is the pack version the template came from.
	PackVersion int `json:"pack_version"`
}

// TaskState is where a checklist task stands.
type TaskState string

const (
	TaskStateOpen      TaskState = "open"
	TaskStateDone      TaskState = "done"
	TaskStateCancelled TaskState = "cancelled" // its checklist was cancelled
)

// ChecklistTask is one task of a checklist.
type ChecklistTask struct {
	ID          string     `json:"id"`
	ChecklistID string     `json:"checklist_id"`
	Position    int        `json:"position"`
	TaskID      string     `json:"task_id"` // the template task's ID
	Title       PolicyText `json:"title"`
	Owner       TaskOwner  `json:"owner"`
	DueOn       time.Time  `json:"due_on"` // a date, midnight UTC
	DoneWhen    DoneWhen   `json:"done_when,omitempty"`
	Citation    string     `json:"citation"`
	State       TaskState  `json:"state"`
	// Auto is set when Distans ticked the task because DoneWhen held.
	Auto        bool       `json:"auto,omitempty"`
	Note        string     `json:"note,omitempty"`
	DoneAt      *time.Time `json:"done_at,omitempty"`
	DoneByID    string     `json:"done_by_id,omitempty"`
	DoneByName  string     `json:"done_by_name,omitempty"`
	RemindedAt  *time.Time `json:"reminded_at,omitempty"`
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
	// For lists of tasks across checklists (ListChecklistTasks).
	PersonID   string         `json:"person_id,omitempty"`
	PersonName string         `json:"person_name,omitempty"`
	Event      ChecklistEvent `json:"event,omitempty"`
}

// ChecklistFilter narrows ListChecklists, in the actor's scope, the
// nearest event first.
type ChecklistFilter struct {
	PersonID string
	UnitID   string // this unit's subtree
	Event    ChecklistEvent
	Open     bool // only open checklists
	Limit    int  // 0 means 100
}

// ChecklistOverview is HR's overview: open checklists and overdue tasks
// per event.
type ChecklistOverview struct {
	Open         map[ChecklistEvent]int `json:"open"`
	OverdueTasks map[ChecklistEvent]int `json:"overdue_tasks"`
	// OverdueByOwner counts overdue tasks per owner.
	OverdueByOwner map[TaskOwner]int `json:"overdue_by_owner"`
}

// ValidateTemplates checks a pack's templates: each has at least one
// task, a known event and owner per task, and unique IDs. The pack's
// parser calls it, so that HR's edit is refused before it is saved.
func ValidateTemplates(ts []ChecklistTemplate) error {
	var v Validation
	seen := map[string]bool{}
	for _, t := range ts {
		f := "checklists[" + t.ID + "]"
		if t.ID == "" || seen[t.ID] {
			v.Add(f+".id", "Varje checklista behöver ett unikt id.", "Every checklist needs a unique id.")
		}
		seen[t.ID] = true
		switch t.Event {
		case EventEmploymentStart, EventEmploymentEnd, EventLongLeave:
		default:
			v.Add(f+".event", "Okänd händelse: "+string(t.Event)+" (employment_start, employment_end eller long_leave).",
				"Unknown event: "+string(t.Event)+" (employment_start, employment_end or long_leave).")
		}
		if t.Event == EventLongLeave && t.LeaveDays <= 0 {
			v.Add(f+".leave_days", "Ange hur lång en ledighet ska vara för att checklistan ska öppnas.", "Give how long a leave must be for the checklist to open.")
		}
		if len(t.Tasks) == 0 {
			v.Add(f+".tasks", "En checklista måste ha minst en uppgift.", "A checklist must have at least one task.")
		}
		tasks := map[string]bool{}
		for _, k := range t.Tasks {
			kf := f + ".tasks[" + k.ID + "]"
			if k.ID == "" || tasks[k.ID] {
				v.Add(kf+".id", "Varje uppgift behöver ett unikt id.", "Every task needs a unique id.")
			}
			tasks[k.ID] = true
			if k.Title.Sv == "" {
				v.Add(kf+".title", "Uppgiften behöver en rubrik på svenska.", "The task needs a Swedish title.")
			}
			switch k.Owner {
			case OwnerPerson, OwnerManager, OwnerIT, OwnerHR:
			default:
				v.Add(kf+".owner", "Okänd ansvarig: "+string(k.Owner)+" (person, manager, it eller hr).",
					"Unknown owner: "+string(k.Owner)+" (person, manager, it or hr).")
			}
			if !k.DoneWhen.Valid() {
				v.Add(kf+".done_when", "Okänt villkor: "+string(k.DoneWhen)+".", "Unknown condition: "+string(k.DoneWhen)+".")
			}
		}
	}
	return v.Err()
}

// Valid reports whether d is a known condition ("training:" needs a
// course ID after it; the parser checks that the course exists).
func (d DoneWhen) Valid() bool {
	switch d {
	case DoneManual, DoneAcknowledged, DoneEquipmentIssued, DoneEquipmentBack, DoneAgreementsEnded,
		DoneAccountClosed, DonePhoneRegistered, DoneKeywords:
		return true
	}
	c, ok := d.Course()
	return ok && c != ""
}

// Course returns the course ID of a DoneTraining condition.
func (d DoneWhen) Course() (string, bool) {
	s := string(d)
	if len(s) > len(DoneTraining) && s[:len(DoneTraining)] == string(DoneTraining) {
		return s[len(DoneTraining):], true
	}
	return "", false
}

// ChecklistService is the checklists of the actor's organisation.
// ENOTFOUND for what the actor may not see (Actor.SeesChecklistOf),
// EFORBIDDEN for a task the actor does not own (Actor.OwnsTask), ECONFLICT
// for a stale version or a task already done. Every tick is audited.
type ChecklistService interface {
	// Templates is the active pack's templates.
	Templates(ctx context.Context) ([]ChecklistTemplate, error)
	Checklist(ctx context.Context, id string) (*Checklist, error)
	ListChecklists(ctx context.Context, f ChecklistFilter) ([]*Checklist, error)
	// MyTasks is the open tasks the actor owns, in every checklist they
	// see: their own, and as manager, IT or HR, the due ones first.
	MyTasks(ctx context.Context) ([]*ChecklistTask, error)
	// TickTask marks a task done by its owner, with an optional note
	// (how the work material was handed over, 003).
	TickTask(ctx context.Context, checklistID, taskID string, version int, note string) (*Checklist, error)
	Overview(ctx context.Context) (*ChecklistOverview, error)
}

// Checklist rules.

// SeesChecklistOf reports whether the actor sees the checklists of the
// person with personID in the unit at unitPath: the person, their
// managers, HR and IT in their unit.
func (a *Actor) SeesChecklistOf(personID, unitPath string) bool {
	return a != nil && (a.System || (a.PersonID != "" && a.PersonID == personID) ||
		a.RoleScope(RoleManager).Contains(unitPath) || a.RoleScope(RoleHR).Contains(unitPath) ||
		a.RoleScope(RoleIT).Contains(unitPath))
}

// OwnsTask reports whether the actor may tick a task owned by owner on
// the checklist of the person with personID in the unit at unitPath; the
// person's own tasks are theirs alone, a manager never ticks their own
// manager's task for themselves.
func (a *Actor) OwnsTask(owner TaskOwner, personID, unitPath string) bool {
	if a == nil || a.System || a.PersonID == "" {
		return false
	}
	switch owner {
	case OwnerPerson:
		return a.PersonID == personID
	case OwnerManager:
		return a.PersonID != personID && a.RoleScope(RoleManager).Contains(unitPath)
	case OwnerIT:
		return a.RoleScope(RoleIT).Contains(unitPath)
	case OwnerHR:
		return a.RoleScope(RoleHR).Contains(unitPath)
	}
	return false
}

// SeesChecklistOverview reports whether the actor sees HR's overview of
// the organisation's checklists.
func (a *Actor) SeesChecklistOverview() bool {
	return a.RoleScope(RoleHR).All || a.RoleScope(RoleAdmin).All
}
