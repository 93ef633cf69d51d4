package policy

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/distans/distans"
)

// GenericTemplate is the template of an organisation that starts from the
// rules of law alone (packs/generic.yaml, which every pack includes).
const GenericTemplate = "generic"

// Templates returns the packs a new organisation's own pack may be copied
// from: the five seed packs and the generic one.
func Templates() []string { return append(SeedSlugs(), GenericTemplate) }

// TemplateCopy returns the YAML of template made the pack of the
// organisation slug (name, timeZone): the template's text with its slug and
// time zone replaced and a comment saying where it came from, every other
// line — comments, rules, quotes — as in the template. Its organisation,
// title and document stay the template's, so that its rules go on citing
// the document they quote until the organisation's HR edits them. The
// generic template is a pack with no rules of its own: the rules of law
// (generic.yaml) are included in every pack anyway. The copy is parsed
// before it is returned; EINVALID for an unknown template.
func TemplateCopy(template, slug, name, timeZone string) ([]byte, error) {
	if !slices.Contains(Templates(), template) {
		return nil, distans.Errorf(distans.EINVALID,
			fmt.Sprintf("Mallen måste vara en av %s.", strings.Join(Templates(), ", ")),
			fmt.Sprintf("The template must be one of %s.", strings.Join(Templates(), ", ")))
	}
	var out []byte
	if template == GenericTemplate {
		out = fmt.Appendf(nil, `# %[2]s: eget regelpaket, kopierat från mallen generic (bara reglerna enligt lag).
# Lägg till organisationens egna parametrar och regler här (formatet beskrivs
# i internal/policy/packs/README.md); reglerna enligt lag ingår alltid.
slug: %[1]s
organisation: %[3]s
title: Regelverk för distansarbete
document: Regelverk för distansarbete
version: 1
time_zone: %[4]s
`, slug, name, yamlString(name), timeZone)
	} else {
		src, err := SeedYAML(template)
		if err != nil {
			return nil, err
		}
		out = fmt.Appendf(nil, "# %s: eget regelpaket, kopierat från mallen %s. Reglerna citerar\n# mallens dokument tills de ändras.\n", name, template)
		for line := range bytes.Lines(src) {
			switch {
			case bytes.HasPrefix(line, []byte("slug:")):
				line = fmt.Appendf(nil, "slug: %s\n", slug)
			case bytes.HasPrefix(line, []byte("time_zone:")):
				line = fmt.Appendf(nil, "time_zone: %s\n", timeZone)
			}
			out = append(out, line...)
		}
	}
	if _, err := Parse(out); err != nil {
		return nil, err
	}
	return out, nil
}

// yamlString quotes s as a YAML double-quoted scalar.
func yamlString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ").Replace(s) + `"`
}
