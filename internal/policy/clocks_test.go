package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// The three discoveries every clock is held to: an ordinary June
// afternoon, the evening before summer time starts (2026-03-29 02:00 CET
// becomes 03:00 CEST) and the evening before it ends (2026-10-25 03:00
// CEST becomes 02:00 CET).
const (
	discNormal = "2026-06-10T14:00:00+02:00"
	discMarch  = "2026-03-28T20:00:00+01:00"
	discOct    = "2026-10-24T20:00:00+02:00"
)

// TestIncidentClocks is the table of every duty's deadline: hours count
// real elapsed time (72 hours across the March change end at 21:00 local,
// not 20:00), days count calendar days to the same local clock time
// (28 days across the change are 671 or 673 real hours), and the same day
// ends at 23:59:59 local time.
func TestIncidentClocks(t *testing.T) {
	t.Parallel()
	packs := seeds(t)
	type clock struct {
		normal, march, oct string // the deadline, local time
	}
	tests := []struct {
		duty  string
		pack  string
		input string // JSON fields besides discovered_at
		rule  string
		hours int
		days  int
		same  bool
		want  clock
	}{
		{distans.DutyIMYNotification, "kristianstad", `"kind": "personal_data"`, "gdpr-33-report", 72, 0, false,
			clock{"2026-06-13T14:00:00+02:00", "2026-03-31T21:00:00+02:00", "2026-10-27T19:00:00+01:00"}},
		{distans.DutyDataSubjects, "kristianstad", `"kind": "personal_data"`, "gdpr-34-data-subjects", 72, 0, false,
			clock{"2026-06-13T14:00:00+02:00", "2026-03-31T21:00:00+02:00", "2026-10-27T19:00:00+01:00"}},
		{distans.DutyCyberEarlyWarning, "kristianstad", `"kind": "security", "cyber_significant": true`, "cyber-early-warning", 24, 0, false,
			clock{"2026-06-11T14:00:00+02:00", "2026-03-29T21:00:00+02:00", "2026-10-25T19:00:00+01:00"}},
		{distans.DutyCyberNotification, "kristianstad", `"kind": "security", "cyber_significant": true`, "cyber-notification", 72, 0, false,
			clock{"2026-06-13T14:00:00+02:00", "2026-03-31T21:00:00+02:00", "2026-10-27T19:00:00+01:00"}},
		{distans.DutyCyberFinalReport, "kristianstad", `"kind": "it", "cyber_significant": true`, "cyber-final-report", 0, 28, false,
			clock{"2026-07-08T14:00:00+02:00", "2026-04-25T20:00:00+02:00", "2026-11-21T20:00:00+01:00"}},
		{distans.DutySeriousEscalation, "kristianstad", `"kind": "security", "severity": "serious"`, "kristianstad-serious-escalation", 1, 0, false,
			clock{"2026-06-10T15:00:00+02:00", "2026-03-28T21:00:00+01:00", "2026-10-24T21:00:00+02:00"}},
		{distans.DutyWorkEnvironmentReport, "bjurholm", `"kind": "work_injury", "injury_serious": true`, "work-injury-arbetsmiljoverket", 0, 0, true,
			clock{"2026-06-10T23:59:59+02:00", "2026-03-28T23:59:59+01:00", "2026-10-24T23:59:59+02:00"}},
		{distans.DutyInsuranceReport, "bjurholm", `"kind": "work_injury"`, "work-injury-forsakringskassan", 0, 3, false,
			clock{"2026-06-13T14:00:00+02:00", "2026-03-31T20:00:00+02:00", "2026-10-27T20:00:00+01:00"}},
		{distans.DutySafetyRepresentative, "bjurholm", `"kind": "work_injury"`, "work-injury-safety-representative", 24, 0, false,
			clock{"2026-06-11T14:00:00+02:00", "2026-03-29T21:00:00+02:00", "2026-10-25T19:00:00+01:00"}},
		{distans.DutyPoliceReport, "sorsele", `"kind": "theft", "outside_premises": true`, "sorsele-8.1-police-report", 24, 0, false,
			clock{"2026-06-11T14:00:00+02:00", "2026-03-29T21:00:00+02:00", "2026-10-25T19:00:00+01:00"}},
	}
	for _, tt := range tests {
		for _, at := range []struct{ name, disc, want string }{
			{"normal", discNormal, tt.want.normal}, {"before summer time", discMarch, tt.want.march}, {"before winter time", discOct, tt.want.oct},
		} {
			t.Run(tt.duty+"/"+at.name, func(t *testing.T) {
				t.Parallel()
				p := packs[tt.pack]
				disc := parseOK(t, at.disc, p.Location())
				in := `{"discovered_at": "` + at.disc + `", ` + tt.input + `}`
				d := duty(t, p, in, disc.Add(time.Minute), tt.duty)
				if d == nil {
					return
				}
				if d.AtLocal != at.want || !d.At.Equal(parseOK(t, at.want, p.Location())) || d.At.Location() != time.UTC {
					t.Errorf("deadline %s (%s), want %s", d.AtLocal, d.At, at.want)
				}
				if d.Hours != tt.hours || d.Days != tt.days || d.SameDay != tt.same || d.From != "discovered_at" || d.Passed {
					t.Errorf("deadline %+v, want hours %d, days %d, same day %v, from discovered_at, not passed", d, tt.hours, tt.days, tt.same)
				}
				if tt.hours > 0 && d.At.Sub(disc) != time.Duration(tt.hours)*time.Hour {
					t.Errorf("%d hours are %v of real time", tt.hours, d.At.Sub(disc))
				}
			})
		}
	}
}

