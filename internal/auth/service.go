// Package auth is sign-in for Distans: argon2id passwords checked against
// each organisation's password policy, lock-out after repeated failures,
// browser sessions with a sliding expiry, API tokens for integrations, and
// single sign-on with each organisation's own OpenID Connect provider.
//
// The rules come from Kristianstad's information-security instruction (seed
// 003): personal accounts, passwords of at least eight characters that are not
// reused and not easy to link to the person, accounts locked after a number of
// failed attempts with a way back (wait, or ask HR/IT to unlock), and logs of
// successful and failed sign-ins and of sign-outs.
//
// Only hashes of secrets are stored: the session token and API token are
// random and shown once, the store keeps their SHA-256. The web and API
// layers call Authenticate or AuthenticateAPIToken themselves and put the
// returned Actor in the request context with distans.NewContext.
package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/secret"
)

var _ distans.SignInService = (*Service)(nil)

// Defaults for Config.
const (
	// DefaultSessionTTL is how long a session lives without use: a working
	// day, so that a lunch break does not sign anyone out but a computer left
	// over night does.
	DefaultSessionTTL = 8 * time.Hour
	// DefaultSessionMaxAge is how long a session lives however busy it is:
	// at most one sign-in per working day, and a stolen token dies by evening.
	DefaultSessionMaxAge = 12 * time.Hour
	// touchInterval is how stale LastSeenAt may get before Authenticate
	// writes it again; without it every request would be a write.
	touchInterval = time.Minute
)

// Config is what a Service needs. The stores are the domain interfaces;
// cmd/distans passes the same *sqlstore.Store for all of them.
type Config struct {
	Accounts      distans.AccountStore
	Organisations distans.OrganisationService
	People        distans.PersonService
	// Packs gives each organisation's active policy pack, whose parameters
	// set its password policy (MinLengthParam and the others); nil means
	// distans.DefaultPasswordPolicy everywhere.
	Packs Packs

	Logger *slog.Logger // nil discards

	// SessionTTL is the idle timeout, slid forward on use; SessionMaxAge is
	// the absolute limit from sign-in. Zero means the defaults above.
	SessionTTL    time.Duration
	SessionMaxAge time.Duration

	// Now is the clock; nil means the request's instant (distans.NowFrom),
	// the one clock every other part of a request reads. Tests move it to
	// let locks and sessions expire.
	Now func() time.Time

	// Links keeps invitations and reset links; nil turns AccountLinkService
	// off (every method is an internal error).
	Links distans.AccountLinkStore
	// Mailer sends those links by e-mail; nil means no e-mail: Invite
	// returns the link for the administrator to hand over, and a reset
	// request sends nothing (and logs a warning).
	Mailer LinkMailer
	// BaseURL is where people reach Distans ("https://distans.kommun.se"),
	// the start of every link.
	BaseURL string

	// HTTPClient talks to OpenID providers (discovery, keys, token
	// exchange); nil means a client with a 15-second timeout.
	HTTPClient *http.Client
}

// Packs gives the active policy pack of the organisation of ctx's actor;
// *policy.Service is one.
type Packs interface {
	Active(ctx context.Context) (*policy.Pack, *distans.PolicyVersion, error)
}

// Service implements distans.SignInService. It is safe for concurrent use
// and keeps no sign-in state in memory, so several instances may run behind
// one load balancer; its only cache is OpenID provider discovery. (The store
// may answer AccountStore.FindCredential from memory for a few seconds.)
type Service struct {
	accounts distans.AccountStore
	orgs     distans.OrganisationService
	people   distans.PersonService
	packs    Packs
	log      *slog.Logger
	ttl      time.Duration
	maxAge   time.Duration
	now      func() time.Time
	client   *http.Client
	links    distans.AccountLinkStore
	mailer   LinkMailer
	baseURL  string
	resets   resetQueue
	batches  sync.WaitGroup // invitation mails of batches on their way
	touches  touches

	dummyOnce sync.Once
	dummy     string // a hash to verify against when no account exists

	providersMu sync.Mutex
	providers   map[string]*cachedProvider // by issuer
}

