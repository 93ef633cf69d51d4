package pdf

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/distans/distans"
)

// AcceptanceDoc is what WriteAcceptance prints: a handover of equipment
// as the person accepted it — the items, the terms' title, version and
// full text, and the signature over them with its hash. It is the one
// document HR needs when a device is lost.
type AcceptanceDoc struct {
	Handover     *distans.EquipmentHandover
	Organisation string         // the organisation's name
	Location     *time.Location // the organisation's time zone; Europe/Stockholm when nil
}

// ReceiptDoc is what WriteReturnReceipt prints: a return of equipment —
// the items and the condition IT recorded, who recorded it, and the
// signature of the person (or their manager) with its hash once signed.
type ReceiptDoc struct {
	Return       *distans.EquipmentReturn
	Organisation string
	Location     *time.Location
}

// WriteAcceptance writes the signed acceptance of a handover to w as a
// PDF. A handover not accepted is ECONFLICT, and so is one whose items or
// terms no longer match the hash the person signed: the PDF is of the
// handover as signed. A nil handover is EINVALID.
func WriteAcceptance(w io.Writer, d AcceptanceDoc) error {
	h := d.Handover
	if h == nil {
		return distans.Errorf(distans.EINVALID, "Ingen utlämning att skriva ut.", "No issue to print.")
	}
	sig := h.Acceptance
	if h.State != distans.HandoverAccepted || sig == nil {
		return distans.Errorf(distans.ECONFLICT, "Utlämningen är inte kvitterad och kan inte skrivas ut som PDF.",
			"The issue is not accepted and cannot be printed as a PDF.")
	}
	if sig.Hash != h.AcceptanceHash() {
		return distans.Errorf(distans.ECONFLICT,
			"Utrustningen eller villkoren har ändrats efter underskrift; underskriften gäller inte längre.",
			"The equipment or the terms have changed since they were signed; the signature no longer holds.")
	}
	p := newDocument(d.Location, "Kvittens av utrustning", d.Organisation, "Kvittens av utrustning för "+h.PersonName, sig.At,
		"Kvittensen omfattar utrustningen och villkoren i den version som anges; ändringar efter underskrift gör den ogiltig.")
	f := p.f
	f.SetFont(family, "B", 18)
	f.MultiCell(0, 9, "Kvittens av utrustning", "", "L", false)
	f.SetFont(family, "", 12)
	f.MultiCell(0, 6, d.Organisation, "", "L", false)
	f.Ln(3)
	p.pair("Medarbetare", h.PersonName)
	p.pair("Utlämnad av", orNone(h.IssuedByName))
	p.pair("Utlämnad", p.when(h.IssuedAt))
	if strings.TrimSpace(h.Note) != "" {
		p.pair("Anteckning", h.Note)
	}

	p.heading("Utlämnad utrustning")
	for i, it := range h.Items {
		p.field(fmt.Sprintf("%d. %s", i+1, itemTitle(it)), itemDetails(it))
	}

	p.heading("Villkor")
	p.field("Dokument", orNone(h.TermsTitle))
	p.field("Version", fmt.Sprintf("%d", h.TermsVersion))
	p.field("Villkorens text", orNone(h.TermsBody))

	p.signature("Underskrift", "Medarbetare", sig, "Kontrollsumma för utrustningen och villkoren (SHA-256):")
	return p.output(w)
}

// WriteReturnReceipt writes the receipt of a return to w as a PDF: signed
// or, before the signature, marked as not yet signed. A signed return
// whose items no longer match the hash signed is ECONFLICT; a nil return
// EINVALID.
func WriteReturnReceipt(w io.Writer, d ReceiptDoc) error {
	r := d.Return
	if r == nil {
		return distans.Errorf(distans.EINVALID, "Inget återlämnande att skriva ut.", "No return to print.")
	}
	hash := r.ReceiptHash()
	if r.Signature != nil && r.Signature.Hash != hash {
		return distans.Errorf(distans.ECONFLICT,
			"Återlämnandet har ändrats efter underskrift; underskriften gäller inte längre.",
			"The return has changed since it was signed; the signature no longer holds.")
	}
	at := r.RecordedAt
	if r.Signature != nil {
		at = r.Signature.At
	}
	p := newDocument(d.Location, "Kvitto på återlämnad utrustning", d.Organisation, "Återlämnad utrustning från "+r.PersonName, at,
		"Kvittot omfattar utrustningen och dess skick som de anges; ändringar efter underskrift gör det ogiltigt.")
	f := p.f
	f.SetFont(family, "B", 18)
	f.MultiCell(0, 9, "Kvitto på återlämnad utrustning", "", "L", false)
	f.SetFont(family, "", 12)
	f.MultiCell(0, 6, d.Organisation, "", "L", false)
	f.Ln(3)
	p.pair("Medarbetare", r.PersonName)
	p.pair("Mottaget av", orNone(r.RecordedByName))
	p.pair("Mottaget", p.when(r.RecordedAt))

	p.heading("Återlämnad utrustning")
	for i, it := range r.Items {
		details := itemDetails(it.HandoverItem) + "\nSkick: " + conditionLabels[it.Condition]
		if strings.TrimSpace(it.Note) != "" {
			details += "\nAnteckning: " + it.Note
		}
		p.field(fmt.Sprintf("%d. %s", i+1, itemTitle(it.HandoverItem)), details)
	}

	if r.Signature == nil {
		p.heading("Underskrift")
		p.text("Ännu inte underskrivet av medarbetaren eller chefen.")
		p.f.SetFont(family, "", 9)
		p.f.MultiCell(0, lineHeight, "Kontrollsumma för kvittot (SHA-256):", "", "L", false)
		p.f.SetFont(family, "", 8)
		p.f.MultiCell(0, 4, hash, "", "L", false)
		return p.output(w)
	}
	p.signature("Underskrift", signerLabels[r.Signature.Role], r.Signature, "Kontrollsumma för kvittot (SHA-256):")
	return p.output(w)
}

