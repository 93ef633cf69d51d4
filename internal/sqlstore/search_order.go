package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

// On SQLite a person's row in person_fts has a rowid that follows their
// name_key, so that FTS5, which returns its matches in rowid order, returns
// them in name order, near enough to stop early: the first page of "an"
// reads some thirty matches, not the 10,000 there are, and the count stops
// at distans.CountCap+1.
//
// The rowid is the name_key's bucket (its first ftsKeyChars bytes, five
// bits each) shifted over a counter of ftsCounterBits bits that tells
// apart the people, of every organisation, in one bucket. The bucket never
// decreases as the key grows (ftsBucket), so a match in a later bucket
// sorts after every match in an earlier one; within a bucket the counter
// is the order of indexing, not of names, so a page reads its last bucket
// to the end and sorts what it read (orderedIDs). At 50,000 people a
// bucket holds seven people on average; the largest are nine-letter first
// names and a space ("sebastian ", 519), which a page that ends there
// reads in full (about a millisecond). A bucket whose 4,096 counters are
// all taken, by the people of every organisation in the installation whose
// names begin with the same ten letters, overflows to rowids from
// ftsOverflow on, in no order, which every page reads in full: correct,
// and as fast as long as few overflow.
const (
	ftsKeyChars    = 10
	ftsCounterBits = 12
	ftsBucketSpan  = int64(1) << ftsCounterBits
	ftsOverflow    = int64(1) << (5*ftsKeyChars + ftsCounterBits)
)

// ftsCode is byte b of a name_key as five bits, never smaller for a
// greater byte. Space, the letters a–z and {|, which SortKey writes for å
// and ä, have a code each; the rest share a code with their neighbours:
// everything below space with the end of the key (0), the punctuation and
// digits between space and a (2), and } (ö) with every byte above it (31).
// lossy says the code stands for more than one byte.
func ftsCode(b byte) (code int64, lossy bool) {
	switch {
	case b < ' ':
		return 0, true
	case b == ' ':
		return 1, false
	case b < 'a':
		return 2, true
	case b <= '|':
		return int64(b-'a') + 3, false
	default:
		return 31, true
	}
}

// ftsBucket is the bucket of name_key key. A key is cut after its first
// byte whose code stands for several bytes: keys that differ only after
// such a byte could otherwise get buckets in the other order than the keys
// ("a-z" before "a0a"). For keys k1 < k2 (byte-wise, as both databases
// compare name_key) ftsBucket(k1) <= ftsBucket(k2).
func ftsBucket(key string) int64 {
	var bucket int64
	cut := false
	for i := range ftsKeyChars {
		var c int64
		if !cut && i < len(key) {
			c, cut = ftsCode(key[i])
		}
		bucket = bucket<<5 | c
	}
	return bucket
}

// ftsRowids hands out person_fts rowids within a transaction: the next
// counter of each bucket, read once from the table.
type ftsRowids struct {
	next    map[int64]int64 // bucket (or -1, the overflow) → the next rowid to hand out
	wrapped map[int64]bool  // buckets whose counter ran out: look for gaps
	given   map[int64]bool  // rowids handed out in buckets, not written yet
}

// rowid returns a free rowid for a person with name_key key: the next
// counter of its bucket, else a gap in it, else the next of the overflow.
func (r *ftsRowids) rowid(ctx context.Context, tx *sql.Tx, key string) (int64, error) {
	if r.next == nil {
		r.next, r.wrapped, r.given = map[int64]int64{}, map[int64]bool{}, map[int64]bool{}
	}
	bucket := ftsBucket(key)
	lo := bucket << ftsCounterBits
	hi := lo + ftsBucketSpan
	next, ok := r.next[bucket]
	if !ok {
		var err error
		if next, err = ftsNext(ctx, tx, lo, hi); err != nil {
			return 0, err
		}
	}
	if next >= hi {
		r.wrapped[bucket] = true
	}
	if r.wrapped[bucket] {
		var err error
		if next, err = ftsGap(ctx, tx, lo, hi, r.given); err != nil {
			return 0, err
		}
	}
	if next >= hi {
		const overflow = -1
		if next, ok = r.next[overflow]; !ok {
			var err error
			if next, err = ftsNext(ctx, tx, ftsOverflow, math.MaxInt64); err != nil {
				return 0, err
			}
		}
		if next == math.MaxInt64 {
			return 0, errors.New("sqlstore: person_fts: no rowid left")
		}
		r.next[overflow] = next + 1
		return next, nil
	}
	r.next[bucket] = next + 1
	r.given[next] = true
	return next, nil
}

