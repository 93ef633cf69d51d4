package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Writing many rows with few statements, for imports: a statement per row
// costs a round trip each on PostgreSQL and a parse each on SQLite, which
// for an organisation of 50,000 people is minutes instead of seconds.
//
// On SQLite a statement carries its rows as a VALUES list, as many as keep
// it within SQLite's limit of parameters. On PostgreSQL, which parses and
// plans such a list expression by expression, each column of the rows is
// one text array, unnested: one parameter a column, whatever the rows.
// Either way the rows are a table v with the columns column1, column2, …
// (the names both databases give the columns of a VALUES list).

// maxParams bounds the parameters of one statement on SQLite, which allows
// 32,766.
const maxParams = 32000

// arrayRows is how many rows one statement carries on PostgreSQL.
const arrayRows = 5000

// rowFunc appends the values of row i to q: strings, integers, booleans or nil.
type rowFunc func(i int, q []any) []any

// colType is the type of a column where the database is to be told it:
// the schema's dates end in _on, its times in _at (or are at), seq is an
// audit event's number, employed a person's flag and lists a prefix's
// (search_prefix.go). Text needs no word.
func colType(name string) string {
	switch {
	case name == "employed":
		return "boolean"
	case name == "lists":
		return "smallint"
	case strings.HasSuffix(name, "_on"):
		return "date"
	case strings.HasSuffix(name, "_at"), name == "at":
		return "timestamptz"
	case name == "seq":
		return "bigint"
	}
	return ""
}

// rowsFrom returns the FROM item of k rows of width columns, named v, and
// the number of the first parameter after them.
func (s *Store) rowsFrom(k, width int) (string, int) {
	return s.typedRowsFrom(k, make([]string, width))
}

// typedRowsFrom is rowsFrom whose arrays are of types (a column's type,
// "" for text), for an UPDATE: Citus refuses a cast of a column of v to a
// date or time there, a STABLE function of a column, so the parameters
// are cast instead.
func (s *Store) typedRowsFrom(k int, types []string) (string, int) {
	width := len(types)
	var b strings.Builder
	if s.dialect.arrays {
		b.WriteString("unnest(")
		for c, t := range types {
			if c > 0 {
				b.WriteString(", ")
			}
			if t == "" {
				t = "text"
			}
			b.WriteString("CAST(" + s.dialect.param(c+1) + " AS " + t + "[])")
		}
		b.WriteString(") AS v(")
		for c := range width {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteString("column" + strconv.Itoa(c+1))
		}
		b.WriteString(")")
		return b.String(), width + 1
	}
	return "(" + s.valuesList(k, width) + ") AS v", k*width + 1
}

// valuesList is a VALUES list of k rows of width parameters.
func (s *Store) valuesList(k, width int) string {
	var b strings.Builder
	b.WriteString("VALUES ")
	n := 0
	for r := range k {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range width {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteString(s.dialect.param(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// vcol is column c (from 0) of the rows, cast to the type of the column
// it is written to.
func (s *Store) vcol(c int, target string) string {
	v := "v.column" + strconv.Itoa(c+1)
	if t := colType(target); t != "" {
		v = s.dialect.cast(v, t)
	}
	return v
}

// batches runs a statement over n rows of width values; tail are parameters
// after the rows', and come after them in the statement's text (SQLite's
// placeholders are bare "?"s, bound in order). text returns the statement for k rows; each text is
// prepared once, outside the statement cache, which would keep such long
// texts for good. after is told each batch's rows.
func (s *Store) batches(ctx context.Context, tx *sql.Tx, n, width int, tail []any, text func(k int) string, row rowFunc, after func(k int) error) error {
	per := max(1, (maxParams-len(tail))/width)
	if s.dialect.arrays {
		per = arrayRows
	}
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	var q []any
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		t := text(k)
		st, ok := stmts[t]
		if !ok {
			var err error
			if st, err = tx.PrepareContext(ctx, t); err != nil {
				return err
			}
			stmts[t] = st
		}
		q = q[:0]
		for i := start; i < start+k; i++ {
			q = row(i, q)
		}
		var params []any
		if s.dialect.arrays {
			cols, err := columns(q, k, width)
			if err != nil {
				return err
			}
			params = append(cols, tail...)
		} else {
			params = append(q, tail...)
		}
		if _, err := st.ExecContext(ctx, params...); err != nil {
			return err
		}
		if after != nil {
			if err := after(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// columns turns k rows of width values into width text arrays.
func columns(q []any, k, width int) ([]any, error) {
	cols := make([][]*string, width)
	for c := range cols {
		cols[c] = make([]*string, k)
	}
	for i, v := range q {
		var text string
		switch v := v.(type) {
		case nil:
			continue
		case string:
			text = v
		case int:
			text = strconv.Itoa(v)
		case int64:
			text = strconv.FormatInt(v, 10)
		case bool:
			text = strconv.FormatBool(v)
		default:
			return nil, fmt.Errorf("sqlstore: bulk value of type %T", v)
		}
		cols[i%width][i/width] = &text
	}
	out := make([]any, width)
	for c := range cols {
		out[c] = cols[c]
	}
	return out, nil
}

// insertMany inserts n rows into table; row appends row i's values, one for
// each of cols.
func (s *Store) insertMany(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row rowFunc, after func(k int) error) error {
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) `
	text := func(k int) string {
		if !s.dialect.arrays {
			return head + s.valuesList(k, len(cols))
		}
		from, _ := s.rowsFrom(k, len(cols))
		sel := make([]string, len(cols))
		for c, name := range cols {
			sel[c] = s.vcol(c, name)
		}
		return head + `SELECT ` + strings.Join(sel, ", ") + ` FROM ` + from
	}
	return s.batches(ctx, tx, n, len(cols), nil, text, row, after)
}

// updateMany sets cols of n rows of the organisation's table, found by ID:
// row appends row i's ID, then one value for each of cols; extra is more of
// the SET clause. Both databases look each row up by its primary key.
func (s *Store) updateMany(ctx context.Context, tx *sql.Tx, table, orgID string, cols []string, extra string, n int,
	row rowFunc, after func(k int) error) error {
	set := make([]string, len(cols))
	types := make([]string, len(cols)+1)
	for c, name := range cols {
		set[c] = name + " = " + s.vcol(c+1, name)
		if s.dialect.arrays {
			types[c+1] = colType(name)
			set[c] = name + " = v.column" + strconv.Itoa(c+2)
		}
	}
	if extra != "" {
		set = append(set, extra)
	}
	text := func(k int) string {
		from, next := s.typedRowsFrom(k, types)
		return `UPDATE ` + table + ` AS t SET ` + strings.Join(set, ", ") + ` FROM ` + from + `
			WHERE t.organisation_id = ` + s.dialect.param(next) + ` AND t.id = v.column1`
	}
	return s.batches(ctx, tx, n, len(cols)+1, []any{orgID}, text, row, after)
}

// deleteMany deletes the organisation's rows of table whose col is one of
// n values; value returns the i-th.
func (s *Store) deleteMany(ctx context.Context, tx *sql.Tx, table, col, orgID string, n int, value func(i int) string) error {
	text := func(k int) string {
		from, next := s.rowsFrom(k, 1)
		// The rows' parameters come first: on SQLite they are bare "?"s.
		return `DELETE FROM ` + table + ` WHERE ` + col + ` IN (SELECT v.column1 FROM ` + from + `)
			AND organisation_id = ` + s.dialect.param(next)
	}
	return s.batches(ctx, tx, n, 1, []any{orgID}, text, func(i int, q []any) []any { return append(q, value(i)) }, nil)
}
