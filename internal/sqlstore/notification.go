package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/distans/distans"
)

// notify records a notification inside tx unless one with its key exists
// in the organisation, and reports whether it made one. Callers name the
// occasion and the recipient in the key (see distans.Notification).
func notify(ctx context.Context, tx *sql.Tx, n *distans.Notification) (bool, error) {
	params := n.Params
	if params == nil {
		params = map[string]string{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		return false, err
	}
	if n.ID == "" {
		n.ID = newID()
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = now()
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO notifications (organisation_id, id, person_id, key, kind, params, link, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (organisation_id, key) DO NOTHING`,
		n.OrganisationID, n.ID, n.PersonID, n.Key, string(n.Kind), string(p), n.Link, ts(n.CreatedAt))
	if err != nil {
		return false, err
	}
	made, err := res.RowsAffected()
	return made == 1, err
}
