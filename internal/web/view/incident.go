package view

import (
	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
)

// The incident pages: the report anyone signed in makes (/incidents/new),
// the coordinator's queue and the reporter's own list (/incidents), and one
// incident (/incidents/{id}) with its clocks, the forms of those who handle
// it, and its timeline. Secret fields withheld from the reader are shown as
// "Sekretessmarkerat", never as empty.

// IncidentsPage is /incidents: the reporter's own reports and, for those
// who handle or see incidents, the queue sorted by the nearest deadline.
type IncidentsPage struct {
	Layout
	Mine      []IncidentRow
	ShowQueue bool
	Queue     []IncidentRow
	Filter    IncidentFilterView
	NextURL   string // the next page of the queue (keyset), "" when none
}

// Template implements Page.
func (*IncidentsPage) Template() string { return "incidents" }

// IncidentTable is one list of incidents and the heading that names it.
type IncidentTable struct {
	P       locale.Printer
	Heading string
	Rows    []IncidentRow
}

// QueueTable is the queue as the shared table template takes it.
func (p *IncidentsPage) QueueTable() IncidentTable {
	return IncidentTable{P: p.P, Heading: "queue-heading", Rows: p.Queue}
}

// MineTable is the reporter's own list.
func (p *IncidentsPage) MineTable() IncidentTable {
	return IncidentTable{P: p.P, Heading: "mine-heading", Rows: p.Mine}
}

// IncidentFilterView is the queue's filter as the form shows it.
type IncidentFilterView struct {
	State  string
	Kind   string
	States []Option
	Kinds  []Option
}

// IncidentRow is one incident in a list.
type IncidentRow struct {
	ID         string
	Number     string
	Title      string
	Kind       string // in words
	State      string // in words
	Severity   string // in words, "" before triage
	ReportedAt string
	Next       *ClockLight // the nearest open deadline; nil when none
}

// ClockLight is a deadline as a traffic light that does not rest on colour
// alone: Class colours it, Symbol and Text say the same in words.
type ClockLight struct {
	Class  string // light-green, light-amber, light-red, light-done
	Symbol string // ✓, ●, ▲, ■ (aria-hidden; Text says it)
	Text   string // "Bråttom: 3 tim 20 min kvar"
	Label  string // the duty, for a list
	Due    string // the deadline in local time, 2026-11-22 14:05
	ISO    string // the deadline for <time datetime>
}

// IncidentFormPage is /incidents/new: the report in two minutes, with what
// to do right now from the organisation's pack for every kind.
type IncidentFormPage struct {
	Layout
	Form     *Form
	Kinds    []Option
	Guidance []GuidanceGroup
	// ForOthers: the switchboard (or a handler) may register for the person
	// who phones: the search and its matches.
	ForOthers   bool
	CallerQuery string
	Callers     []Option // the first option is the actor themselves
	CallerNone  bool     // a search that found nobody
}

// Template implements Page.
func (*IncidentFormPage) Template() string { return "incident_form" }

// GuidanceGroup is what the pack says to do right now for one kind.
type GuidanceGroup struct {
	Kind     string
	Label    string
	Findings []GuidanceRow
}

// GuidanceRow is one finding of the pack's incident rules with its clause.
type GuidanceRow struct {
	Message   string
	Citation  string
	Deadlines []string // "Anmälan till IMY: senast …"
}

// IncidentPage is one incident: the facts, its clocks, what the viewer may
// do, and the timeline.
type IncidentPage struct {
	Layout
	I            *distans.Incident
	Access       distans.IncidentAccess
	Handles      bool // the viewer triages and handles it
	Kind         string
	State        string
	Severity     string
	Conflict     string // a stale version: the message, shown with a reload link
	Facts        []SecretQA
	Clocks       []ClockRow
	DutyOutcomes []Option       // done, not required
	DutyForms    []DutyFormView // the open clocks the viewer handles
	TriageForm   *Form
	Kinds        []Option
	Severities   []Option
	Owners       []Option
	Secrets      []CheckOption

	ShowRisk    bool
	RiskCurrent *RiskVersionRow  // the newest version, nil before the first
	RiskEarlier []RiskVersionRow // the earlier ones, newest first
	RiskForm    *Form
	RiskCats    []CheckOption
	RiskCons    []CheckOption
	RiskLevel   []Option

	ShowIMY        bool
	IMY            *distans.IMYNotification
	IMYForm        *Form
	IMYCategories  []Option
	IMYSecretParts []CheckOption
	Supplements    []SupplementRow
	SupplementForm *Form

	Measures    []MeasureRow
	MeasureForm *Form

	Links       []LinkRow
	LinkForm    *Form
	LinkKinds   []Option
	LinkTargets []Option

	CloseForm *Form

	Timeline []TimelineRow
}

// Template implements Page.
func (*IncidentPage) Template() string { return "incident" }

// DutyFormView is the form that records one clock's duty; its fields are
// named Prefix + "at" and so on, so that every clock's form has ids of its own.
type DutyFormView struct {
	Duty, Label, Prefix string
	Form                *Form
}

// Group is the argument of the checks, radios and box templates: a field
// of a form with its legend and choices.
type Group struct {
	Form    *Form
	Name    string
	Legend  string
	Options []CheckOption
}

// Checks is a group of checkboxes whose ticks the form keeps as
// name.value = "1".
func Checks(f *Form, name, legend string, values []string, labels func(string) string) Group {
	g := Group{Form: f, Name: name, Legend: legend}
	for _, v := range values {
		g.Options = append(g.Options, CheckOption{Value: v, Label: labels(v), Checked: f.Checked(name + "." + v)})
	}
	return g
}

// SecretQA is a fact that may be withheld: Secret shows "Sekretessmarkerat"
// in its place; Marked says the reader sees a field marked secret.
type SecretQA struct {
	Q, A      string
	Secret    bool
	Marked    bool
	Paragraph bool // a long text, kept in paragraphs
}

// ClockRow is one clock of the incident.
type ClockRow struct {
	Duty     string
	Label    string
	Citation string
	Light    ClockLight
	Outcome  string // done or not required, in words, once recorded
	Note     string
	Open     bool
}

// CheckOption is one checkbox of a multiple choice.
type CheckOption struct {
	Value, Label string
	Checked      bool
}

// RiskVersionRow is one version of the risk assessment.
type RiskVersionRow struct {
	Heading string
	Answers []QA
}

// SupplementRow is one supplement sent to IMY.
type SupplementRow struct {
	At, Text string
}

// MeasureRow is one measure.
type MeasureRow struct {
	ID, Text, Owner, Due, Status string
	Overdue                      bool
	CanComplete                  bool
}

// LinkRow is one link.
type LinkRow struct {
	Kind, Label, Href string
}

// TimelineRow is one audit event of the incident.
type TimelineRow struct {
	At, ISO, Who, What string
}
