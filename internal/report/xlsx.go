package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/distans/distans"
)

// The workbooks are written with excelize's StreamWriter, which keeps
// rows on disk rather than in memory once they are many, so that an
// export of 100,000 records stays small (xlsx_test.go's benchmark).

// xlsxStyles are the few styles a workbook uses.
type xlsxStyles struct {
	bold, title, wrap, mark int
	kinds                   map[distans.CellKind]int
}

func newStyles(f *excelize.File) (*xlsxStyles, error) {
	s := &xlsxStyles{kinds: map[distans.CellKind]int{}}
	var err error
	style := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	s.bold = style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	s.title = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	s.wrap = style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	s.mark = style(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right"}})
	count := "#,##0"
	one := "#,##0.0"
	pct := `0.0" %"`
	s.kinds[distans.CellCount] = style(&excelize.Style{CustomNumFmt: &count})
	s.kinds[distans.CellDays] = style(&excelize.Style{CustomNumFmt: &one})
	s.kinds[distans.CellDesks] = style(&excelize.Style{CustomNumFmt: &one})
	s.kinds[distans.CellPercent] = style(&excelize.Style{CustomNumFmt: &pct})
	return s, err
}

// rowWriter adds rows one after another to a stream.
type rowWriter struct {
	sw  *excelize.StreamWriter
	row int
	err error
}

func (w *rowWriter) add(cells ...any) {
	if w.err != nil {
		return
	}
	w.row++
	name, err := excelize.CoordinatesToCellName(1, w.row)
	if err == nil {
		err = w.sw.SetRow(name, cells)
	}
	w.err = err
}

func (w *rowWriter) heading(lines []Line, st *xlsxStyles) {
	for _, l := range lines {
		w.add(excelize.Cell{StyleID: st.bold, Value: l.Label}, excelize.Cell{StyleID: st.wrap, Value: l.Value})
	}
}

// WriteXLSX writes r as a workbook: a first sheet with the heading
// (Heading) and what the report cannot show, then a sheet per table with
// its title, description, any row limit, a header, its rows and its
// total. Numbers are numbers; a suppressed cell is the text
// SuppressedMark, never a number.
func WriteXLSX(w io.Writer, r *distans.Report, o Options) error {
	lang := o.lang()
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	first := tr(lang, "Rapport", "Report")
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(first)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 24); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 90); err != nil {
		return err
	}
	rw := &rowWriter{sw: sw}
	rw.add(excelize.Cell{StyleID: st.title, Value: r.Kind.Label(lang) + " – " + r.ScopeName})
	rw.heading(Heading(r, o), st)
	for _, n := range r.Missing {
		rw.add(excelize.Cell{StyleID: st.bold, Value: tr(lang, "Saknas", "Missing")}, excelize.Cell{StyleID: st.wrap, Value: n.Text(lang)})
	}
	rw.add()
	rw.add(excelize.Cell{StyleID: st.bold, Value: tr(lang, "Tabeller", "Tables")})
	names := map[string]bool{first: true}
	var sheets []string
	for _, t := range r.Tables {
		name := sheetName(t.Title.Text(lang), names)
		sheets = append(sheets, name)
		rw.add(name, t.Description.Text(lang))
	}
	if rw.err != nil {
		return rw.err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	for i, t := range r.Tables {
		if err := xlsxTable(f, sheets[i], t, r, st, lang); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func xlsxTable(f *excelize.File, name string, t *distans.ReportTable, r *distans.Report, st *xlsxStyles, lang string) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 36); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, len(t.Columns)+1, 18); err != nil {
		return err
	}
	rw := &rowWriter{sw: sw}
	rw.add(excelize.Cell{StyleID: st.title, Value: t.Title.Text(lang)})
	if d := t.Description.Text(lang); d != "" {
		rw.add(d)
	}
	rw.add(r.ScopeName + ", " + day(r.From) + " – " + day(r.To))
	if n := RowLimitNote(t, lang); n != "" {
		rw.add(excelize.Cell{StyleID: st.bold, Value: n})
	}
	if r.Suppressed || hasEmpty(t) {
		rw.add(Marks(r, lang))
	}
	rw.add()
	head := []any{excelize.Cell{StyleID: st.bold, Value: ""}}
	for _, c := range t.Columns {
		head = append(head, excelize.Cell{StyleID: st.bold, Value: columnHeader(c, lang)})
	}
	rw.add(head...)
	for i, row := range rows(t) {
		label := row.Label
		style := 0
		if t.Total != nil && i == len(t.Rows) {
			label, style = totalLabel(t, lang), st.bold
		}
		line := []any{excelize.Cell{StyleID: style, Value: label}}
		for j, c := range t.Columns {
			x := cell(row, j)
			switch {
			case x.Suppressed:
				line = append(line, excelize.Cell{StyleID: st.mark, Value: SuppressedMark})
			case x.Empty:
				line = append(line, excelize.Cell{StyleID: st.mark, Value: EmptyMark})
			default:
				line = append(line, excelize.Cell{StyleID: st.kinds[c.Kind], Value: x.Value})
			}
		}
		rw.add(line...)
	}
	if rw.err != nil {
		return rw.err
	}
	return sw.Flush()
}

