package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/distans/distans"
)

// Write exposes write to the store's external tests, which run on every
// database through storetest.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error { return s.write(ctx, fn) }

// Read exposes read to the store's external tests.
func (s *Store) Read(ctx context.Context, fn func(tx *sql.Tx) error) error { return s.read(ctx, fn) }

// OwnDataCoverage returns the columns naming a person that the own-data
// export reads ("table.column", from ownDataSources; a section reached
// through another table as "table.") and those it leaves out on purpose
// (ownDataOmitted), for the test that holds them against the schema.
func OwnDataCoverage() (exported []string, omitted map[string]string) {
	for _, src := range ownDataSources {
		exported = append(exported, src.table+"."+src.column)
	}
	return exported, ownDataOmitted
}

// CredentialSQL is the statement that reads a session's credential, for
// the test that holds it to one node on Citus.
func CredentialSQL() string { return credentialQueries["citus"][distans.CredentialSession] }

// AppendAuditSQL is the statement that appends an event to the
// organisation's audit chain, with its arguments.
func (s *Store) AppendAuditSQL(orgID string) (string, []any) {
	var q args
	e := newAuditEvent(time.Now(), nil, orgID, "test.explain", "test", "1", "explained")
	return s.appendAudit(e, &q), q
}

// FTSBucket returns the person_fts rowids of the bucket of the people
// whose name has the sort key key, [lo, hi), on SQLite.
func FTSBucket(key string) (lo, hi int64) {
	lo = ftsBucket(key) << ftsCounterBits
	return lo, lo + ftsBucketSpan
}
