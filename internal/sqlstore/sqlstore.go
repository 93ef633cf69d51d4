// Package sqlstore implements the domain's services on SQLite (the embedded
// default, through the pure-Go modernc driver) and on PostgreSQL (through
// pgx's database/sql driver). The SQL is hand-written and shared by both;
// the few differences live in dialect.go.
//
// Every exported method owns its transaction and composes fn(ctx, tx, …)
// helpers. Every change writes an audit event in the same transaction.
// Every query is scoped to the organisation of the actor in the context, and
// to the unit subtrees where the actor holds the permission the method needs
// (scope.go); records outside that scope are reported as not found.
package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/distans/distans"
)

//go:embed migrations
var migrations embed.FS

// Store is the database behind every service. On SQLite it holds one writer
// connection, which every transaction that writes uses, and a pool of
// read-only connections; on PostgreSQL one pool serves both.
type Store struct {
	dialect dialect
	wdb     *sql.DB // transactions that write
	rdb     *sql.DB // reads; the same pool as wdb on PostgreSQL
	// bdb runs the one-statement bookings on PostgreSQL (bookAtOnce,
	// insertAlone) with plan_cache_mode=force_generic_plan: their keys are
	// all equalities, so the generic plan is the right one, and planning the
	// statement afresh each time took a twelfth of the database's CPU in a
	// booking race. Other statements keep the planner's own choice, and so
	// do these on Citus (openPostgres). Nil on SQLite.
	bdb *sql.DB

	citus atomic.Int32 // onCitus's answer: 0 not asked yet, 1 yes, 2 no

	locs  sync.Map // organisation ID → *time.Location, for "today"
	clean sync.Map // organisation ID → the day (YYYY-MM-DD) refreshDue found nothing due

	access  accessState // what creds and selves share
	creds   accessCache[credentialKey, *distans.Credential]
	selves  accessCache[string, *self]
	layouts layoutCache
	desks   deskQueues
	// applying is the progress of the imports this instance applies.
	applying applyProgress

	// scimAuths keeps SCIM tokens' answers by organisation and hash
	// (AuthenticateSCIM), under the rules of creds and selves.
	scimAuths accessCache[string, scimAuth]

	// unitTops keeps the top levels of unit trees (ListUnits), under the
	// same rules.
	unitTops accessCache[unitTopKey, []*distans.Unit]

	growth growth // rows written to tables that may have grown from nothing (grew)

	// ftsOptimized is when OptimizeSearch last merged person_fts (SQLite).
	ftsOptimized struct {
		sync.Mutex
		at time.Time
	}
}

// Open connects to the database named by dsn: "sqlite:PATH" for an SQLite
// file, or a "postgres://" or "postgresql://" URL. It does not migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var s *Store
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		s, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err = openPostgres(dsn)
	default:
		return nil, fmt.Errorf("sqlstore: unknown database %q: use sqlite:PATH or a postgres:// URL", redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlstore: connect: %w", err)
	}
	s.access.ttl = DefaultCredentialTTL
	return s, nil
}

// redact keeps a password out of error messages.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i >= 0 {
		if j := strings.Index(dsn, "://"); j >= 0 && j < i {
			return dsn[:j+3] + "…" + dsn[i:]
		}
	}
	return dsn
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

// Close closes the connections.
func (s *Store) Close() error {
	err := s.wdb.Close()
	if s.rdb != s.wdb {
		err = errors.Join(err, s.rdb.Close())
	}
	if s.bdb != nil {
		err = errors.Join(err, s.bdb.Close())
	}
	return err
}

// Ping checks that the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.wdb.PingContext(ctx); err != nil {
		return err
	}
	if s.rdb != s.wdb {
		return s.rdb.PingContext(ctx)
	}
	return nil
}

// Stats returns the statistics of the pool that serves reads (the only pool
// on PostgreSQL), for metrics.
func (s *Store) Stats() sql.DBStats { return s.rdb.Stats() }