// ftsNext is the rowid after the last that person_fts uses in [lo, hi),
// or lo.
func ftsNext(ctx context.Context, tx *sql.Tx, lo, hi int64) (int64, error) {
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(rowid) FROM person_fts WHERE rowid >= $1 AND rowid < $2`, lo, hi).Scan(&last); err != nil {
		return 0, err
	}
	if !last.Valid {
		return lo, nil
	}
	return last.Int64 + 1, nil
}

// ftsGap is the first rowid in [from, hi) that person_fts does not use
// and that was not given in the transaction (not written yet), or hi.
func ftsGap(ctx context.Context, tx *sql.Tx, from, hi int64, given map[int64]bool) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rowid FROM person_fts WHERE rowid >= $1 AND rowid < $2 ORDER BY rowid`, from, hi)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	want := from
	for rows.Next() {
		var used int64
		if err := rows.Scan(&used); err != nil {
			return 0, err
		}
		for ; want < used; want++ {
			if !given[want] {
				return want, nil
			}
		}
		want = used + 1
	}
	for want < hi && given[want] {
		want++
	}
	return want, rows.Err()
}

// fillFTS indexes every person with search words in person_fts when the
// table is empty, as migrations 00034 and 00036 leave it; it does nothing otherwise
// (SQLite only).
func (s *Store) fillFTS(ctx context.Context) error {
	if !s.dialect.fts {
		return nil
	}
	all, err := s.unindexed(ctx, "person_fts")
	if err != nil {
		return err
	}
	return orgRuns(len(all), func(i int) string { return all[i].org }, func(lo, hi int) error {
		batch := make([]ftsRow, 0, hi-lo)
		for _, p := range all[lo:hi] {
			batch = append(batch, p.ftsRow())
		}
		return s.write(ctx, func(tx *sql.Tx) error {
			var alloc ftsRowids
			for i := range batch {
				var err error
				if batch[i].rowid, err = alloc.rowid(ctx, tx, batch[i].key); err != nil {
					return err
				}
			}
			return s.insertFTS(ctx, tx, all[lo].org, batch)
		})
	})
}

// A wordsRow is a person's row as a search index is filled from: the
// person's organisation, ID, name_key, unit path, words (people.terms and
// dir_terms) and whether they are employed.
type wordsRow struct {
	org, id, key, path, terms, dir string
	employed                       bool
}

// unindexed returns every person with search words, in organisation order,
// when the search index table is empty, as the migration that made it
// leaves it; none when it holds rows or nobody has words.
func (s *Store) unindexed(ctx context.Context, table string) ([]wordsRow, error) {
	var filled, words bool
	if err := s.rdb.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+`), EXISTS (SELECT 1 FROM people WHERE terms != '')`).
		Scan(&filled, &words); err != nil || filled || !words {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT organisation_id, id, name_key, unit_path, terms, dir_terms, employed FROM people
		WHERE terms != '' ORDER BY organisation_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []wordsRow
	for rows.Next() {
		var p wordsRow
		if err := rows.Scan(&p.org, &p.id, &p.key, &p.path, &p.terms, &p.dir, &p.employed); err != nil {
			return nil, err
		}
		all = append(all, p)
	}
	return all, rows.Err()
}

