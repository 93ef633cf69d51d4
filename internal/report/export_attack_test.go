package report_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/report"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestUnionExportAttack extends TestUnionAttack to the files: every
// report the union can reach is exported as CSV, XLSX and PDF, its
// numbers are read back from each file into a copy of the report, and
// (1) every cell the report suppresses is the mark "–" in the file, never
// a number, (2) every published cell is the report's number, and (3) the
// equations of what the files publish determine no suppressed count. A
// format that said more than the report would fail (1); one that leaked
// by its totals would fail (3).
func TestUnionExportAttack(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := storetest.NewReportWorld(t, s)
		svc := newService(s)
		un := storetest.As(t, s, w.Union)
		units := []string{w.Top.ID, w.A.ID, w.B.ID, w.A1.ID, w.A2.ID, w.B1.ID}
		reports := UnionReports(t, svc, un, units)
		want := report.PublishedEquations(reports...).Hidden()
		for _, format := range []distans.ReportFormat{distans.ReportCSV, distans.ReportXLSX, distans.ReportPDF} {
			var read []*distans.Report
			for _, r := range reports {
				var b bytes.Buffer
				if err := report.Write(&b, r, format, report.Options{Lang: "sv"}); err != nil {
					t.Fatalf("%s %s: %v", r.Kind, format, err)
				}
				switch format {
				case distans.ReportCSV:
					read = append(read, readCSV(t, r, b.Bytes()))
				case distans.ReportXLSX:
					read = append(read, readXLSX(t, r, b.Bytes()))
				case distans.ReportPDF:
					// Every PDF is made, but read back for the top and one
					// drill-down of each kind: pdftotext is slow, and the
					// cells are the same FormatCell the others were checked by.
					if r.UnitID == "" || r.UnitID == w.A.ID {
						checkPDF(t, r, b.Bytes())
					}
					read = append(read, r)
				}
			}
			eq := report.PublishedEquations(read...)
			if got := eq.Hidden(); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: the files hide %v, the reports %v", format, got, want)
			}
			if got := eq.Determined(); len(got) > 0 {
				t.Errorf("%s: suppressed counts recoverable from the files: %v", format, got)
			}
		}
	})
}

// compare checks a cell read back from a file against the report's.
func compare(t *testing.T, where string, want distans.ReportCell, got string) distans.ReportCell {
	t.Helper()
	switch {
	case want.Suppressed:
		if got != report.SuppressedMark {
			t.Errorf("%s: a suppressed cell is %q in the file", where, got)
		}
		return distans.ReportCell{Suppressed: true}
	case want.Empty:
		if got != report.EmptyMark {
			t.Errorf("%s: an empty cell is %q in the file", where, got)
		}
		return distans.ReportCell{Empty: true}
	}
	v, err := strconv.ParseFloat(strings.Replace(got, ",", ".", 1), 64)
	if err != nil || math.Abs(v-want.Value) > 0.051 {
		t.Errorf("%s: %q in the file, %v in the report", where, got, want.Value)
	}
	return distans.ReportCell{Value: v}
}

// copyWith is r with each table's cells replaced by cells(table, row, col).
func copyWith(r *distans.Report, cells func(ti, ri, ci int) distans.ReportCell) *distans.Report {
	out := *r
	out.Tables = nil
	for ti, t := range r.Tables {
		nt := *t
		nt.Rows = nil
		all := append([]distans.ReportRow(nil), t.Rows...)
		if t.Total != nil {
			all = append(all, *t.Total)
		}
		for ri, row := range all {
			nr := row
			nr.Cells = make([]distans.ReportCell, len(row.Cells))
			for ci := range row.Cells {
				nr.Cells[ci] = cells(ti, ri, ci)
			}
			if t.Total != nil && ri == len(t.Rows) {
				nt.Total = &nr
			} else {
				nt.Rows = append(nt.Rows, nr)
			}
		}
		out.Tables = append(out.Tables, &nt)
	}
	return &out
}

