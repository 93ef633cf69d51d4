package sqlstore_test

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// searchPerson is one person of the search dataset.
type searchPerson struct {
	name, title, unit string
	keywords          []string
}

// searchLeft is the one of searchPeople employed until 2021 only: in the
// register, not in the directory.
const searchLeft = "Anneli Avslutad"

var searchPeople = []searchPerson{
	{"Åsa Öberg", "Bygglovshandläggare", "Östersundsenheten", []string{"bygglov", "strandskydd"}},
	{"Asa Oberg", "Handläggare", "Bygglov", nil},
	{"Ärla Ärlig", "Ekonom", "Ekonomi", []string{"löner"}},
	{"Zara Zetterlund", "Lärare", "Skola", []string{"skolskjuts"}},
	{"Émile Ek", "IT-tekniker", "IT-enheten", []string{"lösenord", "dator"}},
	{"Karin Berg-Öhman", "Socialsekreterare", "Östersundsenheten", []string{"försörjningsstöd"}},
	{"Sean O'Brien", "Handläggare", "Bygglov", nil},
	{"Anna Andersson", "Växeloperatör", "Kontaktcenter", []string{"växel", "telefoni"}},
	{"Anders Östlund", "Undersköterska", "Äldreomsorg", []string{"hemtjänst"}},
	{"Örjan Öst", "Vaktmästare", "Fastighet", nil},
	{"Oskar Ostrowski", "Kommunikatör", "Kontaktcenter", []string{"öppettider"}},
	{"Kristoffer Lind", "Lärare", "Skola", nil},
	{searchLeft, "Handläggare", "Bygglov", []string{"bygglov"}},
}

var searchQueries = []string{
	"", "a", "an", "asa", "ÅSA", "öb", "ob", "oberg", "ostersund", "ÖSTERSUNDS", "berg", "ohman", "o", "ost",
	"bygg", "bygglov", "handl", "hand asa", "lon", "lön", "vax", "växel", "it", "it-tek", "skol", "zz", "%", "_",
	"kontakt anna", "ek", "emile", "brien", "o'brien", "sean o", "sean.o", "@", "example", "p01@", "p01@search.example",
	"strandskydd öst", "äldr", "hemtj", "kristoffer lind", "ostr",
}

