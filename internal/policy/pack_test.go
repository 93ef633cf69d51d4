package policy

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// minimal is the smallest valid pack; the cases below break one thing each.
const minimal = `
slug: test
organisation: Testkommun
title: Test
document: test.txt
version: 3
parameters:
  - name: max_agreement_days
    type: int
    unit: days
    default: 366
    min: 1
    label: {sv: Längsta överenskommelse, en: Longest agreement}
rules:
  - id: test-max
    kind: agreement
    condition: length_days > params.max_agreement_days
    severity: block
    message: {sv: "Högst {max_agreement_days} dagar.", en: "At most {max_agreement_days} days."}
    source: {document: test.txt, section: "11", quote: "högst ett år"}
    examples:
      pass: {start: "2025-01-01", end: "2025-12-31"}
      trip: {start: "2025-01-01", end: "2026-01-02"}
`

func TestParseMinimal(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 3 || p.TimeZone != "Europe/Stockholm" || p.GenericVersion != 4 {
		t.Errorf("metadata: %+v", p)
	}
	if n, ok := p.Int("max_agreement_days"); !ok || n != 366 {
		t.Errorf("Int(max_agreement_days) = %d, %v", n, ok)
	}
	if n, ok := p.Int("personal_data_incident_deadline_hours"); !ok || n != 72 {
		t.Errorf("the generic parameter is not merged: %d, %v", n, ok)
	}
	if _, ok := p.Rule("gdpr-33-report"); !ok {
		t.Error("the generic rules are not merged")
	}
	// The pack is what GET /api/v1/policy will return.
	data, err := json.Marshal(p)
	if err != nil || !strings.Contains(string(data), `"condition":"length_days \u003e params.max_agreement_days"`) ||
		!strings.Contains(string(data), `"default":366`) {
		t.Errorf("pack JSON: %v %s", err, data)
	}
}

// TestParseValueOverridesDefault: an organisation's own value replaces the
// document's default in conditions and messages alike.
func TestParseValueOverridesDefault(t *testing.T) {
	t.Parallel()
	src := strings.Replace(minimal, "default: 366", "default: 366\n    value: 200", 1)
	src = strings.Replace(src, `end: "2025-12-31"`, `end: "2025-06-01"`, 1)
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := p.Check(KindAgreement, &Agreement{Start: "2025-01-01", End: "2025-12-31"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].MessageSv != "Högst 200 dagar." || fs[0].MessageEn != "At most 200 days." {
		t.Errorf("findings = %+v", fs)
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new string
		field, sv      string // expected in one of the error's fields
	}{
		{"unknown field", "severity: block", "severty: block", "line 18", "okänt fält \"severty\""},
		{"syntax error", "condition: length_days > params.max_agreement_days", "condition: length_days >", "rules[test-max].condition", "kompilera"},
		{"type error", "condition: length_days > params.max_agreement_days", "condition: length_days > 'x'", "rules[test-max].condition", "kompilera"},
		{"unknown variable", "condition: length_days > params.max_agreement_days", "condition: lenght_days > 1", "rules[test-max].condition", "lenght_days"},
		{"variable of another kind", "condition: length_days > params.max_agreement_days", "condition: discovered_at < now", "rules[test-max].condition", "discovered_at"},
		{"not a bool", "condition: length_days > params.max_agreement_days", "condition: length_days + 1", "rules[test-max].condition", "true eller false"},
		{"empty condition", "condition: length_days > params.max_agreement_days", "condition: ''", "rules[test-max].condition", "saknas"},
		{"unknown kind", "kind: agreement", "kind: vacation", "rules[test-max].kind", "Okänd typ"},
		{"unknown severity", "severity: block", "severity: fatal", "rules[test-max].severity", "block, warn eller info"},
		{"unknown placeholder", "Högst {max_agreement_days}", "Högst {max_agreement_dayz}", "rules[test-max].message.sv", "{max_agreement_dayz}"},
		{"deadline placeholder without deadline", "Högst {max_agreement_days}", "Senast {deadline}", "rules[test-max].message.sv", "{deadline}"},
		{"no quote", `quote: "högst ett år"`, `quote: ""`, "rules[test-max].source", "citat"},
		{"bad rule id", "id: test-max", "id: Test Max", "rules[Test Max].id", "små bokstäver"},
		{"generic rule id reused", "id: test-max", "id: gdpr-33-report", "rules[gdpr-33-report].id", "flera gånger"},
		{"pass example trips", `pass: {start: "2025-01-01", end: "2025-12-31"}`, `pass: {start: "2025-01-01", end: "2027-01-01"}`, "rules[test-max].examples.pass", "klara regeln"},
		{"trip example passes", `end: "2026-01-02"`, `end: "2025-06-01"`, "rules[test-max].examples.trip", "utlösa regeln"},
		{"example with unknown field", `trip: {start: "2025-01-01", end: "2026-01-02"}`, `trip: {start: "2025-01-01", ende: "2026-01-02"}`, "rules[test-max].examples.trip", "Okänt fält"},
		{"no trip example", `      trip: {start: "2025-01-01", end: "2026-01-02"}`, ``, "rules[test-max].examples.trip", "utlöser regeln"},
		{"parameter of wrong type", "default: 366", "default: many", "parameters[max_agreement_days].default", "fel typ"},
		{"parameter out of bounds", "default: 366", "default: 0", "parameters[max_agreement_days].default", "mellan 1 och"},
		{"parameter of unknown type", "type: int", "type: integer", "parameters[max_agreement_days].type", "int, number"},
		{"generic parameter redeclared", "name: max_agreement_days", "name: personal_data_incident_deadline_hours", "parameters[personal_data_incident_deadline_hours].name", "allmänna reglerna"},
		{"bad slug", "slug: test", "slug: Test Kommun", "slug", "kortnamn"},
		{"no version", "version: 3", "version: 0", "version", "Versionen"},
		{"bad time zone", "version: 3", "version: 3\ntime_zone: Europe/Bjurholm", "time_zone", "tidszon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(minimal, tt.old, tt.new, 1)
			if src == minimal {
				t.Fatalf("the case changes nothing: %q not in the pack", tt.old)
			}
			p, err := Parse([]byte(src))
			if p != nil || err == nil {
				t.Fatal("Parse accepted the pack")
			}
			var e *distans.Error
			if !errors.As(err, &e) || e.Code != distans.EINVALID {
				t.Fatalf("err = %v, want *distans.Error EINVALID", err)
			}
			if e.Sv == "" || e.En == "" {
				t.Errorf("the error lacks a Swedish or English message: %+v", e)
			}
			for _, f := range e.Fields {
				if f.Field == tt.field && strings.Contains(f.Sv, tt.sv) && f.En != "" {
					return
				}
			}
			t.Errorf("no field %q with %q in %+v", tt.field, tt.sv, e.Fields)
		})
	}
}

