package sqlstore_test

import (
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestOwnDataCoversSchema holds the own-data export against the schema
// as migrated, on every database: every column that names a person must
// be read by the export or left out with a reason. Which columns name a
// person is read from the schema itself: every column with a foreign key
// to people(id), every other column of the same name (phone_hours.owner_id
// names a person or a unit, and has no key), and every column named for
// who acted ("…_by", "…_by_id", "actor_id"), which the schema keeps
// without keys where the record outlives the person. A table added later
// with such a column fails here until someone decides.
func TestOwnDataCoversSchema(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		db := storetest.Raw(t, s)
		keyed, columns := personKeys(t, db, s.Dialect()), allColumns(t, db, s.Dialect())
		if len(keyed) < 10 {
			t.Fatalf("only %d foreign keys to people found: the query is wrong", len(keyed))
		}
		names := map[string]bool{"actor_id": true}
		for _, c := range keyed {
			names[c[strings.Index(c, ".")+1:]] = true
		}
		exported, omitted := sqlstore.OwnDataCoverage()
		covered := map[string]bool{}
		for _, c := range exported {
			covered[c] = true
		}
		var naming []string
		for _, c := range columns {
			col := c[strings.Index(c, ".")+1:]
			if names[col] || strings.HasSuffix(col, "_by") || strings.HasSuffix(col, "_by_id") {
				naming = append(naming, c)
			}
		}
		for _, c := range keyed {
			if !slices.Contains(naming, c) {
				t.Errorf("%s: a key to people that the column list lacks", c)
			}
		}
		for _, c := range naming {
			_, left := omitted[c]
			switch {
			case covered[c] && left:
				t.Errorf("%s is both exported and left out", c)
			case !covered[c] && !left:
				t.Errorf("%s names a person but is neither in the own-data export (ownDataSources) nor left out with a reason (ownDataOmitted)", c)
			}
		}
		// Every entry of the lists is a column of the schema, so that a
		// dropped or renamed column does not leave a reason for nothing.
		for _, c := range exported {
			table, col, _ := strings.Cut(c, ".")
			if col == "" {
				if !slices.ContainsFunc(columns, func(x string) bool { return strings.HasPrefix(x, table+".") }) {
					t.Errorf("the export reads table %s, which the schema lacks", table)
				}
			} else if !slices.Contains(columns, c) {
				t.Errorf("the export selects on %s, which the schema lacks", c)
			}
		}
		// A table one database alone has (a search index) is left out
		// on the other too.
		onlyOn := map[string]string{"person_prefixes": "postgres"}
		for c := range omitted {
			table, _, _ := strings.Cut(c, ".")
			if on, ok := onlyOn[table]; ok && on != s.Dialect() {
				continue
			}
			if !slices.Contains(naming, c) {
				t.Errorf("ownDataOmitted names %s, which is not a column naming a person", c)
			}
		}
		if t.Failed() {
			t.Logf("columns naming a person: %v", naming)
		}
	})
}

// personKeys returns the columns ("table.column") with a foreign key to
// people(id).
func personKeys(t *testing.T, db *sql.DB, dialect string) []string {
	t.Helper()
	q := `SELECT m.name, f."from" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND f."table" = 'people' AND f."to" = 'id'`
	if dialect == "postgres" {
		q = `SELECT kcu.table_name, kcu.column_name FROM information_schema.referential_constraints rc
			JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = rc.constraint_schema
				AND kcu.constraint_name = rc.constraint_name
			JOIN information_schema.key_column_usage pk ON pk.constraint_schema = rc.unique_constraint_schema
				AND pk.constraint_name = rc.unique_constraint_name AND pk.ordinal_position = kcu.position_in_unique_constraint
			WHERE kcu.table_schema = current_schema() AND pk.table_name = 'people' AND pk.column_name = 'id'`
	}
	return pairs(t, db, q)
}

// allColumns returns every column of every table ("table.column").
func allColumns(t *testing.T, db *sql.DB, dialect string) []string {
	t.Helper()
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`
	if dialect == "postgres" {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	return pairs(t, db, q)
}

func pairs(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	storetest.Must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, col string
		storetest.Must(t, rows.Scan(&table, &col))
		if c := table + "." + col; !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	storetest.Must(t, rows.Err())
	slices.Sort(out)
	return out
}