// TestSearchSameEverywhere holds both databases, and SQLite's two ways of
// answering (FTS5 for few matches, a walk in name order for many), to each
// other and to the rule (distans.SearchWords: every word of the search
// begins a word of the person) in Swedish order, for the register and the
// directory. Another organisation holds the same people and is never found.
func TestSearchSameEverywhere(t *testing.T) {
	t.Parallel()
	type way struct {
		name  string
		s     *sqlstore.Store
		walk  bool
		orgID string
	}
	var ways []*way
	sq := storetest.SQLite(t)
	ways = append(ways, &way{name: "sqlite-fts", s: sq}, &way{name: "sqlite-walk", s: sq, walk: true})
	if dsn := os.Getenv(storetest.PostgresEnv); dsn != "" {
		ways = append(ways, &way{name: "postgres", s: storetest.Postgres(t, dsn)})
	}
	seeded := map[*sqlstore.Store]string{}
	for _, w := range ways {
		if id, ok := seeded[w.s]; ok {
			w.orgID = id
			continue
		}
		w.orgID = seedSearch(t, w.s, "search")
		seedSearch(t, w.s, "other") // the same people, elsewhere
		seeded[w.s] = w.orgID
	}

	// The rule, in Go.
	want := func(q string, directory bool) []string {
		var out []string
		for i, p := range searchPeople {
			if directory && p.name == searchLeft {
				continue
			}
			text := strings.Join([]string{p.name, p.title, searchEmail(i, "search")}, " ")
			if directory {
				text += " " + p.unit + " " + strings.Join(p.keywords, " ")
			}
			words := distans.SearchWords(text)
			ok := strings.TrimSpace(q) == "" || len(distans.SearchWords(q)) > 0
			for _, qw := range distans.SearchWords(q) {
				ok = ok && slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, qw) })
			}
			if ok {
				out = append(out, p.name)
			}
		}
		slices.SortFunc(out, func(a, b string) int { return cmp.Compare(distans.SortKey(a), distans.SortKey(b)) })
		return out
	}
	for _, q := range searchQueries {
		for _, directory := range []bool{false, true} {
			expect := want(q, directory)
			for _, w := range ways {
				w.s.SetSearchWalk(w.walk)
				ctx := storetest.System(w.orgID)
				var got []string
				var total int
				if directory {
					hits, pg, err := w.s.SearchDirectory(ctx, distans.DirectoryFilter{Query: q, Limit: 200}, time.Now())
					storetest.Must(t, err)
					total = pg.Total
					for _, h := range hits {
						got = append(got, h.Name)
					}
				} else {
					ps, pg, err := w.s.ListPeople(ctx, distans.PersonFilter{Query: q, Limit: 500})
					storetest.Must(t, err)
					total = pg.Total
					for _, p := range ps {
						if p.Email == "admin@search.example" {
							continue // the fixture's own
						}
						got = append(got, p.Name)
						if !strings.HasSuffix(p.Email, "@search.example") {
							t.Errorf("%s: %q finds %s of another organisation", w.name, q, p.Email)
						}
					}
					if total > len(got) {
						total = len(got)
					}
				}
				if !slices.Equal(got, expect) || total != len(expect) {
					t.Errorf("%s, directory %v: %q = %v (%d), want %v", w.name, directory, q, got, total, expect)
				}
				if directory && len(expect) > 2 {
					// A page shorter than the list: counted apart from it.
					hits, pg, err := w.s.SearchDirectory(ctx, distans.DirectoryFilter{Query: q, Limit: 2}, time.Now())
					storetest.Must(t, err)
					var page []string
					for _, h := range hits {
						page = append(page, h.Name)
					}
					if !slices.Equal(page, expect[:2]) || pg.Total != len(expect) || pg.Next == "" {
						t.Errorf("%s: %q, page of 2 = %v (%d, next %q), want %v (%d)", w.name, q, page, pg.Total, pg.Next, expect[:2], len(expect))
					}
				}
			}
		}
	}
	for _, w := range ways {
		w.s.SetSearchWalk(false)
	}

	// The index follows every change in its transaction: a unit renamed,
	// keywords replaced, a person renamed, a title changed.
	for s, orgID := range seeded {
		ctx := storetest.System(orgID)
		find := func(q string) []string {
			t.Helper()
			hits, _, err := s.SearchDirectory(ctx, distans.DirectoryFilter{Query: q}, time.Now())
			storetest.Must(t, err)
			var out []string
			for _, h := range hits {
				out = append(out, h.Name)
			}
			return out
		}
		units, err := s.ListUnits(ctx, distans.UnitFilter{})
		storetest.Must(t, err)
		for _, u := range units {
			if u.Name == "Bygglov" {
				_, err := s.UpdateUnit(ctx, u.ID, distans.UnitUpdate{Name: ptr("Miljö och hälsa")})
				storetest.Must(t, err)
			}
		}
		if got := find("milj hals"); !slices.Equal(got, []string{"Asa Oberg", "Sean O'Brien"}) {
			t.Errorf("after renaming the unit: %v", got)
		}
		if got := find("bygglov"); !slices.Equal(got, []string{"Åsa Öberg"}) { // her keyword, not the old unit
			t.Errorf("the old unit name still finds %v", got)
		}
		ps, _, err := s.ListPeople(ctx, distans.PersonFilter{Query: "zara"})
		storetest.Must(t, err)
		zara := ps[0]
		storetest.Must(t, s.SaveDirectoryProfile(ctx, &distans.DirectoryProfile{PersonID: zara.ID, Keywords: []string{"Simhall"}}))
		if got := find("simh"); !slices.Equal(got, []string{"Zara Zetterlund"}) || len(find("skolskjuts")) != 0 {
			t.Errorf("after new keywords: %v", got)
		}
		_, err = s.UpdatePerson(ctx, zara.ID, distans.PersonUpdate{Name: ptr("Zäta Åkesson")})
		storetest.Must(t, err)
		if got := find("zata akes"); !slices.Equal(got, []string{"Zäta Åkesson"}) || len(find("zara")) != 0 {
			t.Errorf("after renaming: %v", got)
		}
		emps, err := s.ListEmployments(ctx, zara.ID)
		storetest.Must(t, err)
		_, err = s.UpdateEmployment(ctx, emps[0].ID, distans.EmploymentUpdate{Title: ptr("Simlärare")})
		storetest.Must(t, err)
		if ps, _, err := s.ListPeople(ctx, distans.PersonFilter{Query: "simlar"}); err != nil || len(ps) != 1 {
			t.Errorf("after a new title: %d, %v", len(ps), err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func searchEmail(i int, slug string) string { return fmt.Sprintf("p%02d@%s.example", i, slug) }

// seedSearch makes an organisation of searchPeople, each employed in their
// unit with their title and keywords, and returns its ID.
func seedSearch(t *testing.T, s *sqlstore.Store, slug string) string {
	t.Helper()
	o := storetest.NewOrg(t, s, slug)
	ctx := storetest.System(o.ID)
	units := map[string]string{}
	for i, sp := range searchPeople {
		if units[sp.unit] == "" {
			units[sp.unit] = storetest.NewUnit(t, s, o.ID, "", sp.unit, distans.UnitSection).ID
		}
		p := &distans.Person{Name: sp.name, Email: searchEmail(i, slug)}
		storetest.Must(t, s.CreatePerson(ctx, p))
		e := &distans.Employment{PersonID: p.ID, UnitID: units[sp.unit], Title: sp.title, StartsOn: storetest.Day(2020, 1, 1)}
		if sp.name == searchLeft {
			ended := storetest.Day(2021, 1, 1)
			e.EndsOn = &ended
		}
		storetest.Must(t, s.CreateEmployment(ctx, e))
		if sp.keywords != nil {
			storetest.Must(t, s.SaveDirectoryProfile(ctx, &distans.DirectoryProfile{PersonID: p.ID, Keywords: sp.keywords}))
		}
	}
	return o.ID
}
