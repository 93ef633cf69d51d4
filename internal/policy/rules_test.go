package policy

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// seeds parses every seed pack once for the tests of this file.
func seeds(t *testing.T) map[string]*Pack {
	t.Helper()
	packs := map[string]*Pack{}
	for _, slug := range SeedSlugs() {
		p, err := Seed(slug)
		if err != nil {
			t.Fatalf("Seed(%q): %v", slug, err)
		}
		packs[slug] = p
	}
	return packs
}

// TestRuleExamples is the table test of every rule: the table is the packs
// themselves. Each rule's pass example must not trip it and its trip example
// must, through the same CheckJSON the CLI and API use; a rule without
// examples fails, so no rule goes untested.
func TestRuleExamples(t *testing.T) {
	t.Parallel()
	for slug, p := range seeds(t) {
		for _, r := range p.Rules {
			t.Run(slug+"/"+r.ID, func(t *testing.T) {
				t.Parallel()
				if r.Examples == nil || r.Examples.Pass == nil || r.Examples.Trip == nil {
					t.Fatal("the rule has no pass and trip examples")
				}
				for _, ex := range []struct {
					name string
					data []byte
					want bool
				}{{"pass", r.Examples.Pass, false}, {"trip", r.Examples.Trip, true}} {
					findings, err := CheckJSON(p, r.Kind, bytes.NewReader(ex.data), r.Examples.Now)
					if err != nil {
						t.Fatalf("%s %s: %v", ex.name, ex.data, err)
					}
					i := slices.IndexFunc(findings, func(f Finding) bool { return f.RuleID == r.ID })
					if got := i >= 0; got != ex.want {
						t.Errorf("%s example %s: tripped = %v, want %v", ex.name, ex.data, got, ex.want)
						continue
					}
					if i < 0 {
						continue
					}
					f := findings[i]
					if f.Severity != r.Severity || f.Source != r.Source || f.PackVersion != p.Version {
						t.Errorf("finding %+v does not carry the rule's severity, source and pack version", f)
					}
					for _, msg := range []string{f.MessageSv, f.MessageEn} {
						if strings.ContainsAny(msg, "{}") {
							t.Errorf("message %q has an unfilled placeholder", msg)
						}
					}
				}
			})
		}
	}
}

// TestQuotesAreVerbatim holds every quote that cites a seed document to the
// document's text, whitespace aside (the documents break lines mid-clause).
func TestQuotesAreVerbatim(t *testing.T) {
	t.Parallel()
	docs := map[string]string{}
	for _, name := range SeedDocuments() {
		data, err := SeedDocument(name)
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = normaliseSpace(string(data))
	}
	check := func(where string, s *Source) {
		if s == nil {
			return
		}
		doc, ok := docs[s.Document]
		if !ok {
			if !strings.HasPrefix(s.Document, "Dataskyddsförordningen") {
				t.Errorf("%s: unknown document %q", where, s.Document)
			}
			return
		}
		if !strings.Contains(doc, normaliseSpace(s.Quote)) {
			t.Errorf("%s: quote not found verbatim in %s: %q", where, s.Document, s.Quote)
		}
	}
	for slug, p := range seeds(t) {
		if _, ok := docs[p.Document]; !ok {
			t.Errorf("%s: pack document %q is not a seed document", slug, p.Document)
		}
		for _, r := range p.Rules {
			check(slug+"/"+r.ID, &r.Source)
		}
		for _, x := range p.Parameters {
			check(slug+"/parameters/"+x.Name, x.Source)
		}
	}
}

func normaliseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestSeedPacks checks what the issue asks of each organisation's pack: it
// cites its own document, includes the generic rules, and holds the rules
// the issue names as examples.
func TestSeedPacks(t *testing.T) {
	t.Parallel()
	packs := seeds(t)
	want := map[string][]string{
		"stockholm":    {"stockholm-return-time", "stockholm-availability", "stockholm-risk-not-acceptable"},
		"vara":         {"vara-2.4-national-security", "vara-2.5-external-sensitive", "vara-2.7-personal-data"},
		"bjurholm":     {"bjurholm-11-max-length", "bjurholm-4-tax-workplace", "bjurholm-5-risk-not-acceptable", "bjurholm-11-evaluation"},
		"kristianstad": {"kristianstad-serious-incident", "kristianstad-virus"},
		"sorsele":      {"sorsele-3-weekly-hours", "sorsele-3-session-length", "sorsele-6-on-call", "sorsele-4-private-phone", "sorsele-8.5-computer-private-abroad", "sorsele-8.6-leave-return"},
	}
	for slug, ids := range want {
		p := packs[slug]
		if p.Slug != slug {
			t.Errorf("pack %s has slug %q", slug, p.Slug)
		}
		for _, id := range append(ids, "gdpr-33-report", "gdpr-33-late") {
			if _, ok := p.Rule(id); !ok {
				t.Errorf("%s: no rule %s", slug, id)
			}
		}
		for _, r := range p.Rules {
			if !r.Generic && r.Source.Document != p.Document {
				t.Errorf("%s/%s cites %s, not the organisation's own document", slug, r.ID, r.Source.Document)
			}
			if !r.Generic && !strings.HasPrefix(r.ID, slug+"-") {
				t.Errorf("%s/%s: an organisation's rule ids start with its slug", slug, r.ID)
			}
		}
	}
}
