package pdf

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/distans/distans"
)

// IMYDoc is what WriteIMYNotification prints: a personal-data incident's
// notification to IMY, in the order of IMY's form, for the data
// protection officer to copy across.
type IMYDoc struct {
	Incident     *distans.Incident
	Notification *distans.IMYNotification
	Organisation string
	Location     *time.Location // the organisation's time zone; Europe/Stockholm when nil
}

// IMYSecretNotice marks a part the notification asks to keep secret: the
// notification becomes a public record at IMY (OSL 2 kap.), so the parts
// under secrecy are marked for IMY's own secrecy assessment.
const IMYSecretNotice = "SEKRETESS BEGÄRS för denna del (offentlighets- och sekretesslagen)"

// WriteIMYNotification writes the notification to IMY as a PDF. A missing
// incident or notification is EINVALID.
func WriteIMYNotification(w io.Writer, d IMYDoc) error {
	inc, n := d.Incident, d.Notification
	if inc == nil || n == nil {
		return distans.Errorf(distans.EINVALID, "Ingen anmälan att skriva ut.", "No notification to print.")
	}
	loc := d.Location
	// The same notification gives the same file.
	p := newDocument(loc, "Anmälan av personuppgiftsincident "+inc.Number, d.Organisation, "GDPR artikel 33", n.UpdatedAt,
		"Underlag för anmälan till Integritetsskyddsmyndigheten (GDPR art. 33) · "+inc.Number)
	f := p.f

	f.SetFont(family, "B", 18)
	f.MultiCell(0, 9, "Anmälan av personuppgiftsincident", "", "L", false)
	f.SetFont(family, "", 12)
	f.MultiCell(0, 6, d.Organisation, "", "L", false)
	f.Ln(3)
	p.pair("Incident", inc.Number)
	if n.FiledAt != nil {
		p.pair("Anmäld till IMY", p.when(*n.FiledAt))
	}
	if n.IMYReference != "" {
		p.pair("IMY:s diarienummer", n.IMYReference)
	}

	secret := func(part string) bool { return slices.Contains(n.SecretParts, part) }
	field := func(part, label, value string) {
		if secret(part) {
			label += " — " + IMYSecretNotice
		}
		p.field(label, orNone(value))
	}
	p.heading("Personuppgiftsansvarig")
	p.field("Namn", orNone(n.Controller))
	p.field("Organisationsnummer", orNone(n.OrgNumber))
	field("contact", "Kontaktperson", n.Contact)

	p.heading("Om incidenten")
	p.field("När började incidenten", whenOr(p, n.StartedAt))
	p.field("När upphörde incidenten", whenOr(p, n.EndedAt))
	p.field("När upptäcktes incidenten", p.when(n.DiscoveredAt))
	p.field("Typ av incident", orNone(imyCategoryLabels[n.Category]))
	if n.LateReasons != "" {
		p.field("Skäl till att anmälan görs efter 72 timmar", n.LateReasons)
	}

	p.heading("Registrerade och uppgifter")
	count := ""
	if n.SubjectCount > 0 {
		count = strconv.Itoa(n.SubjectCount) + " (uppskattat)"
	}
	field("data_subjects", "Vilka registrerade berörs", n.DataSubjects)
	p.field("Antal registrerade", orNone(count))
	field("data_kinds", "Vilka slags personuppgifter", n.DataKinds)

	p.heading("Följder och åtgärder")
	field("consequences", "Sannolika följder", n.Consequences)
	field("measures", "Vidtagna och planerade åtgärder", n.Measures)
	field("subjects_informed", "Information till de registrerade", n.SubjectsInformed)

	if len(n.Supplements) > 0 {
		p.heading("Kompletteringar")
		for i, s := range n.Supplements {
			p.field(fmt.Sprintf("Komplettering %d, %s", i+1, p.when(s.At)), s.Text)
		}
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

var imyCategoryLabels = map[string]string{"confidentiality": "Brott mot konfidentialitet (obehörigt röjande eller åtkomst)",
	"integrity": "Brott mot riktighet (obehörig ändring)", "availability": "Brott mot tillgänglighet (förlust eller förstöring)"}

func whenOr(p *page, t *time.Time) string {
	if t == nil {
		return orNone("")
	}
	return p.when(*t)
}
