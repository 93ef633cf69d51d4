package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Writing many rows with few statements, for imports: a statement per row
// costs a round trip each on PostgreSQL and a parse each on SQLite, which
// for an organisation of 50,000 people is minutes instead of seconds.

// maxParams bounds the parameters of one statement: SQLite allows 32,766
// and PostgreSQL 65,535.
const maxParams = 32000

// rowFunc appends the values of row i to q.
type rowFunc func(i int, q []any) []any

// batches runs a statement over n rows, as many rows to a statement as keep
// it within maxParams at width parameters a row; tail are parameters after
// the rows'. text returns the statement for k rows; it is prepared once for
// each k (a full batch, then the rest), outside the statement cache, which
// would keep such long texts for good. after is told each batch's rows.
func batches(ctx context.Context, tx *sql.Tx, n, width int, tail []any, text func(k int) string, row rowFunc, after func(k int) error) error {
	per := max(1, (maxParams-len(tail))/width)
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	q := make([]any, 0, min(n, per)*width+len(tail))
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		st, ok := stmts[k]
		if !ok {
			var err error
			if st, err = tx.PrepareContext(ctx, text(k)); err != nil {
				return err
			}
			stmts[k] = st
		}
		q = q[:0]
		for i := start; i < start+k; i++ {
			q = row(i, q)
		}
		q = append(q, tail...)
		if _, err := st.ExecContext(ctx, q...); err != nil {
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

// valueRows returns k rows of width placeholders: "($1, $2), ($3, $4)".
func valueRows(k, width int) string {
	var b strings.Builder
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
			b.WriteString("$" + strconv.Itoa(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// insertMany inserts n rows into table; row appends row i's values, one for
// each of cols.
func insertMany(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row rowFunc, after func(k int) error) error {
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	return batches(ctx, tx, n, len(cols), nil, func(k int) string { return head + valueRows(k, len(cols)) }, row, after)
}

// setCol is a column that updateMany sets, with its type where the
// database must be told it (dialect.cast).
type setCol struct{ name, typ string }

// updateMany sets cols of n rows of the organisation's table, found by ID,
// in statements of UPDATE … FROM (VALUES …), which both databases run as
// a lookup by primary key for each row of the list. row appends row i's
// ID, then one value for each of cols; extra is more of the SET clause.
func (s *Store) updateMany(ctx context.Context, tx *sql.Tx, table, orgID string, cols []setCol, extra string, n int,
	row rowFunc, after func(k int) error) error {
	set := make([]string, len(cols))
	for i, c := range cols {
		// The columns of a VALUES list are column1, column2, … on both.
		v := "v.column" + strconv.Itoa(i+2)
		if c.typ != "" {
			v = s.dialect.cast(v, c.typ)
		}
		set[i] = c.name + " = " + v
	}
	if extra != "" {
		set = append(set, extra)
	}
	width := len(cols) + 1
	text := func(k int) string {
		return `UPDATE ` + table + ` AS t SET ` + strings.Join(set, ", ") + ` FROM (VALUES ` + valueRows(k, width) + `) AS v
			WHERE t.organisation_id = $` + strconv.Itoa(k*width+1) + ` AND t.id = v.column1`
	}
	return batches(ctx, tx, n, width, []any{orgID}, text, row, after)
}

// deleteMany deletes the organisation's rows of table whose col is one of
// n values; value returns the i-th.
func deleteMany(ctx context.Context, tx *sql.Tx, table, col, orgID string, n int, value func(i int) any) error {
	text := func(k int) string {
		in := make([]string, k)
		for i := range in {
			in[i] = "$" + strconv.Itoa(i+1)
		}
		return `DELETE FROM ` + table + ` WHERE ` + col + ` IN (` + strings.Join(in, ", ") + `) AND organisation_id = $` + strconv.Itoa(k+1)
	}
	return batches(ctx, tx, n, 1, []any{orgID}, text, func(i int, q []any) []any { return append(q, value(i)) }, nil)
}
