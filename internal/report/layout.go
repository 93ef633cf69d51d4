package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/distans/distans"
)

// view is one report as laid out, with what each count cell sums: the
// indexes of the facts behind it (support[table][row][col], the Total
// row last), which is what suppression reasons about.
type view struct {
	r       *distans.Report
	support map[*distans.ReportTable][][][]int
}

// vars are the unknowns every count is a sum of: one per measure, unit
// (or none), category and month, zero where no fact says otherwise, so
// that a count of nobody is a sum like any other.
type vars struct {
	index  map[varKey]int
	value  []float64
	cats   map[string][]string // measure → its categories ("" alone when none)
	months map[string][]string
}

type varKey struct{ measure, unit, cat, month string }

func newVars(t *tree, d *distans.ReportData, f distans.ReportFilter) *vars {
	vs := &vars{index: map[varKey]int{}, cats: map[string][]string{}, months: map[string][]string{}}
	addTo := func(m map[string][]string, measure, v string) {
		if !slices.Contains(m[measure], v) {
			m[measure] = append(m[measure], v)
		}
	}
	for _, fa := range d.Facts {
		if fa.Days < 0 {
			addTo(vs.cats, fa.Measure, fa.Category)
			addTo(vs.months, fa.Measure, fa.Month)
		}
	}
	for _, sp := range specs(f.Kind, d, f) {
		for _, c := range sp.cols {
			for _, m := range c.Measures {
				for _, x := range sp.cats {
					if sp.dim == "category" {
						addTo(vs.cats, m, x)
					} else if sp.dim == "month" {
						addTo(vs.months, m, x)
					}
				}
				if len(vs.cats[m]) == 0 {
					vs.cats[m] = []string{""}
				}
				if len(vs.months[m]) == 0 {
					vs.months[m] = []string{""}
				}
			}
		}
	}
	for _, fa := range d.Facts {
		if fa.Days < 0 {
			vs.value[vs.at(varKey{fa.Measure, fa.UnitID, fa.Category, fa.Month})] += float64(fa.N)
		}
	}
	return vs
}

func (vs *vars) at(k varKey) int {
	i, ok := vs.index[k]
	if !ok {
		i = len(vs.value)
		vs.index[k] = i
		vs.value = append(vs.value, 0)
	}
	return i
}

// spec is one table's shape: its rows are units (the children of the
// view's root and the root itself, for people placed directly in it),
// categories or months.
type spec struct {
	id          string
	title, desc distans.ReportNote
	chart       distans.ChartKind
	dim         string // "unit", "category", "month"
	cats        []string
	catLabel    func(string) string
	cols        []distans.ReportColumn
	total       bool
}

func note(sv, en string) distans.ReportNote { return distans.ReportNote{Sv: sv, En: en} }

func countCol(key, sv, en string, measures ...string) distans.ReportColumn {
	if len(measures) == 0 {
		measures = []string{key}
	}
	return distans.ReportColumn{Key: key, Label: note(sv, en), Kind: distans.CellCount, Measures: measures}
}

func percentCol(key, sv, en, of, per string) distans.ReportColumn {
	return distans.ReportColumn{Key: key, Label: note(sv, en), Kind: distans.CellPercent, Of: of, Per: per}
}

var weekdayLabels = map[string]string{"mon": "Måndag", "tue": "Tisdag", "wed": "Onsdag", "thu": "Torsdag",
	"fri": "Fredag", "sat": "Lördag", "sun": "Söndag", "flexible": "Valfria dagar"}

var incidentKindLabels = map[string]string{"personal_data": "Personuppgiftsincident", "security": "Informationssäkerhet",
	"it": "IT-incident", "theft": "Stöld eller intrång", "equipment_loss": "Förlorad utrustning", "threat": "Hot eller våld",
	"work_injury": "Arbetsskada", "other": "Annat"}

