package disposal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// TestPeriodsPerPack: every seed pack gives every type a period and a
// clause; Kristianstad's access logs go after 90 days on its own
// instruction (003), the other packs' on Distans's default and GDPR;
// the generic parameters hold for all; sessions go at expiry.
func TestPeriodsPerPack(t *testing.T) {
	t.Parallel()
	type want struct {
		amount int
		unit   string
		clause string
	}
	gdpr := "Dataskyddsförordningen (EU) 2016/679"
	common := map[distans.DisposalType]want{
		distans.DisposeSessions:      {0, "days", gdpr},
		distans.DisposeStatusHistory: {90, "days", gdpr},
		distans.DisposeAgreements:    {24, "months", gdpr},
		distans.DisposeIncidents:     {60, "months", gdpr},
		distans.DisposeNotifications: {365, "days", gdpr},
	}
	for _, tc := range []struct {
		slug   string
		access want
	}{
		{"kristianstad", want{90, "days", "Kristianstads kommun, Instruktion för digital kommunikation – informationssäkerhet för användare, Kontroll av IT-användning"}},
		{"stockholm", want{90, "days", gdpr}},
		{"vara", want{90, "days", gdpr}},
		{"bjurholm", want{90, "days", gdpr}},
		{"sorsele", want{90, "days", gdpr}},
	} {
		t.Run(tc.slug, func(t *testing.T) {
			t.Parallel()
			pack, err := policy.Seed(tc.slug)
			if err != nil {
				t.Fatal(err)
			}
			periods := distans.DisposalPeriods(pack.Policy())
			if len(periods) != len(distans.DisposalTypes) {
				t.Fatalf("%d periods for %d types", len(periods), len(distans.DisposalTypes))
			}
			for _, p := range periods {
				w, ok := common[p.Type]
				if p.Type == distans.DisposeAccessLog {
					w, ok = tc.access, true
				}
				if !ok {
					t.Fatalf("unknown type %s", p.Type)
				}
				cite := policy.Cite(nil, policy.Source{Document: p.Source.Document, Section: p.Source.Section}).String()
				if p.Amount != w.amount || p.Unit != w.unit || !strings.HasPrefix(cite, w.clause) || p.Source.Quote == "" {
					t.Errorf("%s: %d %s under %q, want %d %s under %q", p.Type, p.Amount, p.Unit, cite, w.amount, w.unit, w.clause)
				}
				if swept := p.SweptBy != ""; swept == p.Type.Holdable() {
					t.Errorf("%s: swept by %q but holdable %v", p.Type, p.SweptBy, p.Type.Holdable())
				}
			}
		})
	}
}

// TestCutoff: periods in days and months count back from midnight of the
// organisation's day; a period of 0 is now.
func TestCutoff(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 31, 22, 30, 0, 0, time.UTC) // 00:30 on 1 June in Stockholm
	for _, tc := range []struct {
		p    distans.DisposalPeriod
		want time.Time
	}{
		{distans.DisposalPeriod{Amount: 90, Unit: "days"}, time.Date(2026, 3, 3, 0, 0, 0, 0, loc)},
		{distans.DisposalPeriod{Amount: 24, Unit: "months"}, time.Date(2024, 6, 1, 0, 0, 0, 0, loc)},
		{distans.DisposalPeriod{Amount: 0, Unit: "days"}, now},
	} {
		if got := tc.p.Cutoff(now, loc); !got.Equal(tc.want) {
			t.Errorf("%s: cutoff %s, want %s", tc.p.Text("en"), got, tc.want)
		}
	}
}
