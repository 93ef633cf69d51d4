package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
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
			if !slices.ContainsFunc(laws, func(law string) bool { return strings.HasPrefix(s.Document, law) }) {
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
		for _, n := range p.Notes {
			check(slug+"/notes/"+n.ID, &n.Source)
		}
		for _, c := range p.Courses {
			check(slug+"/courses/"+c.ID, (*Source)(&c.Source))
		}
		for _, t := range p.Checklists {
			check(slug+"/checklists/"+t.ID, (*Source)(&t.Source))
			for _, k := range t.Tasks {
				check(slug+"/checklists/"+t.ID+"/"+k.ID, (*Source)(&k.Source))
			}
		}
	}
}

// laws are the laws the rules of law cite, by name and SFS or CELEX
// number; their quotes are not held to a copy here.
var laws = []string{"Dataskyddsförordningen (EU) 2016/679", "Cybersäkerhetslagen (2025:1506)",
	"Cybersäkerhetsförordningen (2025:1507)", "Arbetsmiljölagen (1977:1160)", "Socialförsäkringsbalken (2010:110)",
	"Skadeståndslagen (1972:207)"}

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
		"kristianstad": {"kristianstad-serious-incident", "kristianstad-virus", "kristianstad-serious-escalation"},
		"sorsele":      {"sorsele-3-weekly-hours", "sorsele-3-session-length", "sorsele-6-on-call", "sorsele-4-private-phone", "sorsele-8.5-computer-private-abroad", "sorsele-8.6-leave-return", "sorsele-8.1-police-report"},
	}
	for slug, ids := range want {
		p := packs[slug]
		if p.Slug != slug {
			t.Errorf("pack %s has slug %q", slug, p.Slug)
		}
		for _, id := range append(ids, "gdpr-33-report", "gdpr-33-late", "gdpr-33-supplement", "gdpr-34-data-subjects", "cyber-early-warning",
			"cyber-notification", "cyber-final-report", "work-injury-arbetsmiljoverket", "work-injury-forsakringskassan", "work-injury-safety-representative") {
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

// baseInput is a complete, passing input of kind in the pack (the pass
// example of its first rule of that kind) with over laid on it; a key set
// to nil is removed.
func baseInput(t *testing.T, p *Pack, kind string, over map[string]any) []byte {
	t.Helper()
	for _, r := range p.Rules {
		if r.Kind == kind && !r.Generic && r.Examples != nil {
			var base map[string]any
			if err := json.Unmarshal(r.Examples.Pass, &base); err != nil {
				t.Fatal(err)
			}
			data, err := overlay(base, over)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Fatalf("%s has no %s rule with examples", p.Slug, kind)
	return nil
}

// TestPacksAgainstTheirClauses holds the rules to what their documents say,
// one case for each place where a pack and its clause once disagreed.
func TestPacksAgainstTheirClauses(t *testing.T) {
	t.Parallel()
	packs := seeds(t)
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	type want struct {
		rule     string
		severity Severity // "" when the rule must not trip
		section  string   // the clause it must cite, when it trips
		quote    []string // what the quote must hold
	}
	for _, tc := range []struct {
		name string
		pack string
		kind string
		over map[string]any
		want []want
		bad  string // the field refused as bad input
	}{
		// Bjurholm 002 §11: "Fysiska möten på distansarbetsplatsen" is one of
		// the parts that must appear in the agreement.
		{name: "agreement without the physical-meetings part", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"physical_meetings": nil},
			want: []want{{"bjurholm-11-physical-meetings", SeverityBlock, "11. Skriftlig individuell överenskommelse", []string{"Fysiska möten på distansarbetsplatsen"}}}},
		{name: "agreement with the physical-meetings part", pack: "bjurholm", kind: KindAgreement,
			want: []want{{rule: "bjurholm-11-physical-meetings"}}},
		// Bjurholm 002 §11: at most one year, a calendar year.
		{name: "a year and a day from 1 January", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"start": "2027-01-01", "end": "2028-01-01"},
			want: []want{{"bjurholm-11-max-length", SeverityBlock, "11. Skriftlig individuell överenskommelse", []string{"maximalt ett år"}}}},
		{name: "a calendar year", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"start": "2027-01-01", "end": "2027-12-31"}, want: []want{{rule: "bjurholm-11-max-length"}}},
		{name: "a year with a leap day", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"start": "2027-03-01", "end": "2028-02-29"}, want: []want{{rule: "bjurholm-11-max-length"}}},
		{name: "a year from 29 February", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"start": "2028-02-29", "end": "2029-02-28"}, want: []want{{rule: "bjurholm-11-max-length"}}},
		{name: "366 days from 1 March", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"start": "2028-03-01", "end": "2029-03-01"},
			want: []want{{"bjurholm-11-max-length", SeverityBlock, "11. Skriftlig individuell överenskommelse", nil}}},
		// Bjurholm 002 §10: the insurance rule cites §10, not §6.
		{name: "work injury: insurance", pack: "bjurholm", kind: KindIncident, over: map[string]any{"kind": "work_injury"},
			want: []want{{"bjurholm-10-insurance", SeverityInfo, "10. Försäkring", []string{"direkt samband"}},
				{"bjurholm-6-work-injury", SeverityWarn, "6. Medarbetarens ansvar", []string{"Tillbud och arbetsskador"}}}},
		// Sorsele 004 §8.1: the loss procedure has four steps.
		{name: "lost equipment: all four steps", pack: "sorsele", kind: KindIncident, over: map[string]any{"kind": "equipment_loss"},
			want: []want{{"sorsele-8.1-loss-procedure", SeverityWarn, "8.1 Skydd och säkerhet",
				[]string{"1. Vid förlust av mobiltelefon", "2. Göra en anmälan till Polisen", "3. Upprätta incidentrapport", "4. Informera sin chef"}}}},
		// Sorsele 004 §3: no phone hours without the kommunchef's exception;
		// hours that are used are at least 5 h a week and 1 h a session.
		{name: "phone hours without an exception", pack: "sorsele", kind: KindPhoneHours, over: map[string]any{"exception": false},
			want: []want{{"sorsele-3-exception", SeverityBlock, "3. Telefontider", []string{"inga telefontider ska förekomma", "Kommunchef får besluta om undantag"}}}},
		{name: "phone hours with an exception", pack: "sorsele", kind: KindPhoneHours,
			want: []want{{rule: "sorsele-3-exception"}, {"sorsele-3-registered", SeverityInfo, "3. Telefontider", nil}}},
		{name: "four hours with an exception", pack: "sorsele", kind: KindPhoneHours,
			over: map[string]any{"sessions": []any{map[string]any{"weekday": "mon", "start": "08:00", "end": "12:00"}}},
			want: []want{{"sorsele-3-weekly-hours", SeverityBlock, "3. Telefontider", []string{"minst fem timmar per vecka"}}}},
		{name: "no phone hours", pack: "sorsele", kind: KindPhoneHours, over: map[string]any{"sessions": []any{}, "exception": false},
			want: []want{{rule: "sorsele-3-exception"}}},
		// Stockholm 000 Digital information: "ska inte … delas i Skype eller
		// andra kanaler" is a prohibition, so it blocks.
		{name: "sensitive information in a meeting", pack: "stockholm", kind: KindMeeting, over: map[string]any{"information_class": "sensitive"},
			want: []want{{"stockholm-sensitive-in-channels", SeverityBlock, "Digital information", []string{"inte heller delas i Skype"}}}},
		// Stockholm 000 Utgångspunkter and Bjurholm 002 §4: the remote share
		// is what the weekdays make when none is stated …
		{name: "three weekdays, no share: majority at home", pack: "stockholm", kind: KindAgreement,
			over: map[string]any{"weekdays_remote": []any{"mon", "tue", "wed"}, "share_remote": 0},
			want: []want{{"stockholm-main-share", SeverityWarn, "Ramverk för möjliggörande av delvis arbete hemifrån – Utgångspunkter", nil}}},
		{name: "three weekdays, no share: tjänsteställe", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"weekdays_remote": []any{"mon", "tue", "wed"}, "share_remote": 0, "tax_workplace": nil},
			want: []want{{"bjurholm-11-tax-workplace", SeverityWarn, "11. Skriftlig individuell överenskommelse", nil}}},
		{name: "two weekdays, no share: the remote place is no tjänsteställe", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"weekdays_remote": []any{"mon", "tue"}, "share_remote": 0, "tax_workplace": "remote"},
			want: []want{{"bjurholm-4-tax-workplace", SeverityBlock, "4. Driftsenhet och tjänsteställe", nil}}},
		// … and a stated share lower than the weekdays make is refused.
		{name: "three weekdays at 20 %", pack: "stockholm", kind: KindAgreement,
			over: map[string]any{"weekdays_remote": []any{"mon", "tue", "wed"}, "share_remote": 20}, bad: "share_remote"},
		{name: "three weekdays at 20 % in Bjurholm", pack: "bjurholm", kind: KindAgreement,
			over: map[string]any{"weekdays_remote": []any{"mon", "tue", "wed"}, "share_remote": 20, "tax_workplace": "remote"}, bad: "share_remote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := packs[tc.pack]
			findings, err := CheckJSON(p, tc.kind, bytes.NewReader(baseInput(t, p, tc.kind, tc.over)), now)
			if tc.bad != "" {
				var e *distans.Error
				if !errors.As(err, &e) || e.Code != distans.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tc.bad {
					t.Fatalf("err = %v, want %s refused", err, tc.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				i := slices.IndexFunc(findings, func(f Finding) bool { return f.RuleID == w.rule })
				if w.severity == "" {
					if i >= 0 {
						t.Errorf("%s tripped: %s", w.rule, findings[i].MessageSv)
					}
					continue
				}
				if i < 0 {
					t.Errorf("%s did not trip; findings %v", w.rule, ruleIDs(findings))
					continue
				}
				f := findings[i]
				if f.Severity != w.severity || f.Source.Section != w.section {
					t.Errorf("%s: %s citing %q, want %s citing %q", w.rule, f.Severity, f.Source.Section, w.severity, w.section)
				}
				for _, q := range w.quote {
					if !strings.Contains(normaliseSpace(f.Source.Quote), q) {
						t.Errorf("%s: quote %q lacks %q", w.rule, f.Source.Quote, q)
					}
				}
			}
		})
	}
}

