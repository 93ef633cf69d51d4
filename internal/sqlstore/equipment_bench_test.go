package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// BenchmarkCreateReturnTasks times the return-task job over every
// organisation: people holding two items each, a tenth of whom end their
// employment within the month and a twentieth of whom begin a long leave.
// The size is DISTANS_BENCH_EQUIPMENT_ITEMS items over
// DISTANS_BENCH_EQUIPMENT_ORGS organisations (the figure is
// 500,000 over 290); by default a small one, to check that it runs.
//
// "first round" is a round that makes every task of the month at once,
// as on the first day after a move-in with its leaves and ends; "next-day
// round" is the daily round the issue's target is about: the next day,
// when those tasks exist and each organisation has had one new
// employment end since (three tasks each to make). Both read every
// source, item and open task of every organisation.
//
//	DISTANS_BENCH_EQUIPMENT_ITEMS=500000 DISTANS_BENCH_EQUIPMENT_ORGS=290 \
//	  go test ./internal/sqlstore -run '^$' -bench CreateReturnTasks -benchtime 1x
func BenchmarkCreateReturnTasks(b *testing.B) {
	items, orgs := benchEnv("DISTANS_BENCH_EQUIPMENT_ITEMS", 4000), benchEnv("DISTANS_BENCH_EQUIPMENT_ORGS", 4)
	freshBenchStores(b, func(b *testing.B, s *Store) {
		today := distans.DateOf(distans.Now())
		seed := seedEquipment(b, s, orgs, items, today)
		plan := func(reason distans.ReturnReason, leaveDays int, held []distans.EquipmentCategory) (*distans.ReturnDemand, error) {
			if reason == distans.ReturnLongLeave && leaveDays <= 365 {
				return nil, nil
			}
			return &distans.ReturnDemand{Items: true, Subscription: true, RuleID: "sorsele-8.6", Citation: "Sorsele 004 §8.6"}, nil
		}
		plans := func(string) (distans.ReturnPlan, error) { return plan, nil }
		sys := distans.NewContext(context.Background(), distans.SystemActor(""))
		b.Run("first round", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				if _, err := s.wdb.Exec(`DELETE FROM equipment_return_tasks`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				n, err := s.CreateReturnTasks(sys, today, plans)
				if err != nil {
					b.Fatal(err)
				}
				if n != seed.tasks {
					b.Fatalf("made %d tasks, want %d", n, seed.tasks)
				}
			}
		})
		b.Run("next-day round", func(b *testing.B) {
			next := today.AddDate(0, 0, 1)
			if s.dialect.name == "postgres" {
				// The first round's tasks analysed, as autovacuum would have
				// by the next day: the bench's server has it off.
				if _, err := s.wdb.Exec(`ANALYZE equipment_return_tasks`); err != nil {
					b.Fatal(err)
				}
			}
			for range b.N {
				b.StopTimer()
				// The day's change: one more employment ends in each
				// organisation, set as UpdateEmployment sets it.
				ends, at := day(next.AddDate(0, 0, 20)), ts(now(context.Background()))
				for o := range seed.stayers {
					if len(seed.stayers[o]) == 0 {
						b.Fatal("no one left to leave")
					}
					e := seed.stayers[o][0]
					seed.stayers[o] = seed.stayers[o][1:]
					if _, err := s.wdb.Exec(`UPDATE employments SET ends_on = $1, updated_at = $2
						WHERE organisation_id = $3 AND id = $4`, ends, at, e.org, e.id); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				n, err := s.CreateReturnTasks(sys, next, plans)
				if err != nil {
					b.Fatal(err)
				}
				if n != 3*orgs {
					b.Fatalf("made %d tasks, want %d", n, 3*orgs)
				}
			}
		})
	})
}

// freshBenchStores is benchStores with a new database for every run of
// the benchmark function, which seeds its own organisations.
func freshBenchStores(b *testing.B, fn func(b *testing.B, s *Store)) {
	for _, name := range []string{"sqlite", "postgres"} {
		pg := os.Getenv("DISTANS_TEST_POSTGRES")
		if name == "postgres" && pg == "" {
			continue
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			dsn := pg
			if name == "sqlite" {
				dsn = "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
			}
			s, err := Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			if name == "postgres" {
				s = benchSchema(b, s, dsn)
			}
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			fn(b, s)
		})
	}
}

