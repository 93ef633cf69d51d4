package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/distans/distans/internal/sqlstore"
)

// Citus returns a store on the Citus cluster whose coordinator is at dsn,
// in a schema of its own that holds what a freshly migrated one holds: its
// tables distributed by organisation, and no rows.
//
// Migrating and distributing some eighty tables costs a Citus cluster
// seconds, which a test each made twenty minutes on two cores. So the
// schemas are a pool kept on the cluster and reused: a test claims one
// with a session advisory lock on the coordinator (held on a connection of
// its own until the test ends; a test binary that dies lets go with its
// connection), which works across the parallel test binaries of
// `go test ./...`, and empties every table before handing it out. A
// schema, not a database: Citus creates a schema on every node, while a
// database made on the coordinator would not exist on the workers.
//
// A schema is handed out again only when its catalogue is the one recorded
// when it was made (its tables, columns, keys, indexes, functions and
// distribution), so that a test that changes the schema under the store
// (a renamed table, say) and stops half-way spoils no later test: the
// schema is made afresh. The pool's schema names carry the migrations'
// digest, so a change of migrations starts a new pool. Tables are emptied
// rather than restored because the migrations seed no rows and no
// sequences; making a schema checks that, so a migration that starts
// seeding fails here instead of being silently undone.
//
// Two shards a table (one a worker) rather than 32 make a schema in
// seconds; rows are still placed by organisation.
func Citus(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	dsn = withParam(t, dsn, "citus.shard_count", "2", false)
	schema := claimCitus(t, dsn)
	return open(t, withParam(t, dsn, "search_path", schema, true))
}

// poolSize bounds the pool: more schemas than tests that can run at once
// means a claim that never finds a free one is a bug.
const poolSize = 64

// claimCitus claims a pool schema for the test, ready for use, and lets it
// go when the test ends (after the store is closed: cleanups run last
// first, and this one is registered before the store's).
func claimCitus(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	digest, err := sqlstore.MigrationsDigest("postgres")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := admin.Conn(ctx)
	if err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Closing the session would release the lock too; unlocking first
		// keeps a connection that database/sql might hold on to from
		// carrying it.
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock_all()`)
		conn.Close()
		admin.Close()
	})
	for n := range poolSize {
		schema := fmt.Sprintf("distans_pool_%s_%d", digest[:12], n)
		var mine bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`,
			"distans-storetest-pool:"+schema).Scan(&mine); err != nil {
			t.Fatalf("claim %s: %v", schema, err)
		}
		if !mine {
			continue
		}
		ready, err := readyPoolSchema(ctx, conn, schema)
		if err != nil {
			t.Fatalf("check %s: %v", schema, err)
		}
		if ready {
			if err := emptyPoolSchema(ctx, conn, schema); err != nil {
				t.Fatalf("empty %s: %v", schema, err)
			}
		} else if err := makePoolSchema(ctx, t, conn, dsn, schema); err != nil {
			t.Fatalf("make %s: %v", schema, err)
		}
		return schema
	}
	t.Fatalf("storetest: all %d pool schemas on the Citus cluster are claimed", poolSize)
	return ""
}

// poolMark is the schema comment that marks a pool schema as made, with
// its catalogue's fingerprint.
const poolMark = "distans storetest pool "

// readyPoolSchema reports whether schema exists, was made completely and
// still has the catalogue it was made with.
func readyPoolSchema(ctx context.Context, conn *sql.Conn, schema string) (bool, error) {
	var comment sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1`,
		schema).Scan(&comment)
	if err == sql.ErrNoRows || err == nil && !comment.Valid {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	fp, err := poolFingerprint(ctx, conn, schema)
	return err == nil && comment.String == poolMark+fp, err
}

// makePoolSchema makes schema afresh: migrated, distributed, checked to
// hold no rows and no sequences (but the migrations' own), and marked.
func makePoolSchema(ctx context.Context, t testing.TB, conn *sql.Conn, dsn, schema string) error {
	t.Helper()
	if err := dropSchema(ctx, conn, schema); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, withParam(t, dsn, "search_path", schema, true))
	if err != nil {
		return err
	}
	err = s.Migrate(ctx)
	s.Close()
	if err != nil {
		return err
	}
	var sequences int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_sequences WHERE schemaname = $1
		AND sequencename <> 'goose_db_version_id_seq'`, schema).
		Scan(&sequences); err != nil {
		return err
	}
	if sequences > 0 {
		return fmt.Errorf("the migrations make %d sequences; teach storetest's Citus pool to reset them", sequences)
	}
	tables, err := poolTables(ctx, conn, schema)
	if err != nil {
		return err
	}
	for _, table := range tables {
		var seeded bool
		if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+`)`).Scan(&seeded); err != nil {
			return err
		}
		if seeded {
			return fmt.Errorf("the migrations seed rows in %s; teach storetest's Citus pool to restore them", table)
		}
	}
	fp, err := poolFingerprint(ctx, conn, schema)
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `COMMENT ON SCHEMA `+schema+` IS '`+poolMark+fp+`'`)
	return err
}

