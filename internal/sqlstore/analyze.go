package sqlstore

import (
	"context"
	"math/bits"
	"sync"
	"time"
)

// Statistics for tables that grow from nothing. PostgreSQL keeps a
// generic plan of a statement after its fifth run, planned from the
// table's statistics, and a table never analysed has none: planned when
// it held a handful of rows, a lookup by primary key could as well scan
// the organisation's entries of another index, and it did, at every read
// of a SCIM user, until the table was analysed. On an installation's first
// identity sync that is the whole sync (distans-bench -scim read each new
// user back in 14 ms at 10,000 users); autovacuum analyses a minute later
// at the soonest, or never where it is off. So a writer that fills tables
// in bulk analyses them itself, as one does after a bulk load, each time
// the rows it has written since this process started double, from 64 to
// some million: a dozen ANALYZEs, each a sample of at most 30,000 rows.
// ANALYZE invalidates every plan cached from the tables, in every session.

// growthFloor and growthCeiling bound the rows written (by one process, to
// one set of tables) after which the tables are analysed: below, plans
// hardly matter; above, autovacuum's own thresholds (a tenth of the
// table) come often enough.
const (
	growthFloor   = 64
	growthCeiling = 1 << 20
)

type growth struct {
	mu   sync.Mutex
	rows map[string]int64 // by the tables' names, comma-separated
}

// grew records that a committed change wrote rows to tables (their names,
// comma-separated), and analyses
// the tables when the rows written to them have doubled. The change has
// happened: a failed ANALYZE leaves the plans as they were and is not the
// caller's error, so grew returns none. Only on PostgreSQL: SQLite plans
// each statement as it is prepared, and Citus's coordinator plans a
// statement of one organisation by the shard it routes to.
func (s *Store) grew(ctx context.Context, rows int, tables string) {
	if s.dialect.name != "postgres" || rows <= 0 {
		return
	}
	s.growth.mu.Lock()
	if s.growth.rows == nil {
		s.growth.rows = map[string]int64{}
	}
	before := s.growth.rows[tables]
	after := before + int64(rows)
	s.growth.rows[tables] = after
	s.growth.mu.Unlock()
	if after < growthFloor || before >= growthCeiling || bits.Len64(uint64(before)) == bits.Len64(uint64(after)) {
		return
	}
	if citus, err := s.onCitus(ctx); err != nil || citus {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	_, _ = s.wdb.ExecContext(ctx, `ANALYZE `+tables)
}
