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
	// Three whose names begin with the same nine letters, indexed out of
	// name order: on SQLite they share a bucket of person_fts's rowids
	// (search_order.go), and a page must still come in name order.
	{"Kristoffer Östberg", "Lärare", "Skola", nil},
	{"Kristoffer Berg", "Ekonom", "Ekonomi", nil},
}

var searchQueries = []string{
	"", "a", "an", "asa", "ÅSA", "öb", "ob", "oberg", "ostersund", "ÖSTERSUNDS", "berg", "ohman", "o", "ost",
	"bygg", "bygglov", "handl", "hand asa", "lon", "lön", "vax", "växel", "it", "it-tek", "skol", "zz", "%", "_",
	"kontakt anna", "ek", "emile", "brien", "o'brien", "sean o", "sean.o", "@", "example", "p01@", "p01@search.example",
	"strandskydd öst", "äldr", "hemtj", "kristoffer lind", "ostr", "kristoffer", "krist", "lara",
	// Longer than PostgreSQL's prefixes (search_prefix.go), alone and
	// with others.
	"bygglovshandl", "bygglovshandläggare", "bygglovshandlaggarna", "ostersundsenheten", "forsorjningsstod",
	"andersson", "anderssons", "handlaggare asa", "lärare krist", "kristoffer östberg", "anna andersson kontakt",
	"kontaktcenter vaxeloperator", "socialsekreterare berg", "p01@search.example ob",
}

