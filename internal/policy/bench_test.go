package policy

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// benchAgreements returns n agreements that vary the way stored ones do:
// most pass, some are too long, lack parts or have a bad risk assessment,
// so that the benchmark pays for findings as well as for conditions.
func benchAgreements(n int) []Agreement {
	places := []string{"Bostaden", "Fritidshuset", "", "Bostaden, Storgatan"}
	risks := []string{"acceptable", "acceptable", "acceptable", "needs_measures", "not_acceptable", ""}
	days := [][]string{{"tue", "thu"}, {"mon"}, {}, {"wed", "fri"}}
	avail := [][]string{{"phone", "email", "teams"}, {"phone", "email", "skype"}, {"email"}}
	equip := [][]string{{"computer", "headset"}, {"computer"}, {"computer", "screen"}}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]Agreement, n)
	for i := range out {
		s := start.AddDate(0, 0, i%365)
		out[i] = Agreement{
			Start:          s.Format(time.DateOnly),
			End:            s.AddDate(0, 0, 300+i%100).Format(time.DateOnly),
			WeekdaysRemote: days[i%len(days)],
			ShareRemote:    i % 80,
			RemotePlace:    places[i%len(places)],
			MainWorkplace:  "Kommunhuset",
			TaxWorkplace:   "main",
			Tasks:          "Handläggning",
			WorkingHours:   "08.00–16.30",
			Availability:   avail[i%len(avail)],
			ReturnMinutes:  i % 150,
			Equipment:      equip[i%len(equip)],
			Conditions:     "Eget arbetsrum",
			Evaluation:     "Årligt utvecklingssamtal",
			RiskAssessment: risks[i%len(risks)],
		}
	}
	return out
}

// BenchmarkCheckAgreement checks one agreement against every agreement rule
// of a pack per operation (Bjurholm has the most). Run with
//
//	go test -run '^$' -bench CheckAgreement -benchmem -cpu 1 ./internal/policy
func BenchmarkCheckAgreement(b *testing.B) {
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	agreements := benchAgreements(4096)
	for _, slug := range []string{"bjurholm", "stockholm", "vara"} {
		b.Run(slug, func(b *testing.B) {
			p := mustSeed(b, slug)
			b.ReportAllocs()
			i := 0
			cpu := cpuTime(b)
			for b.Loop() {
				if _, err := p.Check(KindAgreement, &agreements[i%len(agreements)], now); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
			if used := cpuTime(b) - cpu; used > 0 {
				b.ReportMetric(float64(b.N)/used.Seconds(), "checks/cpu-s")
			}
			b.ReportMetric(float64(len(p.byKind[KindAgreement])), "rules")
		})
	}
}

// BenchmarkCheckMany checks 1,000,000 in-memory agreements against all the
// agreement rules of one organisation per operation; the issue asks for
// under 5 seconds. Run with
//
//	go test -run '^$' -bench CheckMany -benchtime 1x -cpu 1 ./internal/policy
func BenchmarkCheckMany(b *testing.B) {
	const n = 1_000_000
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	p := mustSeed(b, "bjurholm")
	agreements := benchAgreements(n)
	cpu := cpuTime(b)
	for b.Loop() {
		findings, blocked := 0, 0
		for i := range agreements {
			fs, err := p.Check(KindAgreement, &agreements[i], now)
			if err != nil {
				b.Fatal(err)
			}
			findings += len(fs)
			if Blocking(fs) {
				blocked++
			}
		}
		if blocked == 0 || blocked == n {
			b.Fatalf("%d of %d blocked: the sample does not exercise the rules", blocked, n)
		}
		b.ReportMetric(float64(findings)/n, "findings/agreement")
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/million")
	if used := cpuTime(b) - cpu; used > 0 {
		b.ReportMetric(used.Seconds()/float64(b.N), "cpu-s/million")
	}
}

// ExampleCheckJSON shows the call the CLI makes.
func ExampleCheckJSON() {
	p, _ := Seed("bjurholm")
	in := `{"start": "2025-01-01", "end": "2026-06-30", "remote_place": "Bostaden",
		"weekdays_remote": ["tue"], "main_workplace": "Kommunhuset", "tasks": "Utredningar",
		"working_hours": "08–17", "availability": ["phone", "email"], "equipment": ["computer"],
		"conditions": "Eget rum", "evaluation": "Årligt samtal", "risk_assessment": "acceptable"}`
	findings, err := CheckJSON(p, KindAgreement, strings.NewReader(in), time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC))
	for _, f := range findings {
		fmt.Println(f.RuleID, f.Severity, f.MessageSv)
	}
	fmt.Println("exit", ExitCode(findings, err))
	// Output:
	// bjurholm-11-max-length block Överenskommelsen får gälla högst ett år i taget (12 månader): sista dagen är senast dagen före samma datum ett år senare. Förläng den efter utvärdering i stället.
	// bjurholm-11-physical-meetings block Överenskommelsen ska ange vad som gäller för fysiska möten på distansarbetsplatsen (fysiska möten med klienter och medborgare ska inte ske där, enligt avsnitt 7).
	// exit 1
}

// BenchmarkCheckIncident checks one stored incident, mapped by IncidentOf,
// against every incident rule of a pack per operation: what the incident
// service runs on every report and triage to compute the clocks. Run with
//
//	go test -run '^$' -bench CheckIncident -benchmem -cpu 1 ./internal/policy
func BenchmarkCheckIncident(b *testing.B) {
	now := time.Date(2026, 3, 30, 10, 0, 0, 0, time.UTC)
	kinds := distans.IncidentKinds
	severities := append([]distans.IncidentSeverity{""}, distans.IncidentSeverities...)
	incidents := make([]*Incident, 4096)
	filed := now.Add(-time.Hour)
	for i := range incidents {
		rec := &distans.Incident{Kind: kinds[i%len(kinds)], Severity: severities[i%len(severities)],
			DiscoveredAt: now.Add(-time.Duration(i%200) * time.Hour), CyberSignificant: i%7 == 0,
			InjurySerious: i%3 == 0, OutsidePremises: i%2 == 0}
		var at *time.Time
		if i%4 == 0 && !filed.Before(rec.DiscoveredAt) {
			at = &filed
		}
		incidents[i] = IncidentOf(rec, at)
	}
	for _, slug := range []string{"kristianstad", "sorsele", "vara"} {
		b.Run(slug, func(b *testing.B) {
			p := mustSeed(b, slug)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := p.Check(KindIncident, incidents[i%len(incidents)], now); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
			b.ReportMetric(float64(len(p.byKind[KindIncident])), "rules")
		})
	}
}