// duty checks in on p and returns the one deadline of the duty, failing
// the test unless exactly one finding carries it.
func duty(t *testing.T, p *Pack, in string, now time.Time, name string) *Deadline {
	t.Helper()
	fs, err := CheckJSON(p, KindIncident, strings.NewReader(in), now)
	if err != nil {
		t.Fatal(err)
	}
	var found []*Deadline
	for i := range fs {
		for j := range fs[i].Deadlines {
			if fs[i].Deadlines[j].Duty == name {
				found = append(found, &fs[i].Deadlines[j])
			}
		}
	}
	if len(found) != 1 {
		t.Errorf("%d deadlines of %s in %v, want 1", len(found), name, ruleIDs(fs))
		return nil
	}
	return found[0]
}

// TestIMYSupplementClock: the supplement counts four weeks of calendar
// days from the filing, not from the discovery, to the same clock time
// across either change; before anything is filed there is no such clock.
func TestIMYSupplementClock(t *testing.T) {
	t.Parallel()
	p := seeds(t)["vara"]
	for _, tt := range []struct{ filed, want string }{
		{"2026-06-12T09:15:00+02:00", "2026-07-10T09:15:00+02:00"},
		{discMarch, "2026-04-25T20:00:00+02:00"},
		{discOct, "2026-11-21T20:00:00+01:00"},
	} {
		filed := parseOK(t, tt.filed, p.Location())
		in := `{"kind": "personal_data", "discovered_at": "` + filed.Add(-10*time.Hour).Format(time.RFC3339) + `", "imy_filed_at": "` + tt.filed + `"}`
		d := duty(t, p, in, filed.Add(time.Hour), distans.DutyIMYSupplement)
		if d == nil {
			continue
		}
		if d.AtLocal != tt.want || d.Days != 28 || d.Hours != 0 || d.From != "imy_filed_at" {
			t.Errorf("filed %s: deadline %+v, want %s, 28 days from imy_filed_at", tt.filed, d, tt.want)
		}
	}
	fs, err := CheckJSON(p, KindIncident, strings.NewReader(`{"kind": "personal_data", "discovered_at": "`+discNormal+`"}`),
		parseOK(t, discNormal, p.Location()).Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := find(fs, "gdpr-33-supplement"); ok {
		t.Error("a supplement clock before the notification is filed")
	}
}

// TestIncidentInputRefused: a notification filed before the discovery or
// in the future, and a severity the triage does not know, are bad input.
func TestIncidentInputRefused(t *testing.T) {
	t.Parallel()
	p := seeds(t)["vara"]
	now := parseOK(t, discNormal, p.Location()).Add(time.Hour)
	for _, tt := range []struct{ in, field string }{
		{`{"kind": "personal_data", "discovered_at": "` + discNormal + `", "imy_filed_at": "2026-06-10T13:00:00+02:00"}`, "imy_filed_at"},
		{`{"kind": "personal_data", "discovered_at": "` + discNormal + `", "imy_filed_at": "2026-06-11T13:00:00+02:00"}`, "imy_filed_at"},
		{`{"kind": "personal_data", "discovered_at": "` + discNormal + `", "severity": "catastrophic"}`, "severity"},
		{`{"kind": "personal_data", "discovered_at": "` + discNormal + `", "has_imy_filed": true}`, "has_imy_filed"},
	} {
		_, err := CheckJSON(p, KindIncident, strings.NewReader(tt.in), now)
		var e *distans.Error
		if !errors.As(err, &e) || e.Code != distans.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tt.field || e.Fields[0].Sv == "" {
			t.Errorf("%s: err = %v, want %s refused", tt.in, err, tt.field)
		}
	}
}

// TestCyberClocksSwitch: the Cybersecurity Act's clocks run only where the
// pack turns cyber_security_act on (the generic default is off), and only
// for an incident the triage found significant.
func TestCyberClocksSwitch(t *testing.T) {
	t.Parallel()
	cyber := []string{"cyber-early-warning", "cyber-notification", "cyber-final-report"}
	now := parseOK(t, discNormal, time.UTC).Add(time.Hour)
	for _, tt := range []struct {
		name        string
		src         string
		significant bool
		want        bool
	}{
		{"off by default", minimal, true, false},
		{"on, not significant", minimal + "generic_values:\n  cyber_security_act: true\n", false, false},
		{"on and significant", minimal + "generic_values:\n  cyber_security_act: true\n", true, true},
		{"turned off again", minimal + "generic_values:\n  cyber_security_act: false\n", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			in := map[string]any{"kind": "security", "discovered_at": discNormal, "cyber_significant": tt.significant}
			fs, err := p.Check(KindIncident, in, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range cyber {
				if _, ok := find(fs, id); ok != tt.want {
					t.Errorf("%s tripped = %v, want %v", id, ok, tt.want)
				}
			}
		})
	}
	// Every municipal seed pack turns it on.
	for slug, p := range seeds(t) {
		if x, _ := p.Param("cyber_security_act"); x.Effective() != true {
			t.Errorf("%s: cyber_security_act is %v", slug, x.Effective())
		}
	}
}

// TestAddDays holds calendar days to the wall clock, including the clock
// times that a change skips or repeats.
func TestAddDays(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		from string
		days int
		want string
		real time.Duration
	}{
		{discNormal, 28, "2026-07-08T14:00:00+02:00", 28 * 24 * time.Hour},
		{discMarch, 28, "2026-04-25T20:00:00+02:00", 28*24*time.Hour - time.Hour},
		{discOct, 28, "2026-11-21T20:00:00+01:00", 28*24*time.Hour + time.Hour},
		{discMarch, 1, "2026-03-29T20:00:00+02:00", 23 * time.Hour},
		{discOct, 1, "2026-10-25T20:00:00+01:00", 25 * time.Hour},
		// 02:30 does not exist on 29 March: it moves forward by the gap.
		{"2026-03-01T02:30:00+01:00", 28, "2026-03-29T03:30:00+02:00", 28*24*time.Hour - time.Hour + time.Hour},
		// 02:30 occurs twice on 25 October: the later one.
		{"2026-09-27T02:30:00+02:00", 28, "2026-10-25T02:30:00+01:00", 28*24*time.Hour + time.Hour},
		{"2026-01-31T10:00:00+01:00", 28, "2026-02-28T10:00:00+01:00", 28 * 24 * time.Hour},
	} {
		from := parseOK(t, tt.from, loc)
		got := AddDays(from, tt.days, loc)
		if got.Format(time.RFC3339) != tt.want || got.Sub(from) != tt.real {
			t.Errorf("AddDays(%s, %d) = %s (%v later), want %s (%v)", tt.from, tt.days, got.Format(time.RFC3339), got.Sub(from), tt.want, tt.real)
		}
	}
}

