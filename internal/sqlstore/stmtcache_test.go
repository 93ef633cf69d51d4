package sqlstore

import (
	"context"
	"path/filepath"
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
