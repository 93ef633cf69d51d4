package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/pdf"
)

// TestWriteOwnData: the export reads in Swedish, with the request and its
// deadline, each section under its heading, the personal identity number,
// an agreement's terms spelt out from their JSON, times in local time,
// an empty section said to be empty, and what is left out with why.
func TestWriteOwnData(t *testing.T) {
	t.Parallel()
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	asked := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
	r := &distans.DataRequest{PersonName: "Åsa Öberg", RequestedByName: "Åsa Öberg", RequestedAt: asked,
		DueOn: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), DeliveredAt: &asked}
	d := &distans.OwnData{Request: r, Organisation: "Bjurholms kommun", ProducedAt: asked.Add(time.Hour),
		Sections: []distans.OwnDataSection{
			{Key: "people", TitleSv: "Personuppgifter", Records: []distans.OwnDataRecord{{{Name: "name", Value: "Åsa Öberg"},
				{Name: "personal_number", Value: "19811218-9876"}}}},
			{Key: "agreements", TitleSv: "Överenskommelser om distansarbete", Records: []distans.OwnDataRecord{{
				{Name: "number", Value: "DA 2026/0007"}, {Name: "request_place", Value: "Storgatan 1, 916 31 Bjurholm"},
				{Name: "terms", Value: `{"main_workplace":"Kommunhuset","weekdays":["mon","fri"]}`, JSON: true},
				{Name: "created_at", Value: "2026-03-01T11:00:00.000000Z"}}}},
			{Key: "training_completions", TitleSv: "Genomförda utbildningar", Records: []distans.OwnDataRecord{
				{{Name: "course_id", Value: "disa"}, {Name: "completed_on", Value: "2026-02-10"}},
				{{Name: "course_id", Value: "gdpr"}, {Name: "completed_on", Value: "2026-02-11"}}}},
			{Key: "bookings", TitleSv: "Platsbokningar", Records: []distans.OwnDataRecord{}},
		},
		Omitted: []distans.OwnDataOmission{{Where: "accounts.password_hash", Reason: "Lösenord sparas bara som kontrollsummor."}}}
	var buf bytes.Buffer
	if err := pdf.WriteOwnData(&buf, d, stockholm); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if err := pdf.WriteOwnData(&buf, nil, nil); distans.ErrorCode(err) != distans.EINVALID {
		t.Fatalf("without an export: %v", err)
	}
	if _, err := os.Stat(pdftotext); err != nil {
		t.Skipf("%s is missing (install Debian poppler-utils)", pdftotext)
	}
	file := filepath.Join(t.TempDir(), "own.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Registerutdrag: dina uppgifter i Distans", "Bjurholms kommun", "Person: Åsa Öberg",
		"Ska lämnas senast: 2026-04-02", "Begärt: 2026-03-02 09:30", "1. Personuppgifter", "Personnummer: 19811218-9876",
		"2. Överenskommelser om distansarbete", "Diarienummer: DA 2026/0007",
		"Distansarbetsplats enligt ansökan: Storgatan 1, 916 31 Bjurholm", "Villkor › main_workplace: Kommunhuset",
		"Villkor › weekdays › 2: fri", "Skapad: 2026-03-01 12:00", "Post 2 av 2", "Kurs: gdpr", "Genomförd: 2026-02-10",
		"4. Platsbokningar Inga uppgifter.", "Det här ingår inte, och varför", "Lösenord sparas bara som kontrollsummor.",
		"GDPR) artikel 15"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext:\n%s", out)
	}
}
