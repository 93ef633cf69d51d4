package distans

import (
	"context"
	"time"
)

// LinkPurpose is what a single-use account link is for.
type LinkPurpose string

const (
	// LinkInvitation lets a person who has no password yet set their first
	// one: people who are imported or provisioned are invited, never given
	// a password by someone else.
	LinkInvitation LinkPurpose = "invitation"
	// LinkReset lets a person who forgot their password set a new one
	// (self-service, Kristianstads kommun, Instruktion för digital
	// kommunikation, Lösenord).
	LinkReset LinkPurpose = "reset"
)

// Invitation is a link made for a person: the URL to hand over when it was
// not sent by e-mail, and when it stops working. The secret in the URL is
// never stored, only its hash.
type Invitation struct {
	PersonID  string      `json:"person_id"`
	Name      string      `json:"name"`
	Email     string      `json:"email"`
	Purpose   LinkPurpose `json:"purpose"`
	URL       string      `json:"url,omitempty"` // empty when Sent: only the person gets it
	Sent      bool        `json:"sent"`          // sent by e-mail
	ExpiresAt time.Time   `json:"expires_at"`
}

// LinkTarget is what a valid link shows before it is used: whose it is and
// what it is for, and the organisation's password rules to follow.
type LinkTarget struct {
	Purpose        LinkPurpose
	OrganisationID string
	OrgName        string
	PersonID       string
	Name           string
	Email          string
	Policy         PasswordPolicy
	ExpiresAt      time.Time
}

// AccountLinkService makes and redeems single-use, expiring links that set
// a password (internal/auth). Every step is audited in the person's
// organisation.
//
// Invite needs Actor.SetsPasswordOf for the person (or the system actor in
// the person's organisation, as when an organisation is created); it ends
// the person's earlier unused links of that purpose. RequestPasswordReset
// is open to anyone and answers the same whether or not the address is
// known, and never more than a few times an hour per person (an attacker
// learns nothing, a mailbox is not flooded); it sends the link only by
// e-mail. FindLink and SetPasswordWithLink take the token from the URL:
// ENOTFOUND for an unknown, used or expired link; EINVALID on "password"
// for a password that breaks the organisation's rules (the link stays
// usable then). Setting the password uses the link up, ends the person's
// sessions, clears a lock and returns a new signed-in session.
type AccountLinkService interface {
	Invite(ctx context.Context, personID string) (*Invitation, error)
	RequestPasswordReset(ctx context.Context, email string) error
	FindLink(ctx context.Context, token string) (*LinkTarget, error)
	SetPasswordWithLink(ctx context.Context, token, password string) (*SignInResult, error)
}

// AccountLink is a link as stored: the hash of its secret, never the
// secret itself.
type AccountLink struct {
	OrganisationID string
	ID             string
	PersonID       string
	Purpose        LinkPurpose
	TokenHash      string
	CreatedBy      string // the person who made it; empty for the system and for a reset the person asked for
	CreatedAt      time.Time
	ExpiresAt      time.Time
	UsedAt         *time.Time
}

// AccountLinkStore keeps account links (internal/sqlstore). Like
// AccountStore it serves sign-in before anyone is signed in, so its
// methods look links up by organisation and hash alone; a person in ctx
// who creates an invitation must be one who SetsPasswordOf the person.
// Every method is audited in the person's organisation, and none writes
// the secret anywhere.
type AccountLinkStore interface {
	// CreateAccountLink stores l, filling ID and CreatedAt, and ends the
	// person's earlier unused links of its purpose (link.create).
	// ENOTFOUND for a person not in l.OrganisationID (or out of the
	// actor's reach), EFORBIDDEN for an actor who may not.
	CreateAccountLink(ctx context.Context, l *AccountLink) error
	// RequestPasswordReset records a reset asked for by the person
	// (password.reset_request) and, unless max reset links were already
	// made for them since since, creates l as CreateAccountLink does, in
	// the same transaction, so that requests at the same time cannot pass
	// the limit together. It reports whether l was created.
	RequestPasswordReset(ctx context.Context, l *AccountLink, max int, since time.Time) (bool, error)
	// FindAccountLink returns the link of orgID with that hash when it is
	// unused and not expired at now; ENOTFOUND otherwise.
	FindAccountLink(ctx context.Context, orgID, tokenHash string, now time.Time) (*AccountLink, error)
	// UseAccountLink uses the link up and sets the person's password hash
	// in one transaction, as AccountStore.SetPasswordHash does (history
	// kept, every session ended, a lock cleared; link.use). ENOTFOUND when
	// the link was used, ended or expired at now meanwhile: only one of two
	// requests with the same link sets a password.
	UseAccountLink(ctx context.Context, orgID, tokenHash string, now time.Time, passwordHash string) (*AccountLink, error)
}
