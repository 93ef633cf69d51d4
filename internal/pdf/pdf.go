// Package pdf writes the signed remote-work agreement
// (distansarbetsöverenskommelse) as a PDF in Swedish: every part that
// Bjurholm 002 §11 requires an agreement to show, the risk assessment, the
// decision, the comments on the policy pack's warnings and both signatures
// with the hash of the terms they signed.
//
// The text is set in DejaVu Sans, embedded from fonts/ (Debian
// fonts-dejavu-core; licence in fonts/LICENSE), so that å, ä and ö render
// and extract as text.
package pdf

import (
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/distans/distans"
)

var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// AgreementDoc is what WriteAgreement prints. The remote places are passed
// apart from the agreement because reads never carry them
// (distans.Agreement): the caller reveals them, which audits the read.
type AgreementDoc struct {
	Agreement    *distans.Agreement
	Organisation string         // the organisation's name
	RequestPlace string         // the remote place of the request
	TermsPlace   string         // the remote place of the terms
	Location     *time.Location // the organisation's time zone; Europe/Stockholm when nil
}

// Footer is the notice on every page.
const Footer = "Ändringar efter underskrift gör underskrifterna ogiltiga."

// Layout, in millimetres and points.
const (
	margin     = 20.0
	lineHeight = 5.0
	family     = "DejaVu"
)

