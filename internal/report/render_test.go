package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// sampleReport is a union report as the service would give it: two units
// with a suppressed cell each (and, to prove that no renderer prints one,
// a value left in them that must never show), a month trend with a gap,
// and a table cut at a row limit.
func sampleReport(suppressed bool) *distans.Report {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	count := func(sv, en string) distans.ReportColumn {
		return distans.ReportColumn{Key: en, Label: distans.ReportNote{Sv: sv, En: en}, Kind: distans.CellCount}
	}
	n := func(v float64) distans.ReportCell { return distans.ReportCell{Value: v} }
	hidden := distans.ReportCell{Value: 9, Suppressed: true}
	r := &distans.Report{
		Kind: distans.ReportAgreements, OrganisationID: "org1", ScopeName: "Sundsvalls kommun",
		From: time.Date(2025, 4, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 3, 31, 0, 0, 0, 0, loc),
		GeneratedAt: time.Date(2026, 4, 2, 8, 30, 0, 0, time.UTC), Suppressed: suppressed, MinGroupSize: 5,
		Missing: []distans.ReportNote{{Sv: "Kontorsdata saknas.", En: "Office data is missing."}},
		Tables: []*distans.ReportTable{
			{ID: "agreements_by_state", Title: distans.ReportNote{Sv: "Överenskommelser per läge", En: "Agreements by state"},
				Description: distans.ReportNote{Sv: "Antal per enhet.", En: "Count per unit."}, Chart: distans.ChartStackedBar,
				Columns: []distans.ReportColumn{count("Aktiva", "Active"), count("Avslutade", "Ended"),
					{Key: "share", Label: distans.ReportNote{Sv: "Andel med överenskommelse", En: "Share with an agreement"}, Kind: distans.CellPercent}},
				Rows: []distans.ReportRow{
					{Key: "u1", Label: "Socialtjänsten", Cells: []distans.ReportCell{n(1234), hidden, n(41.5)}},
					{Key: "u2", Label: "=Skola och förskola", Cells: []distans.ReportCell{n(17), hidden, n(12.25)}},
				},
				Total: &distans.ReportRow{Key: "total", Cells: []distans.ReportCell{n(1251), n(8), n(33)}}},
			{ID: "decision_days", Title: distans.ReportNote{Sv: "Dagar till beslut", En: "Days to decision"}, Chart: distans.ChartBar,
				Columns: []distans.ReportColumn{{Key: "median", Label: distans.ReportNote{Sv: "Median", En: "Median"}, Kind: distans.CellDays}},
				Rows: []distans.ReportRow{
					{Key: "u1", Label: "Socialtjänsten", Cells: []distans.ReportCell{n(6.5)}},
					{Key: "u2", Label: "Skola", Cells: []distans.ReportCell{{Empty: true}}},
					{Key: "u3", Label: "Kultur", Cells: []distans.ReportCell{hidden}},
				}, RowLimit: 3},
			{ID: "trend", Title: distans.ReportNote{Sv: "Aktiva per månad", En: "Active by month"}, Chart: distans.ChartLine,
				Columns: []distans.ReportColumn{count("Aktiva", "Active"), count("Nya", "New")},
				Rows: []distans.ReportRow{
					{Key: "2025-12", Label: "2025-12", Cells: []distans.ReportCell{n(40), n(6)}},
					{Key: "2026-01", Label: "2026-01", Cells: []distans.ReportCell{n(44), hidden}},
					{Key: "2026-02", Label: "2026-02", Cells: []distans.ReportCell{n(47), n(5)}},
				}},
		},
	}
	return r
}

// pdfText reads a PDF back with pdftotext, its whitespace folded.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %d bytes", len(b))
	}
	if _, err := os.Stat("/usr/bin/pdftotext"); err != nil {
		t.Skip("pdftotext is not installed")
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestFormatCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    distans.ReportCell
		k    distans.CellKind
		lang string
		want string
	}{
		{distans.ReportCell{Value: 1234}, distans.CellCount, "sv", "1\u00a0234"},
		{distans.ReportCell{Value: 1234}, distans.CellCount, "en", "1,234"},
		{distans.ReportCell{Value: 12.25}, distans.CellPercent, "sv", "12,3\u00a0%"},
		{distans.ReportCell{Value: 6.5}, distans.CellDays, "en", "6.5"},
		{distans.ReportCell{Value: 7}, distans.CellDesks, "sv", "7"},
		{distans.ReportCell{Value: 3, Suppressed: true}, distans.CellCount, "sv", "–"},
		{distans.ReportCell{Empty: true}, distans.CellDays, "sv", ".."},
		{distans.ReportCell{Value: 0}, distans.CellCount, "sv", "0"},
	} {
		if got := FormatCell(tc.c, tc.k, tc.lang); got != tc.want {
			t.Errorf("FormatCell(%+v, %s, %s) = %q, want %q", tc.c, tc.k, tc.lang, got, tc.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"csv", "xlsx", "pdf"} {
		if f, err := ParseFormat(s); err != nil || string(f) != s {
			t.Errorf("ParseFormat(%q) = %q, %v", s, f, err)
		}
	}
	if _, err := ParseFormat("docx"); distans.ErrorCode(err) != distans.EINVALID {
		t.Errorf("docx: %v, want EINVALID", err)
	}
}
