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
	"github.com/distans/distans/internal/secret"
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

// Wait returns when every password-reset request and every batch of
// invitation mails taken so far is done: for tests, and for a graceful
// shutdown that lets mails in flight go.
func (s *Service) Wait() {
	s.resets.wg.Wait()
	s.batches.Wait()
}

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
	plain, err := secret.New(32)
	if err != nil {
		return "", "", err
	}
	return orgID + "." + plain, secret.Hash(plain), nil
}

// parseLinkToken splits a token into its organisation and the hash of its
// secret; ok is false for anything that cannot be a link.
func parseLinkToken(token string) (orgID, hash string, ok bool) {
	orgID, plain, found := strings.Cut(token, ".")
	if !found || orgID == "" || len(orgID) > 64 || len(plain) != 43 {
		return "", "", false
	}
	return orgID, secret.Hash(plain), true
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
		TokenHash: hash, CreatedBy: a.PersonID, ExpiresAt: invitationExpiry(now)}
	// The store asks the same question as above, as the actor.
	if err := s.links.CreateAccountLink(ctx, l); err != nil {
		return nil, err
	}
	inv := &distans.Invitation{PersonID: p.ID, Name: p.Name, Email: p.Email, Purpose: distans.LinkInvitation, ExpiresAt: l.ExpiresAt}
	if s.mails(p.Email) {
		err := s.mailInvitation(ctx, org, inv, token)
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

// invitationExpiry is when an invitation made at now stops working, as
// the store keeps it; one and the same for Invite and InvitePending.
func invitationExpiry(now time.Time) time.Time {
	return now.Add(InvitationTTL).UTC().Truncate(time.Microsecond)
}

// mails reports whether an invitation to the address goes by e-mail.
func (s *Service) mails(email string) bool { return s.mailer != nil && email != "" }

// mailInvitation e-mails the invitation with the link of token.
func (s *Service) mailInvitation(ctx context.Context, org *distans.Organisation, inv *distans.Invitation, token string) error {
	return s.mailer.SendLink(ctx, notify.LinkMail{To: inv.Email, Name: inv.Name, OrgName: org.Name, Purpose: distans.LinkInvitation,
		URL: s.linkURL(token), ExpiresAt: inv.ExpiresAt, Location: org.Location()})
}

// mayInviteAll is the service's side of the batch's permission: the
// store decides again, in its transaction.
func mayInviteAll(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, errNotSignedIn()
	}
	if !a.SetsPasswordsOfAll() {
		return nil, distans.Forbidden()
	}
	return a, nil
}

// PendingInvitations counts the people of the actor's organisation whom
// InvitePending would invite now.
func (s *Service) PendingInvitations(ctx context.Context) (int, error) {
	if s.links == nil {
		return 0, errLinksOff()
	}
	a, err := mayInviteAll(ctx)
	if err != nil {
		return 0, err
	}
	return s.links.CountPendingInvitations(distans.WithNow(ctx, s.clock(ctx)), a.OrganisationID)
}

// Bounds of the invitation mails of a batch, sent in the background.
const (
	// batchMailWorkers is how many mails of a batch are on their way at
	// once: each holds an SMTP connection, and a municipality's relay
	// throttles a sender that opens many; four send thousands in minutes.
	batchMailWorkers = 4
	batchMailTimeout = time.Minute // for one mail
)

// batchMail is one invitation of a batch to e-mail.
type batchMail struct {
	inv    *distans.Invitation
	linkID string
	token  string
}

