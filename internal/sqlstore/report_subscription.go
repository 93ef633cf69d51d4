package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/distans/distans"
)

// Monthly reports by e-mail (distans.ReportSubscriptionStore). A person
// reads and changes only their own subscriptions: every statement names
// the organisation and the person. Whether they may see the report at all
// is the service's question (Actor.SeesReports), asked again when each
// month's report is computed for them.

const reportSubCols = `s.id, s.organisation_id, s.person_id, s.kind, s.unit_id, s.created_at`

func scanReportSub(sc interface{ Scan(...any) error }, extra ...any) (*distans.ReportSubscription, error) {
	s := &distans.ReportSubscription{}
	err := sc.Scan(append([]any{&s.ID, &s.OrganisationID, &s.PersonID, &s.Kind, &s.UnitID, tm(&s.CreatedAt)}, extra...)...)
	return s, err
}

// ownActor is the person in the context, who subscribes for themselves.
func ownActor(ctx context.Context) (*distans.Actor, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.PersonID == "" {
		return nil, distans.Forbidden()
	}
	return a, nil
}

// ListReportSubscriptions returns the actor's own subscriptions, oldest
// first.
func (s *Store) ListReportSubscriptions(ctx context.Context) ([]*distans.ReportSubscription, error) {
	a, err := ownActor(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+reportSubCols+` FROM report_subscriptions s
		WHERE s.organisation_id = $1 AND s.person_id = $2 ORDER BY s.created_at, s.id`, a.OrganisationID, a.PersonID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*distans.ReportSubscription{}
	for rows.Next() {
		sub, err := scanReportSub(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// CreateReportSubscription saves sub as the actor's own and audits it;
// ECONFLICT when they have one for the kind and unit already.
func (s *Store) CreateReportSubscription(ctx context.Context, sub *distans.ReportSubscription) error {
	a, err := ownActor(ctx)
	if err != nil {
		return err
	}
	sub.ID, sub.OrganisationID, sub.PersonID, sub.CreatedAt = newID(), a.OrganisationID, a.PersonID, now(ctx)
	// The first report goes out next month: this month's "month before"
	// counts as sent (distans.ReportMonth).
	sent, _, _ := distans.ReportMonth(sub.CreatedAt)
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_subscriptions (organisation_id, id, person_id, kind, unit_id,
			created_at, sent_month) VALUES ($1, $2, $3, $4, $5, $6, $7)`, sub.OrganisationID, sub.ID, sub.PersonID, string(sub.Kind), sub.UnitID,
			ts(sub.CreatedAt), sent); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "report.subscribe", "report_subscription", sub.ID,
			"asked for the monthly report "+string(sub.Kind)+" by e-mail")
	})
	if isUnique(err) {
		return distans.Errorf(distans.ECONFLICT, "Du får redan den här rapporten varje månad.", "You already get this report every month.")
	}
	return err
}

// DeleteReportSubscription ends one of the actor's subscriptions and
// audits it; anyone else's is ENOTFOUND.
func (s *Store) DeleteReportSubscription(ctx context.Context, id string) error {
	a, err := ownActor(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM report_subscriptions WHERE organisation_id = $1 AND id = $2 AND person_id = $3`,
			a.OrganisationID, id, a.PersonID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return distans.NotFound("Prenumerationen finns inte.", "The subscription does not exist.")
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "report.unsubscribe", "report_subscription", id,
			"ended a monthly report by e-mail")
	})
}

// ClaimReportSends leases up to limit subscriptions of organisations that
// admit sign-in whose report for month has not been sent and whose lease,
// if any, ran out before now; the system actor of no organisation claims
// across all of them. The claim is one step to every other claimer, as
// ClaimEmails's is: on PostgreSQL an UPDATE of the rows its subquery
// locked, skipping rows another claim holds; on SQLite a transaction on
// the one writer.
func (s *Store) ClaimReportSends(ctx context.Context, month string, now time.Time, lease time.Duration, limit int) ([]*distans.ReportSend, error) {
	a, err := mailer(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	if citus, err := s.onCitus(ctx); err != nil {
		return nil, err
	} else if citus && a.OrganisationID == "" {
		// Citus locks rows on one node only: one organisation at a time,
		// the one with the oldest subscription due first (ClaimEmails).
		var out []*distans.ReportSend
		err := claimEach(ctx, s.rdb, `SELECT c.organisation_id FROM report_subscriptions c
			WHERE c.sent_month < $1 AND (c.claimed_until IS NULL OR c.claimed_until < $2)
			GROUP BY c.organisation_id ORDER BY min(c.created_at)`, []any{month, ts(now)}, func(ctx context.Context) (bool, error) {
			got, err := s.ClaimReportSends(ctx, month, now, lease, limit-len(out))
			out = append(out, got...)
			return len(out) >= limit, err
		})
		return out, err
	}
	var q args
	until, at, m := q.add(ts(now.Add(lease))), q.add(ts(now)), q.add(month)
	due := `c.sent_month < ` + m + ` AND (c.claimed_until IS NULL OR c.claimed_until < ` + at + `)
		AND c.organisation_id IN (SELECT o.id FROM organisations o WHERE ` + admitsSignIn + `)`
	if a.OrganisationID != "" {
		due += ` AND c.organisation_id = ` + q.add(a.OrganisationID)
	}
	pick := `SELECT c.organisation_id, c.id FROM report_subscriptions c WHERE ` + due + ` ORDER BY c.created_at, c.id` + limitRows(limit)
	const recipient = `p.email, p.name, CASE WHEN p.language = '' THEN o.language ELSE p.language END, o.name, o.time_zone`
	var out []*distans.ReportSend
	scan := func(rows *sql.Rows) error {
		defer rows.Close()
		for rows.Next() {
			r := &distans.ReportSend{}
			sub, err := scanReportSub(rows, &r.Email, &r.Name, &r.Language, &r.OrgName, &r.TimeZone)
			if err != nil {
				return err
			}
			r.ReportSubscription = *sub
			out = append(out, r)
		}
		return rows.Err()
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		out = nil
		if s.dialect.name == "postgres" {
			rows, err := tx.QueryContext(ctx, `UPDATE report_subscriptions s SET claimed_until = `+until+`
				FROM people p, organisations o
				WHERE (s.organisation_id, s.id) IN (`+pick+` FOR UPDATE SKIP LOCKED)
				AND p.organisation_id = s.organisation_id AND p.id = s.person_id AND o.id = s.organisation_id
				RETURNING `+reportSubCols+`, `+recipient, q...)
			if err != nil {
				return err
			}
			return scan(rows)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+reportSubCols+`, `+recipient+`
			FROM report_subscriptions s JOIN people p ON p.organisation_id = s.organisation_id AND p.id = s.person_id
			JOIN organisations o ON o.id = s.organisation_id
			WHERE (s.organisation_id, s.id) IN (`+pick+`) ORDER BY s.created_at, s.id`, q...)
		if err != nil {
			return err
		}
		if err := scan(rows); err != nil {
			return err
		}
		for _, r := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE report_subscriptions SET claimed_until = $1 WHERE organisation_id = $2 AND id = $3`,
				ts(now.Add(lease)), r.OrganisationID, r.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// MarkReportSent records that the subscription's report for month went
// out, and ends its lease.
func (s *Store) MarkReportSent(ctx context.Context, orgID, id, month string) error {
	if _, err := mailer(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE report_subscriptions SET sent_month = $1, claimed_until = NULL
			WHERE organisation_id = $2 AND id = $3`, month, orgID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errors.New("sqlstore: the report subscription is gone")
		}
		return nil
	})
}

var _ distans.ReportSubscriptionStore = (*Store)(nil)
