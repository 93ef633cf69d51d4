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

// pdfText reads a PDF back with pdftotext, its whitespace folded.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if _, err := os.Stat(pdftotext); err != nil {
		t.Skipf("%s is missing (install Debian poppler-utils)", pdftotext)
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func handover() *distans.EquipmentHandover {
	h := &distans.EquipmentHandover{ID: "0190f0aa-0000-7000-8000-0000000000e1", PersonID: "p-1", PersonName: "Åsa Öberg",
		IssuedByName: "Göran IT-Ström", IssuedAt: time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC), State: distans.HandoverAccepted,
		Items: []distans.HandoverItem{
			{ItemID: "i-1", Category: distans.EquipmentPhone, ModelName: "iPhone 15", Serial: "356938035643809", AssetTag: "SOR-0042"},
			{ItemID: "i-2", Category: distans.EquipmentSIM, Number: "+46701234567"},
			{ItemID: "i-3", Category: distans.EquipmentComputer, ModelName: "Lenovo ThinkPad T14", Serial: "PF3XK2", AssetTag: "SOR-0043"},
		},
		TermsDocumentID: "d-1", TermsTitle: "Villkor för mobil teknisk utrustning", TermsVersion: 3,
		TermsBody: "Medarbetare ansvarar för att utrustningen alltid transporteras och förvaras med aktsamhet.\n\n" +
			strings.Repeat("Utrustningen får aldrig lämnas synlig utan uppsikt på allmänna platser. ", 40) + "Slut på villkoren.",
	}
	h.Acceptance = &distans.Signature{Role: distans.SignerEmployee, PersonID: "p-1", Name: "Åsa Öberg",
		At: time.Date(2026, 3, 3, 7, 15, 0, 0, time.UTC), Hash: h.AcceptanceHash(), Method: "password"}
	return h
}

// TestWriteAcceptance: the acceptance reads back as one document with the
// items, the terms' title, version and full text, and the signature with
// name, time, method and hash, in local time; a handover not accepted, or
// changed after signing, is not printed.
func TestWriteAcceptance(t *testing.T) {
	t.Parallel()
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	h := handover()
	var buf bytes.Buffer
	if err := pdf.WriteAcceptance(&buf, pdf.AcceptanceDoc{Handover: h, Organisation: "Sorsele kommun", Location: stockholm}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, want := range []string{"Kvittens av utrustning", "Sorsele kommun", "Medarbetare: Åsa Öberg", "Utlämnad av: Göran IT-Ström",
		"Utlämnad: 2026-03-02 09:30", "Mobiltelefon, iPhone 15", "Serienummer/IMEI: 356938035643809", "Inventarienummer: SOR-0042",
		"SIM-kort", "Nummer: +46701234567", "Dator, Lenovo ThinkPad T14", "Villkor för mobil teknisk utrustning", "Version 3",
		"transporteras och förvaras med aktsamhet", "Slut på villkoren.", "Namn: Åsa Öberg", "Undertecknat: 2026-03-03 08:15",
		"Identifiering: lösenord", h.AcceptanceHash()} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext: %s", text)
	}
	pending := handover()
	pending.State, pending.Acceptance = distans.HandoverPending, nil
	changed := handover()
	changed.TermsBody += " Tillägg."
	for name, x := range map[string]*distans.EquipmentHandover{"pending": pending, "changed after signing": changed} {
		if err := pdf.WriteAcceptance(&bytes.Buffer{}, pdf.AcceptanceDoc{Handover: x}); distans.ErrorCode(err) != distans.ECONFLICT {
			t.Errorf("%s: %v, want ECONFLICT", name, err)
		}
	}
	if err := pdf.WriteAcceptance(&bytes.Buffer{}, pdf.AcceptanceDoc{}); distans.ErrorCode(err) != distans.EINVALID {
		t.Errorf("no handover: %v", err)
	}
}

// TestWriteReturnReceipt: the receipt names the items and their
// condition, who recorded the return, and the signature with its hash;
// before the signature it says so.
func TestWriteReturnReceipt(t *testing.T) {
	t.Parallel()
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	r := &distans.EquipmentReturn{ID: "r-1", PersonID: "p-1", PersonName: "Åsa Öberg", RecordedByName: "Göran IT-Ström",
		RecordedAt: time.Date(2026, 6, 30, 13, 0, 0, 0, time.UTC),
		Items: []distans.ReturnedItem{
			{HandoverItem: distans.HandoverItem{ItemID: "i-1", Category: distans.EquipmentPhone, ModelName: "iPhone 15", AssetTag: "SOR-0042"},
				Condition: distans.ConditionDamaged, Note: "Sprucken skärm i nedre hörnet"},
			{HandoverItem: distans.HandoverItem{ItemID: "i-3", Category: distans.EquipmentComputer, Serial: "PF3XK2"}, Condition: distans.ConditionGood},
		}}
	var unsigned bytes.Buffer
	if err := pdf.WriteReturnReceipt(&unsigned, pdf.ReceiptDoc{Return: r, Organisation: "Sorsele kommun", Location: stockholm}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, unsigned.Bytes())
	for _, want := range []string{"Kvitto på återlämnad utrustning", "Mottaget av: Göran IT-Ström", "Mottaget: 2026-06-30 15:00",
		"Mobiltelefon, iPhone 15", "Skick: skadat", "Anteckning: Sprucken skärm i nedre hörnet", "Skick: gott skick",
		"Ännu inte underskrivet", r.ReceiptHash()} {
		if !strings.Contains(text, want) {
			t.Errorf("the unsigned receipt lacks %q", want)
		}
	}
	r.Signature = &distans.Signature{Role: distans.SignerManager, PersonID: "m-1", Name: "Maja Chef",
		At: time.Date(2026, 6, 30, 14, 0, 0, 0, time.UTC), Hash: r.ReceiptHash(), Method: "password"}
	var signed bytes.Buffer
	if err := pdf.WriteReturnReceipt(&signed, pdf.ReceiptDoc{Return: r, Organisation: "Sorsele kommun", Location: stockholm}); err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, signed.Bytes())
	for _, want := range []string{"Chef", "Namn: Maja Chef", "Undertecknat: 2026-06-30 16:00", "Identifiering: lösenord",
		"Kontrollsumma för kvittot (SHA-256): " + r.ReceiptHash()} {
		if !strings.Contains(text, want) {
			t.Errorf("the signed receipt lacks %q", want)
		}
	}
	if strings.Contains(text, "Ännu inte underskrivet") {
		t.Error("the signed receipt says it is unsigned")
	}
	r.Items[1].Condition = distans.ConditionWorn
	if err := pdf.WriteReturnReceipt(&bytes.Buffer{}, pdf.ReceiptDoc{Return: r}); distans.ErrorCode(err) != distans.ECONFLICT {
		t.Errorf("changed after signing: %v, want ECONFLICT", err)
	}
}