func benchEnv(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// equipmentSeed is what seedEquipment made: the number of tasks the job
// should make, and per organisation the employments with no end of
// people not on leave.
type equipmentSeed struct {
	tasks   int
	stayers [][]orgRow
}

// orgRow is a row of an organisation.
type orgRow struct{ org, id string }

// seedEquipment makes orgs organisations of 10 sections with a manager
// each, and people holding a phone and a computer each, items items in
// all, with multi-row inserts. It returns the number of tasks the job
// should make (each leaver's and long leave-taker's two items and their
// subscription) and the employments of those who stay.
func seedEquipment(b *testing.B, s *Store, orgs, items int, today time.Time) equipmentSeed {
	b.Helper()
	var seed equipmentSeed
	stamp := ts(now(context.Background()))
	sys := distans.NewContext(context.Background(), distans.SystemActor(""))
	perOrg := items / 2 / orgs
	for o := range orgs {
		org := &distans.Organisation{Slug: fmt.Sprintf("bench-%d", o), Name: "Bench", TimeZone: "Europe/Stockholm", Language: "sv"}
		if err := s.CreateOrganisation(sys, org); err != nil {
			b.Fatal(err)
		}
		ctx := distans.NewContext(context.Background(), distans.SystemActor(org.ID))
		root := &distans.Unit{Name: "Förvaltning", Kind: distans.UnitAdministration}
		if err := s.CreateUnit(ctx, root); err != nil {
			b.Fatal(err)
		}
		var sections []*distans.Unit
		for j := range 10 {
			u := &distans.Unit{Name: fmt.Sprintf("Enhet %d", j), Kind: distans.UnitSection, ParentID: root.ID}
			if err := s.CreateUnit(ctx, u); err != nil {
				b.Fatal(err)
			}
			sections = append(sections, u)
		}
		var stayers []orgRow
		rows := map[string][][]any{}
		add := func(table string, vals ...any) { rows[table] = append(rows[table], vals) }
		for j, u := range sections {
			chef := newID()
			add("people", org.ID, chef, fmt.Sprintf("Chef %d", j), fmt.Sprintf("chef%d@example.se", j), u.ID, u.Path, stamp)
			add("employments", org.ID, newID(), chef, u.ID, "2020-01-01", nil, stamp)
			add("role_assignments", org.ID, newID(), chef, string(distans.RoleManager), u.ID, stamp)
		}
		for i := range perOrg {
			u := sections[i%len(sections)]
			p := newID()
			add("people", org.ID, p, fmt.Sprintf("Person %d", i), fmt.Sprintf("p%d@example.se", i), u.ID, u.Path, stamp)
			var ends any
			switch {
			case i%10 == 0:
				ends = day(today.AddDate(0, 0, 10))
				seed.tasks += 3
			case i%20 == 5:
				add("leaves", org.ID, newID(), p, string(distans.LeaveParental), day(today.AddDate(0, 0, 10)), stamp)
				seed.tasks += 3
			}
			emp := newID()
			add("employments", org.ID, emp, p, u.ID, "2020-01-01", ends, stamp)
			if ends == nil && i%20 != 5 {
				stayers = append(stayers, orgRow{org.ID, emp})
			}
			for _, cat := range []string{"phone", "computer"} {
				tag := fmt.Sprintf("%s-%d-%d", cat, o, i)
				add("equipment_items", org.ID, newID(), cat, tag, strings.ToLower(tag), u.ID, "issued", p, stamp)
			}
		}
		err := s.write(context.Background(), func(tx *sql.Tx) error {
			for _, t := range []struct{ table, cols string }{
				{"people", "organisation_id, id, name, email, unit_id, unit_path, created_at, phone, employee_number, personal_number, language, search, name_key, updated_at"},
				{"employments", "organisation_id, id, person_id, unit_id, starts_on, ends_on, created_at, title, updated_at"},
				{"role_assignments", "organisation_id, id, person_id, role, unit_id, created_at"},
				{"leaves", "organisation_id, id, person_id, kind, starts_on, created_at"},
				{"equipment_items", "organisation_id, id, category, asset_tag, asset_key, unit_id, status, holder_id, created_at, version, updated_at"},
			} {
				extra := map[string]string{"people": ", '', '', '', 'sv', '', ''", "employments": ", 'Handläggare'", "equipment_items": ", 1"}[t.table]
				all := rows[t.table]
				for start := 0; start < len(all); start += 500 {
					var a args
					var vals []string
					for _, r := range all[start:min(start+500, len(all))] {
						ph := make([]string, len(r))
						for c, v := range r {
							ph[c] = a.add(v)
						}
						last := ph[len(ph)-1]
						if t.table == "people" || t.table == "employments" || t.table == "equipment_items" {
							vals = append(vals, "("+strings.Join(ph, ", ")+extra+", "+last+")")
						} else {
							vals = append(vals, "("+strings.Join(ph, ", ")+")")
						}
					}
					if _, err := tx.Exec(`INSERT INTO `+t.table+` (`+t.cols+`) VALUES `+strings.Join(vals, ", "), a...); err != nil {
						return fmt.Errorf("%s: %w", t.table, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		seed.stayers = append(seed.stayers, stayers)
	}
	if s.dialect.name == "postgres" {
		// Statistics, as autovacuum would have gathered them by the day
		// after a move-in: the bench's database has it off.
		if _, err := s.wdb.Exec(`ANALYZE people, employments, leaves, equipment_items, role_assignments, units`); err != nil {
			b.Fatal(err)
		}
	}
	return seed
}

// BenchmarkListEquipmentItems times IT's registry list, a page of 50, on
// the same data as BenchmarkCreateReturnTasks (DISTANS_BENCH_EQUIPMENT_ITEMS
// items over DISTANS_BENCH_EQUIPMENT_ORGS organisations), as IT of the
// first organisation sees it: unfiltered, by category and status, by
// unit, by a search prefix, and a page deep in the list. Each filter is
// asked DISTANS_BENCH_EQUIPMENT_CALLS times (200 by default) per
// iteration; p50-ms and p99-ms are over all the calls of the filter, the
// issue's target being a p99 under 50 ms.
//
//	DISTANS_BENCH_EQUIPMENT_ITEMS=500000 DISTANS_BENCH_EQUIPMENT_ORGS=290 \
//	  go test ./internal/sqlstore -run '^$' -bench ListEquipmentItems -benchtime 1x
func BenchmarkListEquipmentItems(b *testing.B) {
	items, orgs := benchEnv("DISTANS_BENCH_EQUIPMENT_ITEMS", 4000), benchEnv("DISTANS_BENCH_EQUIPMENT_ORGS", 4)
	freshBenchStores(b, func(b *testing.B, s *Store) {
		calls := benchEnv("DISTANS_BENCH_EQUIPMENT_CALLS", 200)
		seedEquipment(b, s, orgs, items, distans.DateOf(distans.Now()))
		sys := distans.NewContext(context.Background(), distans.SystemActor(""))
		org, err := s.FindOrganisationBySlug(sys, "bench-0")
		if err != nil {
			b.Fatal(err)
		}
		units, err := s.ListUnits(distans.NewContext(context.Background(), distans.SystemActor(org.ID)), distans.UnitFilter{})
		if err != nil {
			b.Fatal(err)
		}
		it := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: org.ID, PersonID: "it",
			Grants: []distans.Grant{{Role: distans.RoleIT}}})
		first, err := s.ListEquipmentItems(it, distans.EquipmentFilter{Limit: 50})
		if err != nil || len(first) == 0 {
			b.Fatalf("first page: %d items, %v", len(first), err)
		}
		deep, err := s.ListEquipmentItems(it, distans.EquipmentFilter{Limit: 50, Query: "phone-0-"})
		if err != nil || len(deep) == 0 {
			b.Fatalf("search: %d items, %v", len(deep), err)
		}
		for _, tc := range []struct {
			name string
			f    distans.EquipmentFilter
		}{
			{"all", distans.EquipmentFilter{}},
			{"phones issued", distans.EquipmentFilter{Category: distans.EquipmentPhone, Status: distans.EquipmentIssued}},
			{"unit", distans.EquipmentFilter{UnitID: units[len(units)-1].ID}},
			{"search", distans.EquipmentFilter{Query: "computer-0-12"}},
			{"deep page", distans.EquipmentFilter{After: deep[len(deep)-1].Cursor()}},
		} {
			b.Run(tc.name, func(b *testing.B) {
				tc.f.Limit = 50
				var took []time.Duration
				for b.Loop() {
					for range calls {
						start := time.Now()
						if _, err := s.ListEquipmentItems(it, tc.f); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(start))
					}
				}
				slices.Sort(took)
				ms := func(q float64) float64 {
					return float64(took[min(len(took)-1, int(q*float64(len(took))))].Microseconds()) / 1000
				}
				b.ReportMetric(ms(0.50), "p50-ms")
				b.ReportMetric(ms(0.99), "p99-ms")
				b.ReportMetric(float64(len(took)), "calls")
			})
		}
	})
}
