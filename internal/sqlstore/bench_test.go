package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// seedPeople fills a new organisation with n people spread over a tree of
// 10 departments × 10 sections, in one transaction and with multi-row
// inserts (CreatePerson's transaction each would take minutes), and
// returns the organisation, a department and a section.
func seedPeople(b *testing.B, s *Store, n int) (orgID string, dept, section *distans.Unit) {
	b.Helper()
	sys := distans.NewContext(context.Background(), distans.SystemActor(""))
	o := &distans.Organisation{Slug: "bench", Name: "Bench", TimeZone: "Europe/Stockholm", Language: "sv"}
	if err := s.CreateOrganisation(sys, o); err != nil {
		b.Fatal(err)
	}
	ctx := distans.NewContext(context.Background(), distans.SystemActor(o.ID))
	root := &distans.Unit{Name: "Förvaltning", Kind: distans.UnitAdministration}
	if err := s.CreateUnit(ctx, root); err != nil {
		b.Fatal(err)
	}
	var sections []*distans.Unit
	for i := range 10 {
		d := &distans.Unit{Name: fmt.Sprintf("Avdelning %d", i), Kind: distans.UnitDepartment, ParentID: root.ID}
		if err := s.CreateUnit(ctx, d); err != nil {
			b.Fatal(err)
		}
		if dept == nil {
			dept = d
		}
		for j := range 10 {
			u := &distans.Unit{Name: fmt.Sprintf("Enhet %d.%d", i, j), Kind: distans.UnitSection, ParentID: d.ID}
			if err := s.CreateUnit(ctx, u); err != nil {
				b.Fatal(err)
			}
			sections = append(sections, u)
		}
	}
	first := []string{"Anna", "Åsa", "Erik", "Örjan", "Karin", "Lars", "Märta", "Nils", "Eva", "Björn", "Sofia", "Johan"}
	last := []string{"Andersson", "Öberg", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Ström", "Åberg", "Lindqvist"}
	titles := []string{"Handläggare", "Socialsekreterare", "Lärare", "Undersköterska", "Ekonom"}
	stamp := ts(now(context.Background()))
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		const batch = 500
		for start := 0; start < n; start += batch {
			var people, emps []string
			var pa, ea args
			for i := start; i < min(start+batch, n); i++ {
				u := sections[i%len(sections)]
				p := &distans.Person{ID: newID(), Name: first[i%len(first)] + " " + last[(i/len(first))%len(last)] + fmt.Sprint(i),
					Email: fmt.Sprintf("person%d@example.se", i), EmployeeNumber: fmt.Sprint(100000 + i), Title: titles[i%len(titles)]}
				people = append(people, "("+strings.Join([]string{pa.add(o.ID), pa.add(p.ID), pa.add(p.Name), pa.add(p.Email), "''",
					pa.add(p.EmployeeNumber), "''", "'sv'", pa.add(u.ID), pa.add(u.Path), pa.add(p.Title), "''",
					pa.add(searchText(p)), pa.add(nameKey(p.Name)), pa.add(stamp), pa.add(stamp)}, ", ")+")")
				emps = append(emps, "("+strings.Join([]string{ea.add(o.ID), ea.add(newID()), ea.add(p.ID), ea.add(u.ID), ea.add(p.Title),
					"'2020-01-01'", ea.add(stamp), ea.add(stamp)}, ", ")+")")
			}
			if _, err := tx.Exec(`INSERT INTO people (organisation_id, id, name, email, phone, employee_number, personal_number,
				language, unit_id, unit_path, title, site_id, search, name_key, created_at, updated_at) VALUES `+strings.Join(people, ", "), pa...); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO employments (organisation_id, id, person_id, unit_id, title, starts_on, created_at, updated_at)
				VALUES `+strings.Join(emps, ", "), ea...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.reindexAll(context.Background()); err != nil {
		b.Fatal(err)
	}
	if s.dialect.name == "postgres" {
		if _, err := s.wdb.Exec("ANALYZE"); err != nil {
			b.Fatal(err)
		}
	} else if _, err := s.wdb.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return o.ID, dept, sections[0]
}

// BenchmarkListPeople lists pages of 50 out of 50,000 people in one
// organisation, the way the people page and the switchboard do.
func BenchmarkListPeople(b *testing.B) {
	benchStores(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		orgID, dept, section := seedPeople(b, s, 50_000)
		all := distans.NewContext(ctx, &distans.Actor{OrganisationID: orgID, PersonID: "x", Name: "Växel",
			Grants: []distans.Grant{{Role: distans.RoleSwitchboard}}})
		chef := distans.NewContext(ctx, &distans.Actor{OrganisationID: orgID, PersonID: "y", Name: "Chef",
			Grants: []distans.Grant{{Role: distans.RoleManager, UnitID: dept.ID, UnitPath: dept.Path}}})
		cases := []struct {
			name  string
			ctx   context.Context
			f     distans.PersonFilter
			total int
		}{
			{"all/first-page", all, distans.PersonFilter{}, distans.CountCap + 1},
			{"all/deep-page", all, distans.PersonFilter{After: distans.Cursor("n", "0")}, distans.CountCap + 1},
			{"all/query", all, distans.PersonFilter{Query: "orjan oberg"}, -1},
			{"all/unit", all, distans.PersonFilter{UnitID: section.ID}, distans.CountCap + 1},
			{"all/dense-prefix", all, distans.PersonFilter{Query: "an"}, -1},
			{"all/unit-dense-prefix", all, distans.PersonFilter{UnitID: dept.ID, Query: "an"}, -1},
			{"chef-subtree/first-page", chef, distans.PersonFilter{}, distans.CountCap + 1},
			{"chef-subtree/query", chef, distans.PersonFilter{Query: "asa"}, -1},
			{"chef-subtree/dense-prefix", chef, distans.PersonFilter{Query: "an"}, -1},
		}
		for _, tc := range cases {
			b.Run(tc.name, func(b *testing.B) {
				for b.Loop() {
					ps, pg, err := s.ListPeople(tc.ctx, tc.f)
					if err != nil {
						b.Fatal(err)
					}
					if total := pg.Total; len(ps) == 0 || tc.total >= 0 && total != tc.total {
						b.Fatalf("got %d of %d", len(ps), total)
					}
				}
			})
		}
	})
}

// BenchmarkMoveUnit moves a department of 5,000 of 50,000 people to
// another parent and back: their paths, and on SQLite their rows of
// person_fts, which hold the paths.
func BenchmarkMoveUnit(b *testing.B) {
	benchStores(b, func(b *testing.B, s *Store) {
		orgID, dept, _ := seedPeople(b, s, 50_000)
		ctx := distans.NewContext(context.Background(), distans.SystemActor(orgID))
		units, err := s.ListUnits(ctx, distans.UnitFilter{})
		if err != nil {
			b.Fatal(err)
		}
		var root, other string
		for _, u := range units {
			switch {
			case u.ParentID == "":
				root = u.ID
			case u.Kind == distans.UnitDepartment && u.ID != dept.ID && other == "":
				other = u.ID
			}
		}
		parents := []string{other, root}
		for i := 0; b.Loop(); i++ {
			if _, err := s.UpdateUnit(ctx, dept.ID, distans.UnitUpdate{ParentID: &parents[i%2]}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchStores opens a fresh migrated store per database.
func benchStores(b *testing.B, fn func(b *testing.B, s *Store)) {
	dsns := map[string]string{"sqlite": "sqlite:" + filepath.Join(b.TempDir(), "bench.db")}
	if pg := os.Getenv("DISTANS_TEST_POSTGRES"); pg != "" {
		dsns["postgres"] = pg
	}
	for _, name := range []string{"sqlite", "postgres"} {
		dsn, ok := dsns[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			s, err := Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			// A cleanup, not a defer: the schema's cleanup below needs s.
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

// benchSchema moves a benchmark into a schema of its own on
// PostgreSQL, dropped when it ends.
func benchSchema(b *testing.B, s *Store, dsn string) *Store {
	schema := fmt.Sprintf("distans_bench_office_%d_%d", os.Getpid(), rand.Uint32())
	if _, err := s.wdb.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.wdb.Exec("DROP SCHEMA " + schema + " CASCADE") })
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	ns, err := Open(context.Background(), dsn+sep+"search_path="+schema)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ns.Close() })
	return ns
}