// TestSearchSameEverywhere holds the databases to each other and to the
// rule (distans.SearchWords: every word of the search begins a word of the
// person) in Swedish order, for the register and the directory. Another organisation holds the same people and is never found.
func TestSearchSameEverywhere(t *testing.T) {
	t.Parallel()
	type way struct {
		name  string
		s     *sqlstore.Store
		orgID string
	}
	var ways []*way
	sq := storetest.SQLite(t)
	ways = append(ways, &way{name: "sqlite", s: sq})
	if dsn := os.Getenv(storetest.PostgresEnv); dsn != "" {
		ways = append(ways, &way{name: "postgres", s: storetest.Postgres(t, dsn)})
	}
	if dsn := os.Getenv(storetest.CitusEnv); dsn != "" {
		ways = append(ways, &way{name: "citus", s: storetest.Citus(t, dsn)})
	}
	seeded := map[*sqlstore.Store]string{}
	for _, w := range ways {
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
					// Pages of 2 by cursor to the end, then back to the start.
					all, last := page, pg
					for n := 0; last.Next != "" && n < len(expect); n++ {
						hits, last, err = w.s.SearchDirectory(ctx, distans.DirectoryFilter{Query: q, Limit: 2, After: last.Next}, time.Now())
						storetest.Must(t, err)
						for _, h := range hits {
							all = append(all, h.Name)
						}
						if last.Total != len(expect) {
							t.Errorf("%s: %q, a later page counts %d, want %d", w.name, q, last.Total, len(expect))
						}
					}
					if !slices.Equal(all, expect) {
						t.Errorf("%s: %q by pages of 2 = %v, want %v", w.name, q, all, expect)
					}
					var back []string
					for n := 0; last.Prev != "" && n < len(expect); n++ {
						hits, last, err = w.s.SearchDirectory(ctx, distans.DirectoryFilter{Query: q, Limit: 2, Before: last.Prev}, time.Now())
						storetest.Must(t, err)
						var names []string
						for _, h := range hits {
							names = append(names, h.Name)
						}
						back = append(names, back...)
					}
					// Everything before the last page, which holds the last one or two.
					lastSize := 2 - len(expect)%2
					if want := expect[:len(expect)-lastSize]; !slices.Equal(back, want) {
						t.Errorf("%s: %q back by pages of 2 = %v, want %v", w.name, q, back, want)
					}
				}
			}
		}
	}
	// A search narrowed to a unit (PostgreSQL asks the words' GIN index
	// there, not person_prefixes) finds the unit's people alone.
	for _, w := range ways {
		ctx := storetest.System(w.orgID)
		units, err := w.s.ListUnits(ctx, distans.UnitFilter{})
		storetest.Must(t, err)
		for _, u := range units {
			for _, q := range []string{"", "o", "berg", "ost", "ostersundsenheten", "bygglovshandl", "handl", "karin berg", "zz"} {
				var expect []string
				for _, name := range want(q, true) {
					if slices.ContainsFunc(searchPeople, func(p searchPerson) bool { return p.name == name && p.unit == u.Name }) {
						expect = append(expect, name)
					}
				}
				hits, pg, err := w.s.SearchDirectory(ctx, distans.DirectoryFilter{Query: q, UnitID: u.ID, Limit: 200}, time.Now())
				storetest.Must(t, err)
				var got []string
				for _, h := range hits {
					got = append(got, h.Name)
				}
				if !slices.Equal(got, expect) || pg.Total != len(expect) {
					t.Errorf("%s: %q in %s = %v (%d), want %v", w.name, q, u.Name, got, pg.Total, expect)
				}
			}
		}
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
		// A rename that keeps the words and moves the name: Asa to Åsa,
		// from the top of the list to after Z.
		ps, _, err = s.ListPeople(ctx, distans.PersonFilter{Query: "asa oberg"})
		storetest.Must(t, err)
		for _, p := range ps {
			if p.Name == "Asa Oberg" {
				_, err = s.UpdatePerson(ctx, p.ID, distans.PersonUpdate{Name: ptr("Åsa Oberg")})
				storetest.Must(t, err)
			}
		}
		if got := find("handl"); !slices.Equal(got, []string{"Sean O'Brien", "Åsa Oberg"}) {
			t.Errorf("after renaming Asa to Åsa: %v", got)
		}
		// And the other way, from after Z to the middle: a page of one at
		// a time, each after the last, passes no one.
		ps, _, err = s.ListPeople(ctx, distans.PersonFilter{Query: "orjan"})
		storetest.Must(t, err)
		_, err = s.UpdatePerson(ctx, ps[0].ID, distans.PersonUpdate{Name: ptr("Orjan Öst")})
		storetest.Must(t, err)
		var paged []string
		for after, n := "", 0; n < 20; n++ {
			hits, pg, err := s.SearchDirectory(ctx, distans.DirectoryFilter{Query: "ost", Limit: 1, After: after}, time.Now())
			storetest.Must(t, err)
			for _, h := range hits {
				paged = append(paged, h.Name)
			}
			if after = pg.Next; after == "" {
				break
			}
		}
		if want := find("ost"); !slices.Equal(paged, want) || !slices.Contains(want, "Orjan Öst") {
			t.Errorf("after renaming Örjan to Orjan, pages of one = %v, want %v", paged, want)
		}
		if s.Dialect() == "sqlite" {
			// Migration 00034 empties person_fts; migrating fills it again
			// from the words on the people's rows.
			before := find("o")
			_, err := storetest.Raw(t, s).Exec(`DELETE FROM person_fts`)
			storetest.Must(t, err)
			if len(find("o")) != 0 {
				t.Fatal("person_fts not emptied")
			}
			storetest.Must(t, s.Migrate(t.Context()))
			if got := find("o"); !slices.Equal(got, before) || len(got) < 5 {
				t.Errorf("after filling person_fts: %v, want %v", got, before)
			}
			// People without words (as before migration 00019) are indexed
			// anew, words and person_fts alike.
			raw := storetest.Raw(t, s)
			_, err = raw.Exec(`DELETE FROM person_fts`)
			storetest.Must(t, err)
			_, err = raw.Exec(`UPDATE people SET terms = '', dir_terms = ''`)
			storetest.Must(t, err)
			var worded int
			storetest.Must(t, raw.QueryRow(`SELECT COUNT(*) FROM people WHERE terms != ''`).Scan(&worded))
			if worded != 0 || len(find("o")) != 0 {
				t.Fatal("words not emptied")
			}
			storetest.Must(t, s.Migrate(t.Context()))
			if got := find("o"); !slices.Equal(got, before) {
				t.Errorf("after indexing anew: %v, want %v", got, before)
			}
		}
		emps, err := s.ListEmployments(ctx, zara.ID)
		storetest.Must(t, err)
		_, err = s.UpdateEmployment(ctx, emps[0].ID, distans.EmploymentUpdate{Title: ptr("Simlärare")})
		storetest.Must(t, err)
		if ps, _, err := s.ListPeople(ctx, distans.PersonFilter{Query: "simlar"}); err != nil || len(ps) != 1 {
			t.Errorf("after a new title: %d, %v", len(ps), err)
		}
		// Keywords removed are not found.
		ps, _, err = s.ListPeople(ctx, distans.PersonFilter{Query: "asa oberg byggl"})
		storetest.Must(t, err)
		storetest.Must(t, s.SaveDirectoryProfile(ctx, &distans.DirectoryProfile{PersonID: ps[0].ID}))
		if got := find("strandskydd"); len(got) != 0 {
			t.Errorf("removed keywords still find %v", got)
		}
		// A person whose employment ends leaves the directory and stays in
		// the register.
		ps, _, err = s.ListPeople(ctx, distans.PersonFilter{Query: "kristoffer lind"})
		storetest.Must(t, err)
		emps, err = s.ListEmployments(ctx, ps[0].ID)
		storetest.Must(t, err)
		ended := storetest.Day(2021, 1, 1)
		_, err = s.UpdateEmployment(ctx, emps[0].ID, distans.EmploymentUpdate{SetEndsOn: true, EndsOn: &ended})
		storetest.Must(t, err)
		if got := find("kristoffer"); !slices.Equal(got, []string{"Kristoffer Berg", "Kristoffer Östberg"}) {
			t.Errorf("after the employment ended, the directory finds %v", got)
		}
		if ps, pg, err := s.ListPeople(ctx, distans.PersonFilter{Query: "krist"}); err != nil || len(ps) != 3 || pg.Total != 3 {
			t.Errorf("after the employment ended, the register finds %d (%d), %v", len(ps), pg.Total, err)
		}
		if s.Dialect() == "postgres" {
			// The rows of person_prefixes that every change above kept
			// are those that migrating fills anew from the people's words.
			raw := storetest.Raw(t, s)
			rows := func() []string {
				t.Helper()
				rs, err := raw.Query(`SELECT prefix || ' ' || lists || ' ' || name_key || ' ' || person_id FROM person_prefixes
					WHERE organisation_id = $1 ORDER BY 1`, orgID)
				storetest.Must(t, err)
				defer rs.Close()
				var out []string
				for rs.Next() {
					var r string
					storetest.Must(t, rs.Scan(&r))
					out = append(out, r)
				}
				storetest.Must(t, rs.Err())
				return out
			}
			kept := rows()
			_, err := raw.Exec(`DELETE FROM person_prefixes`)
			storetest.Must(t, err)
			storetest.Must(t, s.Migrate(t.Context()))
			if filled := rows(); !slices.Equal(filled, kept) || len(kept) < 300 {
				t.Errorf("person_prefixes kept %d rows, filled anew %d: %v", len(kept), len(filled), diffRows(kept, filled))
			}
		}
	}
}