// newDocument starts an A4 document in DejaVu Sans with the metadata and
// the footer every page carries; its creation date is the record's.
func newDocument(loc *time.Location, title, author, subject string, at time.Time, footer string) *page {
	if loc == nil {
		if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
			loc = l
		} else {
			loc = time.UTC
		}
	}
	p := &page{f: fpdf.New("P", "mm", "A4", ""), loc: loc}
	f := p.f
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin+5)
	f.SetTitle(title, true)
	f.SetAuthor(author, true)
	f.SetSubject(subject, true)
	f.SetCreator("Distans", true)
	f.SetLang("sv-SE")
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-margin)
		f.SetFont(family, "", 8)
		f.SetTextColor(80, 80, 80)
		f.CellFormat(0, 4, footer, "T", 0, "L", false, 0, "")
		f.SetX(margin)
		f.CellFormat(0, 4, fmt.Sprintf("Sida %d av {nb}", f.PageNo()), "", 0, "R", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	return p
}

func (p *page) output(w io.Writer) error {
	if err := p.f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := p.f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// signature writes one signature as a block kept on one page with its
// heading: who signed in which role, when, how, and the hash signed.
func (p *page) signature(heading, role string, s *distans.Signature, hashLabel string) {
	p.keepTogether(headingHeight + p.signatureHeight(s))
	p.heading(heading)
	p.f.SetFont(family, "B", 11)
	p.f.MultiCell(0, 6, role, "", "L", false)
	p.pair("Namn", s.Name)
	p.pair("Undertecknat", p.when(s.At))
	if s.Method == "password" {
		p.pair("Identifiering", "lösenord")
	}
	p.f.SetFont(family, "", 9)
	p.f.MultiCell(0, lineHeight, hashLabel, "", "L", false)
	p.f.SetFont(family, "", 8)
	p.f.MultiCell(0, 4, s.Hash, "", "L", false)
}

// itemTitle is an item's kind and model: "Mobiltelefon, iPhone 15".
func itemTitle(it distans.HandoverItem) string {
	t := capitalise(categoryLabels[it.Category])
	if t == "" {
		t = string(it.Category)
	}
	if it.ModelName != "" {
		t += ", " + it.ModelName
	}
	return t
}

// itemDetails are an item's identifying numbers, one a line.
func itemDetails(it distans.HandoverItem) string {
	var lines []string
	if it.AssetTag != "" {
		lines = append(lines, "Inventarienummer: "+it.AssetTag)
	}
	if it.Serial != "" {
		label := "Serienummer"
		if it.Category == distans.EquipmentPhone {
			label = "Serienummer/IMEI"
		}
		lines = append(lines, label+": "+it.Serial)
	}
	if it.Number != "" {
		lines = append(lines, "Nummer: "+it.Number)
	}
	if len(lines) == 0 {
		return "Ej angiven"
	}
	return strings.Join(lines, "\n")
}

var (
	categoryLabels = map[distans.EquipmentCategory]string{distans.EquipmentComputer: "dator", distans.EquipmentPhone: "mobiltelefon",
		distans.EquipmentSIM: "SIM-kort", distans.EquipmentTablet: "surfplatta", distans.EquipmentUSBMemory: "USB-minne",
		distans.EquipmentHeadset: "headset", distans.EquipmentScreen: "bildskärm", distans.EquipmentMobileBroadband: "mobilt bredband",
		distans.EquipmentOther: "övrigt"}
	conditionLabels = map[distans.ItemCondition]string{distans.ConditionGood: "gott skick", distans.ConditionWorn: "slitet",
		distans.ConditionDamaged: "skadat", distans.ConditionMissing: "delar saknas"}
)
