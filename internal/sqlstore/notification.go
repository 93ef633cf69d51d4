package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
		n.CreatedAt = now(ctx)
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

var (
	_ distans.NotificationService = (*Store)(nil)
	_ distans.MailQueue           = (*Store)(nil)
)

// MaxEmailAttempts is how many times the mailer tries to e-mail a
// notification. After that it is no longer claimed: it stays in Distans,
// where the person reads it, and the mailer stops knocking on a door that
// does not open (an address the server keeps refusing).
const MaxEmailAttempts = 10

func errNotificationNotFound() error {
	return distans.NotFound("Aviseringen finns inte.", "The notification does not exist.")
}

const notificationCols = `n.organisation_id, n.id, n.person_id, n.key, n.kind, n.params, n.link, n.created_at, n.read_at, n.emailed_at`

func scanNotification(sc interface{ Scan(...any) error }, extra ...any) (*distans.Notification, error) {
	n := &distans.Notification{}
	var kind, params string
	err := sc.Scan(append([]any{&n.OrganisationID, &n.ID, &n.PersonID, &n.Key, &kind, &params, &n.Link,
		tm(&n.CreatedAt), nulltm(&n.ReadAt), nulltm(&n.EmailedAt)}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotificationNotFound()
	} else if err != nil {
		return nil, err
	}
	n.Kind = distans.NotificationKind(kind)
	if err := json.Unmarshal([]byte(params), &n.Params); err != nil {
		return nil, fmt.Errorf("sqlstore: notification %s params: %w", n.ID, err)
	}
	return n, nil
}

// Notify records n for a person of the actor's organisation unless a
// notification with its key exists there, and reports whether it made one.
// It needs the system actor: people are notified of what happens to them,
// by the store's own changes (see notify) and by the jobs, never by one
// another. A person outside the organisation is ENOTFOUND.
func (s *Store) Notify(ctx context.Context, n *distans.Notification) (bool, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return false, err
	}
	if !a.System {
		return false, distans.Forbidden()
	}
	var v distans.Validation
	v.Required("person_id", n.PersonID)
	v.Required("key", n.Key)
	v.Required("kind", string(n.Kind))
	if err := v.Err(); err != nil {
		return false, err
	}
	n.OrganisationID = a.OrganisationID
	var made bool
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := findPersonRow(ctx, tx, n.OrganisationID, n.PersonID); err != nil {
			return err
		}
		made, err = notify(ctx, tx, n)
		return err
	})
	return made, err
}

// ListNotifications returns the actor's own notifications, newest first;
// limit is capped at 200 and defaults to 50. The system actor has none.
func (s *Store) ListNotifications(ctx context.Context, unreadOnly bool, limit int) ([]*distans.Notification, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.PersonID == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	q := `SELECT ` + notificationCols + ` FROM notifications n WHERE n.organisation_id = $1 AND n.person_id = $2`
	if unreadOnly {
		q += ` AND n.read_at IS NULL`
	}
	rows, err := s.rdb.QueryContext(ctx, q+` ORDER BY n.created_at DESC, n.id DESC`+limitRows(limit), a.OrganisationID, a.PersonID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// CountUnread counts the actor's unread notifications, for the badge on
// every page.
func (s *Store) CountUnread(ctx context.Context) (int, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return 0, err
	}
	if a.PersonID == "" {
		return 0, nil
	}
	var n int
	err = s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications
		WHERE organisation_id = $1 AND person_id = $2 AND read_at IS NULL`, a.OrganisationID, a.PersonID).Scan(&n)
	return n, err
}

// MarkRead marks one of the actor's notifications read; marking it again
// keeps the first time. Anyone else's is ENOTFOUND. Reading is the
// person's own business and leaves no audit event, as a session's last
// sighting leaves none.
func (s *Store) MarkRead(ctx context.Context, id string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if a.PersonID == "" {
		return errNotificationNotFound()
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		// COALESCE makes the row match whether or not it was read, so
		// that both databases count it as affected.
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, $4)
			WHERE organisation_id = $1 AND id = $2 AND person_id = $3`,
			a.OrganisationID, id, a.PersonID, ts(now(ctx)))
		return affected(res, err, errNotificationNotFound)
	})
}

