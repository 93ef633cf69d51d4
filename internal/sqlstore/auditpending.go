package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Pending audit events. Every write in an organisation appends to its one
// hash chain, and the chain's head is a row each append locks until its
// transaction commits. Where many writers race (bookings on PostgreSQL,
// when a desk opens), they would all queue on that row: there the event is
// written instead to audit_pending, in the change's own statement, and
// sealed into the chain moments later, oldest first, in one transaction per
// batch. Until then it is kept like any other row, not yet tamper-evident.
// ChainPendingAudit seals on a timer (the job chain_audit); whoever reads the
// trail (ListAuditEvents, VerifyAuditChains) seals the organisation's first,
// so the trail shown is always whole.

// appendPending returns the INSERT that writes e to audit_pending, its
// arguments added to q.
func appendPending(e *distans.AuditEvent, q *args) string {
	return `INSERT INTO audit_pending (organisation_id, id, actor_id, actor_name, action, record_type, record_id, summary, at)
		VALUES (` + strings.Join([]string{q.add(e.OrganisationID), q.add(newID()), q.add(e.ActorID), q.add(e.ActorName),
		q.add(e.Action), q.add(e.RecordType), q.add(e.RecordID), q.add(e.Summary), q.add(ts(e.At))}, ", ") + `)`
}

// sealBatch is how many pending events one transaction seals.
const sealBatch = 500

// ChainPendingAudit seals every organisation's pending audit events into
// its chain and returns how many it sealed. It is the job chain_audit; any
// number of instances may run it at once, since each batch holds the head.
func (s *Store) ChainPendingAudit(ctx context.Context, _ time.Time) (int, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT DISTINCT organisation_id FROM audit_pending`)
	if err != nil {
		return 0, err
	}
	var orgs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		orgs = append(orgs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, id := range orgs {
		n, err := s.sealPending(ctx, id)
		total += n
		errs = append(errs, err)
	}
	return total, errors.Join(errs...)
}

// sealPending seals the organisation's pending events, batch by batch, and
// returns how many. With none pending it is one indexed read.
func (s *Store) sealPending(ctx context.Context, orgID string) (int, error) {
	if ok, err := s.hasPending(ctx, s.rdb, orgID); err != nil || !ok {
		return 0, err
	}
	total := 0
	for {
		n := 0
		err := s.write(ctx, func(tx *sql.Tx) error {
			var err error
			n, err = s.sealBatch(ctx, tx, orgID)
			return err
		})
		total += n
		if err != nil || n < sealBatch {
			return total, err
		}
	}
}

// hasPending reports whether the organisation has pending events. Only
// PostgreSQL writes them.
func (s *Store) hasPending(ctx context.Context, q querier, orgID string) (bool, error) {
	if s.dialect.name != "postgres" {
		return false, nil
	}
	var pending bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_pending WHERE organisation_id = $1)`, orgID).Scan(&pending)
	return pending, err
}

// sealBatch seals up to sealBatch of the organisation's oldest pending
// events inside tx, holding the chain's head, and returns how many.
func (s *Store) sealBatch(ctx context.Context, tx *sql.Tx, orgID string) (int, error) {
	c, err := s.holdHead(ctx, tx, orgID)
	if err != nil {
		return 0, err
	}
	// Read after the head is held: another sealer that held it first has
	// removed what it sealed.
	rows, err := tx.QueryContext(ctx, `SELECT id, actor_id, actor_name, action, record_type, record_id, summary, at
		FROM audit_pending WHERE organisation_id = $1 ORDER BY at, id`+limitRows(sealBatch), orgID)
	if err != nil {
		return 0, err
	}
	var ids []string
	for rows.Next() {
		e := &distans.AuditEvent{OrganisationID: orgID}
		var id string
		if err := rows.Scan(&id, &e.ActorID, &e.ActorName, &e.Action, &e.RecordType, &e.RecordID, &e.Summary, tm(&e.At)); err != nil {
			rows.Close()
			return 0, err
		}
		ids, c.buf = append(ids, id), append(c.buf, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if err := c.close(ctx); err != nil || len(ids) == 0 {
		return 0, err
	}
	q := args{orgID}
	var in []string
	for _, id := range ids {
		in = append(in, q.add(id))
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_pending WHERE organisation_id = $1 AND id IN (`+strings.Join(in, ", ")+`)`, q...); err != nil {
		return 0, err
	}
	return len(ids), nil
}
