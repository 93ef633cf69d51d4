package sqlstore

import (
	"context"
	"database/sql"
)

// Write exposes write to the store's external tests, which run on every
// database through storetest.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error { return s.write(ctx, fn) }

// SetSearchWalk makes the store answer every search on SQLite by walking
// the names (true) or by FTS5 (false), so that a test holds the two ways
// to each other; PostgreSQL has one way.
func (s *Store) SetSearchWalk(walk bool) {
	s.ftsDense = 1 << 30
	if walk {
		s.ftsDense = 1
	}
}