// New returns a Service for cfg.
func New(cfg Config) *Service {
	s := &Service{
		accounts:  cfg.Accounts,
		orgs:      cfg.Organisations,
		people:    cfg.People,
		packs:     cfg.Packs,
		log:       cfg.Logger,
		ttl:       cfg.SessionTTL,
		maxAge:    cfg.SessionMaxAge,
		now:       cfg.Now,
		client:    cfg.HTTPClient,
		links:     cfg.Links,
		mailer:    cfg.Mailer,
		baseURL:   strings.TrimRight(cfg.BaseURL, "/"),
		providers: map[string]*cachedProvider{},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.ttl <= 0 {
		s.ttl = DefaultSessionTTL
	}
	if s.maxAge <= 0 {
		s.maxAge = DefaultSessionMaxAge
	}
	if s.ttl > s.maxAge {
		s.ttl = s.maxAge
	}
	if s.client == nil {
		s.client = &http.Client{Timeout: 15 * time.Second}
	}
	return s
}

// system returns ctx acting as the system in orgID: AccountStore and
// RoleService.Grants are called on behalf of sign-in, before anyone is signed in.
func system(ctx context.Context, orgID string) context.Context {
	return distans.NewContext(ctx, distans.SystemActor(orgID))
}

// Errors shown to people. The wrong-credentials message never says whether
// the e-mail address or the password was wrong, nor whether the account is
// locked; it tells the owner of a locked account what to do all the same.

func errBadCredentials() error {
	return distans.Errorf(distans.EUNAUTHORIZED,
		"Fel e-postadress eller lösenord. Efter flera misslyckade försök spärras kontot en stund; vänta och försök igen, eller kontakta HR/IT-support som kan låsa upp det.",
		"Wrong e-mail address or password. After several failed attempts the account is locked for a while; wait and try again, or contact HR/IT support, who can unlock it.")
}

func errNotSignedIn() error {
	return distans.Errorf(distans.EUNAUTHORIZED, "Du är inte inloggad. Logga in igen.", "You are not signed in. Please sign in again.")
}

func errSessionExpired() error {
	return distans.Errorf(distans.EUNAUTHORIZED, "Din session har gått ut. Logga in igen.", "Your session has expired. Please sign in again.")
}

func errBadAPIToken() error {
	return distans.Errorf(distans.EUNAUTHORIZED, "API-nyckeln är ogiltig eller återkallad.", "The API token is invalid or revoked.")
}

func errEnded(orgName string) error {
	return distans.Errorf(distans.EUNAUTHORIZED,
		fmt.Sprintf("Din anställning i %s har upphört, så du kan inte logga in. Kontakta HR om det inte stämmer.", orgName),
		fmt.Sprintf("Your employment at %s has ended, so you cannot sign in. Contact HR if this is wrong.", orgName))
}

// clock is the instant sign-in works at: the configured clock, else the
// request's.
func (s *Service) clock(ctx context.Context) time.Time {
	if s.now != nil {
		return s.now()
	}
	return distans.NowFrom(ctx)
}

// errLocked tells a signed-in person (re-authenticating or changing the
// password) the way back: the time the lock ends, in the organisation's own
// time zone, or HR/IT who can unlock at once. Sign-in never says it.
func errLocked(until time.Time, loc *time.Location, now time.Time) error {
	u := until.In(loc)
	when := u.Format("15:04")
	if n := now.In(loc); n.YearDay() != u.YearDay() || n.Year() != u.Year() {
		when = u.Format("2006-01-02 15:04")
	}
	return distans.Errorf(distans.ELOCKED,
		"Kontot är spärrat efter för många misslyckade inloggningar. Försök igen efter "+when+" eller kontakta HR/IT-support som kan låsa upp det.",
		"The account is locked after too many failed sign-ins. Try again after "+when+" or contact HR/IT support, who can unlock it.")
}

// newSession creates and stores a session for the account.
func (s *Service) newSession(ctx context.Context, a *distans.Account, method distans.SignInMethod) (*distans.SignInResult, error) {
	token, err := secret.New(32)
	if err != nil {
		return nil, err
	}
	csrf, err := secret.New(32)
	if err != nil {
		return nil, err
	}
	now := s.clock(ctx).UTC()
	sess := &distans.Session{
		TokenHash:      secret.Hash(token),
		OrganisationID: a.OrganisationID,
		PersonID:       a.PersonID,
		CSRFToken:      csrf,
		CreatedAt:      now,
		ExpiresAt:      now.Add(s.ttl),
		LastSeenAt:     now,
	}
	sctx := system(ctx, a.OrganisationID)
	if err := s.accounts.CreateSession(sctx, sess); err != nil {
		return nil, fmt.Errorf("auth: create session: %w", err)
	}
	if err := s.accounts.RecordSignInSuccess(sctx, a.OrganisationID, a.PersonID, method); err != nil {
		return nil, fmt.Errorf("auth: record sign-in: %w", err)
	}
	return &distans.SignInResult{Token: token, Session: sess}, nil
}

// credentialActor is the actor a credential stands for.
func credentialActor(c *distans.Credential) *distans.Actor {
	a := c.Account
	return &distans.Actor{OrganisationID: a.OrganisationID, PersonID: a.PersonID, Name: a.Name, Grants: c.Grants, Self: c.Self}
}

// Authenticate returns the actor and session for a session token and slides
// the idle expiry. An unknown, expired or ended session, or a person whose
// employment has ended, is EUNAUTHORIZED; expired sessions are deleted.
func (s *Service) Authenticate(ctx context.Context, token string) (*distans.Actor, *distans.Session, error) {
	if token == "" {
		return nil, nil, errNotSignedIn()
	}
	hash := secret.Hash(token)
	cred, err := s.accounts.FindCredential(system(ctx, ""), distans.CredentialSession, hash)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, nil, errNotSignedIn()
	} else if err != nil {
		return nil, nil, fmt.Errorf("auth: find session: %w", err)
	}
	sess, acc := cred.Session, cred.Account
	sctx := system(ctx, sess.OrganisationID)
	now := s.clock(ctx).UTC()
	hardEnd := sess.CreatedAt.Add(s.maxAge)
	if !now.Before(sess.ExpiresAt) || !now.Before(hardEnd) {
		if err := s.accounts.DeleteSession(sctx, hash); err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			s.log.ErrorContext(ctx, "delete expired session", "err", err)
		}
		return nil, nil, errSessionExpired()
	}
	if acc.Ended {
		// Employment ended while signed in: the session ends with it.
		_ = s.accounts.DeleteSessions(sctx, acc.OrganisationID, acc.PersonID)
		return nil, nil, errEnded(acc.OrgName)
	}
	if now.Sub(sess.LastSeenAt) >= touchInterval && s.touches.claim("session:"+hash, now) {
		exp := now.Add(s.ttl)
		if exp.After(hardEnd) {
			exp = hardEnd
		}
		if err := s.accounts.TouchSession(sctx, hash, now, exp); err != nil {
			s.touches.release("session:"+hash, now)
			return nil, nil, fmt.Errorf("auth: touch session: %w", err)
		}
		sess.LastSeenAt, sess.ExpiresAt = now, exp
	}
	return credentialActor(cred), sess, nil
}

