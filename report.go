package distans

import (
	"context"
	"slices"
	"time"
)

// Reports. Stockholms stad, Riktlinjer för distansarbete, asks management
// to follow what partial remote work does to the operation, to colleagues
// (spill-over) and to premises (nyttjandegrad och utformning av lokaler),
// and to discuss it with the unions in samverkan. A report is a set of
// tables of counts, each drawn as a chart beside its data; the same
// Report value is what the page shows, what the API returns and what
// every export (CSV, XLSX, PDF) writes, so that no format can say more
// than another.

// ReportKind names one report.
type ReportKind string

const (
	// ReportAgreements: agreements by state and unit, the share of staff
	// with an agreement, remote days per weekday, agreements ending in 30
	// and 60 days, overdue follow-ups, declined share and days from
	// request to decision, what follow-ups say about spill-over onto
	// colleagues, and a trend by month for a year.
	ReportAgreements ReportKind = "agreements"
	// ReportOffice: desk utilisation per site and weekday (OfficeService.Utilisation).
	ReportOffice ReportKind = "office"
	// ReportIncidents: incidents by kind and whether each clock was met, by month.
	ReportIncidents ReportKind = "incidents"
	// ReportEquipment: returns outstanding, items lost, issues not accepted, per unit.
	ReportEquipment ReportKind = "equipment"
	// ReportTraining: training coverage per course and unit, and overdue
	// acknowledgements of required documents.
	ReportTraining ReportKind = "training"
)

// ReportKinds lists the reports in the order the pages show them.
var ReportKinds = []ReportKind{ReportAgreements, ReportOffice, ReportIncidents, ReportEquipment, ReportTraining}

// Valid reports whether k is a known report.
func (k ReportKind) Valid() bool { return slices.Contains(ReportKinds, k) }

