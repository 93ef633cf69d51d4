package storetest

import (
	"context"
	"os"
	"testing"
)

// TestCitusPool holds the pool of Citus schemas to its promise: a schema
// that a test filled is empty again, every table of it, when the next test
// gets it, and a schema whose catalogue a test changed is not handed out.
func TestCitusPool(t *testing.T) {
	t.Parallel()
	dsn := os.Getenv(CitusEnv)
	if dsn == "" {
		t.Skip(CitusEnv + " not set")
	}
	ctx := context.Background()
	s := Citus(t, dsn)
	// Rows in reference tables (organisations) and in distributed ones tied
	// to them and to one another by foreign keys, on both workers.
	NewWorld(t, s)
	conn, err := Raw(t, s).Conn(ctx)
	Must(t, err)
	defer conn.Close()
	var schema string
	Must(t, conn.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema))
	tables, err := poolTables(ctx, conn, schema)
	Must(t, err)
	count := func(table string) int {
		t.Helper()
		var n int
		Must(t, conn.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n))
		return n
	}
	if count(schema+".people") == 0 || count(schema+".organisations") == 0 {
		t.Fatal("the world left no people or organisations to empty")
	}

	Must(t, emptyPoolSchema(ctx, conn, schema))
	for _, table := range tables {
		if n := count(table); n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}
	// Emptied, the schema takes the same rows again: nothing of them is
	// left in a unique key.
	NewWorld(t, s)

	for _, tc := range []struct{ change, undo string }{
		{`ALTER TABLE units RENAME TO units_away`, `ALTER TABLE units_away RENAME TO units`},
		{`CREATE INDEX pool_test ON people (organisation_id, email)`, `DROP INDEX pool_test`},
	} {
		_, err := conn.ExecContext(ctx, tc.change)
		Must(t, err)
		ready, err := readyPoolSchema(ctx, conn, schema)
		Must(t, err)
		_, err = conn.ExecContext(ctx, tc.undo)
		Must(t, err)
		if ready {
			t.Errorf("after %s the schema is still handed out", tc.change)
		}
		if ready, err := readyPoolSchema(ctx, conn, schema); err != nil || !ready {
			t.Errorf("after %s and back the schema is not handed out: %v", tc.change, err)
		}
	}
}
