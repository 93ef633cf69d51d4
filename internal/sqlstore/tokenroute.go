package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Sessions, API tokens and calendar feeds are found by the hash of a secret
// that does not name its organisation. token_routes (migration 00030) maps
// the hash to the organisation, so that the secret's own row is then read by
// (organisation_id, token_hash): on Citus, one node for the route and one
// for the row, never a question to every node. The alternative, the
// organisation in the secret as SCIM tokens and account links have it,
// would have broken the cookies, API tokens and subscribed calendar URLs
// already handed out.

// Kinds of route, one per table of secrets.
const (
	routeSession      = "session"
	routeAPIToken     = "api_token"
	routeCalendarFeed = "calendar_feed"
)

// addRoute records that the secret with hash belongs to orgID, inside the
// transaction that stores the secret.
func addRoute(ctx context.Context, tx *sql.Tx, hash, orgID, kind string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO token_routes (token_hash, organisation_id, kind) VALUES ($1, $2, $3)`,
		hash, orgID, kind)
	return err
}

// routeOf returns the organisation of the secret with hash, or "" when no
// route knows it (the caller answers not found).
func routeOf(ctx context.Context, q querier, hash string) (string, error) {
	var org string
	err := q.QueryRowContext(ctx, `SELECT organisation_id FROM token_routes WHERE token_hash = $1`, hash).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return org, err
}

// deleteSecrets deletes the rows of table (sessions or api_tokens) that
// match where, with its arguments, and their routes; it returns how many
// rows went.
func deleteSecrets(ctx context.Context, tx *sql.Tx, table, where string, a ...any) (int, error) {
	rows, err := tx.QueryContext(ctx, `DELETE FROM `+table+` WHERE `+where+` RETURNING token_hash`, a...)
	if err != nil {
		return 0, err
	}
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return 0, err
		}
		hashes = append(hashes, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := len(hashes)
	for len(hashes) > 0 {
		batch := hashes[:min(len(hashes), 500)]
		hashes = hashes[len(batch):]
		var q args
		ph := make([]string, len(batch))
		for i, h := range batch {
			ph[i] = q.add(h)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM token_routes WHERE token_hash IN (`+strings.Join(ph, ", ")+`)`, q...); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// bySecret returns the condition that reads the row of a secret by its
// hash within its organisation, adding its arguments to a. On Citus it
// reads the route first, so that the statement names the organisation as
// a constant and goes to one node; elsewhere the statement reads the
// route itself, in the same round trip.
func (s *Store) bySecret(ctx context.Context, q querier, a *args, hash string) (string, error) {
	citus, err := s.onCitus(ctx)
	if err != nil {
		return "", err
	}
	if citus {
		org, err := routeOf(ctx, q, hash)
		if err != nil {
			return "", err
		}
		return "organisation_id = " + a.add(org) + " AND token_hash = " + a.add(hash), nil
	}
	h := a.add(hash)
	return "organisation_id = (SELECT tr.organisation_id FROM token_routes tr WHERE tr.token_hash = " + h + ") AND token_hash = " + h, nil
}