// SignOut ends the session of token. An unknown token is not an error:
// signing out twice leaves you signed out.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	hash := secret.Hash(token)
	sess, err := s.accounts.FindSession(system(ctx, ""), hash)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("auth: find session: %w", err)
	}
	if err := s.accounts.DeleteSession(system(ctx, sess.OrganisationID), hash); err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
		return fmt.Errorf("auth: delete session: %w", err)
	}
	s.log.InfoContext(ctx, "sign-out", "organisation_id", sess.OrganisationID, "person_id", sess.PersonID)
	return nil
}

// SignOutEverywhere ends every session of the actor in ctx, in every browser.
func (s *Service) SignOutEverywhere(ctx context.Context) error {
	a, err := person(ctx)
	if err != nil {
		return err
	}
	if err := s.accounts.DeleteSessions(system(ctx, a.OrganisationID), a.OrganisationID, a.PersonID); err != nil {
		return fmt.Errorf("auth: delete sessions: %w", err)
	}
	s.log.InfoContext(ctx, "sign-out everywhere", "organisation_id", a.OrganisationID, "person_id", a.PersonID)
	return nil
}

// person returns the signed-in person in ctx; the system actor and nobody
// are EUNAUTHORIZED, since these actions are about one's own account.
func person(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.System || a.PersonID == "" {
		return nil, errNotSignedIn()
	}
	return a, nil
}
