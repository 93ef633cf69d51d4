package auth

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
)

var _ distans.AccountLinkService = (*Service)(nil)

// How long links work.
const (
	// InvitationTTL is two weeks: an invitation goes to people who did not
	// ask for it, often by hand through an administrator, and reaches some
	// of them on leave or on a schedule that has them at work every other
	// week; a link that died in a day would mostly be made again.
	InvitationTTL = 14 * 24 * time.Hour
	// ResetTTL is an hour: the person asked for the link a moment ago and
	// is waiting for it, and a reset mail that lies about in a mailbox
	// (shared, forwarded, read over a shoulder) should soon be worthless.
	ResetTTL = time.Hour
	// ResetsPerHour is how many reset links one person gets in an hour:
	// enough for a mail that went astray and a second try, too few to fill
	// a mailbox for someone who types in other people's addresses.
	ResetsPerHour = 3
)

// Bounds of the reset requests worked on in the background.
const (
	resetWorkers    = 2   // at once: each sends mail, which waits on the SMTP server
	resetQueueLimit = 256 // waiting beyond that are dropped, with a warning
	resetTimeout    = time.Minute
)

// LinkMailer sends a link by e-mail; *notify.Mailer is one.
type LinkMailer interface {
	SendLink(ctx context.Context, m notify.LinkMail) error
}

// resetQueue is the reset requests being worked on in the background.
type resetQueue struct {
	wg      sync.WaitGroup
	slots   chan struct{}
	pending atomic.Int64
	once    sync.Once
}

// Wait returns when every password-reset request taken so far is done:
// for tests, and for a graceful shutdown that lets mails in flight go.
func (s *Service) Wait() { s.resets.wg.Wait() }

func errLinkNotFound() error {
	return distans.NotFound("Länken finns inte, har redan använts eller har gått ut.",
		"The link does not exist, has already been used or has expired.")
}

func errLinksOff() error { return fmt.Errorf("auth: account links are not configured") }

// newLinkToken returns a link's token and the hash that is stored. The
// token carries its organisation, "<organisation id>.<secret>", so that
// the link is looked up within one organisation (STYLE 9a); the secret is
// 32 random bytes.
func newLinkToken(orgID string) (token, hash string, err error) {
	secret, err := RandomToken(32)
	if err != nil {
		return "", "", err
	}
	return orgID + "." + secret, HashToken(secret), nil
}

// parseLinkToken splits a token into its organisation and the hash of its
// secret; ok is false for anything that cannot be a link.
func parseLinkToken(token string) (orgID, hash string, ok bool) {
	orgID, secret, found := strings.Cut(token, ".")
	if !found || orgID == "" || len(orgID) > 64 || len(secret) != 43 {
		return "", "", false
	}
	return orgID, HashToken(secret), true
}

// linkURL is the address a token is opened at.
func (s *Service) linkURL(token string) string { return s.baseURL + "/link/" + token }

// errNotEmployed refuses a link for someone who could not sign in with it.
func errNotEmployed(p *distans.Person, orgName string) error {
	return distans.Errorf(distans.ECONFLICT,
		fmt.Sprintf("%s har ingen pågående anställning i %s och kan inte logga in. Lägg till anställningen först.", p.Name, orgName),
		fmt.Sprintf("%s has no current employment at %s and cannot sign in. Add the employment first.", p.Name, orgName))
}

