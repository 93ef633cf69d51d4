package sqlstore

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
)

// TestStmtCacheNested runs a query inside a loop over the rows of the same
// query on one connection: the inner use must get a statement of its own
// and leave the outer rows intact.
func TestStmtCacheNested(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := openCachedSQLite("file:" + filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE n (v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := db.ExecContext(ctx, `INSERT INTO n (v) VALUES ($1)`, i); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT v FROM n WHERE v >= $1 ORDER BY v`
	rows, err := tx.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		outer += v
		var first int
		if err := tx.QueryRowContext(ctx, q, v).Scan(&first); err != nil {
			t.Fatal(err)
		}
		inner += first
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if outer != 15 || inner != 15 {
		t.Fatalf("outer sum %d, inner sum %d; want 15 and 15", outer, inner)
	}
	// The cached statement runs again with other arguments afterwards.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM n WHERE v >= $1`, 3).Scan(&n); err != nil || n != 3 {
		t.Fatalf("count = %d, %v", n, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM n WHERE v >= $1`, 5).Scan(&n); err != nil || n != 1 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

// TestStmtCacheFull runs more distinct texts than the cache holds, one of
// them kept reading throughout: the cache stays at its bound, keeps the
// newest text and never closes the statement still being read.
func TestStmtCacheFull(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := openCachedSQLite("file:" + filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const open = `SELECT value FROM json_each('[1,2,3]')`
	rows, err := conn.QueryContext(ctx, open)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal("no first row")
	}
	var last string
	for i := range maxCachedStmts + 50 {
		last = `SELECT ` + strconv.Itoa(i)
		var n int
		if err := conn.QueryRowContext(ctx, last).Scan(&n); err != nil || n != i {
			t.Fatalf("%s = %d, %v", last, n, err)
		}
	}
	if err := conn.Raw(func(dc any) error {
		c := dc.(*cachingConn)
		if len(c.stmts) != maxCachedStmts {
			t.Errorf("%d statements cached, want %d", len(c.stmts), maxCachedStmts)
		}
		if _, ok := c.stmts[last]; !ok {
			t.Errorf("the newest text is not cached")
		}
		if cs, ok := c.stmts[open]; !ok || !cs.busy {
			t.Errorf("the statement being read was evicted")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var sum int
	for more := true; more; more = rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		sum += v
	}
	if err := rows.Err(); err != nil || sum != 6 {
		t.Fatalf("the open rows summed %d, %v; want 6", sum, err)
	}
}
