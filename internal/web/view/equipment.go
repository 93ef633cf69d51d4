package view

import "github.com/distans/distans"

// The equipment pages: IT's Utrustning (the overview, the registry with its
// filters, an item and its history, registering and importing items,
// issuing to a person, recording a return, the loss cases), the person's
// Min utrustning (their items, acceptances with the terms they sign,
// receipts, a loss report, a trip abroad), and the manager's view of their
// people's equipment (pending acceptances, trips to decide, return tasks,
// negligence assessments). Every page carries the section's tabs
// (equipment_partials.html).

// EquipmentTabs is the equipment section's own navigation.
type EquipmentTabs struct {
	Tabs []NavItem
}

// EquipmentOverviewPage is IT's /equipment: the figures, items per unit,
// the terms every acceptance signs, and what waits.
type EquipmentOverviewPage struct {
	Layout
	EquipmentTabs
	O         *distans.EquipmentOverview
	Statuses  []Option // the columns of the per-unit table, in order
	PerUnit   []UnitCountRow
	Terms     *distans.PolicyDocument // nil when none is set
	TermsForm *Form                   // nil unless the viewer may set the terms
	Documents []Option
	Pending   []HandoverRow
	Losses    []LossRow
}

// Template implements Page.
func (*EquipmentOverviewPage) Template() string { return "equipment_overview" }

// UnitCountRow is one unit's items by status, in the order of Statuses.
type UnitCountRow struct {
	Unit   string
	Counts []int
	Total  int
}

// EquipmentItemsPage is the registry: filters, one page of items, and the
// keyset link to the next.
type EquipmentItemsPage struct {
	Layout
	EquipmentTabs
	Category, Status, Unit, Query string
	Categories, Statuses, Units   []Option
	Items                         []ItemRow
	NextURL                       string
	CanRegister                   bool
}

// Template implements Page.
func (*EquipmentItemsPage) Template() string { return "equipment_items" }

// ItemRow is one item in a list.
type ItemRow struct {
	ID, Label, Category, Serial, AssetTag, Number, Unit, Status, Holder string
}

// EquipmentItemFormPage registers an item.
type EquipmentItemFormPage struct {
	Layout
	EquipmentTabs
	Form       *Form
	Categories []Option
	Models     []Option
	Units      []Option
	Statuses   []Option
}

// Template implements Page.
func (*EquipmentItemFormPage) Template() string { return "equipment_item_form" }

// EquipmentItemPage is one item, what IT may change, and its history.
type EquipmentItemPage struct {
	Layout
	EquipmentTabs
	Item     *distans.EquipmentItem
	Facts    []QA
	Status   string
	Form     *Form // IT's change of status and note; nil for others
	Statuses []Option
	History  []HistoryRow
	// HandoverID is the handover that holds the item now.
	HandoverID string
}

// Template implements Page.
func (*EquipmentItemPage) Template() string { return "equipment_item" }

// HistoryRow is one event in an item's history.
type HistoryRow struct {
	At, ISO, What, Who, Href string
}

// EquipmentImportPage is the CSV import with a dry run and its row errors.
type EquipmentImportPage struct {
	Layout
	EquipmentTabs
	Form   *Form
	Result *distans.EquipmentImport
	Errors []ImportErrorRow
}

// Template implements Page.
func (*EquipmentImportPage) Template() string { return "equipment_import" }

// EquipmentIssuePage issues items to a person: find the person, tick the
// items in stock.
type EquipmentIssuePage struct {
	Layout
	EquipmentTabs
	PersonQuery string
	People      []Option // matches of the search
	PersonNone  bool
	Person      *distans.Person // chosen
	ItemQuery   string
	Items       []CheckOption // items in stock
	Form        *Form
	TermsTitle  string // "" when no terms are set: nothing can be issued
	TermsNone   bool
}

// Template implements Page.
func (*EquipmentIssuePage) Template() string { return "equipment_issue" }

// EquipmentHandoverPage is one issue of items: what it holds, the terms,
// the person's acceptance form and IT's cancel.
type EquipmentHandoverPage struct {
	Layout
	EquipmentTabs
	H          *distans.EquipmentHandover
	State      string
	Items      []HandoverItemRow
	Terms      []string // the terms text, in paragraphs
	Hash       string
	AcceptForm *Form // the person, while pending
	CancelForm *Form // IT, while pending
	Conflict   string
	PDF        string // the acceptance PDF, once accepted
}

// Template implements Page.
func (*EquipmentHandoverPage) Template() string { return "equipment_handover" }

// HandoverItemRow is one item as handed over or returned.
type HandoverItemRow struct {
	ItemID, Category, Label, Serial, AssetTag, Number, Condition, Note string
}

// EquipmentReturnFormPage is IT's record of a return: the person's items,
// each with its condition.
type EquipmentReturnFormPage struct {
	Layout
	EquipmentTabs
	Person     *distans.Person
	Items      []ReturnItemField
	Conditions []Option
	Form       *Form
}

// Template implements Page.
func (*EquipmentReturnFormPage) Template() string { return "equipment_return_form" }

// ReturnItemField is one held item on the return form.
type ReturnItemField struct {
	ID, Label string
	Checked   bool
}

// EquipmentReturnPage is one return: the items and their condition, the
// signature and the receipt.
type EquipmentReturnPage struct {
	Layout
	EquipmentTabs
	R        *distans.EquipmentReturn
	Items    []HandoverItemRow
	SignForm *Form
	Signed   string // "Signerat av … den …"
	PDF      string
}

// Template implements Page.
func (*EquipmentReturnPage) Template() string { return "equipment_return" }