// orderedIDs reads the matches of the FTS5 query of person_fts (a
// search's wordSQL.fts) in rowid order after (or, with
// before, backwards from) a cursor, and returns the IDs of the first
// limit+1 in name order: they lie in the buckets up to that of the
// (limit+1)th match read, so the reading goes on to the end of that
// bucket, and among the overflow's matches, which it reads all of. With
// count it counts on, up to distans.CountCap+1 matches, and returns how
// many match (with no cursor: in all). The count asks for no column:
// FTS5 reads a match's rowid from its index, but each column from its
// content table, a seek a row, which was a fifth of a directory search.
func (s *Store) orderedIDs(ctx context.Context, tx *sql.Tx, query string, after, before string, limit int, count bool) (ids []string, total int, err error) {
	var kq args
	const from = "FROM person_fts f"
	where := "f.person_fts MATCH " + kq.add(query)
	cond, _, backwards, err := keysetOf(&kq, "f.name_key", "f.id", after, before)
	if err != nil {
		return nil, 0, err
	}
	if cond != "" {
		where += " AND " + cond
	}
	type match struct {
		rowid   int64
		id, key string
	}
	var got []match
	read := func(bounds, order string, each func(m match) (more bool)) error {
		rows, err := tx.QueryContext(ctx, `SELECT f.rowid, f.id, f.name_key `+from+` WHERE `+where+bounds+order, kq...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m match
			if err := rows.Scan(&m.rowid, &m.id, &m.key); err != nil {
				return err
			}
			if !each(m) {
				break
			}
		}
		return rows.Err()
	}
	// The overflow first, in full. There is none, as a rule, which one
	// seek of person_fts's rowids tells for less than FTS5 takes to set
	// up the words' query (a twentieth of a directory search).
	var overflow bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM person_fts WHERE rowid >= $1)`, ftsOverflow).Scan(&overflow); err != nil {
		return nil, 0, err
	}
	if overflow {
		if err := read(" AND f.rowid >= "+kq.add(ftsOverflow), "", func(m match) bool {
			got = append(got, m)
			return true
		}); err != nil {
			return nil, 0, err
		}
	}
	total = len(got)
	// Then the buckets in order, from the cursor's, where FTS5 starts.
	bounds, order := " AND f.rowid < "+kq.add(ftsOverflow), " ORDER BY f.rowid"
	if cond != "" {
		cursor, field := after, "after"
		if backwards {
			cursor, field = before, "before"
		}
		key, _, err := distans.ParseCursor(field, cursor)
		if err != nil {
			return nil, 0, err
		}
		bucket := ftsBucket(key) << ftsCounterBits
		if backwards {
			bounds = " AND f.rowid < " + kq.add(bucket+ftsBucketSpan)
			order = " ORDER BY f.rowid DESC"
		} else {
			bounds += " AND f.rowid >= " + kq.add(bucket)
		}
	}
	ordered, last := 0, int64(-1) // matches kept from the buckets; the bucket of the (limit+1)th
	stop := int64(-1)             // the rowid of the match after the last bucket kept
	if err := read(bounds, order, func(m match) bool {
		total++
		switch bucket := m.rowid >> ftsCounterBits; {
		case ordered <= limit:
			got = append(got, m)
			if ordered++; ordered == limit+1 {
				last = bucket
			}
		case bucket == last:
			got = append(got, m)
		default:
			stop = m.rowid
			return false
		}
		return true
	}); err != nil {
		return nil, 0, err
	}
	if count && stop >= 0 && total <= distans.CountCap {
		// The count is asked for with no cursor, so forwards. Its limit is
		// the cap, not what is left of it: one statement text (limitRows),
		// at the cost of reading on past the cap by the matches kept.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 `+from+` WHERE `+where+
			` AND f.rowid > `+kq.add(stop)+` AND f.rowid < `+kq.add(ftsOverflow)+limitRows(distans.CountCap+1)+`) x`,
			kq...).Scan(&n); err != nil {
			return nil, 0, err
		}
		total += n
	}
	slices.SortFunc(got, func(a, b match) int {
		c := cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.id, b.id))
		if backwards {
			return -c
		}
		return c
	})
	got = got[:min(len(got), limit+1)]
	ids = make([]string, len(got))
	for i, m := range got {
		ids[i] = m.id
	}
	return ids, min(total, distans.CountCap+1), nil
}

// optimizeEvery is how often OptimizeSearch merges person_fts.
const optimizeEvery = 24 * time.Hour

// OptimizeSearch merges SQLite's FTS5 index of people into one b-tree,
// at most once every optimizeEvery, the first time in the first job round
// after start (an import or a migration's refill is then merged at once).
// Every transaction that indexes someone adds a segment, which FTS5
// merges only four at a time, and a search opens each segment for each
// word: on the bench's 50,000 people, merging made a directory search
// about a fifth cheaper. It holds the writer for as long as it takes (0.9
// s at 50,000 people). PostgreSQL's person_prefixes needs nothing of it. It
// returns 1 when it merged.
func (s *Store) OptimizeSearch(ctx context.Context, now time.Time) (int, error) {
	if !s.dialect.fts {
		return 0, nil
	}
	o := &s.ftsOptimized
	o.Lock()
	defer o.Unlock()
	if !o.at.IsZero() && now.Sub(o.at) < optimizeEvery {
		return 0, nil
	}
	if err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO person_fts (person_fts) VALUES ('optimize')`)
		return err
	}); err != nil {
		return 0, err
	}
	o.at = now
	return 1, nil
}