func TestParseRefusesDocuments(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{
		"empty":        "",
		"not yaml":     "slug: [unclosed",
		"two docs":     minimal + "\n---\nslug: other\n",
		"wrong shapes": "rules: 3\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse([]byte(src)); distans.ErrorCode(err) != distans.EINVALID {
				t.Errorf("err = %v, want EINVALID", err)
			}
		})
	}
}

// TestParseIsPure: a refused pack leaves the one the caller holds working.
func TestParseIsPure(t *testing.T) {
	t.Parallel()
	old, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse([]byte(strings.Replace(minimal, "length_days >", "length_days >>", 1))); err == nil {
		t.Fatal("a broken pack was accepted")
	}
	fs, err := old.Check(KindAgreement, &Agreement{Start: "2025-01-01", End: "2026-06-01"}, time.Now())
	if err != nil || len(fs) != 1 || fs[0].RuleID != "test-max" {
		t.Errorf("the old pack changed: %+v, %v", fs, err)
	}
}

// TestRuleUses: a rule names the variables its condition reads, and not
// its parameters, iteration variables or string literals.
func TestRuleUses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind, condition string
		want            []string
	}{
		{KindAgreement, "return_minutes > params.max_return_travel_minutes", []string{"return_minutes"}},
		{KindAgreement, "size(weekdays_remote) == 0 && share_remote == 0", []string{"weekdays_remote", "share_remote"}},
		{KindAgreement, "'screen' in equipment || 'furniture' in equipment", []string{"equipment"}},
		{KindAgreement, "availability.exists(c, c == 'phone') && tasks != ''", []string{"tasks", "availability"}},
		{KindPhoneHours, "sessions.exists(s, s.minutes < params.min_session_minutes)", []string{"sessions"}},
	} {
		r := &Rule{Kind: tc.kind, Condition: tc.condition}
		if got := r.Uses(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.condition, got, tc.want)
		}
	}
}
