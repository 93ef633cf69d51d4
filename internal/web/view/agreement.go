package view

import (
	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
)

// The remote-work pages: the person's own cases, the manager's queue and
// HR's overview (/agreements), the request form, one case with every step
// and what the viewer may do next, and the person's notifications. The
// remote place is a home address: the pages never show it unless it was
// revealed (an audited read) for this one response.

// AgreementsPage is /agreements: the person's own cases, the manager's
// "Att göra" queue and, for HR, the overview across units.
type AgreementsPage struct {
	Layout
	Own        []AgreementRow
	CanRequest bool // no open case: the request button is offered

	ShowQueue bool
	Queue     []AgreementRow

	ShowOverview bool
	Filter       AgreementFilterView
	Rows         []AgreementRow
	Total        int
	First        int
	Last         int
	PrevURL      string
	NextURL      string
}

// Template implements Page.
func (*AgreementsPage) Template() string { return "agreements" }

// OwnTable, QueueTable and OverviewTable are the page's three lists as
// the shared table template takes them.
func (p *AgreementsPage) OwnTable() AgreementTable {
	return AgreementTable{P: p.P, Heading: "own-heading", Rows: p.Own}
}

// QueueTable is the manager's queue, with why each case is there.
func (p *AgreementsPage) QueueTable() AgreementTable {
	return AgreementTable{P: p.P, Heading: "queue-heading", Rows: p.Queue, Person: true, Why: true}
}

// OverviewTable is HR's overview.
func (p *AgreementsPage) OverviewTable() AgreementTable {
	return AgreementTable{P: p.P, Heading: "overview-heading", Rows: p.Rows, Person: true}
}

// AgreementTable is one list of cases: the heading that names it, and
// whether it shows the person and why a case is in the queue.
type AgreementTable struct {
	P       locale.Printer
	Heading string
	Rows    []AgreementRow
	Person  bool
	Why     bool
}

// AgreementFilterView is the overview's filter as the form shows it.
type AgreementFilterView struct {
	Query    string
	UnitID   string
	State    string
	Expiring bool
	Overdue  bool
	Units    []Option
	States   []Option
}

// AgreementRow is one case in a list.
type AgreementRow struct {
	ID           string
	Number       string
	PersonName   string
	UnitName     string
	State        string // in words
	StateKey     string
	Period       string // "2026-01-01 – 2026-12-31", "" before there is one
	NextFollowUp string
	Overdue      bool
	Why          []string // why the case is in the manager's queue
}

// AgreementFormPage asks for remote work or changes the request.
type AgreementFormPage struct {
	Layout
	Form     *Form
	Action   string
	Weekdays []WeekdayOption
	Version  int  // when changing a request
	Editing  bool // changing an existing request
	Back     string
	Notes    []PackNote // what the organisation's own pack says on this form
	// Preconditions are the pack's findings on what the employee must
	// have done before an agreement is approved or signed (a course, a
	// document acknowledged), for a new request.
	Preconditions     []AgreementFindingRow
	ShowPreconditions bool
}

// PackNote is a text a form shows from the organisation's own policy pack,
// with the clause it comes from (the quote on request).
type PackNote struct {
	Heading  string
	Text     string
	Citation string
	Quote    string
}

// Template implements Page.
func (*AgreementFormPage) Template() string { return "agreement_form" }

