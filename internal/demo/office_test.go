package demo_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/presence"
	"github.com/distans/distans/internal/sqlstore"
)

// nextWeekday returns the first Monday to Friday on or after today in
// Stockholm, as midnight UTC.
func nextWeekday() time.Time {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	d := distans.DateOf(time.Now().In(loc))
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// testOffice checks what Load furnished and booked (issue 5), after the
// first Load.
func testOffice(t *testing.T, s *sqlstore.Store) {
	svc := presence.New(s, policy.NewService(s, s), nil)
	date := nextWeekday()

	t.Run("desks", func(t *testing.T) {
		for _, slug := range []string{"stockholm", "vara", "bjurholm", "kristianstad", "sorsele"} {
			octx := orgContext(t, s, slug)
			sites, err := s.ListSites(octx, false)
			if err != nil {
				t.Fatal(err)
			}
			attrs := map[string]bool{}
			for _, site := range sites {
				desks, err := s.ListDesks(octx, site.ID, false)
				if err != nil {
					t.Fatal(err)
				}
				if len(desks) < 10 || len(desks) > 40 {
					t.Errorf("%s/%s: %d desks, want 10–40", slug, site.Name, len(desks))
				}
				for _, d := range desks {
					attrs["quiet"] = attrs["quiet"] || d.Quiet
					attrs["accessible"] = attrs["accessible"] || d.Accessible
					attrs["height"] = attrs["height"] || d.HeightAdjustable
					attrs["screens"] = attrs["screens"] || d.Screens > 1
				}
			}
			if len(attrs) != 4 || slices.Contains(slices.Collect(maps.Values(attrs)), false) {
				t.Errorf("%s: desk attributes %v, want every kind somewhere", slug, attrs)
			}
		}
	})

	t.Run("stockholm crowding", func(t *testing.T) {
		octx := orgContext(t, s, "stockholm")
		sites, err := s.ListSites(octx, false)
		if err != nil {
			t.Fatal(err)
		}
		pct := map[string]int{}
		for _, site := range sites {
			av, err := s.SiteAvailability(octx, site.ID, date)
			if err != nil {
				t.Fatal(err)
			}
			pct[site.Name] = av.BookedPercent
			if site.Name == "Askebykroken" && av.FreeDesks < 20 {
				t.Errorf("Askebykroken: %d free desks on %s, want room", av.FreeDesks, date.Format(time.DateOnly))
			}
		}
		for _, crowded := range []string{"Medborgarhuset", "Tranströmerbiblioteket"} {
			if pct[crowded] < 75 || pct[crowded] <= 2*pct["Askebykroken"] {
				t.Errorf("%s booked %d%% on %s, Askebykroken %d%%: want crowded", crowded, pct[crowded],
					date.Format(time.DateOnly), pct["Askebykroken"])
			}
		}
		t.Logf("booked on %s: %v", date.Format(time.DateOnly), pct)
	})

	t.Run("team day, keywords", func(t *testing.T) {
		for _, a := range demoAccounts(distans.RoleManager) {
			as := accountContext(t, s, a.Org, a.Email)
			p, err := s.FindPerson(as, distans.ActorFrom(as).PersonID)
			if err != nil {
				t.Fatal(err)
			}
			days, err := s.ListTeamDays(as, p.UnitID, date.AddDate(0, 0, -7), date.AddDate(0, 0, 21))
			if err != nil || len(days) != 1 {
				t.Errorf("%s: team days %v, %v; want one", a.Org, days, err)
			}
			without, err := svc.PeopleWithoutKeywords(as, "")
			if err != nil || len(without) == 0 {
				t.Errorf("%s: the chef sees %d people without keywords (%v), want some", a.Org, len(without), err)
			}
			hits, total, err := svc.SearchDirectory(as, distans.DirectoryFilter{}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			with := 0
			for _, h := range hits {
				if len(h.Keywords) > 0 {
					with++
				}
			}
			if with < len(hits)/2 {
				t.Errorf("%s: %d of %d (of %d) hits have keywords, want most", a.Org, with, len(hits), total.Total)
			}
		}
	})

	t.Run("statuses and redirects", func(t *testing.T) {
		for _, slug := range []string{"stockholm", "sorsele"} {
			octx := orgContext(t, s, slug)
			hits, _, err := svc.SearchDirectory(octx, distans.DirectoryFilter{Limit: 200}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[distans.StatusKind]int{}
			redirects := 0
			for _, h := range hits {
				kinds[h.Status]++
				if h.RedirectText != "" {
					redirects++
				}
			}
			if kinds[distans.StatusRemote] == 0 || kinds[distans.StatusAway] == 0 || redirects == 0 {
				t.Errorf("%s: statuses %v and %d redirects, want remote, away and a redirect", slug, kinds, redirects)
			}
		}
	})

	t.Run("sorsele phone hours and on-call", func(t *testing.T) {
		octx := orgContext(t, s, "sorsele")
		units, err := s.ListUnits(octx, distans.UnitFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			h, err := svc.FindPhoneHours(octx, u.ID)
			if err != nil {
				t.Errorf("%s: %v", u.Name, err)
				continue
			}
			var minutes int
			for _, ps := range h.Sessions {
				a, _ := distans.ParseTimeOfDay(ps.Start)
				b, _ := distans.ParseTimeOfDay(ps.End)
				if b-a < 60 {
					t.Errorf("%s: session %v under an hour", u.Name, ps)
				}
				minutes += int(b - a)
			}
			if minutes < 5*60 || h.Exception == nil || h.Exception.Reason == "" {
				t.Errorf("%s: %d minutes a week, exception %v", u.Name, minutes, h.Exception)
			}
		}
		phones, err := svc.CurrentOnCall(octx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(phones) != len(units) {
			t.Errorf("%d on-call phones for %d units", len(phones), len(units))
		}
		for _, p := range phones {
			if p.OnDuty == nil {
				t.Errorf("%s: nobody on duty now", p.Name)
			}
		}
	})
}

// demoAccounts returns the demo accounts with the role, the shared one left out.
func demoAccounts(role distans.Role) []demo.Account {
	var out []demo.Account
	for _, a := range demo.Accounts() {
		if a.Role == role && a.Note == "" {
			out = append(out, a)
		}
	}
	return out
}

// accountContext acts as the demo account with its grants.
func accountContext(t *testing.T, s *sqlstore.Store, slug, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	accs, err := s.FindAccounts(distans.NewContext(ctx, distans.SystemActor("")), email)
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range accs {
		if acc.OrgSlug != slug {
			continue
		}
		grants, err := s.Grants(distans.NewContext(ctx, distans.SystemActor(acc.OrganisationID)), acc.OrganisationID, acc.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		return distans.NewContext(ctx, &distans.Actor{OrganisationID: acc.OrganisationID, PersonID: acc.PersonID,
			Name: acc.Name, Grants: grants})
	}
	t.Fatalf("no account %s in %s", email, slug)
	return nil
}
