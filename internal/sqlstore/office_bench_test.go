package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
)

// The office benchmarks run on SQLite and, when DISTANS_TEST_POSTGRES is
// set, on PostgreSQL. By default they seed a small dataset (2 organisations
// × 200 desks × 2,000 bookings); DISTANS_BENCH_FULL=1 seeds the issue's
// (20 organisations × 500 people × 200 desks × 20,000 bookings each).
//
//	DISTANS_BENCH_FULL=1 DISTANS_TEST_POSTGRES=postgres://… \
//	  go test ./internal/sqlstore -run '^$' -bench 'SiteAvailability|BookingRace' -benchtime 5000x

type officeSize struct{ orgs, people, desks, bookings int }

func benchOfficeSize() officeSize {
	if os.Getenv("DISTANS_BENCH_FULL") != "" {
		return officeSize{orgs: 20, people: 500, desks: 200, bookings: 20_000}
	}
	return officeSize{orgs: 2, people: 500, desks: 200, bookings: 2_000}
}

// benchOrg is one seeded organisation.
type benchOrg struct {
	id     string
	site   string
	desks  []string
	people []string
}

// bulkInsert writes rows (each a list of values) into table in multi-row
// statements inside tx.
func bulkInsert(tx *sql.Tx, table, cols string, rows [][]any) error {
	const batch = 400
	for start := 0; start < len(rows); start += batch {
		var q args
		var values []string
		for _, r := range rows[start:min(start+batch, len(rows))] {
			ph := make([]string, len(r))
			for i, v := range r {
				ph[i] = q.add(v)
			}
			values = append(values, "("+strings.Join(ph, ", ")+")")
		}
		if _, err := tx.Exec(`INSERT INTO `+table+` (`+cols+`) VALUES `+strings.Join(values, ", "), q...); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// seedOffice creates one organisation with one site of n.desks desks in
// ten zones, n.people people, and n.bookings bookings spread over the days
// around today (about two thirds of the desks taken each day, a fifth of
// them half days), with their slots. It writes with multi-row inserts in
// one transaction: the store's own methods would take hours for the full
// size.
func seedOffice(b *testing.B, s *Store, slug string, n officeSize) *benchOrg {
	b.Helper()
	sys := distans.NewContext(context.Background(), distans.SystemActor(""))
	o := &distans.Organisation{Slug: slug, Name: slug, TimeZone: "Europe/Stockholm", Language: "sv"}
	if err := s.CreateOrganisation(sys, o); err != nil {
		b.Fatal(err)
	}
	ctx := distans.NewContext(context.Background(), distans.SystemActor(o.ID))
	site := &distans.Site{Name: "Medborgarhuset " + slug, Kind: distans.SiteMain}
	if err := s.CreateSite(ctx, site); err != nil {
		b.Fatal(err)
	}
	unit := &distans.Unit{Name: "Förvaltning", Kind: distans.UnitAdministration}
	if err := s.CreateUnit(ctx, unit); err != nil {
		b.Fatal(err)
	}
	g := &benchOrg{id: o.ID, site: site.ID}
	stamp := ts(now(context.Background()))
	today := o.Today(distans.Now())
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		var people, zones, desks, bookings, slots [][]any
		for i := range n.people {
			p := &distans.Person{ID: newID(), Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@%s.example.se", i, slug)}
			g.people = append(g.people, p.ID)
			people = append(people, []any{o.ID, p.ID, p.Name, p.Email, "", "", "", "sv", unit.ID, unit.Path, "", "",
				searchText(p), nameKey(p.Name), stamp, stamp})
		}
		var zoneIDs []string
		for i := range 10 {
			id := newID()
			zoneIDs = append(zoneIDs, id)
			zones = append(zones, []any{o.ID, id, site.ID, fmt.Sprintf("Zon %d", i), fmt.Sprint(i / 3), stamp, stamp})
		}
		for i := range n.desks {
			id := newID()
			g.desks = append(g.desks, id)
			desks = append(desks, []any{o.ID, id, site.ID, zoneIDs[i%len(zoneIDs)], fmt.Sprintf("P%03d", i), 2, i%2 == 0, i%7 == 0,
				i%10 == 0, stamp, stamp})
		}
		perDay := n.desks * 2 / 3
		days := (n.bookings + perDay - 1) / perDay
		first := today.AddDate(0, 0, -days/2)
		count := 0
		for d := 0; d < days && count < n.bookings; d++ {
			date := day(first.AddDate(0, 0, d))
			for k := 0; k < n.desks && count < n.bookings; k++ {
				if (k+d)%3 == 0 {
					continue
				}
				part := distans.PartDay
				if k%5 == 1 {
					part = []distans.DayPart{distans.PartAM, distans.PartPM}[d%2]
				}
				id, person := newID(), g.people[(k+d)%len(g.people)]
				bookings = append(bookings, []any{o.ID, id, site.ID, g.desks[k], person, person, date, string(part), "booked", "", stamp, stamp})
				for _, h := range part.Halves() {
					slots = append(slots, []any{o.ID, id, string(h), g.desks[k], person, date})
				}
				count++
			}
		}
		for _, t := range []struct {
			table, cols string
			rows        [][]any
		}{
			{"people", `organisation_id, id, name, email, phone, employee_number, personal_number, language, unit_id, unit_path,
				title, site_id, search, name_key, created_at, updated_at`, people},
			{"office_zones", zoneCols, zones},
			{"desks", `organisation_id, id, site_id, zone_id, label, screens, height_adjustable, quiet, accessible, created_at, updated_at`, desks},
			{"bookings", `organisation_id, id, site_id, desk_id, person_id, booked_by, date, part, status, series_id, created_at, updated_at`, bookings},
			{"booking_slots", `organisation_id, booking_id, half, desk_id, person_id, date`, slots},
		} {
			if err := bulkInsert(tx, t.table, t.cols, t.rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return g
}

func seedOffices(b *testing.B, s *Store) []*benchOrg {
	b.Helper()
	n := benchOfficeSize()
	start := time.Now()
	var orgs []*benchOrg
	for i := range n.orgs {
		orgs = append(orgs, seedOffice(b, s, fmt.Sprintf("org%02d", i), n))
	}
	if _, err := s.wdb.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: seeded %d organisations × %d desks × %d bookings in %v", s.dialect.name, n.orgs, n.desks, n.bookings, time.Since(start).Round(time.Millisecond))
	return orgs
}

// reportLatency adds p50, p95 and p99 of the timings to the benchmark.
func reportLatency(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(p float64) float64 {
		return float64(ds[min(len(ds)-1, int(float64(len(ds))*p))].Microseconds())
	}
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.95), "p95-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// BenchmarkSiteAvailability asks for one site's day, the page people open
// before they book, as an employee of a seeded organisation, over the days
// around today.
func BenchmarkSiteAvailability(b *testing.B) {
	benchStores(b, func(b *testing.B, s *Store) {
		orgs := seedOffices(b, s)
		g := orgs[len(orgs)/2]
		ctx := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: g.id, PersonID: g.people[0], Name: "Bench"})
		today := distans.DateOf(time.Now().In(time.UTC))
		b.Run("day", func(b *testing.B) {
			var ds []time.Duration
			i := 0
			for b.Loop() {
				date := today.AddDate(0, 0, i%20-10)
				i++
				start := time.Now()
				av, err := s.SiteAvailability(ctx, g.site, date)
				ds = append(ds, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if av.Desks != len(g.desks) {
					b.Fatalf("desks: %d", av.Desks)
				}
			}
			reportLatency(b, ds)
		})
	})
}

// BenchmarkBookingRace books at random among 20 desks and the next 14
// days from many goroutines at once, as different people; most requests
// collide. It reports written bookings per second and checks afterwards
// that no half day of a desk is held twice.
func BenchmarkBookingRace(b *testing.B) {
	benchStores(b, func(b *testing.B, s *Store) {
		g := seedOffice(b, s, "race", officeSize{people: 500, desks: 20})
		sys := distans.NewContext(context.Background(), distans.SystemActor(g.id))
		if err := s.SetBookingRules(sys, &distans.BookingRules{SiteID: g.site, HorizonDays: 14, ReleaseAt: 600, PMReleaseAt: 840, CongestionPercent: 90}); err != nil {
			b.Fatal(err)
		}
		today := distans.DateOf(time.Now().In(time.UTC)).AddDate(0, 0, 1)
		parts := []distans.DayPart{distans.PartDay, distans.PartAM, distans.PartPM}
		b.Run("book", func(b *testing.B) {
			var written, conflicts atomic.Int64
			b.SetParallelism(8) // 8 × GOMAXPROCS goroutines
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				r := rand.New(rand.NewPCG(rand.Uint64(), 0))
				for pb.Next() {
					person := g.people[r.IntN(len(g.people))]
					ctx := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: g.id, PersonID: person, Name: "Bench"})
					err := s.Book(ctx, &distans.Booking{DeskID: g.desks[r.IntN(len(g.desks))], Date: today.AddDate(0, 0, r.IntN(13)),
						Part: parts[r.IntN(3)]})
					switch distans.ErrorCode(err) {
					case "":
						written.Add(1)
					case distans.ECONFLICT:
						conflicts.Add(1)
					default:
						b.Error(err)
						return
					}
				}
			})
			elapsed := time.Since(start)
			b.ReportMetric(float64(written.Load())/elapsed.Seconds(), "written/s")
			b.ReportMetric(float64(conflicts.Load())/float64(b.N), "conflicts/op")
		})
		var dup int
		if err := s.rdb.QueryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM booking_slots GROUP BY organisation_id, desk_id, date, half
			HAVING COUNT(*) > 1) x`).Scan(&dup); err != nil {
			b.Fatal(err)
		}
		if dup != 0 {
			b.Fatalf("%d double-booked half days", dup)
		}
	})
}
