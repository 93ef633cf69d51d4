package distans

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// CalendarFeed is a person's private iCalendar feed (issue 5): a secret
// URL that a calendar program polls for the person's remote days, desk
// bookings, team days and phone hours. The secret is the credential: it is
// shown once, when the feed is created, and only its hash is kept. A person
// has at most one active feed; creating a new one revokes the old, and a
// revoked feed answers as if it never existed.
type CalendarFeed struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisation_id"`
	PersonID       string     `json:"person_id"`
	TokenHash      string     `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
}

// CalendarTokenHash is the stored form of a feed's secret. Both the store
// (when it creates a feed) and the feed handler (when it looks one up) use
// it, so that they agree.
func CalendarTokenHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CalendarStore keeps calendar feeds.
//
// A person creates and revokes their own feed (personID empty or their
// own); anyone else's is ENOTFOUND, as is a person outside the actor's
// organisation. The system actor may act for anyone in its organisation.
// Creating and revoking are audited in the same transaction; the secret
// never appears in the audit trail.
type CalendarStore interface {
	// CreateCalendarFeed creates a new feed for the person, revokes the
	// previous one, and returns the secret: this is the only time it is
	// available.
	CreateCalendarFeed(ctx context.Context, personID string) (secret string, f *CalendarFeed, err error)
	// RevokeCalendarFeed revokes the person's active feed; ENOTFOUND when
	// there is none.
	RevokeCalendarFeed(ctx context.Context, personID string) error
	// FindCalendarFeed returns the active feed whose secret hashes to
	// tokenHash, in any organisation; ENOTFOUND for an unknown or revoked
	// one. It acts as the system: whoever holds the secret may read the
	// feed, so it needs no actor.
	FindCalendarFeed(ctx context.Context, tokenHash string) (*CalendarFeed, error)
	// CalendarFeedFor returns the person's active feed; ENOTFOUND when
	// there is none.
	CalendarFeedFor(ctx context.Context, personID string) (*CalendarFeed, error)
}
