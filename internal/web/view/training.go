package view

// The training and checklist pages' data: Utbildning (my courses and the
// catalogue, the coverage per unit, the import of past completions) and
// Checklistor (my tasks and checklists, one checklist, HR's overview).
// The handlers translate every value; the templates only lay them out.

// SectionTabs is a section's own navigation.
type SectionTabs struct {
	TabsLabel string
	Tabs      []NavItem
}

// TrainingRow is one course as it stands for one person.
type TrainingRow struct {
	Course      string
	State       string
	Missing     bool // due, overdue or expired
	Overdue     string
	Due         string
	Completed   string
	Certificate string // the latest completion's certificate, when it has one
	Citation    string
}

// CompletionRow is one recorded completion.
type CompletionRow struct {
	Course      string
	Completed   string
	Source      string
	RecordedBy  string
	Certificate string
}

// CourseRow is one course of the catalogue.
type CourseRow struct {
	ID, Title, Description, URL string
	Audience, Deadline, Renewal string
	Citation, Quote, QuoteLabel string
}

// TrainingPage is Utbildning: the person's courses, the form to record a
// completion, their completions, and the catalogue.
type TrainingPage struct {
	Layout
	SectionTabs
	Mine        []TrainingRow
	Completions []CompletionRow
	Courses     []Option
	Form        *Form
	Catalogue   []CourseRow
}

// Template implements Page.
func (*TrainingPage) Template() string { return "training" }

// UnitTrainingRow is one unit's counts for a course.
type UnitTrainingRow struct {
	Unit                    string
	Required, Done, Overdue int
}

// MissingRow is one person who has not taken a course.
type MissingRow struct {
	Person, Unit, State, Due, Overdue string
}

// TrainingCoveragePage is a course's coverage: the manager's subtree, or
// the organisation for HR and ledning, names only where the service gives
// them.
type TrainingCoveragePage struct {
	Layout
	SectionTabs
	Courses []Option
	Units   []Option
	Course  string
	Unit    string
	Summary string
	PerUnit []UnitTrainingRow
	Missing []MissingRow
	// MoreMissing says that Missing holds only the most overdue, and of
	// how many.
	MoreMissing string
	Names       bool // the service gave names (the actor follows training there)
	People      []Option
	Form        *Form // recording a completion for someone; nil when the actor records for no one
	NoCourse    bool
}

// Template implements Page.
func (*TrainingCoveragePage) Template() string { return "training_coverage" }

// TrainingImportPage is HR's CSV import of past completions.
type TrainingImportPage struct {
	Layout
	SectionTabs
	Form    *Form
	Summary string
	Failed  bool
	Errors  []ImportErrorRow
}

// Template implements Page.
func (*TrainingImportPage) Template() string { return "training_import" }

// ChecklistTaskRow is a task in a list of tasks or on its checklist.
type ChecklistTaskRow struct {
	ID, ChecklistID string
	Title           string
	Person          string
	Event           string
	Owner           string
	Due             string
	Overdue         bool
	State           string
	DoneBy          string
	Auto            bool
	Note            string
	Citation        string
	Form            *Form // the tick form, for a task the actor owns
}

// ChecklistRow is a checklist in a list.
type ChecklistRow struct {
	ID, Title, Person, Event, EventOn, State, Progress string
}

// ChecklistsPage is Checklistor: the tasks the actor owns, their own
// checklists, and the open ones in their care.
type ChecklistsPage struct {
	Layout
	SectionTabs
	Tasks []ChecklistTaskRow
	Mine  []ChecklistRow
	Scope []ChecklistRow
	// ShowScope is set for those who see others' checklists (managers,
	// HR, IT).
	ShowScope bool
}

// Template implements Page.
func (*ChecklistsPage) Template() string { return "checklists" }

// ChecklistPage is one checklist with its tasks.
type ChecklistPage struct {
	Layout
	SectionTabs
	ID       string
	Version  int
	Person   string
	Event    string
	EventOn  string
	State    string
	Opened   string
	Citation string
	Progress string
	Tasks    []ChecklistTaskRow
}

// Template implements Page.
func (*ChecklistPage) Template() string { return "checklist" }

// CountRow is one labelled count.
type CountRow struct {
	Label         string
	Open, Overdue int
}

// ChecklistsOverviewPage is HR's overview.
type ChecklistsOverviewPage struct {
	Layout
	SectionTabs
	PerEvent []CountRow
	PerOwner []CountRow
	Open     []ChecklistRow
}

// Template implements Page.
func (*ChecklistsOverviewPage) Template() string { return "checklists_overview" }

// ChecklistTable is the argument of the checklist_table partial.
func (l *Layout) ChecklistTable(caption string, rows []ChecklistRow) Table[ChecklistRow] {
	return Table[ChecklistRow]{P: l, Caption: caption, Rows: rows}
}