// MarkAllRead marks every unread notification of the actor read.
func (s *Store) MarkAllRead(ctx context.Context) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if a.PersonID == "" {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $3
			WHERE organisation_id = $1 AND person_id = $2 AND read_at IS NULL`, a.OrganisationID, a.PersonID, ts(now(ctx)))
		return err
	})
}

// mailer returns the system actor for the mail queue; its organisation,
// when it names one, narrows the queue to it.
func mailer(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil {
		return nil, errUnauthorized()
	}
	if !a.System {
		return nil, distans.Forbidden()
	}
	return a, nil
}

// ClaimEmails leases up to limit notifications that are still to be
// e-mailed and whose lease, if any, ran out before now: each is claimed
// until now+lease and counts one more attempt. The claim is one statement
// that nobody else's claim can interleave with: on PostgreSQL an UPDATE of
// the rows its subquery locked, skipping rows another claim holds; on
// SQLite a transaction on the one writer, which IMMEDIATE makes exclusive
// across processes too. The system actor of no organisation claims across
// all of them; of one, only there. Oldest first.
func (s *Store) ClaimEmails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*distans.OutgoingEmail, error) {
	a, err := mailer(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	if citus, err := s.onCitus(ctx); err != nil {
		return nil, err
	} else if citus && a.OrganisationID == "" {
		var out []*distans.OutgoingEmail
		// The organisation with the oldest due e-mail first.
		err := claimEach(ctx, s.rdb, `SELECT c.organisation_id FROM notifications c
			WHERE c.emailed_at IS NULL AND (c.email_claimed_until IS NULL OR c.email_claimed_until < $1)
			AND c.email_attempts < $2 GROUP BY c.organisation_id ORDER BY min(c.created_at)`, []any{ts(now), MaxEmailAttempts}, func(ctx context.Context) (bool, error) {
			got, err := s.ClaimEmails(ctx, now, lease, limit-len(out))
			out = append(out, got...)
			return len(out) >= limit, err
		})
		return out, err
	}
	var q args
	until, at := q.add(ts(now.Add(lease))), q.add(ts(now))
	// An organisation that lets nobody sign in (suspended or ended) gets
	// no e-mail: its links lead nowhere. Its notifications wait, and go
	// out if it is resumed.
	due := `c.emailed_at IS NULL AND (c.email_claimed_until IS NULL OR c.email_claimed_until < ` + at + `)
		AND c.email_attempts < ` + q.add(MaxEmailAttempts) + `
		AND c.organisation_id IN (SELECT o.id FROM organisations o WHERE ` + admitsSignIn + `)`
	if a.OrganisationID != "" {
		due += ` AND c.organisation_id = ` + q.add(a.OrganisationID)
	}
	pick := `SELECT c.organisation_id, c.id FROM notifications c WHERE ` + due + ` ORDER BY c.created_at, c.id` + limitRows(limit)
	const recipient = `p.email, p.name, CASE WHEN p.language = '' THEN o.language ELSE p.language END, o.name`

	var out []*distans.OutgoingEmail
	scan := func(rows *sql.Rows) error {
		defer rows.Close()
		for rows.Next() {
			e := &distans.OutgoingEmail{}
			n, err := scanNotification(rows, &e.To, &e.Name, &e.Language, &e.OrgName)
			if err != nil {
				return err
			}
			e.Notification = *n
			out = append(out, e)
		}
		return rows.Err()
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		out = nil
		if s.dialect.name == "postgres" {
			rows, err := tx.QueryContext(ctx, `UPDATE notifications n
				SET email_claimed_until = `+until+`, email_attempts = n.email_attempts + 1
				FROM people p, organisations o
				WHERE (n.organisation_id, n.id) IN (`+pick+` FOR UPDATE SKIP LOCKED)
				AND p.organisation_id = n.organisation_id AND p.id = n.person_id AND o.id = n.organisation_id
				RETURNING `+notificationCols+`, `+recipient, q...)
			if err != nil {
				return err
			}
			return scan(rows)
		}
		// SQLite: the write transaction holds the database's one write
		// lock from its first statement (IMMEDIATE), so the read of the
		// due rows and their claim are one step to every other writer,
		// in this process or another. RETURNING may not name joined
		// tables on SQLite, so the rows are read first.
		rows, err := tx.QueryContext(ctx, `SELECT `+notificationCols+`, `+recipient+`
			FROM notifications n JOIN people p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
			JOIN organisations o ON o.id = n.organisation_id
			WHERE (n.organisation_id, n.id) IN (`+pick+`) ORDER BY n.created_at, n.id`, q...)
		if err != nil {
			return err
		}
		if err := scan(rows); err != nil || len(out) == 0 {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE notifications
			SET email_claimed_until = `+until+`, email_attempts = email_attempts + 1
			WHERE (organisation_id, id) IN (`+pick+`)`, q...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if int(n) != len(out) {
			return fmt.Errorf("sqlstore: claimed %d e-mails, read %d", n, len(out))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MarkEmailed records that the notification was e-mailed at at and ends
// its lease. The mailer calls it as the system actor of the notification's
// organisation, which finds the row by its primary key; a second mark
// (another instance sent it after the lease ran out) keeps the first.
func (s *Store) MarkEmailed(ctx context.Context, id string, at time.Time) error {
	a, err := mailer(ctx)
	if err != nil {
		return err
	}
	var q args
	where := `id = ` + q.add(id)
	if a.OrganisationID != "" {
		where = `organisation_id = ` + q.add(a.OrganisationID) + ` AND ` + where
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications
			SET emailed_at = COALESCE(emailed_at, `+q.add(ts(at))+`), email_claimed_until = NULL WHERE `+where, q...)
		return affected(res, err, errNotificationNotFound)
	})
}
