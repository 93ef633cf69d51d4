package sqlstore

import (
	"context"
	"database/sql"
)

// Write exposes write to the store's external tests, which run on every
// database through storetest.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error { return s.write(ctx, fn) }