// TestOneReportDeadline: Vara's own rule on personal-data breaches (2.7)
// does not repeat the IMY deadline that the rules of law already give: one
// finding carries the imy_notification clock, and one names it.
func TestOneReportDeadline(t *testing.T) {
	t.Parallel()
	for slug, p := range seeds(t) {
		in := `{"kind": "personal_data", "discovered_at": "2025-06-02T08:00:00+02:00"}`
		findings, err := CheckJSON(p, KindIncident, strings.NewReader(in), time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		var withDeadline, namingIMY []string
		for _, f := range findings {
			if slices.ContainsFunc(f.Deadlines, func(d Deadline) bool { return d.Duty == distans.DutyIMYNotification }) {
				withDeadline = append(withDeadline, f.RuleID)
			}
			if strings.Contains(f.MessageSv, "IMY") && strings.Contains(f.MessageSv, "senast") {
				namingIMY = append(namingIMY, f.RuleID)
			}
		}
		if !slices.Equal(withDeadline, []string{"gdpr-33-report"}) || !slices.Equal(namingIMY, []string{"gdpr-33-report"}) {
			t.Errorf("%s: deadlines in %v, IMY deadline named in %v; want gdpr-33-report alone", slug, withDeadline, namingIMY)
		}
	}
}

func ruleIDs(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.RuleID
	}
	return out
}