// EquipmentLossesPage lists the loss cases the viewer sees.
type EquipmentLossesPage struct {
	Layout
	EquipmentTabs
	Open   bool
	Losses []LossRow
}

// Template implements Page.
func (*EquipmentLossesPage) Template() string { return "equipment_losses" }

// LossRow is one loss case in a list.
type LossRow struct {
	ID, Number, Kind, Person, Items, Reported, State, Next string
}

// EquipmentLossFormPage is the written report of lost, stolen or damaged
// equipment.
type EquipmentLossFormPage struct {
	Layout
	EquipmentTabs
	Form     *Form
	Kinds    []Option
	Items    []CheckOption
	PersonID string // a manager reporting for their person
	Person   string
}

// Template implements Page.
func (*EquipmentLossFormPage) Template() string { return "equipment_loss_form" }

// EquipmentLossPage is one loss case: the facts, the four steps, the
// incident and the manager's negligence assessment.
type EquipmentLossPage struct {
	Layout
	EquipmentTabs
	L            *distans.EquipmentLoss
	Kind         string
	State        string
	Facts        []QA
	Items        []HandoverItemRow
	Steps        []LossStepRow
	StepForms    []LossStepForm
	Assessment   []QA
	AssessForm   *Form
	GrossChoices []Option
	Conflict     string
}

// Template implements Page.
func (*EquipmentLossPage) Template() string { return "equipment_loss" }

// LossStepRow is one step of the procedure as it stands.
type LossStepRow struct {
	Step, Label, Citation, Who, Due, DueISO, Status, Evidence, Attachment string
	Done                                                                  bool
}

// LossStepForm is the form that records one open step.
type LossStepForm struct {
	Step, Label, Prefix string
	Police, Skippable   bool
	Form                *Form
}

// EquipmentTripFormPage registers a trip with equipment.
type EquipmentTripFormPage struct {
	Layout
	EquipmentTabs
	Form  *Form
	Items []CheckOption
}

// Template implements Page.
func (*EquipmentTripFormPage) Template() string { return "equipment_trip_form" }

// EquipmentTripPage is one trip, its findings and the manager's decision.
type EquipmentTripPage struct {
	Layout
	EquipmentTabs
	Trip       *distans.EquipmentTrip
	State      string
	Facts      []QA
	Items      []HandoverItemRow
	Findings   []FindingLine
	DecideForm *Form
	Choices    []Option
}

// Template implements Page.
func (*EquipmentTripPage) Template() string { return "equipment_trip" }

// FindingLine is a pack finding with its clause.
type FindingLine struct {
	Message, Citation, Severity string
}

// EquipmentMinePage is the person's Min utrustning.
type EquipmentMinePage struct {
	Layout
	EquipmentTabs
	Items     []ItemRow
	Pending   []HandoverRow
	Handovers []HandoverRow
	Returns   []ReturnRow
	Losses    []LossRow
	Trips     []TripRow
	Tasks     []TaskRow
}

// Template implements Page.
func (*EquipmentMinePage) Template() string { return "equipment_mine" }

// HandoverRow is one handover in a list.
type HandoverRow struct {
	ID, Person, Items, IssuedAt, State, PDF string
}

// ReturnRow is one return in a list.
type ReturnRow struct {
	ID, Person, Items, RecordedAt, Signed, PDF string
}

// TripRow is one trip in a list.
type TripRow struct {
	ID, Person, Destination, Dates, Kind, State string
}

// TaskRow is one return task.
type TaskRow struct {
	ID, Person, What, Reason, Due, State, Citation string
	Overdue                                        bool
	Form                                           *Form // the exception, for the manager; nil otherwise
	CanComplete                                    bool
	Version                                        int
}

// EquipmentTeamPage is the manager's view of their people's equipment.
type EquipmentTeamPage struct {
	Layout
	EquipmentTabs
	Items   []ItemRow
	Pending []HandoverRow
	Trips   []TripRow
	Tasks   []TaskRow
	Losses  []LossRow
}

// Template implements Page.
func (*EquipmentTeamPage) Template() string { return "equipment_team" }

// Table is a list of rows with its caption, as the equipment partials
// render it (eqitems, eqhandovers, eqreturns, eqlosses, eqtrips).
type Table[R any] struct {
	P       *Layout
	Caption string
	Rows    []R
}

// ItemTable is the argument of eqitems.
func (l *Layout) ItemTable(caption string, rows []ItemRow) Table[ItemRow] {
	return Table[ItemRow]{P: l, Caption: caption, Rows: rows}
}

// HandoverTable is the argument of eqhandovers.
func (l *Layout) HandoverTable(caption string, rows []HandoverRow) Table[HandoverRow] {
	return Table[HandoverRow]{P: l, Caption: caption, Rows: rows}
}

// ReturnTable is the argument of eqreturns.
func (l *Layout) ReturnTable(caption string, rows []ReturnRow) Table[ReturnRow] {
	return Table[ReturnRow]{P: l, Caption: caption, Rows: rows}
}

// LossTable is the argument of eqlosses.
func (l *Layout) LossTable(caption string, rows []LossRow) Table[LossRow] {
	return Table[LossRow]{P: l, Caption: caption, Rows: rows}
}

// TripTable is the argument of eqtrips.
func (l *Layout) TripTable(caption string, rows []TripRow) Table[TripRow] {
	return Table[TripRow]{P: l, Caption: caption, Rows: rows}
}

// TaskTable is the argument of eqtasks.
func (l *Layout) TaskTable(caption string, rows []TaskRow) Table[TaskRow] {
	return Table[TaskRow]{P: l, Caption: caption, Rows: rows}
}
