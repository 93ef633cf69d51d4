package pdf

import (
	"io"
	"time"

	"github.com/distans/distans"
)

// ReleaseDoc is what WriteReleaseCopy and WriteReleaseDecision print: a
// decision on a request for a copy of a registered case. Provisions label
// the citations in the decision; the copy needs none.
type ReleaseDoc struct {
	Release      *distans.ReleaseRequest
	Organisation string
	Provisions   []distans.SecrecyProvision
	Location     *time.Location
}

// WriteReleaseCopy writes the copy the decision released: each field of
// the case with its value, or, masked, with the provision in its place.
// It prints only what the decision kept (ReleaseRequest.Released), which
// holds no masked value; its title and metadata name only the case's
// number. A refusal releases no copy (ECONFLICT).
func WriteReleaseCopy(w io.Writer, d ReleaseDoc) error {
	r := d.Release
	if r == nil {
		return distans.Errorf(distans.EINVALID, "Inget beslut att skriva ut.", "No decision to print.")
	}
	if r.Outcome == distans.ReleaseRefused {
		return distans.Errorf(distans.ECONFLICT, "Begäran avslogs i sin helhet; ingen kopia lämnas ut.",
			"The request was refused in whole; no copy is released.")
	}
	p := newDocument(d.Location, "Kopia av allmän handling "+r.CaseNumber, d.Organisation, "Kopia av allmän handling",
		r.DecidedAt, "Kopia lämnad efter sekretessprövning · "+r.CaseNumber)
	f := p.f
	f.SetFont(family, "B", 18)
	f.MultiCell(0, 9, "Kopia av allmän handling", "", "L", false)
	f.SetFont(family, "", 12)
	f.MultiCell(0, 6, d.Organisation, "", "L", false)
	f.Ln(3)
	p.pair("Diarienummer", r.CaseNumber)
	p.pair("Lämnad ut", p.when(r.DecidedAt))
	if r.Outcome == distans.ReleasePartial {
		p.text("Uppgifter som omfattas av sekretess är maskerade. Vid varje maskering anges bestämmelsen i " +
			"offentlighets- och sekretesslagen (OSL). Beslutet om maskeringarna och hur det överklagas lämnas med kopian.")
	}
	p.heading("Handlingens uppgifter")
	for _, fl := range r.Released {
		v := fl.Value
		if fl.Masked {
			v = distans.MaskedText(fl.Citation)
		}
		p.field(fl.LabelSv, orNone(v))
	}
	return p.output(w)
}

var outcomeText = map[distans.ReleaseOutcome]string{
	distans.ReleaseFull:    "Handlingen lämnas ut i sin helhet.",
	distans.ReleasePartial: "Handlingen lämnas ut med de uppgifter maskerade som anges nedan. I övrigt lämnas den ut.",
	distans.ReleaseRefused: "Begäran avslås. Handlingen lämnas inte ut.",
}

// WriteReleaseDecision writes the decision on the request: who asked and
// when, what was decided and under which provisions, and, when anything
// is withheld, how to appeal (distans.Appeal).
func WriteReleaseDecision(w io.Writer, d ReleaseDoc) error {
	r := d.Release
	if r == nil {
		return distans.Errorf(distans.EINVALID, "Inget beslut att skriva ut.", "No decision to print.")
	}
	p := newDocument(d.Location, "Beslut om utlämnande av allmän handling "+r.CaseNumber, d.Organisation,
		"Beslut om utlämnande av allmän handling", r.DecidedAt, "Beslut om utlämnande av allmän handling · "+r.CaseNumber)
	f := p.f
	f.SetFont(family, "B", 18)
	f.MultiCell(0, 9, "Beslut om utlämnande av allmän handling", "", "L", false)
	f.SetFont(family, "", 12)
	f.MultiCell(0, 6, d.Organisation, "", "L", false)
	f.Ln(3)
	p.pair("Diarienummer", r.CaseNumber)
	p.pair("Sökande", r.RequesterName())
	p.pair("Begäran kom in", r.RequestedOn.Format(time.DateOnly))
	p.pair("Beslutsdatum", r.DecidedAt.In(p.loc).Format(time.DateOnly))

	p.heading("Beslut")
	p.text(outcomeText[r.Outcome])
	label := func(id, citation string) string {
		for _, x := range d.Provisions {
			if x.ID == id {
				return citation + " – " + x.LabelSv
			}
		}
		return citation
	}
	switch r.Outcome {
	case distans.ReleaseRefused:
		p.field("Skäl", "Handlingen omfattas av sekretess enligt "+label(r.RefusalProvision, r.RefusalCitation)+".")
	case distans.ReleasePartial:
		p.heading("Maskerade uppgifter")
		for _, m := range r.Maskings {
			field := m.Field
			for _, fl := range r.Released {
				if fl.Key == m.Field {
					field = fl.LabelSv
				}
			}
			p.field(field, "Sekretess enligt "+label(m.Provision, m.Citation)+".")
		}
	}
	if r.Note != "" {
		p.field("Motivering", r.Note)
	}
	decided := r.DecidedByName + ", registrator"
	if r.Delegation != "" {
		decided += ", på delegation enligt " + r.Delegation
	}
	p.field("Beslutet har fattats av", decided)

	if r.Outcome.Appealable() {
		p.heading(distans.Appeal[0])
		for _, s := range distans.Appeal[1:] {
			p.text(s)
		}
	}
	return p.output(w)
}
