// Package storetest runs one conformance suite against every database the
// store supports: SQLite always, and PostgreSQL whenever the environment
// variable DISTANS_TEST_POSTGRES holds a connection URL. Each test gets a
// database of its own: a fresh SQLite file, or a throwaway PostgreSQL
// schema, so tests run in parallel; on Citus, a schema from a pool of
// migrated ones (citus.go).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/distans/distans/internal/sqlstore"
)

// PostgresEnv names the environment variable with the PostgreSQL URL.
const PostgresEnv = "DISTANS_TEST_POSTGRES"

// CitusEnv names the environment variable with the URL of a Citus
// cluster's coordinator (scripts/citus start prints one).
const CitusEnv = "DISTANS_TEST_CITUS"

// Each runs fn as subtest "sqlite", when PostgresEnv is set as subtest
// "postgres", and when CitusEnv is set as subtest "citus", each with a
// fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, SQLite(t))
	})
	if dsn := os.Getenv(PostgresEnv); dsn != "" {
		t.Run("postgres", func(t *testing.T) {
			t.Parallel()
			fn(t, Postgres(t, dsn))
		})
	}
	if dsn := os.Getenv(CitusEnv); dsn != "" {
		t.Run("citus", func(t *testing.T) {
			t.Parallel()
			fn(t, Citus(t, dsn))
		})
	}
}

// SQLite returns a fresh migrated store on a file in t.TempDir(), closed
// when the test ends.
func SQLite(t testing.TB) *sqlstore.Store {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "distans.db"))
}

// Postgres returns a fresh migrated store in a schema of its own on the
// server at dsn; the schema is dropped when the test ends.
func Postgres(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "distans_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if err := dropSchema(context.Background(), admin, schema); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return open(t, withParam(t, dsn, "search_path", schema, true))
}

// dropSchema drops schema and everything in it, if it exists. On Citus,
// schemas dropped side by side can deadlock across nodes; the loser tries
// again.
func dropSchema(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, schema string) error {
	var err error
	for range 5 {
		if _, err = db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err == nil ||
			!strings.Contains(err.Error(), "40P01") {
			break
		}
	}
	return err
}

// dsns remembers the DSN of every store opened here, so that tests can
// reach around the store to tamper with the database (see Raw).
var dsns sync.Map // *sqlstore.Store → dsn

// Raw returns a plain connection to the store's database, for tests that
// must change rows behind the store's back; it is closed with the test.
func Raw(t testing.TB, s *sqlstore.Store) *sql.DB {
	t.Helper()
	v, ok := dsns.Load(s)
	if !ok {
		t.Fatal("storetest: store not opened by storetest")
	}
	dsn := v.(string)
	driver := "pgx"
	if s.Dialect() == "sqlite" {
		driver, dsn = "sqlite", strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func open(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	dsns.Store(s, dsn)
	// Cleanups run last first: the store closes before a schema is dropped.
	t.Cleanup(func() { dsns.Delete(s); s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// Twin returns a second store on the database of s, as a second instance
// of the server would have, closed with the test.
func Twin(t testing.TB, s *sqlstore.Store) *sqlstore.Store {
	t.Helper()
	v, ok := dsns.Load(s)
	if !ok {
		t.Fatal("storetest: store not opened by storetest")
	}
	return open(t, v.(string))
}

// DSN returns the database URL of a store opened here, for tests that
// run the distans command against the same database.
func DSN(t testing.TB, s *sqlstore.Store) string {
	t.Helper()
	v, ok := dsns.Load(s)
	if !ok {
		t.Fatal("storetest: store not opened by storetest")
	}
	return v.(string)
}
