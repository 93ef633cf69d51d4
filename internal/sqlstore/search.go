package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/distans/distans"
)

// People are found by two texts on their row, kept by indexPeople:
//
//   - people.terms: the words (distans.SearchWords) of the name, title,
//     e-mail address and employee number, for the register (ListPeople);
//   - people.dir_terms: those and the words of the unit's name and the
//     person's directory keywords (sökord, Sorsele 004 §5), for the
//     switchboard's directory (SearchDirectory).
//
// Each is stored as " w1 w2 … ", a space before and after every word, so
// that "some word begins with pre" is the same test everywhere: a
// substring search for " pre" row by row, a prefix query on SQLite's FTS5
// table person_fts (which holds the same words, search_order.go), a
// range of PostgreSQL's table person_prefixes (which holds their first
// letters, search_prefix.go) and a prefix tsquery on its GIN index over
// the words as a tsvector (for a list narrowed to a unit). The words hold only letters, digits and, in
// an e-mail address, "@._-+" (no quote, no space), and both databases
// compare them byte-wise: they find the same people.

// wordsText is the column value for words: " w1 w2 … ".
func wordsText(words []string) string {
	if len(words) == 0 {
		return ""
	}
	return " " + strings.Join(words, " ") + " "
}

// personWords are the words of the register; dirWords add the unit's name
// and the keywords for the directory.
func personWords(name, email, title, employeeNumber string) []string {
	return distans.SearchWords(strings.Join([]string{name, title, employeeNumber, email}, " "))
}

