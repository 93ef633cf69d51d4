package report

import (
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The renderers (svg.go, csv.go, xlsx.go, pdf.go) print a *distans.Report
// and nothing else: whatever the service suppressed is absent from every
// format alike, and each file carries the filters it was made with.

// Options is how a report is printed.
type Options struct {
	// Lang is "en" for English; anything else is Swedish.
	Lang string
	// Location is the organisation's time zone, for the moment the report
	// was made; nil is Europe/Stockholm.
	Location *time.Location
}

func (o Options) lang() string {
	if o.Lang == "en" {
		return "en"
	}
	return "sv"
}

func (o Options) loc() *time.Location {
	if o.Location != nil {
		return o.Location
	}
	if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return l
	}
	return time.UTC
}

// The marks a cell without a number is printed as, in every format. A
// suppressed cell is never printed as a number, zero included.
const (
	// SuppressedMark is a count below the minimum group size, or one
	// suppressed so that such a count cannot be recovered.
	SuppressedMark = "–"
	// EmptyMark is a cell with nothing to show (a median of no cases), as
	// Statistics Sweden marks "uppgift saknas".
	EmptyMark = ".."
)

// tr picks the Swedish or English text.
func tr(lang, sv, en string) string {
	if lang == "en" {
		return en
	}
	return sv
}

// FormatCell is a cell as people read it: Swedish decimal comma (or an
// English point), a percent sign for percentages, the marks for a
// suppressed or empty cell.
func FormatCell(c distans.ReportCell, k distans.CellKind, lang string) string {
	switch {
	case c.Suppressed:
		return SuppressedMark
	case c.Empty:
		return EmptyMark
	}
	switch k {
	case distans.CellPercent:
		return formatNumber(c.Value, 1, lang) + "\u00a0%"
	case distans.CellDays, distans.CellDesks:
		return formatNumber(c.Value, 1, lang)
	}
	return formatNumber(c.Value, 0, lang)
}

// formatNumber writes v with at most decimals decimals (trailing zeros
// dropped) and, in Swedish, a decimal comma and a space between
// thousands.
func formatNumber(v float64, decimals int, lang string) string {
	v = roundTo(v, decimals)
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	sep := ","
	if lang == "en" {
		sep = "."
	}
	var b strings.Builder
	if v < 0 {
		b.WriteString("−")
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			if lang == "en" {
				b.WriteByte(',')
			} else {
				b.WriteString("\u00a0")
			}
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(sep + frac)
	}
	return b.String()
}

// Line is one line of what a file says about itself.
type Line struct{ Label, Value string }

// Heading is what every file prints before its tables: the report, what
// it covers, the period, when it was made and, for a suppressed report,
// the threshold and what the marks mean.
func Heading(r *distans.Report, o Options) []Line {
	lang := o.lang()
	lines := []Line{
		{tr(lang, "Rapport", "Report"), r.Kind.Label(lang)},
		{tr(lang, "Omfattning", "Scope"), r.ScopeName},
		{tr(lang, "Period", "Period"), day(r.From) + " – " + day(r.To)},
		{tr(lang, "Framtagen", "Generated at"), r.GeneratedAt.In(o.loc()).Format("2006-01-02 15:04 MST")},
	}
	if r.Suppressed {
		lines = append(lines, Line{tr(lang, "Minsta gruppstorlek", "Minimum group size"), strconv.Itoa(r.MinGroupSize)})
	}
	return append(lines, Line{tr(lang, "Tecken", "Marks"), Marks(r, lang)})
}

// Marks explains the marks a file may hold.
func Marks(r *distans.Report, lang string) string {
	s := tr(lang, "”"+EmptyMark+"” = uppgift saknas.", "“"+EmptyMark+"” = no data.")
	if r.Suppressed {
		n := strconv.Itoa(r.MinGroupSize)
		s = tr(lang, "”"+SuppressedMark+"” = dold uppgift: gruppen är mindre än "+n+
			" personer, eller uppgiften är dold så att en sådan grupp inte kan räknas fram ur summor. ",
			"“"+SuppressedMark+"” = suppressed: the group is smaller than "+n+
				" people, or the value is hidden so that such a group cannot be worked out from totals. ") + s
	}
	return s
}

// RowLimitNote says that a table was cut, or "" when it holds every row.
func RowLimitNote(t *distans.ReportTable, lang string) string {
	if t.RowLimit <= 0 {
		return ""
	}
	n := strconv.Itoa(t.RowLimit)
	return tr(lang, "Tabellen visar de första "+n+" raderna; fler finns. Välj en enhet för att se resten.",
		"The table shows the first "+n+" rows; there are more. Choose a unit to see the rest.")
}

func day(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.Format(time.DateOnly)
}

// rows is a table's rows with its total last.
func rows(t *distans.ReportTable) []distans.ReportRow {
	if t.Total == nil {
		return t.Rows
	}
	out := append([]distans.ReportRow(nil), t.Rows...)
	total := *t.Total
	return append(out, total)
}

// cell returns row's cell i, or an empty one when the row is short.
func cell(row distans.ReportRow, i int) distans.ReportCell {
	if i < len(row.Cells) {
		return row.Cells[i]
	}
	return distans.ReportCell{Empty: true}
}

// totalLabel is the total row's label when the service gave none.
func totalLabel(t *distans.ReportTable, lang string) string {
	if t.Total != nil && t.Total.Label != "" {
		return t.Total.Label
	}
	return tr(lang, "Totalt", "Total")
}

// Write writes r in format f: the one function behind the pages' and the
// API's downloads, the CLI and the monthly e-mail.
func Write(w io.Writer, r *distans.Report, f distans.ReportFormat, o Options) error {
	switch f {
	case distans.ReportXLSX:
		return WriteXLSX(w, r, o)
	case distans.ReportPDF:
		return WritePDF(w, r, o)
	case distans.ReportCSV:
		return WriteCSV(w, r, o)
	}
	_, err := ParseFormat(string(f))
	return err
}

// Filename is the name a download of r in format f is given:
// "rapport-agreements-2026-03-31.xlsx".
func Filename(r *distans.Report, f distans.ReportFormat, o Options) string {
	return "rapport-" + string(r.Kind) + "-" + r.GeneratedAt.In(o.loc()).Format(time.DateOnly) + "." + string(f)
}

// ContentType is the media type of format f.
func ContentType(f distans.ReportFormat) string {
	switch f {
	case distans.ReportXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case distans.ReportPDF:
		return "application/pdf"
	}
	return "text/csv; charset=utf-8"
}

// ParseFormat reads a format's name; anything else is EINVALID on field
// "format".
func ParseFormat(s string) (distans.ReportFormat, error) {
	switch f := distans.ReportFormat(s); f {
	case distans.ReportCSV, distans.ReportXLSX, distans.ReportPDF:
		return f, nil
	}
	e := distans.Errorf(distans.EINVALID, "Okänt format: välj csv, xlsx eller pdf.", "Unknown format: choose csv, xlsx or pdf.")
	e.Fields = []distans.FieldError{{Field: "format", Sv: "Välj csv, xlsx eller pdf.", En: "Choose csv, xlsx or pdf."}}
	return "", e
}

// roundTo rounds v to decimals decimals.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