// specs are the tables of each kind.
func specs(kind distans.ReportKind, d *distans.ReportData, f distans.ReportFilter) []spec {
	months := monthsOf(f.From, f.To)
	if kind == distans.ReportAgreements {
		months = monthsOf(f.To.AddDate(0, -11, 0), f.To)
	}
	byLabel := func(m map[string]string) func(string) string {
		return func(k string) string {
			if l, ok := m[k]; ok {
				return l
			}
			return k
		}
	}
	switch kind {
	case distans.ReportAgreements:
		var states []distans.ReportColumn
		for _, s := range distans.AgreementStates {
			states = append(states, countCol("state:"+string(s), stateLabels[s][0], stateLabels[s][1]))
		}
		return []spec{
			{id: "agreements_by_state", dim: "unit", chart: distans.ChartStackedBar, total: true, cols: states,
				title: note("Ärenden per status och enhet", "Cases by state and unit"),
				desc:  note("Alla ärenden om distansarbete som de står i dag.", "Every remote-work case as it stands today.")},
			{id: "agreement_share", dim: "unit", chart: distans.ChartBar, total: true, cols: []distans.ReportColumn{
				percentCol("share", "Andel med överenskommelse", "Share with an agreement", "staff_with_agreement", "staff"),
				countCol("staff_with_agreement", "Med gällande överenskommelse", "With an agreement in force"),
				countCol("staff", "Anställda", "Employed")},
				title: note("Andel anställda med överenskommelse", "Share of staff with an agreement"),
				desc:  note("Anställda i dag och hur många av dem som har en gällande överenskommelse.", "People employed today and how many of them have an agreement in force.")},
			{id: "remote_days_by_weekday", dim: "category", chart: distans.ChartBar, total: true,
				cats: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun", "flexible"}, catLabel: byLabel(weekdayLabels),
				cols:  []distans.ReportColumn{countCol("remote_days", "Överenskommelser med distansdag", "Agreements with a remote day")},
				title: note("Distansdagar per veckodag", "Remote days per weekday"),
				desc:  note("Gällande överenskommelser per avtalad distansdag.", "Agreements in force by agreed remote day.")},
			{id: "agreements_ending", dim: "unit", chart: distans.ChartBar, total: true, cols: []distans.ReportColumn{
				countCol("ending_30", "Upphör inom 30 dagar", "Ending within 30 days"),
				countCol("ending_60", "Upphör inom 60 dagar", "Ending within 60 days"),
				countCol("follow_up_overdue", "Uppföljning försenad", "Follow-up overdue")},
				title: note("Upphör snart och försenade uppföljningar", "Ending soon and overdue follow-ups"),
				desc:  note("Gällande överenskommelser som upphör inom 30 och 60 dagar, och de vars uppföljning är försenad.", "Agreements in force ending within 30 and 60 days, and those whose follow-up is overdue.")},
			{id: "decisions", dim: "unit", chart: distans.ChartStackedBar, total: true, cols: []distans.ReportColumn{
				countCol("decided_approved", "Beviljade", "Approved"), countCol("decided_declined", "Avslagna", "Declined"),
				countCol("decided", "Beslut", "Decisions", "decided_approved", "decided_declined"),
				percentCol("declined_share", "Andel avslag", "Share declined", "decided_declined", "decided"),
				{Key: "median_days", Label: note("Mediantid till beslut (dagar)", "Median days to decision"), Kind: distans.CellDays, Of: "decision_days"}},
				title: note("Beslut under perioden", "Decisions in the period"),
				desc:  note("Beviljade och avslagna ansökningar, andel avslag och mediantid från ansökan till beslut.", "Requests approved and declined, the share declined and the median days from request to decision.")},
			{id: "spill_over", dim: "unit", chart: distans.ChartStackedBar, total: true, cols: []distans.ReportColumn{
				countCol("spill:none", "Ingen påverkan", "None"), countCol("spill:some", "Viss påverkan", "Some"),
				countCol("spill:considerable", "Betydande påverkan", "Considerable"), countCol("spill:unrated", "Ej bedömd", "Not rated")},
				title: note("Påverkan på kollegor enligt uppföljningarna", "Spill-over onto colleagues in follow-ups"),
				desc:  note("Uppföljningar under perioden efter chefens bedömning av påverkan på kollegor.", "Follow-ups in the period by the manager's rating of spill-over onto colleagues.")},
			{id: "agreements_trend", dim: "month", chart: distans.ChartLine, cats: months,
				cols:  []distans.ReportColumn{countCol("in_force", "Gällande överenskommelser", "Agreements in force")},
				title: note("Gällande överenskommelser per månad", "Agreements in force by month"),
				desc:  note("Överenskommelser som gällde vid varje månads slut, de senaste tolv månaderna.", "Agreements in force at the end of each month, over the last twelve months.")},
		}
	case distans.ReportIncidents:
		var kinds []string
		for k := range incidentKindLabels {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		cols := []distans.ReportColumn{countCol("incidents", "Incidenter", "Incidents"),
			countCol("clock_met", "Frister hållna", "Deadlines met"), countCol("clock_missed", "Frister missade", "Deadlines missed"),
			countCol("clock_open", "Frister pågående", "Deadlines running")}
		return []spec{
			{id: "incidents_by_kind", dim: "category", cats: kinds, catLabel: byLabel(incidentKindLabels), chart: distans.ChartBar,
				total: true, cols: cols, title: note("Incidenter per typ och frister", "Incidents by kind and deadlines"),
				desc: note("Incidenter upptäckta under perioden och om varje frist hölls.", "Incidents discovered in the period and whether each deadline was met.")},
			{id: "incidents_by_month", dim: "month", cats: months, chart: distans.ChartLine, total: true, cols: cols,
				title: note("Incidenter per månad", "Incidents by month"),
				desc:  note("Incidenter och frister per månad då incidenten upptäcktes.", "Incidents and deadlines by the month the incident was discovered.")},
		}
	case distans.ReportEquipment:
		return []spec{{id: "equipment_by_unit", dim: "unit", chart: distans.ChartBar, total: true, cols: []distans.ReportColumn{
			countCol("items_issued", "Utlämnad utrustning", "Items issued"),
			countCol("return_outstanding", "Utestående återlämningar", "Returns outstanding"),
			countCol("losses", "Förlustanmälningar under perioden", "Losses reported in the period"),
			countCol("handover_pending", "Utlämningar ej kvitterade", "Issues not accepted")},
			title: note("Utrustning per enhet", "Equipment by unit"),
			desc:  note("Utlämnad utrustning, utestående återlämningar, förluster och okvitterade utlämningar.", "Items issued, returns outstanding, losses and issues not yet accepted.")}}
	case distans.ReportTraining:
		var courses, docs []string
		for k := range d.Labels {
			if c, ok := cutPrefix(k, "course:"); ok {
				courses = append(courses, c)
			}
		}
		for _, fa := range d.Facts {
			if fa.Measure == "ack_outstanding" && !slices.Contains(docs, fa.Category) {
				docs = append(docs, fa.Category)
			}
		}
		slices.Sort(courses)
		label := func(prefix string) func(string) string {
			return func(k string) string {
				if l, ok := d.Labels[prefix+k]; ok {
					return l.Sv
				}
				return k
			}
		}
		return []spec{
			{id: "training_by_course", dim: "category", cats: courses, catLabel: label("course:"), chart: distans.ChartStackedBar,
				cols: []distans.ReportColumn{countCol("training_done", "Genomförd", "Done"), countCol("training_due", "Ej klar, inom frist", "Due"),
					countCol("training_overdue", "Försenad", "Overdue"),
					countCol("training_required", "Ska genomföra", "Required", "training_done", "training_due", "training_overdue"),
					percentCol("training_coverage", "Täckning", "Coverage", "training_done", "training_required")},
				title: note("Utbildning per kurs", "Training by course"),
				desc:  note("Anställda som kursen gäller, efter om de har genomfört den.", "People employed whom the course applies to, by whether they have completed it.")},
			{id: "acknowledgements_by_unit", dim: "unit", chart: distans.ChartBar, total: true,
				cols:  []distans.ReportColumn{countCol("ack_outstanding", "Ej kvitterade dokument", "Documents not acknowledged")},
				title: note("Ej kvitterade styrdokument per enhet", "Documents not acknowledged by unit"),
				desc:  note("Obligatoriska dokument som anställda ännu inte har kvitterat, räknat per person och dokument.", "Required documents that employees have not yet acknowledged, counted per person and document.")},
		}
	}
	return nil
}

var stateLabels = map[distans.AgreementState][2]string{
	distans.AgreementRequested: {"Ansökta", "Requested"}, distans.AgreementAssessed: {"Bedömda", "Assessed"},
	distans.AgreementDeclined: {"Avslagna", "Declined"}, distans.AgreementWithdrawn: {"Återtagna", "Withdrawn"},
	distans.AgreementAwaitingSignature: {"Väntar på underskrift", "Awaiting signature"},
	distans.AgreementActive:            {"Gällande", "In force"}, distans.AgreementEnded: {"Avslutade", "Ended"},
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return "", false
}

// monthsOf lists the months ("2026-03") from from's to to's.
func monthsOf(from, to time.Time) []string {
	var out []string
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	for !m.After(to) && len(out) < 24 {
		out = append(out, m.Format("2006-01"))
		m = m.AddDate(0, 1, 0)
	}
	return out
}

// rowSel is one row: the units it sums and the category or month it is.
type rowSel struct {
	key, label string
	units      map[string]bool
	cat, month string
}

// layout lays the report out with the view's root at root ("" for the
// whole scope).
func layout(t *tree, d *distans.ReportData, vs *vars, f distans.ReportFilter, root string, suppressed bool) *view {
	r := &distans.Report{Kind: f.Kind, OrganisationID: d.OrganisationID, ScopeName: d.OrganisationName, UnitID: root,
		From: f.From, To: f.To}
	v := &view{r: r, support: map[*distans.ReportTable][][][]int{}}
	top := root
	if top == "" {
		top = t.root
	}
	if root != "" {
		r.ScopeName = t.units[root].Name
	} else if top != "" && !t.all {
		r.ScopeName = t.units[top].Name
	}
	// The unit rows: the top's children, each with its subtree, and the
	// top itself for the people placed directly in it.
	var unitRows []rowSel
	for _, c := range t.children[top] {
		unitRows = append(unitRows, rowSel{key: c, label: t.units[c].Name, units: t.subtree(c)})
	}
	if top != "" {
		direct := map[string]bool{top: true}
		if root == "" && t.all {
			direct[""] = true
		}
		unitRows = append(unitRows, rowSel{key: top + ":direct", label: "Direkt i " + t.units[top].Name, units: direct})
	}
	all := t.subtree(root)
	staff := map[string]int{}
	for _, fa := range d.Facts {
		if fa.Measure == "staff" {
			staff[fa.UnitID] += fa.N
		}
	}
	groupOf := func(units map[string]bool) int {
		n := 0
		for u := range units {
			n += staff[u]
		}
		return n
	}
	for _, sp := range specs(f.Kind, d, f) {
		tb := &distans.ReportTable{ID: sp.id, Title: sp.title, Description: sp.desc, Chart: sp.chart, Columns: sp.cols,
			ByUnit: sp.dim == "unit"}
		if suppressed && root != "" && sp.dim != "unit" {
			// The union sees trends and kinds for its whole scope only:
			// by unit as well, they would be cut too thin to publish.
			continue
		}
		var sels []rowSel
		switch sp.dim {
		case "unit":
			sels = unitRows
		default:
			for _, c := range sp.cats {
				s := rowSel{key: c, label: c, units: all}
				if sp.catLabel != nil {
					s.label = sp.catLabel(c)
				}
				if sp.dim == "month" {
					s.month = c
				} else {
					s.cat = c
				}
				sels = append(sels, s)
			}
		}
		var sup [][][]int
		for _, s := range sels {
			row, cs := cells(d, vs, sp.cols, s)
			row.Key, row.Label = s.key, s.label
			if sp.dim == "unit" {
				row.Group = groupOf(s.units)
			}
			tb.Rows = append(tb.Rows, row)
			sup = append(sup, cs)
		}
		if sp.total {
			row, cs := cells(d, vs, sp.cols, rowSel{units: all})
			row.Key, row.Label = "total", "Totalt"
			if sp.dim == "unit" {
				row.Group = groupOf(all)
			}
			tb.Total = &row
			sup = append(sup, cs)
		}
		v.support[tb] = sup
		r.Tables = append(r.Tables, tb)
	}
	if f.Kind == distans.ReportOffice {
		r.Tables = append(r.Tables, officeTable(d.Utilisation))
	}
	r.Missing = missing(f.Kind)
	if suppressed && root != "" && f.Kind != distans.ReportOffice && f.Kind != distans.ReportEquipment {
		r.Missing = append(r.Missing, note("I den fackliga vyn visas trender och fördelningar på typ bara för hela organisationen.",
			"In the union's view, trends and breakdowns by kind are shown for the whole organisation only."))
	}
	return v
}

// cells computes one row: count columns sum their facts, percent and days
// columns are derived from the row.
func cells(d *distans.ReportData, vs *vars, cols []distans.ReportColumn, s rowSel) (distans.ReportRow, [][]int) {
	row := distans.ReportRow{Cells: make([]distans.ReportCell, len(cols))}
	sup := make([][]int, len(cols))
	byKey := map[string]int{}
	for i, c := range cols {
		byKey[c.Key] = i
		if c.Kind != distans.CellCount {
			continue
		}
		sup[i] = []int{}
		for _, m := range c.Measures {
			for u := range s.units {
				for _, cat := range vs.cats[m] {
					if s.cat != "" && cat != s.cat {
						continue
					}
					for _, mo := range vs.months[m] {
						if s.month != "" && mo != s.month {
							continue
						}
						j := vs.at(varKey{m, u, cat, mo})
						row.Cells[i].Value += vs.value[j]
						sup[i] = append(sup[i], j)
					}
				}
			}
		}
		slices.Sort(sup[i])
	}
	for i, c := range cols {
		switch c.Kind {
		case distans.CellPercent:
			den := row.Cells[byKey[c.Per]].Value
			if den == 0 {
				row.Cells[i].Empty = true
			} else {
				row.Cells[i].Value = float64(int(1000*row.Cells[byKey[c.Of]].Value/den+0.5)) / 10
			}
		case distans.CellDays:
			var hist []distans.ReportFact
			for _, fa := range d.Facts {
				if fa.Measure == c.Of && fa.Days >= 0 && s.units[fa.UnitID] {
					hist = append(hist, fa)
				}
			}
			if m, ok := median(hist); ok {
				row.Cells[i].Value = m
			} else {
				row.Cells[i].Empty = true
			}
		}
	}
	return row, sup
}

// median is the median of a histogram of days.
func median(h []distans.ReportFact) (float64, bool) {
	slices.SortFunc(h, func(x, y distans.ReportFact) int { return x.Days - y.Days })
	n := 0
	for _, f := range h {
		n += f.N
	}
	if n == 0 {
		return 0, false
	}
	at := func(i int) int { // the i-th value, from 0
		for _, f := range h {
			if i < f.N {
				return f.Days
			}
			i -= f.N
		}
		return 0
	}
	if n%2 == 1 {
		return float64(at(n / 2)), true
	}
	return float64(at(n/2-1)+at(n/2)) / 2, true
}

// deskTableID is the office report's table of desk utilisation.
const deskTableID = "desk_utilisation"

// officeTable is desk utilisation per site and weekday (OfficeService.Utilisation).
func officeTable(rows []*distans.UtilisationRow) *distans.ReportTable {
	t := &distans.ReportTable{ID: deskTableID, Chart: distans.ChartBar,
		Title: note("Skrivbordsbeläggning per plats och veckodag", "Desk utilisation by site and weekday"),
		Description: note("Bokade och incheckade skrivbordsdagar mot antalet skrivbordsdagar under perioden.",
			"Desk-days booked and checked in against the desk-days of the period."),
		Columns: []distans.ReportColumn{
			{Key: "utilisation", Label: note("Beläggning", "Utilisation"), Kind: distans.CellPercent},
			{Key: "booked", Label: note("Bokade", "Booked"), Kind: distans.CellDesks},
			{Key: "checked_in", Label: note("Incheckade", "Checked in"), Kind: distans.CellDesks},
			{Key: "capacity", Label: note("Skrivbordsdagar", "Desk-days"), Kind: distans.CellDesks}}}
	days := []string{"Söndag", "Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag"}
	for _, u := range rows {
		r := distans.ReportRow{Key: fmt.Sprintf("%s:%d", u.SiteID, u.Weekday), Label: u.SiteName + ", " + days[u.Weekday],
			Cells: []distans.ReportCell{{}, {Value: u.Booked}, {Value: u.CheckedIn}, {Value: u.Capacity}}}
		if u.Capacity == 0 {
			r.Cells[0].Empty = true
		} else {
			r.Cells[0].Value = float64(int(1000*u.Booked/u.Capacity+0.5)) / 10
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// missing says what a report cannot show yet.
func missing(k distans.ReportKind) []distans.ReportNote {
	switch k {
	case distans.ReportAgreements:
		return []distans.ReportNote{note("Påverkan på kollegor räknas bara i uppföljningar där chefen har bedömt den; äldre uppföljningar visas som ej bedömda.",
			"Spill-over is counted only in follow-ups where the manager rated it; older follow-ups show as not rated.")}
	case distans.ReportOffice:
		return []distans.ReportNote{note("Skrivbordsbeläggningen gäller platser, inte enheter, och följer inte ett val av enhet.",
			"Desk utilisation is by site, not unit, and does not follow a choice of unit.")}
	case distans.ReportIncidents:
		return []distans.ReportNote{note("Incidenter utan enhet räknas bara i rapporten för hela organisationen.",
			"Incidents of no unit are counted only in the report for the whole organisation.")}
	}
	return nil
}
