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

// TestWriteIMYNotification: the notification reads as IMY's form, in local
// time, with the parts to keep secret marked and the supplements kept.
func TestWriteIMYNotification(t *testing.T) {
	t.Parallel()
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	disc := time.Date(2026, 3, 28, 19, 0, 0, 0, time.UTC) // 20.00 in Stockholm
	filed := disc.Add(30 * time.Hour)
	n := &distans.IMYNotification{Controller: "Vara kommun", OrgNumber: "212000-1686", Contact: "Dataskyddsombudet, 0510-77 12 50",
		DiscoveredAt: disc, Category: "confidentiality", DataSubjects: "Elever i årskurs 9", SubjectCount: 28,
		DataKinds: "Namn och personnummer", Consequences: "Risk för identitetsstöld", Measures: "Mottagaren har raderat e-posten",
		SubjectsInformed: "Vårdnadshavare informeras per brev", SecretParts: []string{"data_subjects"}, FiledAt: &filed,
		IMYReference: "IMY-2026-1234", UpdatedAt: filed,
		Supplements: []distans.IMYSupplement{{At: filed.Add(48 * time.Hour), Text: "Ytterligare tre elever berördes."}}}
	inc := &distans.Incident{Number: "INC 2026/0012", Kind: distans.IncidentPersonalData, DiscoveredAt: disc}
	var buf bytes.Buffer
	if err := pdf.WriteIMYNotification(&buf, pdf.IMYDoc{Incident: inc, Notification: n, Organisation: "Vara kommun", Location: stockholm}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if err := pdf.WriteIMYNotification(&buf, pdf.IMYDoc{Incident: inc}); distans.ErrorCode(err) != distans.EINVALID {
		t.Fatalf("without a notification: %v", err)
	}
	if _, err := os.Stat(pdftotext); err != nil {
		t.Skipf("%s is missing (install Debian poppler-utils)", pdftotext)
	}
	file := filepath.Join(t.TempDir(), "imy.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Anmälan av personuppgiftsincident", "INC 2026/0012", "212000-1686", "IMY-2026-1234",
		"2026-03-28 20:00", "2026-03-30 03:00", "Brott mot konfidentialitet", "Elever i årskurs 9", "28 (uppskattat)",
		"Vilka registrerade berörs — SEKRETESS BEGÄRS", "Komplettering 1, 2026-04-01 03:00", "Ytterligare tre elever berördes."} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	if strings.Contains(text, "Vilka slags personuppgifter — SEKRETESS") {
		t.Error("a part not asked to be kept secret is marked")
	}
	if t.Failed() {
		t.Logf("pdftotext:\n%s", out)
	}
}
