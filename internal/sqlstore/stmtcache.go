package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
)

// The modernc SQLite driver parses every query it is given, and parsing is
// a large share of a simple read (the start page makes half a dozen). Each
// connection here keeps the statements it has prepared, keyed by their
// text, and runs them again with new arguments. A statement still being read
// from when the same text is asked for again (a query inside a loop over
// the rows of the same query) is not disturbed: the second use gets a
// statement of its own, closed with its rows.

// maxCachedStmts bounds each connection's cache. The store's SQL is a set
// of texts that varies only with a few lengths (a page's size, the IDs of a
// page), so the bound is seldom reached; when it is, an idle statement
// makes room for the new one, so that the texts in use stay cached.
const maxCachedStmts = 512

// openCachedSQLite opens dsn with the registered "sqlite" driver (which
// carries distans_fold) behind a statement cache.
func openCachedSQLite(dsn string) (*sql.DB, error) {
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	probe.Close()
	return sql.OpenDB(&cachingConnector{dsn: dsn, drv: drv}), nil
}

type cachingConnector struct {
	dsn string
	drv driver.Driver
}

func (c *cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: map[string]*cachedStmt{}}, nil
}

func (c *cachingConnector) Driver() driver.Driver { return c.drv }

type cachedStmt struct {
	stmt driver.Stmt
	busy bool // rows from it are still open
}

// cachingConn is a modernc connection with a statement cache. database/sql
// uses a connection from one goroutine at a time, so no lock is needed.
type cachingConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
}

// stmt returns a statement for query and a function to call when done with
// it: the cached one, or a new one when it is busy or the cache is full.
func (c *cachingConn) stmt(ctx context.Context, query string) (driver.Stmt, func(), error) {
	if cs, ok := c.stmts[query]; ok && !cs.busy {
		cs.busy = true
		return cs.stmt, func() { cs.busy = false }, nil
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := c.stmts[query]; !ok && (len(c.stmts) < maxCachedStmts || c.evictIdle()) {
		cs := &cachedStmt{stmt: st, busy: true}
		c.stmts[query] = cs
		return st, func() { cs.busy = false }, nil
	}
	return st, func() { st.Close() }, nil
}

// evictIdle closes and forgets one statement that no rows are read from, the
// first that the map's random order gives, and says whether there was one.
func (c *cachingConn) evictIdle() bool {
	for query, cs := range c.stmts {
		if !cs.busy {
			cs.stmt.Close()
			delete(c.stmts, query)
			return true
		}
	}
	return false
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, done, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		done()
		return nil, err
	}
	return &doneRows{Rows: rows, done: done}, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, done, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	defer done()
	return st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) Close() error {
	var errs []error
	for _, cs := range c.stmts {
		errs = append(errs, cs.stmt.Close())
	}
	clear(c.stmts)
	return errors.Join(append(errs, c.Conn.Close())...)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// doneRows releases its statement when closed.
type doneRows struct {
	driver.Rows
	done func()
}

func (r *doneRows) Close() error {
	err := r.Rows.Close()
	if r.done != nil {
		r.done()
		r.done = nil
	}
	return err
}
