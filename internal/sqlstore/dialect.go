package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/distans/distans"
)

// This file holds everything that differs between SQLite and PostgreSQL:
// connecting, row locks and the errors of unique constraints. The SQL text
// elsewhere is shared: $n placeholders, text for times (see ts) and dates
// (see day), and unit-path ranges instead of LIKE (see scope.go).

type dialect struct {
	name string
	// fold is the SQL function that does what fold does in Go, for text
	// without a folded copy in a column (audit summaries).
	fold func(col string) string
	// forUpdate ends a SELECT that must lock the rows it reads until the
	// transaction ends. SQLite needs none: its one writer is serialised.
	forUpdate string
	// sha256hex is the SHA-256 of a text expression's UTF-8 bytes, in
	// lower-case hex, as hex.EncodeToString writes it (audit hashes).
	sha256hex func(expr string) string
	// cast gives a text expression the column type typ (date,
	// timestamptz) where the database does not infer it: PostgreSQL takes
	// the parameters of a VALUES list outside an INSERT for text. SQLite
	// keeps dates and times as text.
	cast func(expr, typ string) string
	// headInAppend says the statement that appends an audit event moves
	// the chain's head itself, by an UPDATE after the INSERT in its WITH
	// (appendAudit); SQLite has no INSERT in a WITH and a trigger moves it.
	headInAppend bool
	// param is the n-th placeholder of a statement whose placeholders
	// come in order (bulk.go). SQLite looks every named or numbered
	// placeholder ("$1", "?1") up in a list as it binds it, which for a
	// statement of thousands of them takes longer than running it; a bare
	// "?" takes the next value.
	param func(n int) string
	// arrays says bulk statements take a column of values as one array
	// parameter (bulk.go).
	arrays bool
	// sideWrites says another connection may write while a transaction
	// that writes is open; SQLite has one writer.
	sideWrites bool
	// fts says people are searched through the FTS5 table person_fts
	// (SQLite, search_order.go).
	fts bool
	// prefixes says people are searched through the table person_prefixes
	// (PostgreSQL, search_prefix.go).
	prefixes bool
}

var (
	sqliteDialect = dialect{name: "sqlite", fts: true,
		fold:      func(col string) string { return "distans_fold(" + col + ")" },
		sha256hex: func(expr string) string { return "distans_sha256(" + expr + ")" },
		cast:      func(expr, _ string) string { return expr },
		param:     func(int) string { return "?" }}
	postgresDialect = dialect{name: "postgres", forUpdate: " FOR UPDATE", sideWrites: true, arrays: true, prefixes: true,
		param:        func(n int) string { return "$" + strconv.Itoa(n) },
		cast:         func(expr, typ string) string { return "CAST(" + expr + " AS " + typ + ")" },
		headInAppend: true,
		fold: func(col string) string {
			return "translate(lower(" + col + "), 'åäàáâãöøóòôõéèêëíìîïúùûüýÿçñ', 'aaaaaaooooooeeeeiiiiuuuuyycn')"
		},
		sha256hex: func(expr string) string { return "encode(sha256(convert_to(" + expr + ", 'UTF8')), 'hex')" }}
)

func init() {
	// SQLite's lower() knows only ASCII; distans_fold is fold, in Go.
	sqlite.MustRegisterDeterministicScalarFunction("distans_fold", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return fold(v), nil
		case []byte:
			return fold(string(v)), nil
		}
		return args[0], nil
	})
	sqlite.MustRegisterDeterministicScalarFunction("distans_sha256", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		var sum [sha256.Size]byte
		switch v := args[0].(type) {
		case string:
			sum = sha256.Sum256([]byte(v))
		case []byte:
			sum = sha256.Sum256(v)
		default:
			return nil, fmt.Errorf("distans_sha256: want text, got %T", v)
		}
		return hex.EncodeToString(sum[:]), nil
	})
}

