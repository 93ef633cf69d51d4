package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/distans/distans"
)

// RenewImport extends the lease of the worker that claimed import id of
// organisation orgID to until, while the import still waits for or is
// under its work (see distans.ImportStore). Only the system renews, as
// only the system claims.
func (s *Store) RenewImport(ctx context.Context, orgID, id string, until time.Time) error {
	a, err := mailer(ctx) // the claim's rule: the system only
	if err != nil {
		return err
	}
	if a.OrganisationID != "" && a.OrganisationID != orgID {
		return distans.NotFound("Importen finns inte.", "The import does not exist.")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE imports SET lease_until = $1
			WHERE organisation_id = $2 AND id = $3 AND status IN ($4, $5, $6)`,
			ts(until), orgID, id, string(distans.ImportChecking), string(distans.ImportQueued), string(distans.ImportApplying))
		return affected(res, err, func() error {
			return distans.Errorf(distans.ECONFLICT, "Importen väntar inte längre på arbete.", "The import no longer waits for work.")
		})
	})
}