// diffRows are the rows in one of a and b only, marked - and +.
func diffRows(a, b []string) []string {
	var out []string
	for _, r := range a {
		if !slices.Contains(b, r) {
			out = append(out, "-"+r)
		}
	}
	for _, r := range b {
		if !slices.Contains(a, r) {
			out = append(out, "+"+r)
		}
	}
	return out
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

// TestSearchOverflow fills one bucket of person_fts's rowids (the first
// ten letters of the name, search_order.go) to its last counters with
// another organisation's people, so that the rest of this organisation's
// overflow to rowids in no order, and holds the directory's pages,
// forwards and back, to name order (SQLite).
func TestSearchOverflow(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	o := storetest.NewOrg(t, s, "overflow")
	ctx := storetest.System(o.ID)
	unit := storetest.NewUnit(t, s, o.ID, "", "Skola", distans.UnitSection)
	// Another organisation's Kristoffers, matched by the same words, take
	// all but 75 of the bucket's counters.
	lo, hi := sqlstore.FTSBucket("kristoffer a")
	raw := storetest.Raw(t, s)
	tx, err := raw.Begin()
	storetest.Must(t, err)
	for rowid := lo; rowid < hi-75; rowid++ {
		_, err := tx.Exec(`INSERT INTO person_fts (rowid, org, pid, id, terms, dir_terms) VALUES ($1, 'aa', $2, $3, ' kristoffer ', ' kristoffer ')`,
			rowid, fmt.Sprintf("bb%d", rowid), fmt.Sprint(rowid))
		storetest.Must(t, err)
	}
	storetest.Must(t, tx.Commit())
	var want []string
	for i := range 150 {
		// Indexed in an order that is not the names' order.
		name := fmt.Sprintf("Kristoffer %c%03d", 'A'+rune(i*7%26), (i*37)%150)
		p := &distans.Person{Name: name, Email: fmt.Sprintf("k%03d@overflow.example", i)}
		storetest.Must(t, s.CreatePerson(ctx, p))
		storetest.Must(t, s.CreateEmployment(ctx, &distans.Employment{PersonID: p.ID, UnitID: unit.ID, Title: "Lärare", StartsOn: storetest.Day(2020, 1, 1)}))
		want = append(want, name)
	}
	slices.SortFunc(want, func(a, b string) int { return cmp.Compare(distans.SortKey(a), distans.SortKey(b)) })
	var overflowed int
	storetest.Must(t, raw.QueryRow(`SELECT COUNT(*) FROM person_fts WHERE rowid >= $1`, hi).Scan(&overflowed))
	if overflowed != 75 {
		t.Errorf("%d rows overflowed, want 75", overflowed)
	}
	var got []string
	var pg distans.Page
	for n := 0; n == 0 || pg.Next != "" && n < 20; n++ {
		var hits []*distans.DirectoryHit
		var err error
		hits, pg, err = s.SearchDirectory(ctx, distans.DirectoryFilter{Query: "kristoffer", Limit: 25, After: pg.Next}, time.Now())
		storetest.Must(t, err)
		if pg.Total != 150 {
			t.Errorf("page %d counts %d, want 150", n, pg.Total)
		}
		for _, h := range hits {
			got = append(got, h.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages forwards = %v, want %v", got, want)
	}
	var back []string
	for n := 0; pg.Prev != "" && n < 20; n++ {
		var hits []*distans.DirectoryHit
		var err error
		hits, pg, err = s.SearchDirectory(ctx, distans.DirectoryFilter{Query: "kristoffer", Limit: 25, Before: pg.Prev}, time.Now())
		storetest.Must(t, err)
		var names []string
		for _, h := range hits {
			names = append(names, h.Name)
		}
		back = append(names, back...)
	}
	if !slices.Equal(back, want[:125]) {
		t.Errorf("pages backwards = %v, want %v", back, want[:125])
	}
}

// TestOptimizeSearch: the daily merge of person_fts folds the segments
// that people indexed one at a time left, finds the same people after,
// and runs again only a day later.
func TestOptimizeSearch(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	o := storetest.NewOrg(t, s, "optimize")
	ctx := storetest.System(o.ID)
	unit := storetest.NewUnit(t, s, o.ID, "", "Skola", distans.UnitSection)
	for i := range 40 {
		p := &distans.Person{Name: fmt.Sprintf("Åsa Lind %02d", i), Email: fmt.Sprintf("a%02d@optimize.example", i)}
		storetest.Must(t, s.CreatePerson(ctx, p))
		storetest.Must(t, s.CreateEmployment(ctx, &distans.Employment{PersonID: p.ID, UnitID: unit.ID, Title: "Lärare", StartsOn: storetest.Day(2020, 1, 1)}))
	}
	raw := storetest.Raw(t, s)
	blocks := func() (n int) {
		storetest.Must(t, raw.QueryRow(`SELECT COUNT(*) FROM person_fts_data`).Scan(&n))
		return n
	}
	search := func() []string {
		hits, pg, err := s.SearchDirectory(ctx, distans.DirectoryFilter{Query: "asa li", Limit: 25}, time.Now())
		storetest.Must(t, err)
		names := []string{fmt.Sprint(pg.Total)}
		for _, h := range hits {
			names = append(names, h.Name)
		}
		return names
	}
	before, found := blocks(), search()
	at := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		at   time.Time
		want int
	}{{at, 1}, {at.Add(23 * time.Hour), 0}, {at.Add(24 * time.Hour), 1}} {
		n, err := s.OptimizeSearch(ctx, c.at)
		storetest.Must(t, err)
		if n != c.want {
			t.Errorf("OptimizeSearch at %s = %d, want %d", c.at, n, c.want)
		}
	}
	if after := blocks(); after >= before {
		t.Errorf("person_fts has %d blocks after merging, %d before", after, before)
	}
	if got := search(); !slices.Equal(got, found) {
		t.Errorf("after merging the search finds %v, before %v", got, found)
	}
	if found[0] != "40" {
		t.Errorf("the search counts %s, want 40", found[0])
	}
}