// readCSV reads the tables' figures back from a CSV export: after each
// table's title, its header line (first field empty), its rows and its
// total.
func readCSV(t *testing.T, r *distans.Report, b []byte) *distans.Report {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	cr.Comma, cr.FieldsPerRecord = ';', -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	grid := map[[2]int][]string{}
	i := 0
	for ti, tb := range r.Tables {
		for i < len(recs) && !(len(recs[i]) == len(tb.Columns)+1 && recs[i][0] == "" && i > 0 && len(recs[i-1]) > 0) {
			i++
		}
		i++ // the header
		n := len(tb.Rows)
		if tb.Total != nil {
			n++
		}
		for ri := range n {
			if i >= len(recs) {
				t.Fatalf("%s/%s: the CSV ends early", r.Kind, tb.ID)
			}
			grid[[2]int{ti, ri}] = recs[i][1:]
			i++
		}
	}
	return copyWith(r, func(ti, ri, ci int) distans.ReportCell {
		tb := r.Tables[ti]
		want := cellOf(tb, ri, ci)
		return compare(t, "csv "+string(r.Kind)+"/"+tb.ID, want, grid[[2]int{ti, ri}][ci])
	})
}

func cellOf(tb *distans.ReportTable, ri, ci int) distans.ReportCell {
	if ri == len(tb.Rows) {
		return tb.Total.Cells[ci]
	}
	return tb.Rows[ri].Cells[ci]
}

// readXLSX reads the figures back from a workbook: a sheet per table,
// after its header row.
func readXLSX(t *testing.T, r *distans.Report, b []byte) *distans.Report {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()[1:]
	if len(sheets) != len(r.Tables) {
		t.Fatalf("%d sheets for %d tables", len(sheets), len(r.Tables))
	}
	grid := map[[2]int][]string{}
	for ti, tb := range r.Tables {
		rows, err := f.GetRows(sheets[ti], excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		h := 0
		for h < len(rows) && !(len(rows[h]) > 1 && rows[h][0] == "" && strings.HasPrefix(rows[h][1], tb.Columns[0].Label.Sv)) {
			h++
		}
		if h == len(rows) {
			t.Fatalf("xlsx %s/%s: no header row in %q", r.Kind, tb.ID, rows)
		}
		for ri := range rows[h+1:] {
			line := rows[h+1+ri]
			for len(line) < len(tb.Columns)+1 {
				line = append(line, "")
			}
			grid[[2]int{ti, ri}] = line[1:]
		}
	}
	return copyWith(r, func(ti, ri, ci int) distans.ReportCell {
		tb := r.Tables[ti]
		return compare(t, "xlsx "+string(r.Kind)+"/"+tb.ID, cellOf(tb, ri, ci), grid[[2]int{ti, ri}][ci])
	})
}

// checkPDF reads the PDF back with pdftotext: each row of each table is
// its label and its cells as the report formats them, suppressed ones as
// "–", so the PDF publishes what the report does and no more.
func checkPDF(t *testing.T, r *distans.Report, b []byte) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/pdftotext"); err != nil {
		t.Skip("pdftotext is not installed")
	}
	file := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " ")
	for _, tb := range r.Tables {
		for ri := range len(tb.Rows) + map[bool]int{true: 1}[tb.Total != nil] {
			label := "Totalt"
			if ri < len(tb.Rows) {
				label = tb.Rows[ri].Label
			}
			parts := []string{label}
			for ci, c := range tb.Columns {
				parts = append(parts, report.FormatCell(cellOf(tb, ri, ci), c.Kind, "sv"))
			}
			cells := strings.Join(strings.Fields(strings.ReplaceAll(strings.Join(parts[1:], " "), "\u00a0", " ")), " ")
			// A long label wraps: its first words stand before the cells
			// and the rest on the next line.
			words, found := strings.Fields(label), false
			for k := len(words); k > 0 && !found; k-- {
				found = strings.Contains(text, strings.Join(words[:k], " ")+" "+cells)
			}
			if !found {
				t.Errorf("pdf %s/%s: no row %q with %q", r.Kind, tb.ID, label, cells)
			}
		}
	}
}
