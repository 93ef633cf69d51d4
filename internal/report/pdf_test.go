package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestWritePDF: read back with pdftotext, the PDF prints its filters, the
// threshold and the marks, the row limit, each table's figures, and "–"
// where a cell is suppressed; the value left in a suppressed cell is
// nowhere.
func TestWritePDF(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WritePDF(&b, sampleReport(true), Options{Lang: "sv"}); err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(pdfText(t, b.Bytes()), "\u00a0", " ")
	for _, w := range []string{"Rapport: Distansarbete", "Omfattning Sundsvalls kommun", "Period 2025-04-01 – 2026-03-31",
		"Framtagen 2026-04-02 10:30 CEST", "Minsta gruppstorlek 5", "gruppen är mindre än 5 personer", "Kontorsdata saknas.",
		"Överenskommelser per läge", "Socialtjänsten 1 234 – 41,5 %", "Totalt 1 251 8 33 %", "de första 3 raderna",
		"Kultur –", "Skola ..", "Aktiva per månad", "Sida 1 av"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q:\n%s", w, text)
		}
	}
	for _, f := range strings.Fields(text) {
		if f == "9" {
			t.Errorf("a lone 9 (the suppressed value) is in the PDF:\n%s", text)
		}
	}
}