// WriteAgreement writes the signed agreement to w as a PDF. An agreement
// without terms or without both signatures is ECONFLICT, and one whose
// terms no longer match the hash a party signed is ECONFLICT too: the PDF
// is of the agreement as signed. A nil agreement is EINVALID.
func WriteAgreement(w io.Writer, d AgreementDoc) error {
	a := d.Agreement
	if a == nil {
		return distans.Errorf(distans.EINVALID, "Ingen överenskommelse att skriva ut.", "No agreement to print.")
	}
	emp, mgr := a.Signed(distans.SignerEmployee), a.Signed(distans.SignerManager)
	if a.Terms == nil || emp == nil || mgr == nil {
		return distans.Errorf(distans.ECONFLICT,
			"Överenskommelsen är inte undertecknad av både medarbetaren och chefen och kan inte skrivas ut som PDF.",
			"The agreement is not signed by both the employee and the manager and cannot be printed as a PDF.")
	}
	for _, s := range []*distans.Signature{emp, mgr} {
		if !signatureHolds(a, d.TermsPlace, s.Hash) {
			return distans.Errorf(distans.ECONFLICT,
				"Villkoren har ändrats efter underskrift; underskrifterna gäller inte längre.",
				"The terms have changed since they were signed; the signatures no longer hold.")
		}
	}
	loc := d.Location
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
	f.SetTitle("Överenskommelse om distansarbete "+a.Number, true)
	f.SetAuthor(d.Organisation, true)
	f.SetSubject("Överenskommelse om distansarbete för "+a.PersonName, true)
	f.SetCreator("Distans", true)
	f.SetLang("sv-SE")
	// The same signed agreement gives the same file.
	f.SetCreationDate(latest(emp.At, mgr.At))
	f.SetModificationDate(latest(emp.At, mgr.At))
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-margin)
		f.SetFont(family, "", 8)
		f.SetTextColor(80, 80, 80)
		f.CellFormat(0, 4, Footer, "T", 0, "L", false, 0, "")
		f.SetX(margin)
		f.CellFormat(0, 4, fmt.Sprintf("Sida %d av {nb}", f.PageNo()), "", 0, "R", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()

	p.header(d)
	p.parts(d)
	p.risk(a.Risk)
	p.decision(a.Decision)
	p.comments(a)
	p.signatures(emp, mgr)

	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// signatureHolds reports whether hash is the hash of the agreement's terms.
// Reads leave the remote place out of the terms, so the hash is checked
// with the revealed place put back as well as with the terms as given.
func signatureHolds(a *distans.Agreement, termsPlace, hash string) bool {
	if a.Terms.Hash(a.ID, a.PersonID) == hash {
		return true
	}
	t := *a.Terms
	t.RemotePlace = termsPlace
	return t.Hash(a.ID, a.PersonID) == hash
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// page writes the document top to bottom.
type page struct {
	f       *fpdf.Fpdf
	loc     *time.Location
	section int
}

func (p *page) header(d AgreementDoc) {
	f, a := p.f, d.Agreement
	f.SetFont(family, "B", 18)
	f.MultiCell(0, 9, "Överenskommelse om distansarbete", "", "L", false)
	f.SetFont(family, "", 12)
	f.MultiCell(0, 6, d.Organisation, "", "L", false)
	f.Ln(3)
	p.pair("Diarienummer", a.Number)
	p.pair("Medarbetare", a.PersonName)
	p.pair("Enhet", a.UnitName)
	f.Ln(2)
	f.SetFont(family, "", 10)
	f.MultiCell(0, lineHeight, "Överenskommelsen är tecknad mellan medarbetaren och närmaste chef. "+
		"Distansarbete är frivilligt och medarbetaren kan avbryta det när hen önskar. "+
		"Ansvarig chef kan avsluta överenskommelsen med omedelbar verkan efter dialog med medarbetaren.", "", "L", false)
}

// parts writes the ten parts of Bjurholm 002 §11.
func (p *page) parts(d AgreementDoc) {
	t := d.Agreement.Terms
	place := t.RemotePlace
	if place == "" {
		place = d.TermsPlace
	}

	p.heading("Distansarbetets plats, omfattning och längd")
	p.field("Plats", orNone(place))
	if d.RequestPlace != "" && d.RequestPlace != place {
		p.field("Plats enligt ansökan", d.RequestPlace)
	}
	p.field("Omfattning", extent(t.Weekdays, t.DaysPerWeek))
	p.field("Andel av arbetstiden på distans", fmt.Sprintf("%d %%", t.ShareRemote))
	p.field("Första dag", t.Start.Format(time.DateOnly))
	p.field("Sista dag", fmt.Sprintf("%s (%d dagar)", t.End.Format(time.DateOnly), t.LengthDays()))

	p.heading("Huvudarbetsplats")
	p.text(orNone(t.MainWorkplace))

	p.heading("Tjänsteställe vid avvikelse från huvudregeln")
	p.text(taxWorkplace(t.TaxWorkplace))

	p.heading("Arbetsuppgifter")
	p.text(orNone(t.Tasks))
	if t.SecrecyTasks {
		p.text("Arbetsuppgifterna omfattar uppgifter som omfattas av sekretess.")
	} else {
		p.text("Arbetsuppgifterna omfattar inte uppgifter som omfattas av sekretess.")
	}

	p.heading("Arbetstider")
	p.text(orNone(t.WorkingHours))

	p.heading("Tillgänglighet")
	p.field("Nås via", orNone(list(t.Availability, channelLabels)))
	p.field("Inställelsetid till huvudarbetsplatsen", fmt.Sprintf("%d minuter", t.ReturnMinutes))

	p.heading("Fysiska möten på distansarbetsplatsen")
	if strings.TrimSpace(t.PhysicalMeetings) != "" {
		p.text(t.PhysicalMeetings)
	}
	if t.ClientMeetingsAtRemote {
		p.text("Fysiska möten med klienter och medborgare får ske på distansarbetsplatsen.")
	} else {
		p.text("Fysiska möten med klienter och medborgare sker inte på distansarbetsplatsen.")
	}

	p.heading("Arbetsutrustning")
	p.text(capitalise(orNone(list(t.Equipment, equipmentLabels))))

	p.heading("Förutsättningar i det enskilda fallet")
	p.text(orNone(t.Conditions))

	p.heading("Utvärdering")
	p.text(orNone(t.Evaluation))
}

func (p *page) risk(r *distans.RiskAssessment) {
	p.heading("Riskbedömning av distansarbetsplatsen")
	if r == nil || r.Outcome == "" {
		p.text("Ingen granskad riskbedömning.")
		return
	}
	p.field("Bedömning", riskLabels[r.Outcome])
	for _, k := range distans.RiskItems {
		if ans, ok := r.Answers[k]; ok && !ans.OK {
			p.field("Brist: "+riskItemLabels[k], ans.Comment)
		}
	}
	if strings.TrimSpace(r.Measures) != "" {
		p.field("Åtgärder", r.Measures)
	}
	if r.ReviewedAt != nil {
		p.field("Granskad av", r.ReviewedName+", "+p.when(*r.ReviewedAt))
	}
}

func (p *page) decision(dec *distans.Decision) {
	p.heading("Beslut")
	if dec == nil {
		p.text("Inget beslut registrerat.")
		return
	}
	outcome := "Distansarbete beviljas."
	if !dec.Approved {
		outcome = "Distansarbete beviljas inte."
	}
	p.field("Beslut", outcome)
	p.field("Beslutat av", dec.DecidedName+", "+p.when(dec.DecidedAt))
	p.field("Motivering", orNone(dec.Reasons))
}

// comments lists the comments on the pack's warnings, each under the
// warning it answers when the agreement still carries that finding.
func (p *page) comments(a *distans.Agreement) {
	p.heading("Kommentarer till regelpaketets varningar")
	t := a.Terms
	if len(t.Comments) == 0 {
		p.text("Regelpaketet gav inga varningar att kommentera.")
		return
	}
	ids := make([]string, 0, len(t.Comments))
	for id := range t.Comments {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		label := "Varning " + id
		if i := slices.IndexFunc(a.Findings, func(f distans.AgreementFinding) bool { return f.RuleID == id }); i >= 0 {
			fd := a.Findings[i]
			label = fd.MessageSv
			if fd.Citation != "" {
				label += " (" + fd.Citation + ")"
			} else if fd.Section != "" {
				label += " (" + fd.Section + ")"
			}
		}
		p.field(label, t.Comments[id])
	}
}

// signatures writes the signatures as one block, its heading included:
// a signature alone on a last page, apart from the other and from the
// terms, looks like a page that could have been put there.
func (p *page) signatures(sigs ...*distans.Signature) {
	h := headingHeight
	for _, s := range sigs {
		h += p.signatureHeight(s)
	}
	p.keepTogether(h)
	p.heading("Underskrifter")
	for _, s := range sigs {
		p.f.SetFont(family, "B", 11)
		p.f.MultiCell(0, 6, signerLabels[s.Role], "", "L", false)
		p.pair("Namn", s.Name)
		p.pair("Undertecknat", p.when(s.At))
		if s.Method == "password" {
			p.pair("Identifiering", "lösenord")
		}
		p.f.SetFont(family, "", 9)
		p.f.MultiCell(0, lineHeight, "Kontrollsumma för villkoren (SHA-256):", "", "L", false)
		p.f.SetFont(family, "", 8)
		p.f.MultiCell(0, 4, s.Hash, "", "L", false)
		p.f.Ln(3)
	}
}

// signatureHeight is the height signatures gives one signature, in
// millimetres: its lines as they wrap at the page's width.
func (p *page) signatureHeight(s *distans.Signature) float64 {
	lines := func(style string, size float64, text string) float64 {
		p.f.SetFont(family, style, size)
		w, _ := p.f.GetPageSize()
		left, _, right, _ := p.f.GetMargins()
		return float64(max(1, len(p.f.SplitText(text, w-left-right))))
	}
	h := 6*lines("B", 11, signerLabels[s.Role]) + 6*lines("", 11, "Namn: "+s.Name) + 6*lines("", 11, "Undertecknat: "+p.when(s.At))
	if s.Method == "password" {
		h += 6 * lines("", 11, "Identifiering: lösenord")
	}
	return h + lineHeight*lines("", 9, "Kontrollsumma för villkoren (SHA-256):") + 4*lines("", 8, s.Hash) + 3
}

// headingHeight is what heading writes for a one-line title.
const headingHeight float64 = 3 + 7 + 1

// heading starts a numbered section, on a new page when too little room is
// left for its first lines.
func (p *page) heading(title string) {
	p.keepTogether(22)
	p.section++
	p.f.Ln(3)
	p.f.SetFont(family, "B", 12)
	p.f.MultiCell(0, 7, fmt.Sprintf("%d. %s", p.section, title), "B", "L", false)
	p.f.Ln(1)
}

// keepTogether starts a new page unless h millimetres are left.
func (p *page) keepTogether(h float64) {
	_, height := p.f.GetPageSize()
	_, _, _, bottom := p.f.GetMargins()
	if p.f.GetY()+h > height-bottom {
		p.f.AddPage()
	}
}

// field writes a label and below it the value, wrapped.
func (p *page) field(label, value string) {
	p.keepTogether(12)
	p.f.SetFont(family, "B", 9)
	p.f.SetTextColor(60, 60, 60)
	p.f.MultiCell(0, lineHeight, label, "", "L", false)
	p.f.SetTextColor(0, 0, 0)
	p.text(value)
}

// pair writes "label: value" on one line, wrapped when long.
func (p *page) pair(label, value string) {
	p.f.SetFont(family, "", 11)
	p.f.MultiCell(0, 6, label+": "+value, "", "L", false)
}

func (p *page) text(s string) {
	p.f.SetFont(family, "", 10)
	p.f.MultiCell(0, lineHeight, s, "", "L", false)
	p.f.Ln(1)
}

// when formats a moment in the organisation's time zone.
func (p *page) when(t time.Time) string { return t.In(p.loc).Format("2006-01-02 15:04") }

var (
	weekdayLabels = map[string]string{"mon": "måndag", "tue": "tisdag", "wed": "onsdag", "thu": "torsdag",
		"fri": "fredag", "sat": "lördag", "sun": "söndag"}
	channelLabels = map[string]string{"phone": "telefon", "email": "e-post", "teams": "Teams", "skype": "Skype",
		"sms": "sms"}
	equipmentLabels = map[string]string{"computer": "dator", "phone": "mobiltelefon", "sim": "SIM-kort",
		"tablet": "surfplatta", "usb_memory": "USB-minne", "headset": "headset", "screen": "bildskärm",
		"mobile_broadband": "mobilt bredband", "furniture": "kontorsmöbler"}
	riskLabels = map[distans.RiskOutcome]string{distans.RiskAcceptable: "Acceptabel arbetsmiljö",
		distans.RiskNeedsMeasures: "Acceptabel efter åtgärder", distans.RiskNotAcceptable: "Inte acceptabel"}
	riskItemLabels = map[string]string{"ergonomics": "ergonomi", "light": "belysning", "outlet": "eluttag",
		"privacy": "avskildhet och sekretess", "network": "nätverk och uppkoppling", "recovery": "återhämtning"}
	signerLabels = map[distans.SignerRole]string{distans.SignerEmployee: "Medarbetare", distans.SignerManager: "Chef"}
)

// extent says which weekdays, or how many days a week.
func extent(weekdays []string, perWeek int) string {
	switch {
	case len(weekdays) > 0:
		ordered := slices.Clone(weekdays)
		slices.SortFunc(ordered, func(x, y string) int {
			return slices.Index(distans.Weekdays, x) - slices.Index(distans.Weekdays, y)
		})
		return capitalise(list(ordered, weekdayLabels))
	case perWeek == 1:
		return "1 dag per vecka"
	case perWeek > 1:
		return fmt.Sprintf("%d dagar per vecka", perWeek)
	}
	return "Ej angiven"
}

func taxWorkplace(s string) string {
	switch s {
	case "main":
		return "Tjänstestället är huvudarbetsplatsen."
	case "remote":
		return "Tjänstestället är distansarbetsplatsen, där huvuddelen av arbetet utförs."
	}
	return "Ingen avvikelse: huvudregeln gäller och tjänstestället är huvudarbetsplatsen."
}

// list joins the Swedish words for keys: "a, b och c". An unknown key is
// shown as it is.
func list(keys []string, labels map[string]string) string {
	words := make([]string, len(keys))
	for i, k := range keys {
		if w, ok := labels[k]; ok {
			words[i] = w
		} else {
			words[i] = k
		}
	}
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " och " + words[len(words)-1]
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "Ej angiven"
	}
	return s
}

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