// openSQLite opens the file at path with WAL, synchronous FULL (no
// acknowledged write is lost, even when the machine loses power), a five
// second busy timeout, foreign keys and reads through a memory map; one writer connection that begins
// IMMEDIATE transactions, and a read pool that cannot write.
func openSQLite(path string) (*Store, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("sqlstore: sqlite needs a file path (sqlite:PATH)")
	}
	params := url.Values{}
	params.Add("_pragma", "busy_timeout(5000)")
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "synchronous(FULL)")
	params.Add("_pragma", "foreign_keys(1)")
	// Pages read through a memory map instead of a read system call each:
	// a search that walks thousands of index entries read them a syscall a
	// page, which took most of its time (issue 19). The map is address
	// space, not memory; the kernel's page cache backs it either way.
	params.Add("_pragma", "mmap_size(1073741824)")
	base := "file:" + (&url.URL{Path: path}).EscapedPath()

	w := url.Values{"_txlock": {"immediate"}}
	for k, v := range params {
		w[k] = v
	}
	wdb, err := openCachedSQLite(base + "?" + w.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxIdleTime(0)
	wdb.SetConnMaxLifetime(0)
	// Create the file and switch it to WAL before any reader opens it.
	if err := wdb.Ping(); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}

	r := url.Values{}
	for k, v := range params {
		r[k] = v
	}
	r.Add("_pragma", "query_only(1)")
	rdb, err := openCachedSQLite(base + "?" + r.Encode())
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	rdb.SetConnMaxIdleTime(0)
	return &Store{dialect: sqliteDialect, wdb: wdb, rdb: rdb}, nil
}

// DefaultPostgresConns is how many connections an instance keeps open to
// PostgreSQL. More than the database server can run at once only makes
// them take turns on its cores, and a transaction that holds a lock (an
// organisation's audit head) waits its turn with the rest: on a two-core
// machine 16 served more who-am-I requests (8,900/s against 7,400/s) and
// more racing bookings than 32. A server with more cores may take more;
// see SetMaxConns.
const DefaultPostgresConns = 16

// SetMaxConns sets how many connections the store keeps open to
// PostgreSQL in its pool, all of them kept when idle, and half as many in
// the booking pool; SQLite's one writer and its readers are unaffected.
// Call it before the store is used.
func (s *Store) SetMaxConns(n int) {
	if s.dialect.name != "postgres" || n <= 0 {
		return
	}
	s.wdb.SetMaxOpenConns(n)
	s.wdb.SetMaxIdleConns(n)
	b := max(n/2, 2)
	s.bdb.SetMaxOpenConns(b)
	s.bdb.SetMaxIdleConns(b)
}

// openPostgres opens the pool, and beside it the pool for one-statement
// bookings (see bdb). Connecting is slow here (TLS and authentication), so
// idle connections are kept for a long time.
func openPostgres(dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open postgres %s: %w", redact(dsn), errors.Unwrap(err))
	}
	// Citus cannot plan the bookings' INSERTs in a WITH from a generic
	// plan, whose parameters it cannot see; there the planner chooses.
	bdb := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, `SELECT set_config('plan_cache_mode', CASE WHEN EXISTS
			(SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN 'auto' ELSE 'force_generic_plan' END, false)`)
		return err
	}))
	s := &Store{dialect: postgresDialect, wdb: db, rdb: db, bdb: bdb}
	s.SetMaxConns(DefaultPostgresConns)
	for _, p := range []*sql.DB{db, bdb} {
		p.SetConnMaxIdleTime(30 * time.Minute)
		p.SetConnMaxLifetime(2 * time.Hour)
	}
	return s, nil
}

// isUnique reports whether err is a violated unique or primary-key
// constraint, from either driver.
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Citus reports a worker's unique violation in a statement it
		// spread over nodes (a bulk insert) as an internal error with the
		// worker's message.
		return pe.Code == "23505" || pe.Code == "XX000" && strings.HasPrefix(pe.Message, "duplicate key value violates unique constraint")
	}
	return false
}

// aborted reports whether err is PostgreSQL aborting a transaction that
// may well succeed when run again: a serialization failure (40001) or a
// deadlock it broke by choosing this transaction (40P01). SQLite has
// neither: its one writer waits its turn (busy_timeout).
func aborted(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// codeTaken is conflict for a code (units and sites have no other unique
// column), with the message on the form's field code too.
func codeTaken(err error, sv, en string) error {
	if !isUnique(err) {
		return err
	}
	e := distans.Errorf(distans.ECONFLICT, sv, en)
	e.Fields = []distans.FieldError{{Field: "code", Sv: sv, En: en}}
	return e
}

// conflict turns a violated unique constraint into ECONFLICT with the given
// messages and leaves every other error as it is.
func conflict(err error, sv, en string) error {
	if isUnique(err) {
		return distans.Errorf(distans.ECONFLICT, sv, en)
	}
	return err
}
