package policy

import (
	"errors"
	"slices"
	"testing"

	"github.com/distans/distans"
)

// TestSecrecyProvisions: every seeded pack holds the generic list, and with
// it every provision the masking rule suggests (distans.SuggestMaskings), so
// that a suggestion can always be recorded as it stands.
func TestSecrecyProvisions(t *testing.T) {
	t.Parallel()
	suggested := []string{distans.ProvisionHealth, distans.ProvisionPersonnel, distans.ProvisionSecurity}
	for _, slug := range SeedSlugs() {
		p, err := Seed(slug)
		if err != nil {
			t.Fatalf("%s: %v", slug, err)
		}
		var ids []string
		for _, x := range p.SecrecyProvisions {
			ids = append(ids, x.ID)
			if x.Citation == "" || x.LabelSv == "" || x.LabelEn == "" {
				t.Errorf("%s: provision %s lacks its citation or label", slug, x.ID)
			}
		}
		for _, id := range append(suggested, "osl-21-3", "osl-39-1") {
			if !slices.Contains(ids, id) {
				t.Errorf("%s: the pack lacks the provision %s (has %v)", slug, id, ids)
			}
		}
	}
}

// TestSecrecyProvisionsChecked: a provision without its citation, or an id
// given twice, makes the pack invalid; the organisation's own provision is
// added to the generic list.
func TestSecrecyProvisionsChecked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, extra, field string
	}{
		{"no citation", "secrecy_provisions:\n  - id: own\n    label: {sv: Egen, en: Own}\n", "secrecy_provisions[own]"},
		{"twice", "secrecy_provisions:\n  - {id: own, citation: X 1 §, label: {sv: A, en: A}}\n  - {id: own, citation: X 2 §, label: {sv: B, en: B}}\n", "secrecy_provisions[own].id"},
	} {
		_, err := Parse([]byte(minimal + tc.extra))
		var e *distans.Error
		if !errors.As(err, &e) || !slices.ContainsFunc(e.Fields, func(f distans.FieldError) bool { return f.Field == tc.field }) {
			t.Errorf("%s: want an error on %s, got %v", tc.name, tc.field, err)
		}
	}
	p, err := Parse([]byte(minimal + "secrecy_provisions:\n  - {id: own, citation: X 1 §, label: {sv: Egen, en: Own}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(p.SecrecyProvisions, func(x distans.SecrecyProvision) bool { return x.ID == "own" }); i < 0 ||
		!slices.ContainsFunc(p.SecrecyProvisions, func(x distans.SecrecyProvision) bool { return x.ID == distans.ProvisionHealth }) {
		t.Errorf("own provision not merged with the generic list: %+v", p.SecrecyProvisions)
	}
}
