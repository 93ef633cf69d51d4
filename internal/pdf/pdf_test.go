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

const pdftotext = "/usr/bin/pdftotext"

// signed returns a complete agreement signed by both parties, with å, ä
// and ö throughout, and the remote place left out as reads leave it.
func signed(t *testing.T) (*distans.Agreement, string) {
	t.Helper()
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	place := "Bostaden, Örnvägen, 916 31 Bjurholm"
	terms := &distans.Terms{
		Start: day("2026-03-02"), End: day("2027-02-28"),
		Weekdays: []string{"wed", "mon"}, ShareRemote: 40, RemotePlace: place,
		MainWorkplace: "Kommunhuset Bjurholm, Kyrkvägen", TaxWorkplace: "main",
		Tasks:        "Utredningar och beslutsunderlag till socialnämnden; " + strings.Repeat("läsning av ärenden som kräver ostörd koncentration, ", 12),
		SecrecyTasks: true, WorkingHours: "Ordinarie arbetstid 08.00–16.30 med flextid enligt gällande avtal.",
		Availability: []string{"phone", "email", "teams"}, ReturnMinutes: 45,
		Equipment:  []string{"computer", "headset", "screen"},
		Conditions: "Eget arbetsrum med dörr som går att stänga; skrivbord och kontorsstol finns.",
		Evaluation: "Vid det årliga resultat- och utvecklingssamtalet i höst.",
		Comments:   map[string]string{"stockholm-secrecy-tasks": "Sekretessärenden läses bara i det låsta arbetsrummet, aldrig i publik miljö."},
	}
	a := &distans.Agreement{
		ID: "0190f0aa-0000-7000-8000-000000000001", Number: "DIST 2026/0042",
		PersonID: "p-1", PersonName: "Åsa Öberg", UnitID: "u-1", UnitName: "Individ- och familjeomsorg",
		State: distans.AgreementActive, Version: 5,
		Risk: &distans.RiskAssessment{
			Answers: map[string]distans.RiskAnswer{"ergonomics": {OK: false, Comment: "Stolen saknar justerbart ryggstöd."},
				"light": {OK: true}, "outlet": {OK: true}, "privacy": {OK: true}, "network": {OK: true}, "recovery": {OK: true}},
			Outcome: distans.RiskNeedsMeasures, Measures: "Arbetsgivaren lånar ut en kontorsstol före första dagen.",
			ReviewedName: "Göran Ström", ReviewedAt: new(time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)),
		},
		Decision: &distans.Decision{Approved: true, Reasons: "Uppgifterna lämpar sig för distansarbete två dagar i veckan.",
			DecidedName: "Göran Ström", DecidedAt: time.Date(2026, 2, 12, 13, 30, 0, 0, time.UTC)},
		Terms: terms,
		Findings: []distans.AgreementFinding{{RuleID: "stockholm-secrecy-tasks", Severity: "warn",
			MessageSv: "Arbetsuppgifter som omfattas av sekretess bör utföras på arbetsplatsen.", Section: "Utgångspunkter"}},
	}
	hash := terms.Hash(a.ID, a.PersonID)
	a.Signatures = []distans.Signature{
		{Role: distans.SignerEmployee, PersonID: "p-1", Name: "Åsa Öberg", At: time.Date(2026, 2, 13, 7, 5, 0, 0, time.UTC), Hash: hash, Method: "password"},
		{Role: distans.SignerManager, PersonID: "p-2", Name: "Göran Ström", At: time.Date(2026, 2, 13, 14, 45, 0, 0, time.UTC), Hash: hash, Method: "password"},
	}
	// Reads never carry the remote place; the caller reveals it.
	a.Terms.RemotePlace = ""
	return a, place
}