// Invite makes an invitation for the person: e-mailed when e-mail is on,
// else returned for the administrator to hand over. The actor must be one
// who SetsPasswordOf the person, or the system of the person's
// organisation; someone the actor cannot see is ENOTFOUND. The person must
// have a current employment (ECONFLICT otherwise): an invitation is for
// signing in.
func (s *Service) Invite(ctx context.Context, personID string) (*distans.Invitation, error) {
	if s.links == nil {
		return nil, errLinksOff()
	}
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, errNotSignedIn()
	}
	now := s.clock(ctx)
	ctx = distans.WithNow(ctx, now)
	// FindPerson runs as the actor: someone outside their view is not found.
	p, err := s.people.FindPerson(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !a.System && !a.SetsPasswordOf(p.ID, p.UnitPath) {
		return nil, distans.Forbidden()
	}
	sctx := system(ctx, p.OrganisationID)
	org, err := s.orgs.FindOrganisationByID(sctx, p.OrganisationID)
	if err != nil {
		return nil, fmt.Errorf("auth: find organisation: %w", err)
	}
	acc, err := s.accounts.FindAccount(sctx, p.OrganisationID, p.ID)
	if err != nil {
		return nil, fmt.Errorf("auth: find account: %w", err)
	}
	if acc.Ended {
		return nil, errNotEmployed(p, org.Name)
	}
	token, hash, err := newLinkToken(p.OrganisationID)
	if err != nil {
		return nil, err
	}
	l := &distans.AccountLink{OrganisationID: p.OrganisationID, PersonID: p.ID, Purpose: distans.LinkInvitation,
		TokenHash: hash, CreatedBy: a.PersonID, ExpiresAt: now.Add(InvitationTTL).UTC().Truncate(time.Microsecond)}
	// The store asks the same question as above, as the actor.
	if err := s.links.CreateAccountLink(ctx, l); err != nil {
		return nil, err
	}
	inv := &distans.Invitation{PersonID: p.ID, Name: p.Name, Email: p.Email, Purpose: distans.LinkInvitation, ExpiresAt: l.ExpiresAt}
	if s.mailer != nil && p.Email != "" {
		err := s.mailer.SendLink(ctx, notify.LinkMail{To: p.Email, Name: p.Name, OrgName: org.Name, Purpose: distans.LinkInvitation,
			URL: s.linkURL(token), ExpiresAt: l.ExpiresAt, Location: org.Location()})
		if err == nil {
			inv.Sent = true
			s.log.InfoContext(ctx, "invitation e-mailed", "organisation_id", p.OrganisationID, "person_id", p.ID, "by", a.PersonID)
			return inv, nil
		}
		// The link still works: the administrator can hand it over.
		s.log.WarnContext(ctx, "invitation not e-mailed; shown to the administrator instead",
			"organisation_id", p.OrganisationID, "person_id", p.ID, "err", err)
	}
	inv.URL = s.linkURL(token)
	s.log.InfoContext(ctx, "invitation made", "organisation_id", p.OrganisationID, "person_id", p.ID, "by", a.PersonID)
	return inv, nil
}

// RequestPasswordReset takes a request for a reset link and answers at
// once, the same whatever the address: the work — finding the accounts,
// recording the request, making the links and e-mailing them — happens in
// the background, so that neither the answer nor its timing tells whether
// the address is known. When the address belongs to people in several
// organisations, each account gets a mail of its own with its own link:
// each link is one organisation's record, audited there, and the mail
// names the organisation it signs in to. People without a current
// employment get nothing. Only an empty address is an error (EINVALID on
// "email").
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email = distans.NormalizeEmail(email)
	if email == "" {
		var v distans.Validation
		v.Add("email", "Ange din e-postadress.", "Give your e-mail address.")
		return v.Err()
	}
	if s.links == nil {
		return errLinksOff()
	}
	q := &s.resets
	q.once.Do(func() { q.slots = make(chan struct{}, resetWorkers) })
	if q.pending.Add(1) > resetQueueLimit {
		q.pending.Add(-1)
		s.log.WarnContext(ctx, "password reset dropped: too many requests waiting")
		return nil
	}
	// The request's clock and values, not its cancellation: the answer
	// goes out before the work is done.
	bg := distans.WithNow(context.WithoutCancel(ctx), s.clock(ctx))
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		defer q.pending.Add(-1)
		q.slots <- struct{}{}
		defer func() { <-q.slots }()
		wctx, cancel := context.WithTimeout(bg, resetTimeout)
		defer cancel()
		s.resetPassword(wctx, email)
	}()
	return nil
}

