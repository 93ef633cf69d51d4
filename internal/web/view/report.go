package view

import "html/template"

// ReportsPage is Rapporter: the reports the actor may open.
type ReportsPage struct {
	Layout
	Kinds      []ReportKindLink
	Suppressed bool // the actor sees reports as the union does
	Subs       []ReportSubRow
}

// Template implements Page.
func (*ReportsPage) Template() string { return "reports" }

// ReportKindLink is one report in the list.
type ReportKindLink struct {
	Href, Label string
	Current     bool
}

// ReportSubRow is one of the actor's monthly reports by e-mail.
type ReportSubRow struct {
	ID, Kind, Unit, Since string
	Action                string // the form that ends it
}

// ReportPage is one report: its filters, each table with its chart, the
// exports and the monthly e-mail.
type ReportPage struct {
	Layout
	Kinds      []ReportKindLink
	Kind       string
	Form       *Form
	Units      []Option
	Crumbs     []Link // the units above the chosen one, within the scope
	Scope      string
	Period     string
	Generated  string
	Suppressed bool
	MinGroup   int
	Marks      string
	Missing    []string
	Tables     []ReportTableView
	Exports    []Link
	Details    []Link // the records behind it, for those who may see them
	// Subscribed is the actor's subscription to this report and unit, ""
	// when none; SubscribeAction is where the form to start or end it
	// posts.
	Subscribed      string
	SubscribeAction string
	Unit            string
}

// Template implements Page.
func (*ReportPage) Template() string { return "report" }

// Link is a link with its text.
type Link struct{ Href, Label string }

// ReportTableView is one table beside its chart.
type ReportTableView struct {
	ID, Title, Description string
	Chart                  template.HTML // the SVG, made by internal/report from the table
	Columns                []string
	Rows                   []ReportRowView
	Total                  *ReportRowView
	RowLimit               string
}

// ReportRowView is one row; Href drills into a unit.
type ReportRowView struct {
	Label, Href string
	Cells       []ReportCellView
}

// ReportCellView is one figure as text, and what it is.
type ReportCellView struct {
	Text              string
	Suppressed, Empty bool
}

// DriftReportsPage is the installation's counts for its operator.
type DriftReportsPage struct {
	Layout
	Generated string
	Tables    []ReportTableView
	Missing   []string
}

// Template implements Page.
func (*DriftReportsPage) Template() string { return "drift_reports" }
