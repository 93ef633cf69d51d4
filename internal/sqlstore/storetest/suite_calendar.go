package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// CalendarFeeds: a person keeps one active feed, found by the hash of its
// secret; a new feed revokes the old; nobody else sees or revokes it; the
// secret never reaches the audit trail.
func CalendarFeeds(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := context.Background()
	me := As(t, s, w.EmpX1)

	_, err := s.CalendarFeedFor(me, "")
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.RevokeCalendarFeed(me, ""), distans.ENOTFOUND)

	secret1, f1, err := s.CreateCalendarFeed(me, "")
	Must(t, err)
	if !strings.HasPrefix(secret1, "cal_") || f1.PersonID != w.EmpX1.ID || f1.OrganisationID != w.A.ID || f1.TokenHash != distans.CalendarTokenHash(secret1) {
		t.Fatalf("created: %q %+v", secret1, f1)
	}
	e := lastEvent(t, s, w.A.ID)
	if e.Action != "calendar_feed.create" || e.RecordID != f1.ID || e.ActorID != w.EmpX1.ID ||
		strings.Contains(e.Summary, secret1) || strings.Contains(e.Summary, f1.TokenHash) {
		t.Fatalf("audit: %+v", e)
	}
	got, err := s.FindCalendarFeed(ctx, distans.CalendarTokenHash(secret1))
	Must(t, err)
	if got.ID != f1.ID || got.PersonID != w.EmpX1.ID || got.RevokedAt != nil || !got.CreatedAt.Equal(f1.CreatedAt) {
		t.Fatalf("found: %+v", got)
	}

	// A second feed revokes the first.
	secret2, f2, err := s.CreateCalendarFeed(me, w.EmpX1.ID)
	Must(t, err)
	if secret2 == secret1 || f2.ID == f1.ID {
		t.Fatal("the new feed repeats the old")
	}
	_, err = s.FindCalendarFeed(ctx, distans.CalendarTokenHash(secret1))
	WantCode(t, err, distans.ENOTFOUND)
	cur, err := s.CalendarFeedFor(me, "")
	Must(t, err)
	if cur.ID != f2.ID {
		t.Fatalf("current feed %s, want %s", cur.ID, f2.ID)
	}

	// Nobody else may create, read or revoke it, not even an administrator;
	// another organisation does not see the person at all.
	for name, ctx := range map[string]context.Context{"admin": As(t, s, w.Admin), "chef": As(t, s, w.ChefX), "beta": As(t, s, w.AdminB)} {
		_, err := s.CalendarFeedFor(ctx, w.EmpX1.ID)
		WantCode(t, err, distans.ENOTFOUND)
		WantCode(t, s.RevokeCalendarFeed(ctx, w.EmpX1.ID), distans.ENOTFOUND)
		_, _, err = s.CreateCalendarFeed(ctx, w.EmpX1.ID)
		if distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Fatalf("%s created someone else's feed: %v", name, err)
		}
	}
	_, _, err = s.CreateCalendarFeed(System(w.B.ID), w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, _, err = s.CreateCalendarFeed(ctx, "")
	WantCode(t, err, distans.EUNAUTHORIZED)

	// Revoking ends it; the system may revoke for the person.
	Must(t, s.RevokeCalendarFeed(System(w.A.ID), w.EmpX1.ID))
	wantLastAction(t, s, w.A.ID, "calendar_feed.revoke", f2.ID)
	_, err = s.FindCalendarFeed(ctx, distans.CalendarTokenHash(secret2))
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.RevokeCalendarFeed(me, ""), distans.ENOTFOUND)
	_, err = s.FindCalendarFeed(ctx, "no such hash")
	WantCode(t, err, distans.ENOTFOUND)

	// The database keeps one active feed per person.
	db := Raw(t, s)
	for i, h := range []string{"h-a", "h-b"} {
		_, err := db.ExecContext(ctx, `INSERT INTO calendar_feeds (organisation_id, id, person_id, token_hash, created_at, revoked_at)
			VALUES ($1, $2, $3, $4, '2025-01-01T00:00:00.000000Z', NULL)`, w.A.ID, "raw-"+h, w.EmpY.ID, h)
		if (err == nil) != (i == 0) {
			t.Fatalf("raw insert %d: %v", i, err)
		}
	}
}
