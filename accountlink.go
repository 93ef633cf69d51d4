package distans

import (
	"context"
	"encoding/csv"
	"io"
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

// InvitationBatch is the outcome of inviting, in one go, everyone of an
// organisation who still needs an invitation (AccountLinkService.InvitePending).
// Invitations lists every one made, in name order; those going out by
// e-mail (Sent) carry no URL, the others carry the link to hand over, and
// this answer is the only place it is ever seen.
type InvitationBatch struct {
	Count       int           `json:"count"`  // invitations made
	Mailed      int           `json:"mailed"` // of them, being e-mailed in the background
	ExpiresAt   time.Time     `json:"expires_at"`
	Invitations []*Invitation `json:"invitations"`
}

// HandOver returns the invitations that were not e-mailed: their URLs are
// for the administrator to hand over.
func (b *InvitationBatch) HandOver() []*Invitation {
	var out []*Invitation
	for _, inv := range b.Invitations {
		if inv.URL != "" {
			out = append(out, inv)
		}
	}
	return out
}

// WriteInvitationsCSV writes invitations as the file an administrator
// hands out from: a header, then name, e-mail, link and expiry (in loc),
// ";"-separated, in UTF-8 with a byte order mark, which is what Excel on
// a Swedish Windows needs to open it with å, ä and ö intact.
func WriteInvitationsCSV(w io.Writer, invs []*Invitation, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write([]string{"namn", "e-post", "länk", "giltig till"}); err != nil {
		return err
	}
	for _, inv := range invs {
		if err := cw.Write([]string{inv.Name, inv.Email, inv.URL, inv.ExpiresAt.In(loc).Format("2006-01-02 15:04")}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
//
// InvitePending invites, in one transaction, every person of the actor's
// organisation who is pending (PendingInvitations counts them): a current
// employment, no password and no unused, unexpired invitation; the rules
// and the link are Invite's. It needs Actor.SetsPasswordsOfAll (or the
// system of the organisation), EFORBIDDEN otherwise, and leaves out the
// actor themselves. With e-mail on, the links are mailed after the commit,
// in the background; a mail that fails ends its link, so that the person
// is pending again and the next batch includes them. A batch of nobody is
// no error.
type AccountLinkService interface {
	Invite(ctx context.Context, personID string) (*Invitation, error)
	InvitePending(ctx context.Context) (*InvitationBatch, error)
	PendingInvitations(ctx context.Context) (int, error)
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
	// CreatePendingInvitations makes an invitation, expiring at expiresAt,
	// for every person of orgID pending at the time of ctx (see
	// AccountLinkService.InvitePending) whom the actor may invite
	// (CreateAccountLink's rule), in one transaction, with one
	// link.create event per person and one link.create_batch with the
	// count. newHash is called once for each link and returns the hash of
	// a new secret (only the caller knows the secret). EFORBIDDEN unless
	// the actor SetsPasswordsOfAll of orgID or is its system.
	CreatePendingInvitations(ctx context.Context, orgID string, expiresAt time.Time, newHash func() (string, error)) ([]*InvitedLink, error)
	// CountPendingInvitations counts whom CreatePendingInvitations would
	// invite now, under the same rule and permission.
	CountPendingInvitations(ctx context.Context, orgID string) (int, error)
	// EndAccountLink ends an unused link of orgID (link.end, with why),
	// as the system; a link already used, ended or expired is left alone.
	EndAccountLink(ctx context.Context, orgID, linkID, why string) error
}

// InvitedLink is a link made by CreatePendingInvitations and whom it is for.
type InvitedLink struct {
	AccountLink
	Name, Email string
}
