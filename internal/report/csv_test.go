package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestWriteCSV: the file opens in Swedish Excel (byte-order mark,
// semicolons, decimal comma), prints its filters, the threshold and the
// meaning of the marks, names its row limit, writes suppressed cells as
// "–" and never their value, and keeps a label from becoming a formula.
func TestWriteCSV(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteCSV(&b, sampleReport(true), Options{Lang: "sv"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Fatal("no byte-order mark")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), bom)))
	cr.Comma, cr.FieldsPerRecord = ';', -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	find := func(first string) []string {
		for _, r := range recs {
			if len(r) > 0 && r[0] == first {
				return r
			}
		}
		t.Fatalf("no line %q in\n%s", first, b.String())
		return nil
	}
	for first, want := range map[string]string{
		"Rapport": "Distansarbete", "Omfattning": "Sundsvalls kommun", "Period": "2025-04-01 – 2026-03-31",
		"Framtagen": "2026-04-02 10:30 CEST", "Minsta gruppstorlek": "5", "Saknas": "Kontorsdata saknas.",
	} {
		if got := find(first); got[1] != want {
			t.Errorf("%s: %q, want %q", first, got[1], want)
		}
	}
	if got := find("Tecken")[1]; !strings.Contains(got, "”–” = dold uppgift: gruppen är mindre än 5 personer") {
		t.Errorf("marks: %q", got)
	}
	if got := find("Begränsning")[1]; !strings.Contains(got, "de första 3 raderna") {
		t.Errorf("row limit: %q", got)
	}
	for first, want := range map[string][]string{
		"Socialtjänsten":       {"1234", "–", "41,5"},
		"'=Skola och förskola": {"17", "–", "12,3"},
		"Totalt":               {"1251", "8", "33"},
		"Kultur":               {"–"},
		"Skola":                {".."},
		"2026-01":              {"44", "–"},
	} {
		if got := find(first)[1:]; strings.Join(got, ";") != strings.Join(want, ";") {
			t.Errorf("%s: %q, want %q", first, got, want)
		}
	}
	if got := find("")[1:]; got[2] != "Andel med överenskommelse (%)" {
		t.Errorf("header: %q", got)
	}
}

// TestCSVDetails: the records' file starts with its heading and warns
// that it holds personal data.
func TestCSVDetails(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	at := time.Date(2026, 4, 2, 8, 30, 0, 0, time.UTC)
	d, err := NewCSVDetails(&b, DetailHeading(distans.ReportAgreements, "Sundsvall", distans.ReportFilter{}, at, Options{Lang: "en"}), Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Columns([]distans.ReportNote{{Sv: "Namn", En: "Name"}, {Sv: "Enhet", En: "Unit"}}); err != nil {
		t.Fatal(err)
	}
	if err := d.Row([]string{"Anna Ek", "+Kultur"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	want := bom + "Records behind the report;Remote work\r\nScope;Sundsvall\r\nPeriod;the last twelve months\r\n" +
		"Generated at;2026-04-02 10:30 CEST\r\nContents;Personal data: handle the file under the GDPR and delete it when it is no longer needed.\r\n" +
		"\r\nName;Unit\r\nAnna Ek;'+Kultur\r\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}
