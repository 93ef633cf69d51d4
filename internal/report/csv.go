package report

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The CSV files are made for Excel as Swedish municipalities run it: UTF-8
// with a byte-order mark, which is how Excel knows the file is UTF-8 (å, ä
// and ö intact), semicolons between fields, because Excel with Swedish
// regional settings splits a double-clicked .csv on its list separator,
// which is ";" where the decimal separator is ",", and numbers with a
// decimal comma and no spaces, so that Swedish Excel reads them as
// numbers. No "sep=;" line: Excel ignores the byte-order mark when one is
// there. Other programs read the same file with separator ";".

// bom is UTF-8's byte-order mark.
const bom = "\ufeff"

func newCSV(w io.Writer) (*csv.Writer, error) {
	if _, err := io.WriteString(w, bom); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	return cw, nil
}

// WriteCSV writes r as CSV: the heading (Heading), then each table with its
// title, description, any row limit, a header, its rows and its total.
// A suppressed cell is SuppressedMark, never a number.
func WriteCSV(w io.Writer, r *distans.Report, o Options) error {
	lang := o.lang()
	cw, err := newCSV(w)
	if err != nil {
		return err
	}
	for _, l := range Heading(r, o) {
		cw.Write([]string{l.Label, csvText(l.Value)})
	}
	for _, n := range r.Missing {
		cw.Write([]string{tr(lang, "Saknas", "Missing"), csvText(n.Text(lang))})
	}
	for _, t := range r.Tables {
		cw.Write(nil)
		cw.Write([]string{csvText(t.Title.Text(lang))})
		if d := t.Description.Text(lang); d != "" {
			cw.Write([]string{csvText(d)})
		}
		if n := RowLimitNote(t, lang); n != "" {
			cw.Write([]string{tr(lang, "Begränsning", "Row limit"), n})
		}
		head := []string{""}
		for _, c := range t.Columns {
			head = append(head, csvText(columnHeader(c, lang)))
		}
		cw.Write(head)
		for i, row := range rows(t) {
			label := row.Label
			if t.Total != nil && i == len(t.Rows) {
				label = totalLabel(t, lang)
			}
			line := []string{csvText(label)}
			for j, c := range t.Columns {
				line = append(line, csvNumber(cell(row, j), c.Kind))
			}
			cw.Write(line)
		}
	}
	cw.Flush()
	return cw.Error()
}

// columnHeader is a column's label, with "(%)" on a percentage whose
// label does not say so: the files hold bare numbers.
func columnHeader(c distans.ReportColumn, lang string) string {
	l := c.Label.Text(lang)
	if c.Kind == distans.CellPercent && !strings.Contains(l, "%") {
		l += " (%)"
	}
	return l
}

// csvNumber is a cell for a spreadsheet: a bare number with a decimal
// comma, or a mark.
func csvNumber(c distans.ReportCell, k distans.CellKind) string {
	switch {
	case c.Suppressed:
		return SuppressedMark
	case c.Empty:
		return EmptyMark
	}
	d := 0
	if k != distans.CellCount {
		d = 1
	}
	return strings.Replace(strconv.FormatFloat(roundTo(c.Value, d), 'f', -1, 64), ".", ",", 1)
}

// csvText keeps a spreadsheet from reading a name as a formula.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVDetails is a distans.DetailWriter that writes CSV: the heading lines
// first, then a header and one line per record as it comes. Call Close at
// the end.
type CSVDetails struct {
	buf  *bufio.Writer
	cw   *csv.Writer
	lang string
	rows int
}

// NewCSVDetails starts a detail export on w with the heading lines.
func NewCSVDetails(w io.Writer, heading []Line, o Options) (*CSVDetails, error) {
	buf := bufio.NewWriterSize(w, 64<<10)
	cw, err := newCSV(buf)
	if err != nil {
		return nil, err
	}
	for _, l := range heading {
		cw.Write([]string{l.Label, csvText(l.Value)})
	}
	cw.Write(nil)
	return &CSVDetails{buf: buf, cw: cw, lang: o.lang()}, cw.Error()
}

// Columns implements distans.DetailWriter.
func (d *CSVDetails) Columns(cols []distans.ReportNote) error {
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = csvText(c.Text(d.lang))
	}
	return d.cw.Write(head)
}

// Row implements distans.DetailWriter.
func (d *CSVDetails) Row(values []string) error {
	d.rows++
	line := make([]string, len(values))
	for i, v := range values {
		line[i] = csvText(v)
	}
	return d.cw.Write(line)
}

// Close writes what is buffered.
func (d *CSVDetails) Close() error {
	d.cw.Flush()
	if err := d.cw.Error(); err != nil {
		return err
	}
	return d.buf.Flush()
}

// DetailHeading is what a detail export says about itself: the report,
// what it covers, the period and when it was made. A zero period is the
// service's default, the twelve months up to today.
func DetailHeading(kind distans.ReportKind, scopeName string, f distans.ReportFilter, at time.Time, o Options) []Line {
	lang := o.lang()
	period := day(f.From) + " – " + day(f.To)
	if f.From.IsZero() && f.To.IsZero() {
		period = tr(lang, "de tolv senaste månaderna", "the last twelve months")
	}
	return []Line{
		{tr(lang, "Underlag till rapport", "Records behind the report"), kind.Label(lang)},
		{tr(lang, "Omfattning", "Scope"), scopeName},
		{tr(lang, "Period", "Period"), period},
		{tr(lang, "Framtagen", "Generated at"), at.In(o.loc()).Format("2006-01-02 15:04 MST")},
		{tr(lang, "Innehåll", "Contents"), tr(lang, "Personuppgifter: hantera filen enligt dataskyddsförordningen och radera den när den inte längre behövs.",
			"Personal data: handle the file under the GDPR and delete it when it is no longer needed.")},
	}
}