func TestWriteAgreement(t *testing.T) {
	t.Parallel()
	a, place := signed(t)
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pdf.WriteAgreement(&buf, pdf.AgreementDoc{Agreement: a, Organisation: "Bjurholms kommun",
		RequestPlace: place, TermsPlace: place, Location: stockholm}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output starts %q, want %%PDF-", buf.Bytes()[:min(buf.Len(), 8)])
	}

	if _, err := os.Stat(pdftotext); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (Debian poppler-utils): %v", pdftotext, err)
		}
		t.Skipf("%s is missing (install Debian poppler-utils)", pdftotext)
	}
	file := filepath.Join(t.TempDir(), "agreement.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// pdftotext breaks long lines where the PDF wrapped them.
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"Överenskommelse om distansarbete", "Bjurholms kommun", "DIST 2026/0042", "Individ- och familjeomsorg",
		"Distansarbetets plats, omfattning och längd", "Huvudarbetsplats",
		"Tjänsteställe vid avvikelse från huvudregeln", "Arbetsuppgifter", "Arbetstider", "Tillgänglighet",
		"Fysiska möten på distansarbetsplatsen", "Arbetsutrustning", "Förutsättningar i det enskilda fallet", "Utvärdering",
		place, "Kommunhuset Bjurholm, Kyrkvägen", "Måndag och onsdag", "40 %", "2026-03-02", "2027-02-28 (364 dagar)",
		"omfattar uppgifter som omfattas av sekretess", "telefon, e-post och Teams", "45 minuter",
		"Dator, headset och bildskärm", "Ordinarie arbetstid 08.00–16.30",
		"Acceptabel efter åtgärder", "Stolen saknar justerbart ryggstöd.", "lånar ut en kontorsstol",
		"Distansarbete beviljas.", "Göran Ström, 2026-02-12 14:30",
		"Sekretessärenden läses bara i det låsta arbetsrummet",
		"Medarbetare", "Chef", "Åsa Öberg", "Göran Ström",
		"2026-02-13 08:05", "2026-02-13 15:45", a.Signatures[0].Hash,
		pdf.Footer, "Sida 1 av", "Sida 2 av",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext:\n%s", out)
	}
}

// TestSignaturesKeptTogether: however long the agreement, both signatures
// stand on one page under their heading; neither is left alone on a page.
// The conditions grow three lines at a time (less than a signature) so
// that the end of the document passes every point of a page.
func TestSignaturesKeptTogether(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(pdftotext); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (Debian poppler-utils): %v", pdftotext, err)
		}
		t.Skipf("%s is missing (install Debian poppler-utils)", pdftotext)
	}
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for n := 0; n < 60; n += 3 {
		a, place := signed(t)
		a.Terms.Conditions += strings.Repeat("\nYtterligare en rad om förutsättningarna.", n)
		a.Terms.RemotePlace = place // sign what was written, as signed does
		for i := range a.Signatures {
			a.Signatures[i].Hash = a.Terms.Hash(a.ID, a.PersonID)
		}
		a.Terms.RemotePlace = ""
		var buf bytes.Buffer
		if err := pdf.WriteAgreement(&buf, pdf.AgreementDoc{Agreement: a, Organisation: "Bjurholms kommun",
			RequestPlace: place, TermsPlace: place, Location: stockholm}); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "agreement.pdf")
		if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(string(out), "\f")
		where := func(s string) int {
			for i, pg := range pages {
				if strings.Contains(strings.Join(strings.Fields(pg), " "), s) {
					return i + 1
				}
			}
			return 0
		}
		heading, emp, mgr := where("Underskrifter"), where("Namn: Åsa Öberg"), where("Namn: Göran Ström")
		if heading == 0 || emp != heading || mgr != heading {
			t.Errorf("%d extra lines: the heading on page %d, the employee's signature on %d, the manager's on %d",
				n, heading, emp, mgr)
		}
	}
}

func TestWriteAgreementRefusesUnsigned(t *testing.T) {
	t.Parallel()
	for name, change := range map[string]func(*distans.Agreement){
		"no signatures":     func(a *distans.Agreement) { a.Signatures = nil },
		"employee only":     func(a *distans.Agreement) { a.Signatures = a.Signatures[:1] },
		"no terms":          func(a *distans.Agreement) { a.Terms = nil },
		"terms changed":     func(a *distans.Agreement) { a.Terms.ReturnMinutes = 60 },
		"another's signing": func(a *distans.Agreement) { a.PersonID = "p-3" },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, place := signed(t)
			change(a)
			var buf bytes.Buffer
			err := pdf.WriteAgreement(&buf, pdf.AgreementDoc{Agreement: a, Organisation: "Bjurholms kommun", TermsPlace: place})
			if distans.ErrorCode(err) != distans.ECONFLICT {
				t.Fatalf("err %v, want ECONFLICT", err)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes", buf.Len())
			}
		})
	}
	if err := pdf.WriteAgreement(&bytes.Buffer{}, pdf.AgreementDoc{}); distans.ErrorCode(err) != distans.EINVALID {
		t.Errorf("nil agreement: err %v, want EINVALID", err)
	}
}