// resetPassword is the work of one reset request; what goes wrong is
// logged, since nobody waits for an answer.
func (s *Service) resetPassword(ctx context.Context, email string) {
	defer func() {
		if r := recover(); r != nil {
			s.log.ErrorContext(ctx, "password reset panicked", "panic", r)
		}
	}()
	accounts, err := s.accounts.FindAccounts(system(ctx, ""), email)
	if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
		s.log.ErrorContext(ctx, "password reset: find accounts", "err", err)
		return
	}
	if len(accounts) == 0 {
		s.log.InfoContext(ctx, "password reset asked for an unknown address")
		return
	}
	now := distans.NowFrom(ctx)
	for _, acc := range accounts {
		log := s.log.With("organisation_id", acc.OrganisationID, "person_id", acc.PersonID)
		if acc.Ended {
			log.InfoContext(ctx, "password reset refused: no current employment")
			continue
		}
		if s.mailer == nil {
			log.WarnContext(ctx, "password reset asked, but e-mail is off (set DISTANS_SMTP_URL): nothing sent")
			continue
		}
		sctx := system(ctx, acc.OrganisationID)
		org, err := s.orgs.FindOrganisationByID(sctx, acc.OrganisationID)
		if err != nil {
			log.ErrorContext(ctx, "password reset: find organisation", "err", err)
			continue
		}
		token, hash, err := newLinkToken(acc.OrganisationID)
		if err != nil {
			log.ErrorContext(ctx, "password reset", "err", err)
			continue
		}
		l := &distans.AccountLink{OrganisationID: acc.OrganisationID, PersonID: acc.PersonID, Purpose: distans.LinkReset,
			TokenHash: hash, ExpiresAt: now.Add(ResetTTL).UTC().Truncate(time.Microsecond)}
		made, err := s.links.RequestPasswordReset(sctx, l, ResetsPerHour, now.Add(-time.Hour))
		if err != nil {
			log.ErrorContext(ctx, "password reset: record", "err", err)
			continue
		}
		if !made {
			log.WarnContext(ctx, "password reset refused: the hourly limit is reached", "limit", ResetsPerHour)
			continue
		}
		if err := s.mailer.SendLink(ctx, notify.LinkMail{To: acc.Email, Name: acc.Name, OrgName: org.Name, Purpose: distans.LinkReset,
			URL: s.linkURL(token), ExpiresAt: l.ExpiresAt, Location: org.Location()}); err != nil {
			log.ErrorContext(ctx, "password reset link not e-mailed", "err", err)
			continue
		}
		log.InfoContext(ctx, "password reset link e-mailed")
	}
}

// FindLink returns whom a usable link is for, with the organisation's
// password rules. An unknown, used or expired link, or one for a person
// without a current employment, is ENOTFOUND.
func (s *Service) FindLink(ctx context.Context, token string) (*distans.LinkTarget, error) {
	t, _, _, err := s.findLink(ctx, token)
	return t, err
}

func (s *Service) findLink(ctx context.Context, token string) (*distans.LinkTarget, *distans.Account, string, error) {
	if s.links == nil {
		return nil, nil, "", errLinksOff()
	}
	orgID, hash, ok := parseLinkToken(token)
	if !ok {
		return nil, nil, "", errLinkNotFound()
	}
	now := s.clock(ctx)
	sctx := system(distans.WithNow(ctx, now), orgID)
	l, err := s.links.FindAccountLink(sctx, orgID, hash, now)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, nil, "", errLinkNotFound()
	} else if err != nil {
		return nil, nil, "", fmt.Errorf("auth: find link: %w", err)
	}
	acc, err := s.accounts.FindAccount(sctx, orgID, l.PersonID)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, nil, "", errLinkNotFound()
	} else if err != nil {
		return nil, nil, "", fmt.Errorf("auth: find account: %w", err)
	}
	if acc.Ended {
		return nil, nil, "", errLinkNotFound()
	}
	p, err := s.passwordPolicy(ctx, orgID)
	if err != nil {
		return nil, nil, "", err
	}
	return &distans.LinkTarget{Purpose: l.Purpose, OrganisationID: orgID, OrgName: acc.OrgName, PersonID: acc.PersonID,
		Name: acc.Name, Email: acc.Email, Policy: p, ExpiresAt: l.ExpiresAt}, acc, hash, nil
}

// SetPasswordWithLink sets the password of the link's person, if it
// follows the organisation's rules (EINVALID on "password" otherwise, and
// the link stays usable), uses the link up, ends the person's sessions,
// clears a lock and signs the person in.
func (s *Service) SetPasswordWithLink(ctx context.Context, token, password string) (*distans.SignInResult, error) {
	t, acc, hash, err := s.findLink(ctx, token)
	if err != nil {
		return nil, err
	}
	pwHash, err := s.newPasswordHash(ctx, acc, t.Policy, password)
	if err != nil {
		return nil, err
	}
	now := s.clock(ctx)
	if _, err := s.links.UseAccountLink(system(distans.WithNow(ctx, now), t.OrganisationID), t.OrganisationID, hash, now, pwHash); err != nil {
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			// Used by another request meanwhile, or expired.
			return nil, errLinkNotFound()
		}
		return nil, fmt.Errorf("auth: use link: %w", err)
	}
	res, err := s.newSession(ctx, acc)
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "password set with a link", "purpose", t.Purpose, "organisation_id", t.OrganisationID, "person_id", t.PersonID)
	return res, nil
}