// TestEndOfDay: the last second of the local day, on days of 23 and 25
// hours too, whatever the instant's own zone.
func TestEndOfDay(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ at, want string }{
		{discNormal, "2026-06-10T23:59:59+02:00"},
		{"2026-03-29T01:30:00+01:00", "2026-03-29T23:59:59+02:00"},
		{"2026-10-25T02:30:00+02:00", "2026-10-25T23:59:59+01:00"},
		{"2026-10-25T02:30:00+01:00", "2026-10-25T23:59:59+01:00"},
		{"2026-06-10T22:30:00Z", "2026-06-11T23:59:59+02:00"}, // already 11 June in Stockholm
	} {
		if got := EndOfDay(parseOK(t, tt.at, loc), loc).In(loc).Format(time.RFC3339); got != tt.want {
			t.Errorf("EndOfDay(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}

// deadlineRule is a pack whose one incident rule has the deadline given,
// for the cases that break it.
const deadlineRule = `
slug: test
organisation: Testkommun
title: Test
document: test.txt
version: 1
parameters:
  - name: report_hours
    type: int
    unit: hours
    default: 24
    label: {sv: Timmar, en: Hours}
  - name: report_days
    type: int
    unit: days
    default: 7
    label: {sv: Dagar, en: Days}
  - name: report_label
    type: string
    default: x
    label: {sv: Text, en: Text}
rules:
  - id: test-clock
    kind: incident
    condition: kind == 'it'
    severity: warn
    message: {sv: "Senast {deadline}.", en: "By {deadline}."}
    source: {document: test.txt, section: "1", quote: "genast"}
    deadlines:
      - from: discovered_at
        hours: report_hours
        duty: serious_escalation
        label: {sv: Rapport, en: Report}
    examples:
      pass: {kind: security, discovered_at: "2025-06-02T08:00:00+02:00"}
      trip: {kind: it, discovered_at: "2025-06-02T08:00:00+02:00"}
`

// TestParseRefusesDeadlines: a deadline is counted one way, from a time
// of the input, by a parameter of its unit, for a known duty; generic
// values set only what the rules of law let an organisation set.
func TestParseRefusesDeadlines(t *testing.T) {
	t.Parallel()
	if _, err := Parse([]byte(deadlineRule)); err != nil {
		t.Fatalf("the base case is refused: %v", err)
	}
	for _, tt := range []struct {
		name, old, new string
		field, sv      string
	}{
		{"hours and days", "hours: report_hours\n", "hours: report_hours\n        days: report_days\n", "rules[test-clock].deadlines[0]", "exakt ett"},
		{"hours and same day", "hours: report_hours\n", "hours: report_hours\n        same_day: true\n", "rules[test-clock].deadlines[0]", "exakt ett"},
		{"no span", "        hours: report_hours\n", "", "rules[test-clock].deadlines[0]", "exakt ett"},
		{"days naming an hours parameter", "hours: report_hours", "days: report_hours", "rules[test-clock].deadlines[0].days", "enheten days"},
		{"hours naming a days parameter", "hours: report_hours", "hours: report_days", "rules[test-clock].deadlines[0].hours", "enheten hours"},
		{"hours naming a string", "hours: report_hours", "hours: report_label", "rules[test-clock].deadlines[0].hours", "heltalsparameter"},
		{"unknown parameter", "hours: report_hours", "hours: report_weeks", "rules[test-clock].deadlines[0].hours", "report_weeks"},
		{"unknown duty", "duty: serious_escalation", "duty: tell_the_mayor", "rules[test-clock].deadlines[0].duty", "Okänd skyldighet"},
		{"unknown time", "from: discovered_at", "from: occurred_at", "rules[test-clock].deadlines[0].from", "tidpunkt i indata"},
		{"duty outside incidents", "kind: incident\n", "kind: redirect\n", "rules[test-clock].deadlines[0].duty", "Bara incidentregler"},
		{"who outside losses and returns", "duty: serious_escalation", "duty: serious_escalation\n        by: it", "rules[test-clock].deadlines[0].by", "Bara förlustregler"},
		{"skippable outside losses", "duty: serious_escalation", "duty: serious_escalation\n        skippable: true", "rules[test-clock].deadlines[0].skippable", "hoppas över"},
		{"equipment outside returns", "duty: serious_escalation", "duty: serious_escalation\n        equipment: [phone]", "rules[test-clock].deadlines[0].equipment", "return_item"},
		{"generic value of a law's figure", "rules:\n", "generic_values:\n  personal_data_incident_deadline_hours: 96\nrules:\n",
			"generic_values.personal_data_incident_deadline_hours", "kan inte ändras"},
		{"generic value of no parameter", "rules:\n", "generic_values:\n  cyber_act: true\nrules:\n", "generic_values.cyber_act", "ingen sådan parameter"},
		{"generic value of the wrong type", "rules:\n", "generic_values:\n  cyber_security_act: ja\nrules:\n", "parameters[cyber_security_act].value", "fel typ"},
		{"own parameter settable", "default: 24\n", "default: 24\n    settable: true\n", "parameters[report_hours].settable", "allmänna reglernas"},
		{"example params of no parameter", "    examples:\n", "    examples:\n      params: {report_minutes: 3}\n", "rules[test-clock].examples.params.report_minutes", "finns inte"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(deadlineRule, tt.old, tt.new, 1)
			if src == deadlineRule {
				t.Fatalf("the case changes nothing: %q not in the pack", tt.old)
			}
			p, err := Parse([]byte(src))
			var e *distans.Error
			if p != nil || !errors.As(err, &e) || e.Code != distans.EINVALID {
				t.Fatalf("Parse = %v, %v; want EINVALID", p, err)
			}
			if !slices.ContainsFunc(e.Fields, func(f distans.FieldError) bool {
				return f.Field == tt.field && strings.Contains(f.Sv, tt.sv) && f.En != ""
			}) {
				t.Errorf("no field %q with %q in %+v", tt.field, tt.sv, e.Fields)
			}
		})
	}
}

const lossRule = `
slug: test
organisation: Testkommun
title: Test
document: test.txt
version: 1
rules:
  - id: test-police
    kind: loss
    condition: kind == 'stolen'
    severity: warn
    message: {sv: "Senast {deadline}.", en: "By {deadline}."}
    source: {document: test.txt, section: "8.1", quote: "polisen"}
    deadlines:
      - from: discovered_at
        same_day: true
        duty: police_report
        by: medarbetare
        skippable: true
        label: {sv: Polisanmälan, en: Police report}
    examples:
      pass: {kind: lost, categories: [computer], discovered_at: "2025-06-02T08:00:00+02:00", reported_at: "2025-06-02T09:00:00+02:00"}
      trip: {kind: stolen, categories: [computer], discovered_at: "2025-06-02T08:00:00+02:00", reported_at: "2025-06-02T09:00:00+02:00"}
`

// TestLossDeadlines: a loss rule's deadline is a step of the procedure,
// says who does it and may be skippable; the finding carries all three.
func TestLossDeadlines(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(lossRule))
	if err != nil {
		t.Fatalf("the base case is refused: %v", err)
	}
	fs, err := p.Check(KindLoss, Loss{Kind: "stolen", Categories: []string{"computer"},
		DiscoveredAt: time.Date(2025, 6, 2, 6, 0, 0, 0, time.UTC), ReportedAt: time.Date(2025, 6, 2, 7, 0, 0, 0, time.UTC)},
		time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(fs, func(f Finding) bool { return f.RuleID == "test-police" })
	if i < 0 || len(fs[i].Deadlines) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	d := fs[i].Deadlines[0]
	if d.Duty != distans.StepPoliceReport || d.By != "medarbetare" || !d.Skippable ||
		!d.At.Equal(time.Date(2025, 6, 2, 21, 59, 59, 0, time.UTC)) {
		t.Errorf("deadline %+v", d)
	}
	for _, tt := range []struct {
		name, old, new string
		field, sv      string
	}{
		{"no step", "        duty: police_report\n", "", "rules[test-police].deadlines[0].duty", "vilket steg"},
		{"an incident duty", "duty: police_report", "duty: imy_notification", "rules[test-police].deadlines[0].duty", "Okänd skyldighet"},
		{"nobody does it", "        by: medarbetare\n", "", "rules[test-police].deadlines[0].by", "vem som gör"},
		{"an unknown role", "by: medarbetare", "by: polisen", "rules[test-police].deadlines[0].by", "Okänd roll"},
		{"from the wrong time", "from: discovered_at", "from: now", "rules[test-police].deadlines[0].from", "tidpunkt i indata"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(lossRule, tt.old, tt.new, 1)
			if src == lossRule {
				t.Fatalf("the case changes nothing: %q not in the pack", tt.old)
			}
			_, err := Parse([]byte(src))
			var e *distans.Error
			if !errors.As(err, &e) || !slices.ContainsFunc(e.Fields, func(f distans.FieldError) bool {
				return f.Field == tt.field && strings.Contains(f.Sv, tt.sv) && f.En != ""
			}) {
				t.Errorf("no field %q with %q in %v", tt.field, tt.sv, err)
			}
		})
	}
}
