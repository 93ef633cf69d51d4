package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/distans/distans"
)

// On PostgreSQL a search's matches come in name order from the table
// person_prefixes (migration 00036): a row for each prefix of up to
// prefixRunes letters of each of a person's words, with the lists whose
// words hold it, the person's name_key and ID, keyed in that order. The
// matches of a prefix in a list are then an index range in name order: a
// page reads limit+1 entries of it and stops, and a count stops at
// distans.CountCap+1, where the words' GIN index gives its matches in no
// order, every one of which a page read and sorted and a count rechecked.
//
// A search word longer than prefixRunes is looked up by its first
// prefixRunes letters and tested whole on the person's words. A search of
// several words, or narrowed to a unit or a subtree, asks the words' GIN
// index instead, which ANDs the words with each other and with the unit's
// paths (wordMatch). SQLite answers the same from FTS5 (search_order.go).

// prefixRunes is the longest prefix person_prefixes holds: the switchboard
// types two to six letters, and a longer word is rare enough that the
// matches of its first six, tested whole, are few.
const prefixRunes = 6

// The lists a prefix row is in, bits of person_prefixes.lists: a person's
// words in the register (people.terms) and in the directory
// (people.dir_terms, the employed's only: ftsDir). A prefix in both is one
// row with both bits; a search of one list reads the range of its bit
// alone and that of both, merged in name order (prefixIDs).
const (
	listRegister  = 1
	listDirectory = 2
	listBoth      = listRegister | listDirectory
)

// listOf is the list bit of the words column of people (terms or
// dir_terms).
func listOf(column string) int {
	if column == "dir_terms" {
		return listDirectory
	}
	return listRegister
}

// prefixOf is the prefix of a search word that person_prefixes holds, and
// whether it is the whole word (else the word is tested whole as well).
func prefixOf(word string) (prefix string, whole bool) {
	rs := []rune(word)
	if len(rs) <= prefixRunes {
		return word, true
	}
	return string(rs[:prefixRunes]), false
}

// A prefixRow is a row of person_prefixes, of one organisation.
type prefixRow struct {
	prefix  string
	lists   int
	key, id string
}

// prefixRows are the rows of person_prefixes of the person id with the
// name_key key and the words terms and dir (as people holds them), whom
// the directory lists when employed.
func prefixRows(id, key, terms, dir string, employed bool) []prefixRow {
	lists := map[string]int{}
	add := func(words string, list int) {
		for _, w := range strings.Fields(words) {
			rs := []rune(w)
			for n := 1; n <= min(len(rs), prefixRunes); n++ {
				lists[string(rs[:n])] |= list
			}
		}
	}
	add(terms, listRegister)
	add(ftsDir(dir, employed), listDirectory)
	out := make([]prefixRow, 0, len(lists))
	for p, l := range lists {
		out = append(out, prefixRow{prefix: p, lists: l, key: key, id: id})
	}
	return out
}