// Label returns the report's name for people to read.
func (k ReportKind) Label(lang string) string {
	l, ok := reportKindLabels[k]
	if !ok {
		return string(k)
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

var reportKindLabels = map[ReportKind][2]string{
	ReportAgreements: {"Distansarbete", "Remote work"},
	ReportOffice:     {"Lokaler och skrivbord", "Premises and desks"},
	ReportIncidents:  {"Incidenter", "Incidents"},
	ReportEquipment:  {"Utrustning", "Equipment"},
	ReportTraining:   {"Utbildning och kvittenser", "Training and acknowledgements"},
}

// DefaultMinGroupSize is the smallest group a union report shows when the
// organisation's pack sets no report_min_group_size: a count of one to
// four people is suppressed. Agencies use 3 or 5; the pack decides.
const DefaultMinGroupSize = 5

// ReportFilter chooses what a report covers.
type ReportFilter struct {
	Kind ReportKind
	// UnitID narrows the report to the unit's subtree, which must lie in
	// the actor's report scope; its rows are then the unit's direct
	// children (and the unit itself, for people placed directly in it).
	// Empty: the actor's whole scope, with the top units of it as rows.
	UnitID string
	// From and To (both included, days in the organisation's time zone)
	// bound what happened in a period: decisions, incidents, losses,
	// bookings. Zero: the twelve months up to today. At most 366 days.
	From, To time.Time
}

// ReportScope is where an actor may see reports and how.
type ReportScope struct {
	Scope
	// Suppressed: the actor sees the report as a union representative
	// does (facklig företrädare): counts below the pack's minimum group
	// size suppressed, with secondary suppression so that none can be
	// recovered by subtraction; no personal data in any cell or label
	// other than unit and site names.
	Suppressed bool
}

// ReportScope returns where the actor may see reports: where they hold
// PermViewAggregates (a manager their subtree; HR, ledning and
// administrators the organisation). Someone whose only such grant is the
// union role sees the whole organisation, suppressed; any other grant
// beside it gives them that grant's view, unsuppressed, instead.
func (a *Actor) ReportScope() ReportScope {
	if a == nil {
		return ReportScope{}
	}
	s := a.scopeOf(func(g Grant) bool { return g.Role != RoleUnion && g.Role.Allows(PermViewAggregates) })
	if !s.None() {
		return ReportScope{Scope: s}
	}
	if a.HasRole(RoleUnion) {
		return ReportScope{Scope: Scope{All: true}, Suppressed: true}
	}
	return ReportScope{}
}

// SeesReports reports whether the actor may open any report.
func (a *Actor) SeesReports() bool { return !a.ReportScope().None() }

// Report is one report as computed for one actor: every cell already
// suppressed where the actor's scope says so. Renderers print what is
// here and nothing else.
type Report struct {
	Kind           ReportKind `json:"kind"`
	OrganisationID string     `json:"organisation_id,omitempty"`
	// ScopeName is what the report covers, for people to read: the
	// organisation's name, or the unit's.
	ScopeName   string    `json:"scope_name"`
	UnitID      string    `json:"unit_id,omitempty"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	GeneratedAt time.Time `json:"generated_at"`
	// MinGroupSize is the suppression threshold when Suppressed.
	Suppressed   bool           `json:"suppressed"`
	MinGroupSize int            `json:"min_group_size,omitempty"`
	Tables       []*ReportTable `json:"tables"`
	// Missing names what the report cannot show yet and why, in both
	// languages, so that a gap is said and never silent.
	Missing []ReportNote `json:"missing,omitempty"`
}

// ReportNote is a sentence in Swedish and English.
type ReportNote struct {
	Sv string `json:"sv"`
	En string `json:"en"`
}

// Text returns the note in lang ("en", else Swedish).
func (n ReportNote) Text(lang string) string {
	if lang == "en" && n.En != "" {
		return n.En
	}
	return n.Sv
}

// ChartKind is how a table is drawn.
type ChartKind string

const (
	ChartNone       ChartKind = ""
	ChartBar        ChartKind = "bar"         // one bar per row, for the first value column
	ChartStackedBar ChartKind = "stacked_bar" // one bar per row, stacked by the count columns
	ChartLine       ChartKind = "line"        // rows are months in order, one line per value column
)

// CellKind says what a column's numbers are.
type CellKind string

const (
	CellCount   CellKind = "count"   // people, agreements, items: integers that add up
	CellPercent CellKind = "percent" // derived from counts in the same table
	CellDays    CellKind = "days"    // a median or mean number of days
	CellDesks   CellKind = "desks"   // desk-days, halves allowed
)

// ReportColumn is one column of a table; the row label is not a column.
type ReportColumn struct {
	Key   string     `json:"key"`
	Label ReportNote `json:"label"`
	Kind  CellKind   `json:"kind"`
	// Measures are the facts a count column sums (ReportFact.Measure);
	// Of and Per the count columns (keys) a percent column divides;
	// Of alone the histogram measure a days column takes the median of.
	Measures []string `json:"-"`
	Of       string   `json:"-"`
	Per      string   `json:"-"`
}

// ReportCell is one value. A suppressed cell carries no value at all
// (Value is zero and never serialised as a number); Empty means there is
// nothing to show (a median of no cases), not zero.
type ReportCell struct {
	Value      float64 `json:"value"`
	Suppressed bool    `json:"suppressed,omitempty"`
	Empty      bool    `json:"empty,omitempty"`
}

// ReportRow is one row: a unit, a site, a month, a kind.
type ReportRow struct {
	Key   string       `json:"key"` // unit ID, month "2026-03", kind code
	Label string       `json:"label"`
	Cells []ReportCell `json:"cells"`
	// Group is how many people the row is about (the staff of a unit's
	// subtree), for the union's rule that a group under the minimum size
	// is not shown at all; zero when the row is not about a group.
	Group int `json:"-"`
}

// ReportTable is one table of a report and its chart.
type ReportTable struct {
	ID          string         `json:"id"` // stable: "agreements_by_state"
	Title       ReportNote     `json:"title"`
	Description ReportNote     `json:"description"`
	Chart       ChartKind      `json:"chart,omitempty"`
	Columns     []ReportColumn `json:"columns"`
	Rows        []ReportRow    `json:"rows"`
	// Total is the sum over every row of each count column (and what the
	// derived columns are over it); nil when a total means nothing.
	Total *ReportRow `json:"total,omitempty"`
	// ByUnit says the rows are units (each counting its subtree, and a
	// last row "KEY:direct" for the people placed directly in the
	// report's unit), so a row's Key is a unit to drill down into.
	ByUnit bool `json:"by_unit,omitempty"`
	// RowLimit is set when the table was cut to that many rows; the
	// renderers say so in the file. Zero: every row is here.
	RowLimit int `json:"row_limit,omitempty"`
}

// ReportFormat is a file a report can be exported as.
type ReportFormat string

const (
	ReportCSV  ReportFormat = "csv"
	ReportXLSX ReportFormat = "xlsx"
	ReportPDF  ReportFormat = "pdf"
)

// DetailWriter receives the records behind a report, one row at a time,
// so that an export of 100,000 rows never holds them all.
type DetailWriter interface {
	Columns(cols []ReportNote) error
	Row(values []string) error
}

// ReportSubscription is a person's wish to receive a report by e-mail
// once a month, for their scope as it is when it is sent.
type ReportSubscription struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisation_id"`
	PersonID       string     `json:"person_id"`
	Kind           ReportKind `json:"kind"`
	UnitID         string     `json:"unit_id,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// ReportService computes reports for the actor in the context.
//
// Report reports EFORBIDDEN when the actor has no report scope, ENOTFOUND
// for a unit outside it, EINVALID for an unknown kind or a bad period
// (Swedish first). InstallationCounts is for the installation's operator
// (RunsInstallation) only: counts per organisation, no unit, no person.
//
// Details streams the records behind a report (for agreements: one row
// per agreement in scope) for an actor whose scope is not Suppressed; the
// union gets EFORBIDDEN, as it gets no personal data.
type ReportService interface {
	Report(ctx context.Context, f ReportFilter) (*Report, error)
	InstallationCounts(ctx context.Context) (*Report, error)
	Details(ctx context.Context, f ReportFilter, w DetailWriter) error
}

// ReportSubscriptionService keeps the monthly reports by e-mail.
// Subscriptions are one's own and need SeesReports: Subscribe reports
// ECONFLICT for a kind and unit already subscribed; Unsubscribe ENOTFOUND
// for another's. SendMonthly sends every subscription its report for the
// month before now, computed for the subscriber as they are then, once
// each however many instances run it; it runs as the system.
type ReportSubscriptionService interface {
	ListReportSubscriptions(ctx context.Context) ([]*ReportSubscription, error)
	Subscribe(ctx context.Context, s *ReportSubscription) error
	Unsubscribe(ctx context.Context, id string) error
	SendMonthly(ctx context.Context, now time.Time) (int, error)
}

// ReportRow.Group and the facts below are how the store hands a report's
// counts to the service that lays them out and suppresses them.

// ReportFact is one count the store found: N records of Measure whose
// unit is UnitID (the unit itself, not its subtree; empty for records of
// no unit), in Category (an incident's kind, a course, a weekday; empty
// when none) and Month ("2026-03"; empty when none). Days, when not
// negative, makes the fact one bar of a histogram: N cases took Days days
// (for medians). Every number a report publishes is a sum of facts, which
// is what lets the union's suppression be checked by linear algebra.
type ReportFact struct {
	Measure  string
	UnitID   string
	Category string
	Month    string
	Days     int
	N        int
}

// ReportUnit is a unit a report may show, with its materialised path.
type ReportUnit struct {
	ID       string
	ParentID string
	Name     string
	Path     string
}

// ReportData is what the store finds for one report kind in the actor's
// report scope: the units of the scope (RootIDs its top units), and the
// facts. Sites carry the desk utilisation of ReportOffice.
type ReportData struct {
	OrganisationID   string
	OrganisationName string
	Today            time.Time
	Units            []ReportUnit
	RootIDs          []string
	Facts            []ReportFact
	Utilisation      []*UtilisationRow
	// Labels names categories the service cannot name itself (courses,
	// documents), by category.
	Labels map[string]ReportNote
}

// InstallationCount is one organisation's counts for the installation's
// operator: no unit, no person.
type InstallationCount struct {
	OrganisationID   string
	OrganisationName string
	People           int
	Units            int
	ActiveAgreements int
	OpenAgreements   int
	OpenIncidents    int
	EquipmentItems   int
	LostItems        int
}

// ReportStore finds a report's facts for the actor in the context, scoped
// to the organisation and Actor.ReportScope (EFORBIDDEN without one).
// ReportDetails streams the records behind a report in the same scope
// with a keyset scan (EFORBIDDEN for a Suppressed scope, ENOTFOUND for a
// unit outside it); InstallationCounts needs RunsInstallation.
type ReportStore interface {
	ReportData(ctx context.Context, kind ReportKind, from, to time.Time) (*ReportData, error)
	ReportDetails(ctx context.Context, f ReportFilter, w DetailWriter) error
	InstallationCounts(ctx context.Context) ([]InstallationCount, error)
}