func hasEmpty(t *distans.ReportTable) bool {
	return countMarked(t, func(x distans.ReportCell) bool { return x.Empty }) > 0
}

// sheetName makes s a sheet name Excel takes: at most 31 characters, none
// of []:*?/\, and unlike the names already used.
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if s == "" {
		s = "Tabell"
	}
	cut := func(s string, n int) string {
		if utf8.RuneCountInString(s) <= n {
			return s
		}
		return strings.TrimSpace(string([]rune(s)[:n]))
	}
	name := cut(s, 31)
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = cut(s, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

// XLSXDetails is a distans.DetailWriter that writes a workbook of one
// sheet: the heading lines, then a header and one row per record. Rows
// go through excelize's StreamWriter, which spills to a temporary file,
// so that memory stays flat however many records come. Close writes the
// workbook to w.
type XLSXDetails struct {
	w    io.Writer
	f    *excelize.File
	rw   *rowWriter
	st   *xlsxStyles
	lang string
	cols int
}

// NewXLSXDetails starts a detail export to w with the heading lines.
func NewXLSXDetails(w io.Writer, heading []Line, o Options) (*XLSXDetails, error) {
	f := excelize.NewFile()
	st, err := newStyles(f)
	if err == nil {
		err = f.SetSheetName("Sheet1", tr(o.lang(), "Underlag", "Records"))
	}
	var sw *excelize.StreamWriter
	if err == nil {
		sw, err = f.NewStreamWriter(tr(o.lang(), "Underlag", "Records"))
	}
	if err == nil {
		err = sw.SetColWidth(1, 12, 20)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	d := &XLSXDetails{w: w, f: f, rw: &rowWriter{sw: sw}, st: st, lang: o.lang()}
	d.rw.heading(heading, st)
	d.rw.add()
	return d, d.rw.err
}

// Columns implements distans.DetailWriter.
func (d *XLSXDetails) Columns(cols []distans.ReportNote) error {
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: d.st.bold, Value: c.Text(d.lang)}
	}
	d.cols = len(cols)
	d.rw.add(head...)
	return d.rw.err
}

// Row implements distans.DetailWriter. Values are text, as the service
// gives them; a spreadsheet does not run text as a formula.
func (d *XLSXDetails) Row(values []string) error {
	line := make([]any, len(values))
	for i, v := range values {
		line[i] = v
	}
	d.rw.add(line...)
	return d.rw.err
}

// Close writes the workbook to w and frees what it held.
func (d *XLSXDetails) Close() error {
	defer d.f.Close()
	if d.rw.err != nil {
		return d.rw.err
	}
	if err := d.rw.sw.Flush(); err != nil {
		return err
	}
	return d.f.Write(d.w)
}