// writePrefixes makes want the rows of person_prefixes of the people ids
// of the organisation orgID: it reads the rows they have and deletes and
// inserts the difference, a few statements for all of them (an import or
// a SCIM sync indexes thousands at a time). A rename changes the name_key
// of every row, and a person who leaves or joins the directory the lists
// of the rows of their directory's words.
func (s *Store) writePrefixes(ctx context.Context, tx *sql.Tx, orgID string, ids []string, want []prefixRow) error {
	if !s.dialect.prefixes || len(ids) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT prefix, lists, name_key, person_id FROM person_prefixes
		WHERE organisation_id = $1 AND person_id = ANY(CAST($2 AS text[]))`, orgID, ids)
	if err != nil {
		return err
	}
	had := map[prefixRow]bool{}
	for rows.Next() {
		var r prefixRow
		if err := rows.Scan(&r.prefix, &r.lists, &r.key, &r.id); err != nil {
			rows.Close()
			return err
		}
		had[r] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var add []prefixRow
	for _, r := range want {
		if had[r] {
			delete(had, r) // kept
		} else {
			add = append(add, r)
		}
	}
	gone := make([]prefixRow, 0, len(had))
	for r := range had {
		gone = append(gone, r)
	}
	if len(gone) > 0 {
		// A row's key changes with its name_key and lists: the old go
		// first, so that no new row meets an old one.
		from, next := s.typedRowsFrom(len(gone), []string{"", "smallint", "", ""})
		text := func(int) string {
			return `DELETE FROM person_prefixes x USING ` + from + ` WHERE x.organisation_id = ` + s.dialect.param(next) + `
				AND x.prefix = v.column1 AND x.lists = v.column2 AND x.name_key = v.column3 AND x.person_id = v.column4`
		}
		if err := s.batches(ctx, tx, len(gone), 4, []any{orgID}, text, func(i int, q []any) []any {
			r := gone[i]
			return append(q, r.prefix, r.lists, r.key, r.id)
		}, nil); err != nil {
			return err
		}
	}
	return s.insertPrefixes(ctx, tx, orgID, add)
}

// insertPrefixes inserts rows of person_prefixes (PostgreSQL).
func (s *Store) insertPrefixes(ctx context.Context, tx *sql.Tx, orgID string, rows []prefixRow) error {
	if !s.dialect.prefixes || len(rows) == 0 {
		return nil
	}
	sortPrefixes(rows) // the index takes them page by page
	return s.insertMany(ctx, tx, "person_prefixes", []string{"organisation_id", "prefix", "lists", "name_key", "person_id"}, len(rows),
		func(i int, q []any) []any {
			r := rows[i]
			return append(q, orgID, r.prefix, r.lists, r.key, r.id)
		}, nil)
}

// sortPrefixes sorts rows of one organisation in the key order of
// person_prefixes.
func sortPrefixes(rows []prefixRow) {
	slices.SortFunc(rows, func(a, b prefixRow) int {
		return cmp.Or(strings.Compare(a.prefix, b.prefix), cmp.Compare(a.lists, b.lists),
			strings.Compare(a.key, b.key), strings.Compare(a.id, b.id))
	})
}

// fillPrefixes writes the rows of person_prefixes of every person with
// search words when the table is empty, as migration 00036 leaves it; it
// does nothing otherwise (PostgreSQL only). An organisation's rows are
// written in key order, 5,000 a transaction (orgRuns): each lands at the
// end of the index, which fills its pages, where people's rows in turn
// split pages all over it (379 against 250 MB at 50,000 people). The
// planner needs the prefixes' statistics to choose between a prefix's
// range and a unit's people, and index-only scans a visibility map: both
// are made at the end.
func (s *Store) fillPrefixes(ctx context.Context) error {
	if !s.dialect.prefixes {
		return nil
	}
	all, err := s.unindexed(ctx, "person_prefixes")
	if err != nil || len(all) == 0 {
		return err
	}
	for lo := 0; lo < len(all); {
		org := all[lo].org
		var batch []prefixRow
		for ; lo < len(all) && all[lo].org == org; lo++ {
			p := all[lo]
			batch = append(batch, prefixRows(p.id, p.key, p.terms, p.dir, p.employed)...)
		}
		sortPrefixes(batch)
		if err := orgRuns(len(batch), func(int) string { return org }, func(lo, hi int) error {
			return s.write(ctx, func(tx *sql.Tx) error { return s.insertPrefixes(ctx, tx, org, batch[lo:hi]) })
		}); err != nil {
			return err
		}
	}
	_, err = s.wdb.ExecContext(ctx, `VACUUM (ANALYZE) person_prefixes`)
	return err
}

// A statement through person_prefixes has one plan whatever its prefix:
// the lookup of people is a nested loop (prefixFrom) and the range of the
// key gives the order. So it is not planned for its words each time
// (planEach), and PostgreSQL keeps the plan it made: planning each time
// was a fifth of PostgreSQL's CPU in a directory search.

// prefixFrom is the FROM clause of a search through person_prefixes x
// (PostgreSQL): its rows, and the people p they name, each looked up by
// its whole key in the covering index people_name (no read of the
// table). The lookup is a subquery that the planner keeps (OFFSET 0):
// joined to people by two equalities, which it takes for independent, it
// expected almost no row of the join, and hashed the prefix's every row
// with every person instead of reading 26 in order ("enhet": 327 ms
// against 2). The subquery names the organisation orgID itself: Citus
// routes a statement to one node only where each table's organisation is
// a value, and sent the lookup's through the join to every node
// (TestCitusSearchOneNode).
func prefixFrom(q *args, orgID string) string {
	return `FROM person_prefixes x CROSS JOIN LATERAL (SELECT * FROM people p
	WHERE p.organisation_id = ` + q.add(orgID) + ` AND p.name_key = x.name_key AND p.id = x.person_id OFFSET 0) p`
}

// prefixCond is the condition on x (prefixFrom) that the person's words in
// the list of column hold prefix, in the organisation orgID (named for
// Citus). Its test of the lists is listsIn(column), which prefixIDs splits.
func prefixCond(q *args, orgID, column, prefix string) string {
	return "x.organisation_id = " + q.add(orgID) + " AND x.prefix = " + q.add(prefix) + " AND " + listsIn(column)
}

// listsIn is the condition that a row x of person_prefixes is in the list
// of column: its bit alone, or both.
func listsIn(column string) string {
	return "x.lists IN (" + strconv.Itoa(listOf(column)) + ", " + strconv.Itoa(listBoth) + ")"
}

// prefixCount is the statement that counts up to distans.CountCap+1 rows
// of person_prefixes of the organisation org whose words in the list of
// column hold the prefix prefix (both parameters' placeholders), and reads
// nothing else: the count of a search of one word no longer than
// prefixRunes.
func prefixCount(column, org, prefix string) string {
	return `SELECT COUNT(*) FROM (SELECT 1 FROM person_prefixes x WHERE x.organisation_id = ` + org + ` AND x.prefix = ` + prefix + ` AND ` +
		listsIn(column) + limitRows(distans.CountCap+1) + `) c`
}

// prefixIDs returns the IDs of the first limit+1 people of from/where, a
// search through person_prefixes whose wordSQL is w (prefixFrom,
// prefixCond), in name order after (or, with before, backwards from) a
// cursor. Each of the two ranges of the prefix, its list's bit alone and
// both bits, is read in order and stops at limit+1 (PostgreSQL 15 does
// not merge the ranges of one IN in order, nor a UNION ALL's by their
// index), and the two short lists are merged. Where the prefix's rows
// alone are the list (w.prefixOnly) of the organisation orgID, they are
// read alone, with no person looked up (the directory's "an": 102
// buffers against 181, and 6–8% of a one-word search's CPU), and with
// count the same statement counts them as prefixCount does, up to
// distans.CountCap+1: one round trip for a page and its count.
func (s *Store) prefixIDs(ctx context.Context, tx *sql.Tx, w wordSQL, from, where string, q args, after, before string, limit int, orgID string, count bool) (ids []string, total int, err error) {
	kq := append(args(nil), q...)
	column := w.column
	if w.prefixOnly != "" {
		kq, from = args{}, "FROM person_prefixes x"
		where = prefixCond(&kq, orgID, column, w.prefixOnly)
	}
	cond, order, _, err := keysetOf(&kq, "x.name_key", "x.person_id", after, before)
	if err != nil {
		return nil, 0, err
	}
	if cond != "" {
		where += " AND " + cond
	}
	part := func(list int) string {
		cond := strings.Replace(where, listsIn(column), "x.lists = "+strconv.Itoa(list), 1)
		return `(SELECT x.name_key, x.person_id ` + from + ` WHERE ` + cond + ` ORDER BY ` + order + limitRows(limit+1) + `)`
	}
	_, merged, _, _ := keysetOf(new(args), "u.name_key", "u.person_id", after, before) // the same order, of the parts' rows
	counted, counter := "0", ""
	if count && w.prefixOnly != "" {
		counted = "c.n"
		counter = ` CROSS JOIN (` + prefixCount(column, kq.add(orgID), kq.add(w.prefixOnly)) + `) c(n)`
	}
	rows, err := tx.QueryContext(ctx, `SELECT u.person_id, `+counted+` FROM (`+part(listOf(column))+` UNION ALL `+part(listBoth)+`) u`+counter+`
		ORDER BY `+merged+limitRows(limit+1), kq...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	ids = make([]string, 0, limit+1)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &total); err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	return ids, total, rows.Err()
}
