package incident_test

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/incident"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

func local(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, stockholm)
}

func seed(t *testing.T, slug string) *policy.Pack {
	t.Helper()
	p, err := policy.Seed(slug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestClocks computes the clocks of incidents from the seed packs: each
// duty's deadline in local time, across the switches to and from summer
// time (2026-03-29 and 2026-10-25 in Sweden).
func TestClocks(t *testing.T) {
	t.Parallel()
	springEve := local(2026, 3, 28, 20, 0, 0) // Saturday evening before the clocks go forward
	autumnEve := local(2026, 10, 24, 20, 0, 0)
	filed := local(2026, 3, 30, 10, 0, 0)
	type clock struct {
		duty string
		due  time.Time
	}
	for _, c := range []struct {
		name  string
		pack  string
		inc   distans.Incident
		filed *time.Time
		now   time.Time // the time of the computation; the clocks do not depend on it
		want  []clock
	}{
		{"personal data, spring: 72 real hours end at 21.00 summer time", "vara",
			distans.Incident{Kind: distans.IncidentPersonalData, DiscoveredAt: springEve}, nil, springEve.Add(time.Hour),
			[]clock{{distans.DutyDataSubjects, local(2026, 3, 31, 21, 0, 0)}, {distans.DutyIMYNotification, local(2026, 3, 31, 21, 0, 0)}}},
		{"personal data, autumn: 72 real hours end at 19.00 winter time", "vara",
			distans.Incident{Kind: distans.IncidentPersonalData, DiscoveredAt: autumnEve}, nil, autumnEve.Add(time.Hour),
			[]clock{{distans.DutyDataSubjects, local(2026, 10, 27, 19, 0, 0)}, {distans.DutyIMYNotification, local(2026, 10, 27, 19, 0, 0)}}},
		{"personal data after the 72 hours: the same deadline", "vara",
			distans.Incident{Kind: distans.IncidentPersonalData, DiscoveredAt: springEve}, nil, springEve.Add(100 * time.Hour),
			[]clock{{distans.DutyDataSubjects, local(2026, 3, 31, 21, 0, 0)}, {distans.DutyIMYNotification, local(2026, 3, 31, 21, 0, 0)}}},
		{"filed with IMY: four weeks of calendar days to the same local time", "vara",
			distans.Incident{Kind: distans.IncidentPersonalData, DiscoveredAt: springEve}, &filed, filed.Add(time.Hour),
			[]clock{{distans.DutyDataSubjects, local(2026, 3, 31, 21, 0, 0)}, {distans.DutyIMYNotification, local(2026, 3, 31, 21, 0, 0)},
				{distans.DutyIMYSupplement, local(2026, 4, 27, 10, 0, 0)}}},
		{"serious work injury: Arbetsmiljöverket the same day", "bjurholm",
			distans.Incident{Kind: distans.IncidentWorkInjury, DiscoveredAt: springEve, InjurySerious: true}, nil, springEve.Add(time.Minute),
			[]clock{{distans.DutyWorkEnvironmentReport, local(2026, 3, 28, 23, 59, 59)},
				{distans.DutySafetyRepresentative, local(2026, 3, 29, 21, 0, 0)}, {distans.DutyInsuranceReport, local(2026, 3, 31, 20, 0, 0)}}},
		{"work injury, not serious: no report the same day", "bjurholm",
			distans.Incident{Kind: distans.IncidentWorkInjury, DiscoveredAt: autumnEve}, nil, autumnEve.Add(time.Minute),
			[]clock{{distans.DutySafetyRepresentative, local(2026, 10, 25, 19, 0, 0)}, {distans.DutyInsuranceReport, local(2026, 10, 27, 20, 0, 0)}}},
		{"significant cyber incident where the act applies", "kristianstad",
			distans.Incident{Kind: distans.IncidentIT, DiscoveredAt: springEve, CyberSignificant: true}, nil, springEve.Add(time.Minute),
			[]clock{{distans.DutyCyberEarlyWarning, local(2026, 3, 29, 21, 0, 0)}, {distans.DutyCyberNotification, local(2026, 3, 31, 21, 0, 0)},
				{distans.DutyCyberFinalReport, local(2026, 4, 25, 20, 0, 0)}}},
		{"cyber incident not significant", "kristianstad",
			distans.Incident{Kind: distans.IncidentIT, DiscoveredAt: springEve}, nil, springEve.Add(time.Minute), nil},
		{"serious security incident: TIB and the chiefs at once", "kristianstad",
			distans.Incident{Kind: distans.IncidentSecurity, DiscoveredAt: springEve, Severity: distans.SeveritySerious}, nil,
			springEve.Add(time.Minute), []clock{{distans.DutySeriousEscalation, springEve.Add(time.Hour)}}},
		{"theft outside the premises: a police report", "sorsele",
			distans.Incident{Kind: distans.IncidentTheft, DiscoveredAt: autumnEve, OutsidePremises: true}, nil, autumnEve.Add(time.Minute), nil},
		{"theft in the office: no police report", "sorsele",
			distans.Incident{Kind: distans.IncidentTheft, DiscoveredAt: autumnEve}, nil, autumnEve.Add(time.Minute), nil},
		{"other", "vara", distans.Incident{Kind: distans.IncidentOther, DiscoveredAt: springEve}, nil, springEve.Add(time.Minute), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pack := seed(t, c.pack)
			got, err := incident.Clocks(pack, &c.inc, c.filed, c.now)
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "theft outside the premises: a police report" {
				// Sorsele's own deadline: whatever the pack says, one clock
				// of the police report, counted from the discovery.
				if len(got) != 1 || got[0].Duty != distans.DutyPoliceReport || !got[0].DueAt.After(c.inc.DiscoveredAt) ||
					!strings.Contains(got[0].Citation, "8.1") {
					t.Fatalf("clocks %+v", got)
				}
				return
			}
			var have []clock
			for _, g := range got {
				have = append(have, clock{g.Duty, g.DueAt.In(stockholm)})
				if g.RuleID == "" || g.Citation == "" || g.Label.Sv == "" {
					t.Errorf("clock without its rule, citation or label: %+v", g)
				}
			}
			if len(have) != len(c.want) {
				t.Fatalf("clocks %v, want %v", have, c.want)
			}
			for i := range have {
				if have[i].duty != c.want[i].duty || !have[i].due.Equal(c.want[i].due) {
					t.Fatalf("clock %d is %s at %s, want %s at %s", i, have[i].duty, have[i].due, c.want[i].duty, c.want[i].due)
				}
			}
		})
	}
}

// fixture is an organisation with a reporter, a coordinator and a DPO, its
// pack the given seed.
type fixture struct {
	s              *sqlstore.Store
	svc            *incident.Service
	org            *distans.Organisation
	emp, sec, dpo  *distans.Person
	empCtx, secCtx context.Context
}

func newFixture(t *testing.T, s *sqlstore.Store, slug string) *fixture {
	t.Helper()
	f := &fixture{s: s}
	// A pack is saved only for the organisation its slug names.
	f.org = storetest.NewOrg(t, s, cmp.Or(slug, "kommunen"))
	u := storetest.NewUnit(t, s, f.org.ID, "", "Förvaltningen", distans.UnitAdministration)
	f.emp = storetest.NewPerson(t, s, f.org.ID, "Åsa Öberg", u.ID)
	f.sec = storetest.NewPerson(t, s, f.org.ID, "Siri Säkerhet", u.ID)
	f.dpo = storetest.NewPerson(t, s, f.org.ID, "Dan Dataskydd", u.ID)
	admin := storetest.NewPerson(t, s, f.org.ID, "Ada Admin", u.ID)
	storetest.Assign(t, s, f.sec, distans.RoleSecurity, "")
	storetest.Assign(t, s, f.dpo, distans.RoleDPO, "")
	storetest.Assign(t, s, admin, distans.RoleAdmin, "")
	packs := policy.NewService(s, s)
	if slug != "" {
		src, err := policy.SeedYAML(slug)
		storetest.Must(t, err)
		_, err = packs.Save(storetest.As(t, s, admin), 0, src, "Test")
		storetest.Must(t, err)
	}
	f.svc = incident.New(incident.Config{Store: s, Packs: packs, Organisations: s})
	f.empCtx, f.secCtx = storetest.As(t, s, f.emp), storetest.As(t, s, f.sec)
	return f
}

func duties(inc *distans.Incident) []string {
	var out []string
	for _, c := range inc.Clocks {
		out = append(out, c.Duty)
	}
	slices.Sort(out)
	return out
}

// TestService reports, triages and files an incident through the service
// on both databases: the clocks follow the facts, from the organisation's
// pack.
func TestService(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s, "bjurholm")
		disc := distans.Now().Add(-2 * time.Hour)
		inc, err := f.svc.ReportIncident(f.empCtx, &distans.IncidentReport{Kind: distans.IncidentSecurity, Title: "Lista på avvägar",
			Description: "En elevlista skickades till fel mottagare", DiscoveredAt: disc})
		storetest.Must(t, err)
		full, err := f.svc.Incident(f.secCtx, inc.ID)
		storetest.Must(t, err)
		if len(full.Clocks) != 0 || full.PackVersion != 1 {
			t.Fatalf("a security incident on report: %+v", full)
		}
		// Bad input is refused before anything is saved.
		_, err = f.svc.ReportIncident(f.empCtx, &distans.IncidentReport{Kind: distans.IncidentSecurity, Title: "x",
			Description: "x", DiscoveredAt: distans.Now().Add(time.Hour)})
		storetest.WantCode(t, err, distans.EINVALID)

		// Triage finds personal data: the DPO is brought in, and the
		// clocks of art. 33 and 34 run from the discovery.
		full, err = f.svc.Triage(f.secCtx, inc.ID, distans.IncidentTriage{Version: full.Version, Kind: distans.IncidentPersonalData,
			Severity: distans.SeverityHigh, OwnerID: f.dpo.ID})
		storetest.Must(t, err)
		if want := []string{distans.DutyDataSubjects, distans.DutyIMYNotification}; !slices.Equal(duties(full), want) {
			t.Fatalf("clocks after triage %v, want %v", duties(full), want)
		}
		if due := full.Clocks[0].DueAt; !due.Equal(disc.UTC().Truncate(time.Microsecond).Add(72 * time.Hour)) {
			t.Fatalf("72 hours from %s is %s", disc, due)
		}
		dpo := storetest.As(t, s, f.dpo)
		// Filed with IMY: that clock is done, and the supplement's runs.
		filed := distans.Now().Add(-time.Minute)
		storetest.Must(t, f.svc.SaveIMYNotification(dpo, inc.ID, &distans.IMYNotification{Controller: "Bjurholms kommun",
			OrgNumber: "212000-2494", Category: "confidentiality", DataSubjects: "Elever i årskurs 9", SubjectCount: 28,
			DataKinds: "Namn och personnummer", FiledAt: &filed, IMYReference: "IMY-2026-77", SecretParts: []string{"data_subjects"}}))
		full, err = f.svc.Incident(dpo, inc.ID)
		storetest.Must(t, err)
		if want := []string{distans.DutyDataSubjects, distans.DutyIMYNotification, distans.DutyIMYSupplement}; !slices.Equal(duties(full), want) {
			t.Fatalf("clocks after filing %v, want %v", duties(full), want)
		}
		for _, c := range full.Clocks {
			if c.Duty == distans.DutyIMYNotification && c.Open() {
				t.Fatalf("the notification's clock is open after filing: %+v", c)
			}
		}
		// The PDF of IMY's form, for the DPO only.
		var b bytes.Buffer
		storetest.Must(t, f.svc.WriteIMYNotificationPDF(dpo, inc.ID, &b))
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || b.Len() < 1000 {
			t.Fatalf("not a PDF: %d bytes", b.Len())
		}
		storetest.WantCode(t, f.svc.WriteIMYNotificationPDF(f.empCtx, inc.ID, &b), distans.EFORBIDDEN)

		// A work injury reported as serious: the same day's report and the others.
		wi, err := f.svc.ReportIncident(f.empCtx, &distans.IncidentReport{Kind: distans.IncidentWorkInjury, Title: "Föll i trappan",
			Description: "Snubblade på väg till hemmakontoret", DiscoveredAt: disc, InjurySerious: true})
		storetest.Must(t, err)
		wi, err = f.svc.Incident(f.secCtx, wi.ID)
		storetest.Must(t, err)
		if want := []string{distans.DutyWorkEnvironmentReport, distans.DutyInsuranceReport, distans.DutySafetyRepresentative}; !slices.Equal(duties(wi), want) {
			t.Fatalf("work injury clocks %v, want %v", duties(wi), want)
		}

		// Guidance on what to do right now, from the pack, each with its clause.
		g, err := f.svc.Guidance(f.empCtx, distans.IncidentEquipmentLoss)
		storetest.Must(t, err)
		if len(g) == 0 || g[0].Citation == "" {
			t.Fatalf("guidance %+v", g)
		}
		_, err = f.svc.Guidance(f.empCtx, "fire")
		storetest.WantCode(t, err, distans.EINVALID)
	})
}

// TestGenericPack: an organisation that has saved no pack of its own runs
// the rules of law.
func TestGenericPack(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	f := newFixture(t, s, "")
	inc, err := f.svc.ReportIncident(f.empCtx, &distans.IncidentReport{Kind: distans.IncidentPersonalData, Title: "Fel mottagare",
		Description: "E-post med personnummer till fel adress", DiscoveredAt: distans.Now().Add(-time.Hour)})
	storetest.Must(t, err)
	full, err := f.svc.Incident(f.secCtx, inc.ID)
	storetest.Must(t, err)
	if want := []string{distans.DutyDataSubjects, distans.DutyIMYNotification}; !slices.Equal(duties(full), want) || full.PackVersion != 0 {
		t.Fatalf("clocks %v (pack %d), want %v", duties(full), full.PackVersion, want)
	}
}