// InvitePending invites everyone of the actor's organisation who still
// needs an invitation, in one transaction of the store. Invitations to
// people with an e-mail address are mailed after the commit, in the
// background (the request does not wait for thousands of mails), by
// batchMailWorkers at a time; a mail that fails ends its link and is
// logged, so that the person is pending again and shows in the count. The
// others carry their URL in the answer, the only time it is seen.
func (s *Service) InvitePending(ctx context.Context) (*distans.InvitationBatch, error) {
	if s.links == nil {
		return nil, errLinksOff()
	}
	a, err := mayInviteAll(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock(ctx)
	ctx = distans.WithNow(ctx, now)
	orgID := a.OrganisationID
	org, err := s.orgs.FindOrganisationByID(system(ctx, orgID), orgID)
	if err != nil {
		return nil, fmt.Errorf("auth: find organisation: %w", err)
	}
	// The secrets stay here; the store gets their hashes.
	tokens := map[string]string{}
	links, err := s.links.CreatePendingInvitations(ctx, orgID, invitationExpiry(now), func() (string, error) {
		token, hash, err := newLinkToken(orgID)
		tokens[hash] = token
		return hash, err
	})
	if err != nil {
		return nil, err
	}
	b := &distans.InvitationBatch{Count: len(links), ExpiresAt: invitationExpiry(now), Invitations: make([]*distans.Invitation, len(links))}
	var mail []batchMail
	for i, l := range links {
		inv := &distans.Invitation{PersonID: l.PersonID, Name: l.Name, Email: l.Email, Purpose: distans.LinkInvitation, ExpiresAt: l.ExpiresAt}
		b.Invitations[i] = inv
		if s.mails(l.Email) {
			inv.Sent = true
			mail = append(mail, batchMail{inv: inv, linkID: l.ID, token: tokens[l.TokenHash]})
		} else {
			inv.URL = s.linkURL(tokens[l.TokenHash])
		}
	}
	b.Mailed = len(mail)
	s.log.InfoContext(ctx, "invited everyone pending", "organisation_id", orgID, "by", a.PersonID,
		"invitations", b.Count, "mailed", b.Mailed)
	if len(mail) > 0 {
		s.sendBatch(context.WithoutCancel(ctx), org, mail)
	}
	return b, nil
}

// sendBatch mails a batch's invitations in the background. Wait waits
// for it.
func (s *Service) sendBatch(ctx context.Context, org *distans.Organisation, mail []batchMail) {
	s.batches.Add(1)
	go func() {
		defer s.batches.Done()
		var next, failed atomic.Int64
		var wg sync.WaitGroup
		for range min(batchMailWorkers, len(mail)) {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(mail) {
						return
					}
					if !s.sendBatchMail(ctx, org, mail[i]) {
						failed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		s.log.InfoContext(ctx, "invitation mails of a batch done", "organisation_id", org.ID,
			"sent", len(mail)-int(failed.Load()), "failed", failed.Load())
	}()
}

// sendBatchMail sends one invitation of a batch and reports whether it
// went. When it did not, the link is ended: nobody has it, and an unused
// link would keep the person out of the next batch for two weeks.
func (s *Service) sendBatchMail(ctx context.Context, org *distans.Organisation, m batchMail) (ok bool) {
	log := s.log.With("organisation_id", org.ID, "person_id", m.inv.PersonID)
	defer func() {
		if r := recover(); r != nil {
			log.ErrorContext(ctx, "invitation mail panicked", "panic", r)
			ok = false
		}
	}()
	mctx, cancel := context.WithTimeout(ctx, batchMailTimeout)
	err := s.mailInvitation(mctx, org, m.inv, m.token)
	cancel()
	if err == nil {
		return true
	}
	log.WarnContext(ctx, "invitation not e-mailed; its link is ended and the person is pending again", "err", err)
	// The ending is a step of its own, at its own time.
	ectx := system(distans.WithNow(ctx, s.jobNow()), org.ID)
	if err := s.links.EndAccountLink(ectx, org.ID, m.linkID, "the invitation e-mail could not be sent"); err != nil {
		log.ErrorContext(ctx, "invitation mail failed and its link could not be ended", "err", err)
	}
	return false
}

// jobNow is the clock of work done in the background: the injected one,
// else the real time (there is no request).
func (s *Service) jobNow() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
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
	res, err := s.newSession(ctx, acc, distans.SignInLink)
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "password set with a link", "purpose", t.Purpose, "organisation_id", t.OrganisationID, "person_id", t.PersonID)
	return res, nil
}
