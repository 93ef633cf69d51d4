package distans

import (
	"context"
	"time"
)

// Account is what sign-in knows of a person in one organisation.
type Account struct {
	OrganisationID string
	OrgSlug        string
	OrgName        string
	PersonID       string
	Name           string
	Email          string
	EmployeeNumber string
	PasswordHash   string // argon2id in PHC form; empty when the person has no local password
	FailedCount    int
	LockedUntil    *time.Time
	Ended          bool // no current employment, or Disabled: may not sign in
	Disabled       bool // deactivated by the identity system (SCIM), at once
}

// Session is a signed-in browser. The token is never stored, only its hash.
type Session struct {
	TokenHash      string
	OrganisationID string
	PersonID       string
	CSRFToken      string
	CreatedAt      time.Time
	ExpiresAt      time.Time
	LastSeenAt     time.Time
}

// APIToken is a token for an integration, scoped to one person: requests
// with it act as that person with that person's roles. The secret is shown
// once, when created, and only its hash is stored.
type APIToken struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisation_id"`
	PersonID       string     `json:"person_id"`
	Name           string     `json:"name"`
	TokenHash      string     `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	LastUsedAt     *time.Time `json:"last_used_at,omitempty"`
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
}

// CredentialKind says which table a token hash is looked up in.
type CredentialKind int

const (
	CredentialSession CredentialKind = iota
	CredentialAPIToken
)

// Credential is what a session or API token stands for when a request
// presents it: the session or token (one of them is set), the account
// behind it, the account's current grants and the person's own record and
// organisation (Self). Callers get their own copy.
type Credential struct {
	Session  *Session
	APIToken *APIToken
	Account  *Account
	Grants   []Grant
	Self     *Self
}

// Self is a person's own record and organisation as read together with the
// credential that made the actor (Actor.Self), so that a request asking who
// its actor is (PersonService.FindSelf) need not read them again. Stamp is
// the store's mark of what it had seen when it read them: the store answers
// from a Self only while nothing that alters it has changed since, and reads
// afresh otherwise.
type Self struct {
	Person       *Person
	Organisation *Organisation
	Stamp        uint64
}

// OIDCProvider is an organisation's single sign-on settings: the issuer and
// client, and the claim that names the person (matched against e-mail or
// employee number). The client secret is never returned by the API.
type OIDCProvider struct {
	OrganisationID string `json:"organisation_id"`
	Issuer         string `json:"issuer"`
	ClientID       string `json:"client_id"`
	ClientSecret   string `json:"-"`
	Claim          string `json:"claim"`    // "email" or another claim holding the match value
	MatchBy        string `json:"match_by"` // "email" or "employee_number"
	Enabled        bool   `json:"enabled"`
}

// AccountStore is the storage sign-in needs. Its methods act as the system:
// the caller (internal/auth) has already established who is signing in.
// An organisation whose status does not admit sign-in (OrgStatus) has no
// accounts: FindAccounts, FindAccount, FindAccountByEmployeeNumber and so
// FindCredential find nobody in it.
type AccountStore interface {
	// FindAccounts returns the person's accounts in every organisation, by e-mail.
	FindAccounts(ctx context.Context, email string) ([]*Account, error)
	FindAccount(ctx context.Context, orgID, personID string) (*Account, error)
	FindAccountByEmployeeNumber(ctx context.Context, orgID, number string) (*Account, error)
	// RecordSignInFailure counts a failure, logs it in the sign-in log
	// (SignInLog, with ClientFrom(ctx)) and locks the account until
	// lockUntil when the count reaches the organisation's maximum; the
	// lock is audited. A lock that ran out before now starts a fresh
	// count, so the first typo after the wait does not lock the account
	// again.
	RecordSignInFailure(ctx context.Context, orgID, personID string, max int, now, lockUntil time.Time) (locked bool, err error)
	// RecordSignInSuccess clears the count and logs the sign-in.
	RecordSignInSuccess(ctx context.Context, orgID, personID string, method SignInMethod) error
	// PasswordHistory returns the current and earlier hashes, newest first.
	PasswordHistory(ctx context.Context, orgID, personID string, n int) ([]string, error)
	// SetPasswordHash replaces the password, keeps it in the history, ends
	// every session of the person and clears a lock; it is audited.
	SetPasswordHash(ctx context.Context, orgID, personID, hash string) error
	UnlockAccount(ctx context.Context, orgID, personID string) error

	// FindCredential returns the session or API token with the hash, with
	// its account, grants and Self: all that authenticating a request
	// reads, in one statement, expired and revoked ones included (the
	// caller decides). Every request asks, so the store may answer from a
	// cache that lives a few seconds; a change this instance makes to
	// sessions, tokens, roles, employments, units, people or organisations
	// is seen at once, one made by another instance within the cache's
	// lifetime. ENOTFOUND when the hash, or the person behind it, is
	// unknown, or the organisation does not admit sign-in.
	FindCredential(ctx context.Context, kind CredentialKind, tokenHash string) (*Credential, error)

	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, tokenHash string) (*Session, error)
	TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteSessions ends every session of a person: "sign out everywhere".
	DeleteSessions(ctx context.Context, orgID, personID string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)

	CreateAPIToken(ctx context.Context, t *APIToken) error
	ListAPITokens(ctx context.Context, orgID, personID string) ([]*APIToken, error)
	RevokeAPIToken(ctx context.Context, orgID, id string) error
	TouchAPIToken(ctx context.Context, orgID, id string, at time.Time) error

	FindOIDCProvider(ctx context.Context, orgID string) (*OIDCProvider, error)
	SaveOIDCProvider(ctx context.Context, p *OIDCProvider) error
}

// SignInResult is the outcome of a password sign-in: a session, or, when the
// e-mail and password fit accounts in several organisations and none was
// chosen, the organisations to choose between.
type SignInResult struct {
	Token   string // the session token for the cookie; empty when Choices is set
	Session *Session
	Choices []*Account // OrgSlug and OrgName filled
}

// SignInService is sign-in as the pages and the API use it (internal/auth).
// Errors: EUNAUTHORIZED for a wrong e-mail or password (never saying which)
// and for a locked account at sign-in (never saying so: an attacker would
// learn that the address exists); ELOCKED with the time the lock ends where
// the person is already signed in; EINVALID for a password that breaks the
// organisation's rules.
type SignInService interface {
	SignIn(ctx context.Context, email, password, orgSlug string) (*SignInResult, error)
	// Authenticate returns the actor and session for a session token, sliding
	// the expiry; ENOTFOUND/EUNAUTHORIZED when it is unknown or expired.
	Authenticate(ctx context.Context, token string) (*Actor, *Session, error)
	AuthenticateAPIToken(ctx context.Context, token string) (*Actor, error)
	SignOut(ctx context.Context, token string) error
	// SignOutEverywhere ends every session of the actor in ctx.
	SignOutEverywhere(ctx context.Context) error
	// Reauthenticate checks the actor's own password again before a
	// signature; a wrong one counts towards the lock-out like a failed
	// sign-in. A wrong password, or an account without one (single sign-on
	// only), is EINVALID on the field "password"; a locked account ELOCKED.
	Reauthenticate(ctx context.Context, password string) error
	// ChangePassword is the actor changing their own password.
	ChangePassword(ctx context.Context, current, next string) error
	// SetPassword is HR or an administrator setting someone's password
	// (Actor.SetsPasswordOf); it also unlocks the account.
	SetPassword(ctx context.Context, personID, next string) error
	// UnlockAccount lifts a lock-out (Actor.UnlocksAccountOf: HR, an
	// administrator or IT).
	UnlockAccount(ctx context.Context, personID string) error

	// CreateAPIToken returns the secret once; only its hash is kept.
	CreateAPIToken(ctx context.Context, personID, name string) (string, *APIToken, error)
	ListAPITokens(ctx context.Context, personID string) ([]*APIToken, error)
	RevokeAPIToken(ctx context.Context, id string) error

	// OIDCAuthURL starts single sign-on for an organisation; OIDCCallback
	// finishes it with the code and state from the provider's redirect and
	// returns a session. The state OIDCAuthURL returns is an opaque value
	// (it carries the state, nonce and PKCE verifier) for the web layer to
	// keep in a short-lived HttpOnly cookie; the callback passes the
	// redirect's "state" parameter as state and that cookie as wantState.
	OIDCAuthURL(ctx context.Context, orgSlug, redirectURL string) (authURL, state string, err error)
	OIDCCallback(ctx context.Context, orgSlug, redirectURL, code, state, wantState string) (*SignInResult, error)
}
