package pdf

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// WriteOwnData writes a person's own data (GDPR art. 15) as a readable
// PDF: the request and its deadline, then every section of the export
// under its Swedish heading, each record as its fields with Swedish
// labels where Distans has them (the column name otherwise, as in the
// JSON file), values that are themselves JSON spelt out field by field,
// and last what the export leaves out and why. A nil export is EINVALID.
func WriteOwnData(w io.Writer, d *distans.OwnData, loc *time.Location) error {
	if d == nil || d.Request == nil {
		return distans.Errorf(distans.EINVALID, "Inget registerutdrag att skriva ut.", "No export to print.")
	}
	r := d.Request
	p := newDocument(loc, "Registerutdrag för "+r.PersonName, d.Organisation, "Dataskyddsförordningen (GDPR) artikel 15 och 20",
		d.ProducedAt, "Registerutdrag enligt dataskyddsförordningen (GDPR) artikel 15 · "+r.PersonName)
	f := p.f

	f.SetFont(family, "B", 18)
	f.MultiCell(0, 9, "Registerutdrag: dina uppgifter i Distans", "", "L", false)
	f.SetFont(family, "", 12)
	f.MultiCell(0, 6, d.Organisation, "", "L", false)
	f.Ln(3)
	p.pair("Person", r.PersonName)
	p.pair("Begärt", p.when(r.RequestedAt)+" av "+r.RequestedByName)
	p.pair("Ska lämnas senast", r.DueOn.Format(time.DateOnly))
	if r.DeliveredAt != nil {
		p.pair("Levererat", p.when(*r.DeliveredAt))
	}
	p.pair("Framställt", p.when(d.ProducedAt))
	f.Ln(2)
	p.text("Detta är allt Distans har sparat om dig, avsnitt för avsnitt. Samma uppgifter finns i maskinläsbar form " +
		"i JSON-filen (artikel 20, dataportabilitet). Tider anges i organisationens tidszon där de är tidpunkter.")

	for _, sec := range d.Sections {
		p.heading(sec.TitleSv)
		if len(sec.Records) == 0 {
			p.text("Inga uppgifter.")
			continue
		}
		for i, rec := range sec.Records {
			if len(sec.Records) > 1 {
				p.keepTogether(12)
				f.SetFont(family, "B", 10)
				f.MultiCell(0, lineHeight, fmt.Sprintf("Post %d av %d", i+1, len(sec.Records)), "", "L", false)
			}
			for _, fld := range rec {
				for _, line := range p.ownDataLines(ownDataLabel(fld.Name), fld) {
					f.SetFont(family, "", 9)
					f.MultiCell(0, 4.5, line, "", "L", false)
				}
			}
			f.Ln(2)
		}
	}

	p.heading("Det här ingår inte, och varför")
	for _, o := range d.Omitted {
		p.field(o.Where, o.Reason)
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// ownDataLines is one field as lines "label: value"; a JSON value is
// spelt out as one line per leaf, its path after the label.
func (p *page) ownDataLines(label string, fld distans.OwnDataField) []string {
	if !fld.JSON {
		return []string{label + ": " + p.ownDataValue(fld.Value)}
	}
	var v any
	if err := json.Unmarshal([]byte(fld.Value), &v); err != nil {
		return []string{label + ": " + fld.Value}
	}
	var out []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(path+" › "+k, x[k])
			}
		case []any:
			for i, e := range x {
				walk(path+" › "+strconv.Itoa(i+1), e)
			}
		case nil:
		case string:
			if x != "" {
				out = append(out, path+": "+p.ownDataValue(x))
			}
		default:
			b, _ := json.Marshal(x)
			out = append(out, path+": "+string(b))
		}
	}
	walk(label, v)
	return out
}

// ownDataValue shows a moment stored in UTC in the organisation's time
// zone; everything else as it is.
func (p *page) ownDataValue(s string) string {
	if len(s) >= 20 && s[10] == 'T' {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return p.when(t)
		}
	}
	return s
}

// ownDataLabels are the Swedish labels of the columns the export has;
// any other is shown by its name, as in the JSON file.
var ownDataLabels = map[string]string{
	"id": "Id", "name": "Namn", "email": "E-post", "phone": "Telefon", "employee_number": "Anställningsnummer",
	"personal_number": "Personnummer", "language": "Språk", "title": "Titel", "unit_id": "Enhet (id)",
	"site_id": "Arbetsplats (id)", "created_at": "Skapad", "updated_at": "Ändrad", "starts_on": "Från", "ends_on": "Till",
	"kind": "Typ", "role": "Roll", "source": "Källa", "ended_at": "Avslutad", "ended_on": "Avslutad",
	"has_password": "Har lösenord", "failed_count": "Misslyckade inloggningar", "locked_until": "Låst till",
	"disabled_at": "Avstängt", "expires_at": "Upphör", "last_seen_at": "Senast aktiv", "last_used_at": "Senast använd",
	"revoked_at": "Återkallad", "purpose": "Syfte", "used_at": "Använd", "number": "Diarienummer", "state": "Läge",
	"start_on": "Första dag", "end_on": "Sista dag", "next_follow_up_on": "Nästa uppföljning", "manager_id": "Chef (id)",
	"request": "Ansökan", "request_place": "Distansarbetsplats enligt ansökan", "terms": "Villkor",
	"terms_place": "Distansarbetsplats enligt villkoren", "decision": "Beslut", "risk": "Riskbedömning",
	"agreement": "Överenskommelse", "on_date": "Dag", "body": "Text", "recorded_by_name": "Antecknat av",
	"recorded_at": "Antecknat", "reason": "Orsak", "back_at": "Tillbaka", "message": "Meddelande", "until_at": "Till",
	"keywords": "Sökord", "work_mobile": "Mobilnummer i tjänsten", "date": "Dag", "part": "Del av dagen",
	"status": "Status", "read_at": "Läst", "emailed_at": "E-postad", "at": "Tidpunkt", "version": "Version",
	"description": "Beskrivning", "occurred_at": "Inträffade", "discovered_at": "Upptäcktes", "closed_at": "Stängd",
	"category": "Slag", "serial": "Serienummer", "asset_tag": "Inventarienummer", "phone_number": "Telefonnummer",
	"course_id": "Kurs", "completed_on": "Genomförd", "certificate_name": "Intyg", "removed_at": "Borttagen",
	"removed_reason": "Skäl till borttagning", "due_on": "Senast", "done_at": "Klar", "note": "Anteckning",
	"requested_by": "Begärt av (id)", "requested_at": "Begärt", "delivered_at": "Levererat", "seq": "Nr",
	"actor_name": "Utförd av", "action": "Händelse", "record_type": "Slag av post", "record_id": "Post (id)",
	"summary": "Sammanfattning", "title_sv": "Rubrik", "event": "Händelse", "event_on": "Dag", "opened_at": "Öppnad",
	"issued_at": "Utlämnad", "accepted_at": "Godkänd", "signed_at": "Undertecknad", "destination": "Resmål",
	"place": "Plats", "owner": "Ansvarig", "display_name": "Grupp", "user_name": "Användarnamn",
	"given_name": "Förnamn", "family_name": "Efternamn", "department": "Avdelning",
}

func ownDataLabel(col string) string {
	if l, ok := ownDataLabels[col]; ok {
		return l
	}
	return strings.ReplaceAll(col, "_", " ")
}
