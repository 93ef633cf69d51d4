package policy

import (
	"strings"

	"github.com/distans/distans"
)

// secrecyFile is one secrecy provision of a pack's list as HR writes it:
// the registrator cites one for each masking when a copy of a case is
// released (distans.ReleaseInput).
type secrecyFile struct {
	ID       string `yaml:"id"`
	Citation string `yaml:"citation"`
	Label    Text   `yaml:"label"`
}

// checkSecrecy reads the provisions of both files, the organisation's laid
// over the generic pack's by id, as courses are.
func (p *Pack) checkSecrecy(v *distans.Validation, files []*packFile) {
	var generic, own []distans.SecrecyProvision
	for _, f := range files {
		seen := map[string]bool{}
		for _, sf := range f.SecrecyProvisions {
			field := "secrecy_provisions[" + sf.ID + "]"
			switch {
			case !idRe.MatchString(sf.ID):
				v.Add(field+".id", "Ett id ska bestå av små bokstäver, siffror, punkt och bindestreck.", "An id must be lower-case letters, digits, dots and hyphens.")
				continue
			case seen[sf.ID]:
				v.Add(field+".id", "Bestämmelsens id förekommer flera gånger.", "The provision's id appears more than once.")
				continue
			case strings.TrimSpace(sf.Citation) == "" || strings.TrimSpace(sf.Label.Sv) == "" || strings.TrimSpace(sf.Label.En) == "":
				v.Add(field, "Ange hänvisning och beskrivning på svenska och engelska.", "Give the citation and the label in Swedish and English.")
				continue
			}
			seen[sf.ID] = true
			x := distans.SecrecyProvision{ID: sf.ID, Citation: sf.Citation, LabelSv: sf.Label.Sv, LabelEn: sf.Label.En}
			if f.generic {
				generic = append(generic, x)
			} else {
				own = append(own, x)
			}
		}
	}
	p.SecrecyProvisions = merged(generic, own, func(x distans.SecrecyProvision) string { return x.ID })
}