// TestCitations: a clause is named by organisation, title and section,
// never by the file name of its document, and forms show only their own
// organisation's notes.
func TestCitations(t *testing.T) {
	t.Parallel()
	packs := seeds(t)
	bj, st := packs["bjurholm"], packs["stockholm"]
	for _, tc := range []struct {
		name string
		pack *Pack
		src  Source
		want string
	}{
		{"own document", bj, Source{Document: "002_09262497f78a89f4.txt", Section: "11. Skriftlig individuell överenskommelse"},
			"Bjurholms kommun, Riktlinjer för distansarbete, 11. Skriftlig individuell överenskommelse"},
		{"another seed document", bj, Source{Document: "004_09c6457e188fe505.txt", Section: "3. Telefontider"},
			"Sorsele kommun, Policy för telefoni, mobilteknisk utrustning samt e-postanvändning, 3. Telefontider"},
		{"a law", st, Source{Document: "Dataskyddsförordningen (EU) 2016/679", Section: "Artikel 33.1"},
			"Dataskyddsförordningen (EU) 2016/679, Artikel 33.1"},
		{"no pack", nil, Source{Document: "002_09262497f78a89f4.txt", Section: "3. Distansarbete"},
			"Bjurholms kommun, Riktlinjer för distansarbete, 3. Distansarbete"},
	} {
		if got := Cite(tc.pack, tc.src).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	for slug, p := range packs {
		for _, r := range p.Rules {
			if strings.Contains(r.citation, ".txt") || r.citation == "" {
				t.Errorf("%s/%s: citation %q", slug, r.ID, r.citation)
			}
		}
		for _, n := range p.Notes {
			if n.Source.Document != p.Document {
				t.Errorf("%s: note %s cites %s, not the organisation's own document", slug, n.ID, n.Source.Document)
			}
		}
	}
	// Forms read the notes as the policy service gives the pack to them,
	// each named by its citation.
	if n := bj.Policy().NotesFor(FormAgreementRequest); len(n) != 1 || n[0].Source.Section != "3. Distansarbete" ||
		n[0].Citation != "Bjurholms kommun, Riktlinjer för distansarbete, 3. Distansarbete" {
		t.Errorf("Bjurholm's request form notes: %+v", n)
	}
	if n := bj.Policy().NotesFor(FormAgreementDecision); len(n) != 0 {
		t.Errorf("Bjurholm's decision form shows %+v", n)
	}
	if n := st.Policy().NotesFor(FormAgreementDecision); len(n) != 1 || !strings.Contains(n[0].Source.Quote, "inte att överklaga") {
		t.Errorf("Stockholm's decision form notes: %+v", n)
	}
	for _, slug := range []string{"vara", "kristianstad", "sorsele"} {
		if n := packs[slug].Policy().NotesFor(FormAgreementRequest); len(n) != 0 {
			t.Errorf("%s's request form shows %+v", slug, n)
		}
	}
}
