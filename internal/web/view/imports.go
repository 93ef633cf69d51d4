package view

import "github.com/distans/distans"

// ImportsPage lists the organisation's imports and has the form that
// starts one.
type ImportsPage struct {
	Layout
	Imports []ImportRow
	Form    *Form
	MaxMiB  int // the size limit of one import's files
}

// Template implements Page.
func (*ImportsPage) Template() string { return "imports" }

// ImportRow is one import in the list.
type ImportRow struct {
	*distans.Import
	StatusLabel string
}

// ImportPage is one import: where it is, what its check found, and the
// confirmation while it is checked.
type ImportPage struct {
	Layout
	Import      *distans.Import
	StatusLabel string
	StatusText  string // what the status means and what to do next
	Failure     string // why it failed or went stale, as recorded
	// Running is an import that is being checked, waiting or being
	// applied: the page refreshes itself (by <meta> without JavaScript,
	// by enhance.js with it) until it is not.
	Running bool
	Percent int
	// Counts is the summary's counts by kind; Result says they are what
	// was done rather than what would be.
	Counts []ImportCountRow
	Result bool
	Files  []ImportFileRow
	// Ending is the people whose employment a full export ends, on EndsOn;
	// EndingMore how many more than are named.
	Ending     []distans.ImportEnding
	EndingMore int
	EndsOn     string
	Errors     []ImportErrorRow
	ErrorsMore int // errors not kept (past the first 1,000)
	CanConfirm bool
	// PendingInvitations is how many people, the imported among them,
	// still need an invitation, once the import is done and for those who
	// may invite them all at once (0 hides the form).
	PendingInvitations int
	InviteAll          bool // always false: the page has the count
}

// Template implements Page.
func (*ImportPage) Template() string { return "import" }

// ImportCountRow is what an import does to one kind of record.
type ImportCountRow struct {
	Label string
	distans.ImportCount
}

// ImportFileRow is one file and what the importer took it for.
type ImportFileRow struct {
	Name  string
	Kinds string
	Rows  int
}

// ImportErrorRow is one row error in the page's language.
type ImportErrorRow struct {
	File    string
	Line    int
	Column  string
	Message string
}
