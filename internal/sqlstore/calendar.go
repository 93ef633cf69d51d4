package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"

	"github.com/distans/distans"
)

// Calendar feeds (issue 5): a person's private iCalendar URL. Only the
// hash of the secret is stored; the partial unique index
// calendar_feeds_active keeps one active feed per person.

var _ distans.CalendarStore = (*Store)(nil)

// calendarSecretPrefix marks feed secrets, so that a leaked one is
// recognised for what it is.
const calendarSecretPrefix = "cal_"

func errCalendarFeedNotFound() error {
	return distans.NotFound("Det finns ingen kalenderprenumeration.", "There is no calendar feed.")
}

const calendarCols = `organisation_id, id, person_id, token_hash, created_at, revoked_at`

func scanCalendarFeed(sc interface{ Scan(...any) error }) (*distans.CalendarFeed, error) {
	f := &distans.CalendarFeed{}
	err := sc.Scan(&f.OrganisationID, &f.ID, &f.PersonID, &f.TokenHash, tm(&f.CreatedAt), nulltm(&f.RevokedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errCalendarFeedNotFound()
	}
	return f, err
}

// calendarPerson returns the person whose feed the actor may keep: their
// own, or anyone in the organisation for the system. Everyone else's is
// ENOTFOUND, never EFORBIDDEN: a feed is nobody else's business.
func calendarPerson(ctx context.Context, q querier, personID string) (*distans.Actor, string, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, "", err
	}
	if personID == "" {
		personID = a.PersonID
	}
	if personID == "" || (!a.System && personID != a.PersonID) {
		return nil, "", errCalendarFeedNotFound()
	}
	if _, err := findPersonRow(ctx, q, a.OrganisationID, personID); err != nil {
		return nil, "", err
	}
	return a, personID, nil
}

// CreateCalendarFeed revokes the person's active feed, if any, and creates
// a new one, in one transaction; it returns the secret once.
func (s *Store) CreateCalendarFeed(ctx context.Context, personID string) (string, *distans.CalendarFeed, error) {
	secret := calendarSecretPrefix + rand.Text()
	var f *distans.CalendarFeed
	err := s.write(ctx, func(tx *sql.Tx) error {
		a, pid, err := calendarPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		at := now(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE calendar_feeds SET revoked_at = $1
			WHERE organisation_id = $2 AND person_id = $3 AND revoked_at IS NULL`, ts(at), a.OrganisationID, pid); err != nil {
			return err
		}
		f = &distans.CalendarFeed{ID: newID(), OrganisationID: a.OrganisationID, PersonID: pid,
			TokenHash: distans.CalendarTokenHash(secret), CreatedAt: at}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_feeds (`+calendarCols+`) VALUES ($1, $2, $3, $4, $5, NULL)`,
			f.OrganisationID, f.ID, f.PersonID, f.TokenHash, ts(f.CreatedAt)); err != nil {
			return conflict(err, "Kalenderprenumerationen skapades samtidigt på annat håll. Försök igen.",
				"The calendar feed was created elsewhere at the same time. Try again.")
		}
		if err := addRoute(ctx, tx, f.TokenHash, f.OrganisationID, routeCalendarFeed); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "calendar_feed.create", "calendar_feed", f.ID,
			"created a calendar feed for person "+pid+", revoking any earlier one")
	})
	if err != nil {
		return "", nil, err
	}
	return secret, f, nil
}

// RevokeCalendarFeed revokes the person's active feed.
func (s *Store) RevokeCalendarFeed(ctx context.Context, personID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		a, pid, err := calendarPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		f, err := scanCalendarFeed(tx.QueryRowContext(ctx, `SELECT `+calendarCols+` FROM calendar_feeds
			WHERE organisation_id = $1 AND person_id = $2 AND revoked_at IS NULL`, a.OrganisationID, pid))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE calendar_feeds SET revoked_at = $1 WHERE organisation_id = $2 AND id = $3`,
			ts(now(ctx)), a.OrganisationID, f.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "calendar_feed.revoke", "calendar_feed", f.ID,
			"revoked the calendar feed of person "+pid)
	})
}

// FindCalendarFeed returns the active feed with that hash, in whichever
// organisation it is; it needs no actor.
func (s *Store) FindCalendarFeed(ctx context.Context, tokenHash string) (*distans.CalendarFeed, error) {
	var a args
	cond, err := s.bySecret(ctx, s.rdb, &a, tokenHash)
	if err != nil {
		return nil, err
	}
	return scanCalendarFeed(s.rdb.QueryRowContext(ctx, `SELECT `+calendarCols+` FROM calendar_feeds
		WHERE `+cond+` AND revoked_at IS NULL`, a...))
}

// CalendarFeedFor returns the person's active feed.
func (s *Store) CalendarFeedFor(ctx context.Context, personID string) (*distans.CalendarFeed, error) {
	var f *distans.CalendarFeed
	err := s.read(ctx, func(tx *sql.Tx) error {
		a, pid, err := calendarPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		f, err = scanCalendarFeed(tx.QueryRowContext(ctx, `SELECT `+calendarCols+` FROM calendar_feeds
			WHERE organisation_id = $1 AND person_id = $2 AND revoked_at IS NULL`, a.OrganisationID, pid))
		return err
	})
	return f, err
}
