package policy

import (
	"strings"
	"testing"

	"github.com/distans/distans"
)

// TestTemplateCopy: every template becomes a pack of the new organisation
// that parses, carries its slug and time zone, and keeps the template's
// rules citing the template's document.
func TestTemplateCopy(t *testing.T) {
	t.Parallel()
	for _, tmpl := range Templates() {
		t.Run(tmpl, func(t *testing.T) {
			t.Parallel()
			src, err := TemplateCopy(tmpl, "nykoping", `Nyköpings "kommun"`, "Europe/Helsinki")
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			if p.Slug != "nykoping" || p.TimeZone != "Europe/Helsinki" || p.Version != 1 {
				t.Fatalf("copy of %s: slug %q, time zone %q, version %d", tmpl, p.Slug, p.TimeZone, p.Version)
			}
			if !strings.Contains(string(src), "kopierat från mallen "+tmpl) {
				t.Errorf("the copy does not say where it came from:\n%.300s", src)
			}
			if tmpl == GenericTemplate {
				if p.Organisation != `Nyköpings "kommun"` || len(p.Rules) == 0 {
					t.Fatalf("generic copy: organisation %q, %d rules", p.Organisation, len(p.Rules))
				}
				return
			}
			seed, err := Seed(tmpl)
			if err != nil {
				t.Fatal(err)
			}
			if p.Organisation != seed.Organisation || len(p.Rules) != len(seed.Rules) || p.Rules[0].citation != seed.Rules[0].citation {
				t.Fatalf("copy of %s: organisation %q, %d rules, cites %q; the template: %q, %d, %q", tmpl, p.Organisation,
					len(p.Rules), p.Rules[0].citation, seed.Organisation, len(seed.Rules), seed.Rules[0].citation)
			}
		})
	}
	if _, err := TemplateCopy("umea", "x", "X", "Europe/Stockholm"); distans.ErrorCode(err) != distans.EINVALID {
		t.Fatalf("an unknown template: %v", err)
	}
}