// emptyPoolSchema deletes every row of the schema but the migrations' own
// bookkeeping. TRUNCATE of every table would take seconds (a new file for
// each shard on every node), so it asks every node which of the schema's
// tables (by their shards' names: table_shardid) have a file that is not
// empty, and deletes the rows of those alone, in one transaction. The
// tables are emptied in any order: session_replication_role = replica,
// sent to the workers with the DELETEs, lets their shards' foreign keys
// be; every row goes, so none is left that a key would refuse.
func emptyPoolSchema(ctx context.Context, conn *sql.Conn, schema string) error {
	tables, err := poolTables(ctx, conn, schema)
	if err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, `SELECT success, result FROM run_command_on_all_nodes($1)`,
		// OFFSET 0 keeps the planner from asking the size of every
		// relation of every schema before it picks this schema's.
		`SELECT coalesce(string_agg(DISTINCT format('%I.%I', '`+schema+`', regexp_replace(c.relname, '_[0-9]+$', '')), ' '), '')
			FROM (SELECT oid, relname FROM pg_class WHERE relnamespace = '`+schema+`'::regnamespace AND relkind = 'r' OFFSET 0) c
			WHERE pg_relation_size(c.oid) > 0`)
	if err != nil {
		return err
	}
	written := map[string]bool{}
	for rows.Next() {
		var ok bool
		var result string
		if err := rows.Scan(&ok, &result); err != nil {
			rows.Close()
			return err
		}
		if !ok {
			rows.Close()
			return fmt.Errorf("a node: %s", result)
		}
		for _, table := range strings.Fields(result) {
			written[table] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, set := range []string{
		`SET LOCAL citus.propagate_set_commands = 'local'`,
		`SET LOCAL session_replication_role = replica`,
		// Reference tables and distributed ones in one transaction.
		`SET LOCAL citus.multi_shard_modify_mode = 'sequential'`,
	} {
		if _, err := tx.ExecContext(ctx, set); err != nil {
			return err
		}
	}
	for _, table := range tables {
		if !written[table] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return tx.Commit()
}

// poolTables lists the schema's tables, quoted, but goose_db_version.
func poolTables(ctx context.Context, conn *sql.Conn, schema string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT format('%I.%I', n.nspname, c.relname)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'goose_db_version'
		ORDER BY 1`, schema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			return nil, err
		}
		out = append(out, table)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no tables in %s", schema)
	}
	return out, nil
}

// poolFingerprint digests the schema's catalogue: what a test could change
// under the store and a later test would notice.
func poolFingerprint(ctx context.Context, conn *sql.Conn, schema string) (string, error) {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	// Definitions name their tables with the schema whatever the
	// connection's search_path.
	if _, err := tx.ExecContext(ctx, `SET LOCAL search_path TO pg_catalog`); err != nil {
		return "", err
	}
	var fp sql.NullString
	err = tx.QueryRowContext(ctx, `
		WITH s AS (SELECT oid FROM pg_namespace WHERE nspname = $1)
		SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
			SELECT concat_ws(' ', 'column', c.relname, c.relkind, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
					a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
				FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
				LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
				WHERE c.relnamespace = (SELECT oid FROM s)
			UNION ALL
			SELECT concat_ws(' ', 'constraint', c.relname, k.conname, pg_get_constraintdef(k.oid))
				FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = (SELECT oid FROM s)
			UNION ALL
			SELECT concat_ws(' ', 'index', pg_get_indexdef(i.indexrelid))
				FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = (SELECT oid FROM s)
			UNION ALL
			SELECT concat_ws(' ', 'trigger', c.relname, g.tgname)
				FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE c.relnamespace = (SELECT oid FROM s)
			UNION ALL
			SELECT concat_ws(' ', 'function', p.oid::regprocedure, md5(p.prosrc))
				FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM s)
			UNION ALL
			SELECT concat_ws(' ', 'distributed', c.relname, d.partmethod, column_to_column_name(d.logicalrelid, d.partkey))
				FROM pg_dist_partition d JOIN pg_class c ON c.oid = d.logicalrelid WHERE c.relnamespace = (SELECT oid FROM s)
		) f(x)`, schema).Scan(&fp)
	return fp.String, err
}

// withParam returns dsn with the query parameter name set to value; unless
// replace, a value the URL already has is kept.
func withParam(t testing.TB, dsn, name, value string, replace bool) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if replace || q.Get(name) == "" {
		q.Set(name, value)
	}
	u.RawQuery = q.Encode()
	return u.String()
}