func (s *Store) migrationProvider(ctx context.Context) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect.name)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	gd := goose.DialectSQLite3
	if s.dialect.name == "postgres" {
		gd = goose.DialectPostgres
		// Several instances may start at once: an advisory lock lets one
		// migrate. The lock is per schema so that tests with a schema each
		// do not wait for one another.
		var schema string
		if err := s.wdb.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, err
		}
		h := fnv.New64a()
		h.Write([]byte("distans-migrate:" + schema))
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(gd, s.wdb, sub, opts...)
}

// Migrate applies the embedded migrations that the database lacks, each in
// its own transaction.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.migrationProvider(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	if err := s.distribute(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: citus: %w", err)
	}
	if err := s.fillFTS(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: search index: %w", err)
	}
	if err := s.fillPrefixes(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: search prefixes: %w", err)
	}
	if err := s.reindexAll(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: search terms: %w", err)
	}
	return nil
}

// MigrationsDigest identifies the embedded migrations of a dialect
// ("sqlite" or "postgres"): it changes whenever a migration is added or
// edited. Test pools of migrated schemas (storetest) key their schemas by
// it, so that a schema migrated by other migrations is never handed out.
func MigrationsDigest(dialect string) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations, "migrations/"+dialect, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrations.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// MigrationsCurrent reports whether every embedded migration is applied.
func (s *Store) MigrationsCurrent(ctx context.Context) (bool, error) {
	p, err := s.migrationProvider(ctx)
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	return !pending && err == nil, err
}

// Backup writes a consistent copy of an SQLite database to path while the
// store keeps serving (VACUUM INTO). path must not exist yet.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect.name != "sqlite" {
		return errors.New("sqlstore: backup works only on SQLite; use pg_dump for PostgreSQL")
	}
	// On a read connection, so that writers go on meanwhile. VACUUM INTO
	// counts as a write for query_only, so the connection allows it for the
	// copy and is discarded if it cannot be made read-only again.
	conn, err := s.rdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), "PRAGMA query_only = 1"); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO $1", path); err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	return nil
}

// querier is what the helpers need: a transaction or a pool.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in a transaction on the writer; on SQLite it begins
// IMMEDIATE, taking the write lock up front so that it never fails half-way
// on a busy database. The transaction is rolled back however fn ends, a
// panic included: a transaction left open would keep SQLite's one writer
// connection, or PostgreSQL's row locks, from every later write.
//
// A transaction that PostgreSQL aborts as a deadlock victim or for a
// serialization failure is run again, fn included, a few times (see
// retryAborted); so fn must not change what it reads from outside the
// transaction.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return retryAborted(ctx, writeAttempts, func() error { return s.writeOnce(ctx, true, fn) })
}

// writeAnalysed is write for a change to tables that grew keeps analysed
// as they fill: it keeps the plans PostgreSQL caches (see writeOnce),
// which their statistics keep right. A SCIM first sync's changes plan
// nothing afresh that way, the checks of its foreign keys included: 50
// new memberships of a group took 6 ms with plans made afresh.
func (s *Store) writeAnalysed(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return retryAborted(ctx, writeAttempts, func() error { return s.writeOnce(ctx, false, fn) })
}

// writeAttempts is how many times write runs a transaction that the
// database keeps aborting. Two instances deadlocking is rare and resolved
// at once; five attempts ride out a burst.
const writeAttempts = 5

// retryAborted runs fn until it returns anything but an aborted
// transaction (see aborted), at most attempts times, waiting a little,
// at random, between attempts so that two victims do not meet again. A
// transaction still aborted after the last attempt is ECONFLICT: the
// change did not happen and may be tried again, which is no internal error.
func retryAborted(ctx context.Context, attempts int, fn func() error) error {
	for i := 1; ; i++ {
		err := fn()
		if err == nil || !aborted(err) {
			return err
		}
		if i >= attempts || ctx.Err() != nil {
			return distans.Errorf(distans.ECONFLICT, "Ändringen krockade med andra samtidiga ändringar. Försök igen.",
				"The change collided with other changes made at the same time. Try again.")
		}
		pause := time.NewTimer(rand.N(time.Duration(i) * 10 * time.Millisecond))
		select {
		case <-ctx.Done():
			pause.Stop()
		case <-pause.C:
		}
	}
}