func dirWords(person []string, unitName, keywords string) []string {
	out := append([]string(nil), person...)
	for _, w := range distans.SearchWords(unitName + " " + keywords) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// ftsToken is an ID as one token of person_fts, whose tokenizer splits at
// a hyphen.
func ftsToken(id string) string { return hex.EncodeToString([]byte(id)) }

// indexBatch is how many people indexPeople reads and writes a statement.
const indexBatch = 500

// indexPeople recomputes the search words of the people ids of the
// organisation from what tx sees of them (their row, unit and keywords) and
// writes them, in the transaction of the change that made them stale. It is
// the one function every path that changes what a person is found by
// calls: creating or changing a person, a placement (unit, title), a
// unit's name, keywords, the import and SCIM.
func (s *Store) indexPeople(ctx context.Context, tx *sql.Tx, orgID string, ids []string) error {
	for len(ids) > 0 {
		n := min(len(ids), indexBatch)
		if err := s.indexBatch(ctx, tx, orgID, ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func (s *Store) indexBatch(ctx context.Context, tx *sql.Tx, orgID string, ids []string) error {
	var q args
	org := q.add(orgID)
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = q.add(id)
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.name, p.name_key, p.employed, p.unit_path, p.email, p.title, p.employee_number,
		p.terms, p.dir_terms, COALESCE(u.name, ''), COALESCE(dp.keywords, '')
		FROM people p
		LEFT JOIN units u ON u.organisation_id = p.organisation_id AND u.id = p.unit_id
		LEFT JOIN directory_profiles dp ON dp.organisation_id = p.organisation_id AND dp.person_id = p.id
		WHERE p.organisation_id = `+org+` AND p.id IN (`+strings.Join(in, ", ")+`)`, q...)
	if err != nil {
		return err
	}
	type row struct {
		wordsRow
		changed bool // the words differ from the row's
	}
	var all []row
	for rows.Next() {
		var r row
		var name, email, title, empNo, oldTerms, oldDir, unit, kws string
		if err := rows.Scan(&r.id, &name, &r.key, &r.employed, &r.path, &email, &title, &empNo, &oldTerms, &oldDir, &unit, &kws); err != nil {
			rows.Close()
			return err
		}
		r.terms, r.dir = indexWords(name, email, title, empNo, unit, kws)
		r.changed = r.terms != oldTerms || r.dir != oldDir
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var changed []row
	for _, r := range all {
		if r.changed {
			changed = append(changed, r)
		}
	}
	if len(changed) > 0 {
		if err := s.updateMany(ctx, tx, "people", orgID, []string{"terms", "dir_terms"}, "", len(changed),
			func(i int, q []any) []any { return append(q, changed[i].id, changed[i].terms, changed[i].dir) }, nil); err != nil {
			return err
		}
	}
	if s.dialect.prefixes {
		// person_prefixes follows the words, the name and whether the
		// person is employed: writePrefixes writes what differs.
		found := make([]string, len(all))
		var want []prefixRow
		for i, r := range all {
			found[i] = r.id
			want = append(want, prefixRows(r.id, r.key, r.terms, r.dir, r.employed)...)
		}
		return s.writePrefixes(ctx, tx, orgID, found, want)
	}
	// person_fts follows the words, the name (through the rowid and
	// name_key: a rename from Asa to Åsa keeps the words and moves the
	// person), the unit's path and whether the person is employed.
	old, err := ftsRowsOf(ctx, tx, ids)
	if err != nil {
		return err
	}
	var puts []ftsRow
	var alloc ftsRowids
	var stale []int64
	for _, r := range all {
		want := r.ftsRow()
		was, indexed := old[r.id]
		moved := !indexed || was.rowid>>ftsCounterBits != ftsBucket(r.key)
		if !moved && was.key == want.key && was.units == want.units && was.terms == want.terms && was.dir == want.dir {
			continue
		}
		want.rowid = was.rowid
		if moved {
			// Before any row is deleted, so that no rowid kept below
			// is handed out again.
			if want.rowid, err = alloc.rowid(ctx, tx, r.key); err != nil {
				return err
			}
		}
		if indexed {
			stale = append(stale, was.rowid)
		}
		puts = append(puts, want)
	}
	// In rowid order, the deletes and then the inserts: FTS5 keeps a
	// transaction's changes in memory only while their rowids rise, and
	// writes a segment to the index at each one that does not, which it
	// then merges (moving a unit of 5,000 people wrote thousands).
	slices.Sort(stale)
	for _, id := range stale {
		if _, err := tx.ExecContext(ctx, `DELETE FROM person_fts WHERE rowid = $1`, id); err != nil {
			return err
		}
	}
	slices.SortFunc(puts, func(a, b ftsRow) int { return cmp.Compare(a.rowid, b.rowid) })
	return s.insertFTS(ctx, tx, orgID, puts)
}

// An ftsRow is a person's row in person_fts (SQLite): rowid (see
// search_order.go), ID, name_key, unit path (units) and words.
type ftsRow struct {
	rowid                      int64
	id, key, units, terms, dir string
}

// ftsRow is the person's row in person_fts, but its rowid. The unit path
// "/a/b/" is the tokens a and b, the IDs of the units on it, which hold
// only hexadecimal digits and hyphens (the tokenizer's tokenchars): a
// search narrowed to a unit's subtree is one FTS5 query (ftsUnit).
func (r wordsRow) ftsRow() ftsRow {
	return ftsRow{id: r.id, key: r.key, units: r.path, terms: r.terms, dir: ftsDir(r.dir, r.employed)}
}

// ftsDir is the directory's words of a person as person_fts holds them:
// none unless the person is employed, whom alone the directory lists
// (SearchDirectory asks p.employed of the rows it reads from people), so
// that a search of FTS5 alone lists and counts the same people.
func ftsDir(dir string, employed bool) string {
	if !employed {
		return ""
	}
	return dir
}

// ftsRowsOf returns the person_fts row of each of the people ids that has
// one (SQLite).
func ftsRowsOf(ctx context.Context, tx *sql.Tx, ids []string) (map[string]ftsRow, error) {
	match := make([]string, len(ids))
	for i, id := range ids {
		match[i] = "pid:" + ftsToken(id)
	}
	rows, err := tx.QueryContext(ctx, `SELECT rowid, id, name_key, units, terms, dir_terms FROM person_fts WHERE person_fts MATCH $1`,
		strings.Join(match, " OR "))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]ftsRow, len(ids))
	for rows.Next() {
		var r ftsRow
		if err := rows.Scan(&r.rowid, &r.id, &r.key, &r.units, &r.terms, &r.dir); err != nil {
			return nil, err
		}
		out[r.id] = r
	}
	return out, rows.Err()
}

// indexWords are the column values people.terms and people.dir_terms of a
// person with these fields, unit name and keywords.
func indexWords(name, email, title, employeeNumber, unitName, keywords string) (terms, dir string) {
	pw := personWords(name, email, title, employeeNumber)
	return wordsText(pw), wordsText(dirWords(pw, unitName, keywords))
}

// indexNew indexes a new person whose row was written with the words and
// the rest of p: person_fts on SQLite, person_prefixes on PostgreSQL, as
// indexPeople would, without reading the row again.
func (s *Store) indexNew(ctx context.Context, tx *sql.Tx, p wordsRow) error {
	if s.dialect.prefixes {
		return s.insertPrefixes(ctx, tx, p.org, prefixRows(p.id, p.key, p.terms, p.dir, p.employed))
	}
	var alloc ftsRowids
	r := p.ftsRow()
	var err error
	if r.rowid, err = alloc.rowid(ctx, tx, r.key); err != nil {
		return err
	}
	return s.insertFTS(ctx, tx, p.org, []ftsRow{r})
}

// insertFTS adds rows of people without one to SQLite's person_fts.
func (s *Store) insertFTS(ctx context.Context, tx *sql.Tx, orgID string, rows []ftsRow) error {
	if !s.dialect.fts || len(rows) == 0 {
		return nil
	}
	return s.insertMany(ctx, tx, "person_fts", []string{"rowid", "org", "pid", "units", "id", "name_key", "terms", "dir_terms"}, len(rows),
		func(i int, q []any) []any {
			r := rows[i]
			return append(q, r.rowid, ftsToken(orgID), ftsToken(r.id), r.units, r.id, r.key, r.terms, r.dir)
		}, nil)
}

// reindexAll fills the search words of every person who has none, as after
// the migration that added them (00019); it changes nothing otherwise.
// Every person has a name, so a person without words has never been
// indexed.
func (s *Store) reindexAll(ctx context.Context) error {
	type missing struct{ org, id string }
	var todo []missing
	rows, err := s.rdb.QueryContext(ctx, `SELECT organisation_id, id FROM people WHERE terms = '' ORDER BY organisation_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m missing
		if err := rows.Scan(&m.org, &m.id); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return err
	}
	if err := orgRuns(len(todo), func(i int) string { return todo[i].org }, func(lo, hi int) error {
		ids := make([]string, 0, hi-lo)
		for _, m := range todo[lo:hi] {
			ids = append(ids, m.id)
		}
		return s.write(ctx, func(tx *sql.Tx) error { return s.indexPeople(ctx, tx, todo[lo].org, ids) })
	}); err != nil {
		return err
	}
	if s.dialect.prefixes {
		// The planner chooses between a prefix's range and a unit's people
		// by statistics, which rows written in bulk lack.
		_, err = s.wdb.ExecContext(ctx, `ANALYZE people, person_prefixes`)
	}
	return err
}

// orgRuns calls fn with each run [lo, hi) of up to 5,000 of n items of
// one organisation, the items sorted by organisation (org(i)): a
// transaction each, when the store indexes everyone.
func orgRuns(n int, org func(i int) string, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && hi-lo < 5000 && org(hi) == org(lo) {
			hi++
		}
		if err := fn(lo, hi); err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

// wordMatch is how a search's words narrow people p: each word begins one
// of the words in column (terms or dir_terms).
type wordMatch struct {
	column string
	words  []string
	none   bool // a search of no words at all ("%", "-"): nobody matches
}

func newWordMatch(column, query string) wordMatch {
	ws := distans.SearchWords(query)
	if len(ws) > distans.MaxSearchWords {
		ws = ws[:distans.MaxSearchWords]
	}
	return wordMatch{column: column, words: ws, none: len(ws) == 0 && strings.TrimSpace(query) != ""}
}

// peopleFrom is the FROM clause of a search over people p without words.
const peopleFrom = "FROM people p"

// A narrowing is what narrows a list besides its organisation and words:
// the subtree of a unit (unitPath, a filter) and, unless scope.All, the
// people an actor may see: their own (self) and those in the subtrees of
// scope.UnitPaths. The list's SQL condition says it already; where says it
// again in FTS5 (SQLite) and, on PostgreSQL, that few may meet it.
type narrowing struct {
	unitPath string
	scope    distans.Scope
	self     string
}

var notNarrowed = narrowing{scope: distans.Scope{All: true}}

func (n narrowing) narrowed() bool { return n.unitPath != "" || !n.scope.All }

// fts returns the narrowing as FTS5 conditions on person_fts, which holds
// a person's ID (pid) and the IDs of the units on their path (units); ok
// is false when it leaves nobody.
func (n narrowing) fts() (conds []string, ok bool) {
	if n.unitPath != "" {
		conds = append(conds, ftsUnit(n.unitPath))
	}
	if n.scope.All {
		return conds, true
	}
	var either []string
	if n.self != "" {
		either = append(either, "pid:"+ftsToken(n.self))
	}
	for _, p := range n.scope.UnitPaths {
		either = append(either, ftsUnit(p))
	}
	if len(either) == 0 {
		return nil, false
	}
	return append(conds, "("+strings.Join(either, " OR ")+")"), true
}

// ftsUnit is the FTS5 condition "in the subtree of the unit at path": its
// ID, the path's last, is one of the person's units (ftsRow).
func ftsUnit(path string) string {
	id := path[strings.LastIndex(strings.TrimSuffix(path, "/"), "/")+1 : len(path)-1]
	return `units:"` + strings.ReplaceAll(id, `"`, `""`) + `"`
}

// wordSQL is a search's words as SQL: the FROM clause that defines p and
// the condition on p (cond is "" when there are no words).
type wordSQL struct {
	from, cond string
	// fts is, on SQLite, the FTS5 query that finds the list's people in
	// person_fts alone: the organisation and the narrowing are its tokens
	// there, and the directory's words are only the employed's (ftsDir).
	// It reads its matches in rowid order, which is name order by bucket
	// (search_order.go): a page reads them with orderedIDs and stops
	// after some thirty, and neither the page's IDs nor the count read a
	// row of people.
	fts string
	// prefixed says from and cond read a prefix's rows x of
	// person_prefixes (PostgreSQL): a page reads the IDs of its people in
	// name order with prefixIDs and stops after limit+1.
	prefixed bool
	// prefixOnly is, where the prefix is the whole search word, that
	// prefix: its rows of person_prefixes alone are the list
	// (prefixCount), as nothing but the organisation narrows a list
	// searched through them.
	prefixOnly string
	// column is the words column of people searched (terms or dir_terms).
	column string
}

// where returns the words' wordSQL for a list narrowed by n. On
// PostgreSQL a search of one word is the range of person_prefixes of its
// prefix, in name order (and the test of the word on people, when longer
// than the prefix); a narrowed list or several words are one tsquery on
// the words' GIN index, whose statistics let the planner choose between
// the index and a walk in name order. The statements that carry the
// tsquery are planned for their words each time (planEach); those of a
// prefix's range have one plan. On SQLite it is one FTS5 query of the
// organisation, the narrowing and the words (wordSQL.fts): a word that
// half the organisation has, in a unit of twenty, is the unit's twenty
// rows of the index, where the test of each match on people read the
// organisation's.
func (m wordMatch) where(s *Store, q *args, orgID string, n narrowing) wordSQL {
	if m.none {
		return wordSQL{from: peopleFrom, cond: "1 = 0"}
	}
	if len(m.words) == 0 {
		return wordSQL{from: peopleFrom}
	}
	if s.dialect.fts {
		conds, ok := n.fts()
		if !ok {
			return wordSQL{from: peopleFrom, cond: "1 = 0"}
		}
		// Each word begins a word of the column: FTS5's prefix match.
		for _, w := range m.words {
			conds = append(conds, m.column+`:"`+w+`"*`)
		}
		query := strings.Join(append([]string{"org:" + ftsToken(orgID)}, conds...), " AND ")
		return wordSQL{from: ftsFrom(q, orgID), cond: "f.person_fts MATCH " + q.add(query), fts: query}
	}
	// Each word begins a word of the column: the column is " w1 w2 … ",
	// folded as the search words are, so a plain substring search tests a
	// row, at a seventh of building the row's tsvector (4 µs a row: the
	// walk in name order for "joh" passed 17,500 entries in 75 ms).
	var test []string
	tested := func(w string) {
		test = append(test, "strpos(p."+m.column+", "+q.add(" "+w)+") > 0")
	}
	if !n.narrowed() && len(m.words) == 1 {
		// The range of a whole word is its test; a longer word is tested
		// whole on the matches of its prefix.
		prefix, whole := prefixOf(m.words[0])
		if !whole {
			tested(m.words[0])
		}
		w := wordSQL{from: prefixFrom(q, orgID), cond: strings.Join(append([]string{prefixCond(q, orgID, m.column, prefix)}, test...), " AND "),
			prefixed: true, column: m.column}
		if whole {
			w.prefixOnly = prefix
		}
		return w
	}
	for _, w := range m.words {
		tested(w)
	}
	// A list narrowed to a unit or a subtree, or a search of several
	// words: the tsquery lets the planner AND the words' GIN index with
	// the unit's paths, or the words' with each other, where a prefix's
	// range, read in order and each person looked up, would test every
	// match of one (the directory's "an" in a subtree of 5,000: 109
	// against 9 ms to count; "handl förv", every handläggare tested for
	// "förv": up to 473 ms). A row it matches is one the test matches,
	// which a walk in name order asks first.
	parts := make([]string, len(m.words))
	for i, w := range m.words {
		parts[i] = "'" + w + "':*"
	}
	return wordSQL{from: peopleFrom, cond: strings.Join(test, " AND ") + " AND " + tsMatch("p."+m.column, q.add(strings.Join(parts, " & ")))}
}

// ftsFrom is the FROM clause of people p of the organisation orgID whom
// FTS5's matches f name, in FTS5's order.
func ftsFrom(q *args, orgID string) string {
	return "FROM person_fts f CROSS JOIN people p ON p.organisation_id = " + q.add(orgID) + " AND p.id = f.id"
}

// planEach returns the arguments q of a statement that carries a search's
// words, so that PostgreSQL plans it for them each time (an unnamed
// statement): a prefix in a unit of twenty wants the unit's people looked
// up in person_prefixes, a rare one its range read in order, and the
// generic plan PostgreSQL keeps after five runs of a statement chose one
// way for all (the directory's "enhet": 60 ms against 1 ms). The
// statements around it keep their cached plans.
func (s *Store) planEach(q args) []any {
	if s.dialect.name != "postgres" {
		return q
	}
	return append([]any{pgx.QueryExecModeExec}, q...)
}

// planned is planEach(q) for a statement that carries a search's words,
// and q as it is for one that does not.
func (s *Store) planned(q args, searched bool) []any {
	if searched {
		return s.planEach(q)
	}
	return q
}

// tsMatch is the condition that the words in column (PostgreSQL) match
// the tsquery text param, in the expression the GIN indexes of migration
// 00019 index.
func tsMatch(column, param string) string {
	return "array_to_tsvector(string_to_array(btrim(" + column + "), ' ')) @@ CAST(" + param + " AS tsquery)"
}

// keyset returns the condition and order of a page of people p in name
// order after (or, with before, before) a cursor, and whether the rows
// come backwards.
func keyset(q *args, after, before string) (cond, order string, backwards bool, err error) {
	return keysetOf(q, "p.name_key", "p.id", after, before)
}

// keysetOf is keyset on the columns key (a name_key) and id.
func keysetOf(q *args, key, id, after, before string) (cond, order string, backwards bool, err error) {
	switch {
	case after != "":
		k, i, err := distans.ParseCursor("after", after)
		if err != nil {
			return "", "", false, err
		}
		return "(" + key + ", " + id + ") > (" + q.add(k) + ", " + q.add(i) + ")", key + ", " + id, false, nil
	case before != "":
		k, i, err := distans.ParseCursor("before", before)
		if err != nil {
			return "", "", false, err
		}
		return "(" + key + ", " + id + ") < (" + q.add(k) + ", " + q.add(i) + ")", key + " DESC, " + id + " DESC", true, nil
	}
	return "", key + ", " + id, false, nil
}

// cappedCount counts the rows of from/where up to distans.CountCap+1;
// searched says where carries a search's words (planEach).
func (s *Store) cappedCount(ctx context.Context, tx *sql.Tx, from, where string, q args, searched bool) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 `+from+` WHERE `+where+limitRows(distans.CountCap+1)+`) x`, s.planned(q, searched)...).Scan(&n)
	return n, err
}

// firstPage narrows a list's first page (no cursor) to the people on it,
// and counts the list. SQLite's FTS5 query (wordSQL.fts) and PostgreSQL's
// prefix (prefixed) have their own ways. Where PostgreSQL's planner may
// let a walk in name order stop early (a tsquery), the IDs of the first
// limit+1 rows of from/where in name order are the page and whether
// another follows, and unless fewer came, cappedCount counts up to
// distans.CountCap+1 apart: the walk for a page of 25 at a word that one
// in twenty has passes some 500 entries, where one to count 201 passes
// 4,000. Otherwise (no words, which every row matches) one walk does
// both, as the IDs of up to CountCap+1 rows. It returns the FROM
// clause and condition that name just the page's people, for pageRows,
// so that the page's joins run for its rows only and the words are not
// matched again. The IDs lead the join (CROSS JOIN keeps SQLite to that
// order): a planner without statistics otherwise walks the whole name
// index to test a short list. searched says where carries a search's
// words (planEach).
func (s *Store) firstPage(ctx context.Context, tx *sql.Tx, from, where string, w wordSQL, q args, searched bool, orgID string, limit int) (total int, pageFrom, pageWhere string, pq args, err error) {
	if w.fts != "" {
		ids, total, err := s.orderedIDs(ctx, tx, w.fts, "", "", limit, true)
		if err != nil || total == 0 {
			return total, "", "", nil, err
		}
		pageFrom, pageWhere, pq = s.pageOf(orgID, ids)
		return total, pageFrom, pageWhere, pq, nil
	}
	if w.prefixed {
		ids, n, err := s.prefixIDs(ctx, tx, w, from, where, q, "", "", limit, orgID, true)
		if total = len(ids); err != nil || total == 0 {
			return 0, "", "", nil, err
		}
		switch {
		case total <= limit: // all of them
		case w.prefixOnly != "":
			total = n
		default:
			if total, err = s.listCount(ctx, tx, from, where, w, q, searched, orgID); err != nil {
				return 0, "", "", nil, err
			}
		}
		pageFrom, pageWhere, pq = s.pageOf(orgID, ids)
		return total, pageFrom, pageWhere, pq, nil
	}
	apart := searched
	take := distans.CountCap + 1
	if apart {
		take = limit + 1
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.id `+from+` WHERE `+where+` ORDER BY p.name_key, p.id`+limitRows(take), s.planned(q, searched)...)
	if err != nil {
		return 0, "", "", nil, err
	}
	defer rows.Close()
	ids := make([]string, 0, limit+1)
	for rows.Next() {
		total++
		if total > limit+1 {
			continue
		}
		var id string
		if err := rows.Scan(&id); err != nil {
			return 0, "", "", nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || total == 0 {
		return total, "", "", nil, err
	}
	rows.Close()
	if apart && total > limit {
		if total, err = s.cappedCount(ctx, tx, from, where, q, searched); err != nil {
			return 0, "", "", nil, err
		}
	}
	pageFrom, pageWhere, pq = s.pageOf(orgID, ids)
	return total, pageFrom, pageWhere, pq, nil
}

// pageOf is the FROM clause, condition and arguments of a page of the
// people ids of the organisation orgID, for pageRows.
func (s *Store) pageOf(orgID string, ids []string) (from, where string, pq args) {
	pq = args{orgID}
	if s.dialect.arrays {
		// One array, not a parameter an ID: a statement whose text is
		// the same for every page, which PostgreSQL plans once. With a
		// VALUES list of parameters it planned the directory's page of
		// seven joins afresh at every search, 8–14 ms a time against 1 ms
		// to run it.
		return "FROM unnest(CAST(" + pq.add(ids) + " AS text[])) page(id) CROSS JOIN people p",
			"p.organisation_id = $1 AND p.id = page.id", pq
	}
	values := make([]string, len(ids))
	for i, id := range ids {
		values[i] = "(" + pq.add(id) + ")"
	}
	return "FROM (VALUES " + strings.Join(values, ", ") + ") page CROSS JOIN people p",
		"p.organisation_id = $1 AND p.id = page.column1", pq
}

// listCount counts a list of people from/where, whose words are w, up to
// distans.CountCap+1: from the index of the words alone where they alone
// are the list (fts, prefixOnly), else from the list (cappedCount).
func (s *Store) listCount(ctx context.Context, tx *sql.Tx, from, where string, w wordSQL, q args, searched bool, orgID string) (int, error) {
	switch {
	case w.fts != "":
		return s.cappedCount(ctx, tx, "FROM person_fts f", "f.person_fts MATCH $1", args{w.fts}, false)
	case w.prefixOnly != "":
		var n int
		err := tx.QueryRowContext(ctx, prefixCount(w.column, "$1", "$2"), orgID, w.prefixOnly).Scan(&n)
		return n, err
	case w.prefixed:
		searched = false // one plan for every prefix (search_prefix.go)
	}
	return s.cappedCount(ctx, tx, from, where, q, searched)
}

// laterPage counts a list of people from/where (up to
// distans.CountCap+1) for a page after or before a cursor and, where the
// words are read in name order (fts, prefixed), narrows the page to
// its people as firstPage does the first. It returns what pageRows runs
// on.
func (s *Store) laterPage(ctx context.Context, tx *sql.Tx, from, where string, w wordSQL, q args, searched bool, orgID, after, before string, limit int) (total int, pageFrom, pageWhere string, pq args, pageSearched bool, err error) {
	total, err = s.listCount(ctx, tx, from, where, w, q, searched, orgID)
	if err != nil || total == 0 || w.fts == "" && !w.prefixed {
		return total, from, where, q, searched, err
	}
	var ids []string
	if w.prefixed {
		ids, _, err = s.prefixIDs(ctx, tx, w, from, where, q, after, before, limit, orgID, false)
	} else {
		ids, _, err = s.orderedIDs(ctx, tx, w.fts, after, before, limit, false)
	}
	if err != nil {
		return 0, "", "", nil, false, err
	}
	if len(ids) == 0 { // a cursor past either end
		return total, from, where + " AND 1 = 0", q, searched, nil
	}
	pageFrom, pageWhere, pq = s.pageOf(orgID, ids)
	return total, pageFrom, pageWhere, pq, false, nil
}

// pageRows runs the page query of a list in name order: sel (the SELECT
// list and FROM, without WHERE) under where, after or before f's cursor,
// with one row more than limit to know whether another page follows.
// scan reads one row and returns its name and ID. It returns the Page
// without Total, and the rows come in name order either way. searched
// says where carries a search's words (planEach).
func (s *Store) pageRows(ctx context.Context, tx *sql.Tx, sel, where string, q args, searched bool, after, before string, limit int,
	scan func(*sql.Rows) (name, id string, err error)) (distans.Page, error) {
	kq := append(args(nil), q...)
	cond, order, backwards, err := keyset(&kq, after, before)
	if err != nil {
		return distans.Page{}, err
	}
	if cond != "" {
		where += " AND " + cond
	}
	rows, err := tx.QueryContext(ctx, sel+` WHERE `+where+` ORDER BY `+order+limitRows(limit+1), s.planned(kq, searched)...)
	if err != nil {
		return distans.Page{}, err
	}
	defer rows.Close()
	type mark struct{ name, id string }
	var marks []mark
	for rows.Next() {
		if len(marks) == limit {
			marks = append(marks, mark{}) // one more exists; not read
			break
		}
		name, id, err := scan(rows)
		if err != nil {
			return distans.Page{}, err
		}
		marks = append(marks, mark{name, id})
	}
	if err := rows.Err(); err != nil {
		return distans.Page{}, err
	}
	more := len(marks) > limit
	if more {
		marks = marks[:limit]
	}
	var pg distans.Page
	if len(marks) == 0 {
		return pg, nil
	}
	first, last := marks[0], marks[len(marks)-1]
	if backwards {
		first, last = last, first
		if more {
			pg.Prev = distans.Cursor(first.name, first.id)
		}
		pg.Next = distans.Cursor(last.name, last.id)
		return pg, nil
	}
	if more {
		pg.Next = distans.Cursor(last.name, last.id)
	}
	if after != "" {
		pg.Prev = distans.Cursor(first.name, first.id)
	}
	return pg, nil
}

// indexUnitPeople indexes the people placed in the unit, whose directory
// words hold its name.
func (s *Store) indexUnitPeople(ctx context.Context, tx *sql.Tx, orgID, unitID string) error {
	ids, err := queryStrings(ctx, tx, `SELECT id FROM people WHERE organisation_id = $1 AND unit_id = $2`, orgID, unitID)
	if err != nil {
		return err
	}
	return s.indexPeople(ctx, tx, orgID, ids)
}