// AgreementPage is one case, /agreements/{id}: every step so far in order
// and a form for each thing the viewer may do next.
type AgreementPage struct {
	Layout
	A          *distans.Agreement
	StateLabel string
	Conflict   string // a stale version: the message, shown with a reload link
	IsEmployee bool   // the viewer is the person the case is about
	IsManager  bool   // the viewer decides on the case
	Steps      []StepRow

	RequestDays string // the requested days in words
	TermsDays   string

	// The remote place: masked, revealed by an audited POST.
	CanReveal    bool
	Revealed     bool
	RequestPlace string
	TermsPlace   string

	CanEditRequest bool
	CanWithdraw    bool

	// FillEquipment is the link that ticks the terms' arbetsutrustning
	// from what the person has been issued; EquipmentFilled says it did.
	FillEquipment   string
	EquipmentFilled bool

	AssessForm *Form // nil when not offered
	// SpillOverRatings are the choices of the follow-up form's rating.
	SpillOverRatings []Option
	Assessment       []QA // the manager's answers, once given

	RiskForm    *Form
	RiskItems   []RiskRow
	RiskAnswers []RiskRow // the employee's answers, once given
	ReviewForm  *Form
	Outcomes    []Option
	RiskOutcome string // in words, once reviewed

	DecideForm  *Form
	DecideNotes []PackNote // what the organisation's own pack says on the decision

	TermsForm *Form
	Terms     []QA // the terms in words, once written
	Findings  []AgreementFindingRow

	// RequestFindings are the pack's findings on the request, shown with
	// ShowRequestFindings until the decision so that the manager sees them
	// while assessing and deciding.
	ShowRequestFindings bool
	RequestFindings     []AgreementFindingRow
	// Preconditions are shown to the employee on their own request until
	// the decision: what they must have done before it is approved.
	ShowPreconditions bool
	Preconditions     []AgreementFindingRow

	SignForm   *Form
	SignRole   string // "employee" or "manager"
	Hash       string // the terms' hash the signer sees
	Signatures []SignatureRow

	FollowUpForm   *Form
	FollowUps      []FollowUpRow
	EvaluationForm *Form
	RenewForm      *Form
	EndForm        *Form
	EndByManager   bool // the end form asks for the documented dialogue

	PDF bool // both have signed: the PDF can be downloaded
}

// Template implements Page.
func (*AgreementPage) Template() string { return "agreement" }

// RiskKeys are the points of the risk assessment, in order.
func (p *AgreementPage) RiskKeys() []string { return distans.RiskItems }

// TermsWeek are the weekday boxes of the terms form, ticked as typed.
func (p *AgreementPage) TermsWeek() []WeekdayOption {
	return p.boxes("weekdays_remote", "weekday.", distans.Weekdays[:5])
}

// Channels are the boxes of the ways to be reached (000).
func (p *AgreementPage) Channels() []WeekdayOption {
	return p.boxes("availability", "agr.channel.", distans.Channels)
}

// Equipment are the boxes of the work equipment.
func (p *AgreementPage) Equipment() []WeekdayOption {
	return p.boxes("equipment", "agr.equipment.", distans.EquipmentKinds)
}

// TaxOptions are the choices of tjänsteställe (002 §4).
func (p *AgreementPage) TaxOptions() []Option {
	return []Option{{Value: "", Label: p.T("agr.tax.none")}, {Value: "main", Label: p.T("agr.tax.main")},
		{Value: "remote", Label: p.T("agr.tax.remote")}}
}

func (p *AgreementPage) boxes(name, labelPrefix string, values []string) []WeekdayOption {
	out := make([]WeekdayOption, len(values))
	for i, v := range values {
		out[i] = WeekdayOption{Value: v, Label: p.T(labelPrefix + v), Checked: p.TermsForm.Checked(name + "." + v)}
	}
	return out
}

// StepRow is one step of the journey, done or to come.
type StepRow struct {
	Label   string
	Done    bool
	Current bool
	Detail  string // who and when, once done
}

// QA is a question or a part with its answer, in words.
type QA struct {
	Q, A string
}

// RiskRow is one point of the home-workplace risk assessment.
type RiskRow struct {
	Key     string
	Label   string
	Hint    string
	OK      bool
	Answer  string // "ok" or "deficiency" as typed, for the form
	Comment string
	Error   string
}

// AgreementFindingRow is one finding of the policy pack on the terms, with its
// clause and, for a warning, the comment field's name.
type AgreementFindingRow struct {
	RuleID        string
	Severity      string
	SeverityLabel string
	Message       string
	Citation      string // the clause as people know it (policy.Cite)
	Quote         string
	CommentField  string // "comments.RULE" for a warning
	Comment       string // the comment saved with the terms
	CommentLabel  string // "Kommentar", in the reader's language
	QuoteLabel    string // what opens the quote, in the reader's language
}

// SignatureRow is one signature as the history shows it.
type SignatureRow struct {
	Role       string // in words
	Name       string
	At         string
	HashPrefix string
}

// FollowUpRow is one recorded follow-up.
type FollowUpRow struct {
	Date       string
	RecordedBy string
	Answers    []QA
}

// NotificationsPage is /notifications, newest first.
type NotificationsPage struct {
	Layout
	Items  []NotificationRow
	Unread int
}

// Template implements Page.
func (*NotificationsPage) Template() string { return "notifications" }

// NotificationRow is one notification in the reader's language.
type NotificationRow struct {
	ID      string
	Subject string
	Body    string
	Link    string
	At      string
	ISO     string
	Unread  bool
}