// writeOnce is one attempt of write, or of writeAnalysed when custom is
// false. On PostgreSQL a change plans its
// statements afresh at every run, foreign-key checks included
// (plan_cache_mode=force_custom_plan, for the transaction only); reads
// outside changes keep the plans PostgreSQL caches. A plan cached from a
// table's first rows (PostgreSQL keeps a generic plan after five runs of
// a statement, and a foreign key's check is one) stays until the table is
// analysed, which autovacuum does a minute or more later, or never where
// it is off; and it is changes that grow tables from nothing: an identity
// system's first sync makes thousands of people a minute, and with such
// plans its changes took three times the database's CPU (distans-bench
// -scim: 16.6 ms an operation against 5.3). A plan made for the table as
// it is costs some tens of microseconds a statement, and this statement
// one round trip a change.
func (s *Store) writeOnce(ctx context.Context, custom bool, fn func(tx *sql.Tx) error) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if custom && s.dialect.name == "postgres" {
		if _, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// roundPlans sets how PostgreSQL plans the rest of a write transaction
// of a job that reads every organisation and writes tens of thousands of
// rows into tables that are large already. Plans are PostgreSQL's own
// choice again (plan_cache_mode auto): with the custom plans write sets,
// the foreign-key checks of each row were planned afresh, three a row,
// and the return-task job spent 126 µs a task (distans-bench's
// BenchmarkCreateReturnTasks, PostgreSQL); generic plans are only wrong
// for tables that grew from nothing since their statistics. And no JIT:
// the round's statements read a few hundred thousand rows, which their
// cost puts over jit_above_cost, yet compiling them took longer than
// running them (2.5 s of the 5.6 s of the next-day round's test of open
// tasks, in EXPLAIN ANALYZE at 500,000 items).
func (s *Store) roundPlans(ctx context.Context, tx *sql.Tx) error {
	if s.dialect.name != "postgres" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = auto`)
	if err == nil {
		_, err = tx.ExecContext(ctx, `SET LOCAL jit = off`)
	}
	return err
}

// read runs fn in a transaction on the read pool, for reads that need a
// consistent view across several statements: one snapshot for all of them,
// as SQLite's read transaction gives, and on PostgreSQL a repeatable read
// (at its default, read committed, each statement saw the commits made
// before it, so a page and its count could disagree). A read-only
// transaction is never refused for serialisation.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{}
	if s.dialect.name == "postgres" {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	tx, err := s.rdb.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// now is the time stored for changes: the instant of ctx's request or job
// round (distans.NowFrom), in UTC at microsecond precision, what both
// databases keep.
func now(ctx context.Context) time.Time { return distans.NowFrom(ctx).Truncate(time.Microsecond) }

// touched is the UpdatedAt of a record changed now that was last changed
// at old: now, but always after old, so that a caller who read old sees
// the record as changed (see unchanged).
func touched(ctx context.Context, old time.Time) time.Time {
	t := now(ctx)
	if !t.After(old) {
		t = old.Add(time.Microsecond)
	}
	return t
}

// unchanged refuses a change made on an older read of a record: read is
// the UpdatedAt the caller read (nil: the caller asks for no check), cur
// the record's as the transaction reads it.
func unchanged(read *time.Time, cur time.Time) error {
	if read != nil && !read.Equal(cur) {
		return distans.Errorf(distans.ECONFLICT,
			"Någon annan har ändrat uppgifterna sedan du läste dem. Läs in dem på nytt och gör om din ändring.",
			"Someone else has changed this since you read it. Reload it and make your change again.")
	}
	return nil
}

const tsLayout = "2006-01-02T15:04:05.000000Z"

// ts encodes a time for either database: fixed-width text in UTC that sorts
// on SQLite and that PostgreSQL parses into timestamptz.
func ts(t time.Time) string { return t.UTC().Truncate(time.Microsecond).Format(tsLayout) }

// nullTS is ts for an optional time.
func nullTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// day encodes a date: the calendar day of t as written, 'YYYY-MM-DD'.
func day(t time.Time) string { return t.Format(time.DateOnly) }

func nullDay(t *time.Time) any {
	if t == nil {
		return nil
	}
	return day(*t)
}

// parseDay returns the date as midnight UTC.
func parseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// timeCol scans a time from either database: a time.Time from PostgreSQL,
// text from SQLite. Dates come back as midnight UTC.
type timeCol struct {
	T     *time.Time  // for NOT NULL columns
	P     **time.Time // for nullable columns
	isDay bool
}

func (c timeCol) Scan(src any) error {
	var t time.Time
	switch v := src.(type) {
	case nil:
		if c.P == nil {
			return errors.New("sqlstore: NULL time in a NOT NULL column")
		}
		*c.P = nil
		return nil
	case time.Time:
		t = v.UTC()
		if c.isDay {
			t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		}
	case string, []byte:
		var str string
		switch v := v.(type) {
		case string:
			str = v
		case []byte:
			str = string(v)
		}
		var err error
		if c.isDay {
			t, err = parseDay(str)
		} else {
			t, err = time.Parse(time.RFC3339Nano, str)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: time %q: %w", str, err)
		}
		t = t.UTC()
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a time", src)
	}
	if c.P != nil {
		*c.P = &t
	} else {
		*c.T = t
	}
	return nil
}

func tm(t *time.Time) timeCol      { return timeCol{T: t} }
func nulltm(t **time.Time) timeCol { return timeCol{P: t} }
func dt(t *time.Time) timeCol      { return timeCol{T: t, isDay: true} }
func nulldt(t **time.Time) timeCol { return timeCol{P: t, isDay: true} }
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// strCol scans a nullable text column into a string, "" for NULL.
type strCol struct{ p *string }

func (c strCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = ""
	case string:
		*c.p = v
	case []byte:
		*c.p = string(v)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a string", src)
	}
	return nil
}

func str(p *string) strCol { return strCol{p} }

// locationOf is the time zone of the organisation o just read, from the
// cache today keeps, so that one instance has one "today" per organisation.
func (s *Store) locationOf(o *distans.Organisation) *time.Location {
	if loc, ok := s.locs.Load(o.ID); ok {
		return loc.(*time.Location)
	}
	loc := o.Location()
	s.locs.Store(o.ID, loc)
	return loc
}

// today returns the organisation's calendar day at the instant of ctx
// (distans.NowFrom), as midnight UTC of that day. The time zone is cached
// per organisation.
func (s *Store) today(ctx context.Context, q querier, orgID string) (time.Time, error) {
	loc, ok := s.locs.Load(orgID)
	if !ok {
		var tz string
		err := q.QueryRowContext(ctx, `SELECT time_zone FROM organisations WHERE id = $1`, orgID).Scan(&tz)
		if errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, errOrgNotFound()
		} else if err != nil {
			return time.Time{}, err
		}
		o := &distans.Organisation{TimeZone: tz}
		loc = o.Location()
		s.locs.Store(orgID, loc)
	}
	return distans.Today(distans.NowFrom(ctx), loc.(*time.Location)), nil
}

// lockRow locks the row of table with the organisation's id on PostgreSQL
// for the rest of the transaction when lock is the dialect's forUpdate
// (nothing when lock is ""), and returns notFound() when there is none:
// the read that follows sees the row as it stays until commit.
func lockRow(ctx context.Context, q querier, table, orgID, id, lock string, notFound func() error) error {
	if lock == "" {
		return nil
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE organisation_id = $1 AND id = $2`+lock, orgID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound()
	}
	return err
}
