package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
)

// bjurholmAgreement passes every rule of Bjurholm's pack (it is the pack's
// own example); tooLong runs over a year, which §11 forbids.
const bjurholmAgreement = `{"start":"2025-01-01","end":"2025-12-31","weekdays_remote":["tue","thu"],"share_remote":40,
"remote_place":"Bostaden, Storgatan, Bjurholm","main_workplace":"Kommunhuset, Bjurholm","tax_workplace":"main",
"tasks":"Utredningar och handläggning av bygglov","secrecy_tasks":false,"working_hours":"Enligt flextidsavtalet, kärntid 09.00–15.00",
"availability":["phone","email","teams"],"return_minutes":30,"client_meetings_at_remote":false,"physical_meetings":"Inga fysiska möten på distansarbetsplatsen","equipment":["computer","headset"],
"conditions":"Eget arbetsrum med dörr; arbetsmiljön gicks igenom 2024-12-10","evaluation":"Vid det årliga resultat- och utvecklingssamtalet i november",
"risk_assessment":"acceptable"}`

var tooLong = strings.Replace(bjurholmAgreement, `"end":"2025-12-31"`, `"end":"2026-01-02"`, 1)

// demoDB returns a fresh SQLite database with the demo organisations, each
// with its seed pack as version 1.
func demoDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "distans.db")
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, s, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + path
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPolicyCheck drives `distans policy check` through run() against the
// demo: the exit status says whether something blocks, the report on
// standard output cites the clause, and bad input exits 2 with a message in
// Swedish and English.
func TestPolicyCheck(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the demo organisations")
	}
	db := demoDB(t)
	dir := t.TempDir()
	long := writeFile(t, dir, "long.json", tooLong)
	valid := writeFile(t, dir, "valid.json", bjurholmAgreement)
	broken := writeFile(t, dir, "broken.json", `{"start":"2025-01-01",`)
	unknown := writeFile(t, dir, "unknown.json", `{"start":"2025-01-01","lön":30000}`)
	incident := writeFile(t, dir, "incident.json", `{"kind":"personal_data","discovered_at":"2025-10-25T12:00:00+02:00"}`)
	stockholm := writeFile(t, dir, "stockholm.json", `{"start":"2025-01-01","end":"2025-06-30","return_minutes":240}`)

	type report struct {
		Organisation string `json:"organisation"`
		PackVersion  int    `json:"pack_version"`
		Kind         string `json:"kind"`
		Blocking     bool   `json:"blocking"`
		Findings     []struct {
			RuleID    string        `json:"rule_id"`
			Severity  string        `json:"severity"`
			MessageSv string        `json:"message_sv"`
			MessageEn string        `json:"message_en"`
			Source    policy.Source `json:"source"`
			Citation  string        `json:"citation"`
			Deadlines []struct {
				At     string `json:"at"`
				Passed bool   `json:"passed"`
			} `json:"deadlines"`
		} `json:"findings"`
	}
	findings := func(t *testing.T, out string) report {
		t.Helper()
		var r report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("standard output is not a report: %v\n%s", err, out)
		}
		return r
	}

	for _, tc := range []struct {
		name  string
		args  []string
		stdin string // the command's standard input
		code  int
		// for a report (code 0 or 1): the organisation and a rule that must
		// be among the findings; for bad input: words of the message
		org, rule string
		want      []string
	}{
		{name: "Bjurholm agreement over a year", args: []string{"-org", "bjurholm", "-kind", "agreement", long}, code: 1,
			org: "bjurholm", rule: "bjurholm-11-max-length", want: []string{"stoppas av / blocked by: bjurholm-11-max-length"}},
		{name: "valid Bjurholm agreement", args: []string{"-org", "bjurholm", "-kind", "agreement", valid}, code: 0, org: "bjurholm"},
		{name: "standard input", args: []string{"-org", "bjurholm", "-kind", "agreement", "-"}, stdin: tooLong, code: 1,
			org: "bjurholm", rule: "bjurholm-11-max-length"},
		{name: "Stockholm return time", args: []string{"-org", "stockholm", "-kind", "agreement", stockholm}, code: 1, org: "stockholm", rule: "stockholm-return-time"},
		{name: "incident within 72 hours across the change to winter time",
			args: []string{"-org", "sorsele", "-kind", "incident", "-now", "2025-10-28T10:59:00+01:00", incident}, code: 0, org: "sorsele", rule: "gdpr-33-report"},
		{name: "incident after 72 hours", args: []string{"-org", "sorsele", "-kind", "incident", "-now", "2025-10-28T11:01:00+01:00", incident},
			code: 1, org: "sorsele", rule: "gdpr-33-late"},
		{name: "bad JSON", args: []string{"-org", "bjurholm", "-kind", "agreement", broken}, code: 2,
			want: []string{"JSON-objektet tar slut för tidigt.", "The JSON object ends too early."}},
		{name: "bad JSON on standard input", args: []string{"-org", "bjurholm", "-kind", "agreement", "-"}, stdin: "nej", code: 2,
			want: []string{"Ogiltig JSON", "Invalid JSON"}},
		{name: "unknown field", args: []string{"-org", "bjurholm", "-kind", "agreement", unknown}, code: 2,
			want: []string{"lön: Okänt fält. Fälten för agreement är: start, end,", "Unknown field."}},
		{name: "wrong kind for the input", args: []string{"-org", "bjurholm", "-kind", "leave", valid}, code: 2, want: []string{"Okänt fält", "Unknown field"}},
		{name: "unknown organisation", args: []string{"-org", "atlantis", "-kind", "agreement", valid}, code: 2,
			want: []string{"okänd organisation / unknown organisation: atlantis"}},
		{name: "unknown kind", args: []string{"-org", "bjurholm", "-kind", "semester", valid}, code: 2,
			want: []string{`okänd typ av kontroll "semester"`, "allowed: agreement, phone_hours, redirect"}},
		{name: "missing file", args: []string{"-org", "bjurholm", "-kind", "agreement", filepath.Join(dir, "saknas.json")}, code: 2,
			want: []string{"kan inte läsa filen / cannot read the file", "saknas.json"}},
		{name: "bad -now", args: []string{"-org", "bjurholm", "-kind", "agreement", "-now", "igår", valid}, code: 2, want: []string{"-now"}},
		{name: "no file", args: []string{"-org", "bjurholm", "-kind", "agreement"}, code: 2, want: []string{"usage: distans policy check"}},
		{name: "no organisation", args: []string{"-kind", "agreement", valid}, code: 2, want: []string{"-org"}},
		{name: "unknown flag", args: []string{"-org", "bjurholm", "-typ", "agreement", valid}, code: 2, want: []string{"-typ"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"policy", "check", "-db", db}, tc.args...)
			out, err := runCmdIn(t, tc.stdin, args...)
			if got := exitCode(err); got != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %.1000s\nerr: %v", got, tc.code, out, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(errString(err), w) {
					t.Errorf("message lacks %q: %v", w, err)
				}
			}
			if tc.code >= 2 {
				if out != "" {
					t.Errorf("bad input wrote a report: %s", out)
				}
				return
			}
			r := findings(t, out)
			if r.Organisation != tc.org || r.PackVersion != 1 || r.Blocking != (tc.code == 1) {
				t.Errorf("report of %s version %d, blocking %v; want %s version 1, blocking %v", r.Organisation, r.PackVersion, r.Blocking, tc.org, tc.code == 1)
			}
			if tc.rule == "" {
				return
			}
			for _, f := range r.Findings {
				if f.RuleID != tc.rule {
					continue
				}
				if f.MessageSv == "" || f.MessageEn == "" || f.Source.Quote == "" {
					t.Errorf("finding without messages or clause: %+v", f)
				}
				if tc.rule == "bjurholm-11-max-length" &&
					(f.Source.Document != "002_09262497f78a89f4.txt" || !strings.HasPrefix(f.Source.Section, "11.") || f.Severity != "block") {
					t.Errorf("%s cites %+v as %s, want 002 §11 blocking", f.RuleID, f.Source, f.Severity)
				}
				if tc.rule == "bjurholm-11-max-length" && f.Citation != "Bjurholms kommun, Riktlinjer för distansarbete, 11. Skriftlig individuell överenskommelse" {
					t.Errorf("%s: citation %q", f.RuleID, f.Citation)
				}
				if strings.HasPrefix(tc.rule, "gdpr-33") && (len(f.Deadlines) == 0 || f.Deadlines[0].At != "2025-10-28T10:00:00Z") {
					// 12:00 summer time on 25 October plus 72 real hours is
					// 11:00 winter time on 28 October, 10:00 UTC.
					t.Errorf("%s deadlines %+v, want 2025-10-28T10:00:00Z", f.RuleID, f.Deadlines)
				}
				return
			}
			t.Errorf("no finding %s in %s", tc.rule, out)
		})
	}
}
