package distans

import (
	"context"
	"net/mail"
	"time"
)

// OrgStatus is where an organisation is in its life. Only an active
// organisation lets its people in; a suspended one may be resumed; an
// ended one is final (its data is kept until it is disposed of, which is
// a step of its own).
type OrgStatus string

const (
	OrgActive    OrgStatus = "active"
	OrgSuspended OrgStatus = "suspended"
	OrgEnded     OrgStatus = "ended"
)

// Valid reports whether s is a known status.
func (s OrgStatus) Valid() bool { return s == OrgActive || s == OrgSuspended || s == OrgEnded }

// AdmitsSignIn reports whether people of an organisation in status s may
// sign in and use their sessions and API tokens: the one rule that the
// store's account queries (o.status = 'active') and the sign-in page's
// list of organisations follow.
func (s OrgStatus) AdmitsSignIn() bool { return s == OrgActive }

// CanBecome reports whether an organisation in status s may be moved to
// status to: suspended and back, and ended from either, never back.
func (s OrgStatus) CanBecome(to OrgStatus) bool {
	switch {
	case s == OrgEnded || s == to || !to.Valid():
		return false
	case to == OrgActive:
		return s == OrgSuspended
	default:
		return true
	}
}

// Label returns the status for people to read.
func (s OrgStatus) Label(lang string) string {
	l := map[OrgStatus][2]string{
		OrgActive:    {"Aktiv", "Active"},
		OrgSuspended: {"Avstängd", "Suspended"},
		OrgEnded:     {"Avslutad", "Ended"},
	}[s]
	if l[0] == "" {
		return string(s)
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// RunsInstallation reports whether the actor administers the installation
// (driftadministratör): creates, renames, suspends, resumes and ends
// organisations and sees their counts. An operator belongs to no
// organisation (OrganisationID is empty), so every organisation-scoped
// query finds nothing for it and it sees no personal data; the system
// actor without an organisation (the CLI on the server) runs it too.
func (a *Actor) RunsInstallation() bool {
	return a != nil && a.OrganisationID == "" && (a.Operator || a.System)
}

// OperatorMinPasswordLength is the shortest password of an installation
// administrator: they hold the keys to every organisation's life, so more
// than the floor of the organisations' packs.
const OperatorMinPasswordLength = 12

// Operator is an installation administrator (driftadministratör): a
// person of no organisation, signed in on the /drift pages with a password
// of their own that they set from a one-time link.
type Operator struct {
	ID           string     `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	PasswordHash string     `json:"-"` // argon2id; empty until set from a link
	FailedCount  int        `json:"-"`
	LockedUntil  *time.Time `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Validate checks the operator's fields.
func (o *Operator) Validate() error {
	var v Validation
	if a, err := mail.ParseAddress(o.Email); err != nil || a.Address != o.Email {
		v.Add("email", "Ange en giltig e-postadress.", "Enter a valid e-mail address.")
	}
	v.MaxLen("name", o.Name, 200)
	return v.Err()
}

// OperatorSession is an operator's signed-in browser, kept apart from the
// sessions of organisations: its own table, cookie and CSRF token. The
// token is never stored, only its hash.
type OperatorSession struct {
	TokenHash  string
	OperatorID string
	CSRFToken  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// OperatorLink is a single-use, expiring link that sets an operator's
// password; only the hash of its secret is stored.
type OperatorLink struct {
	TokenHash  string
	OperatorID string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time
}

// OperatorInvite is a link made for an operator, to hand over once.
type OperatorInvite struct {
	Operator  *Operator
	URL       string
	ExpiresAt time.Time
}

// OrganisationStats is what the installation's administrator sees of an
// organisation: its settings and status, counts and cheap signs of health,
// never a name or anything else about its people.
type OrganisationStats struct {
	Organisation        *Organisation `json:"organisation"`
	People              int           `json:"people"`
	Units               int           `json:"units"`
	CurrentEmployments  int           `json:"current_employments"`
	ActiveAgreements    int           `json:"active_agreements"`
	PolicyVersion       int           `json:"policy_version"` // 0: none saved, the generic rules hold
	LastActivityAt      *time.Time    `json:"last_activity_at,omitempty"`
	FailedNotifications int           `json:"failed_notifications"` // e-mails tried and not yet sent
}

// NewOrganisation is what creating an organisation takes: the
// organisation, the policy pack template its own pack is copied from, and
// its first administrator.
type NewOrganisation struct {
	Slug       string
	Name       string
	TimeZone   string // Europe/Stockholm when empty
	Language   string // sv when empty
	Pack       string // a template (policy.Templates); generic when empty
	AdminEmail string
	AdminName  string // the e-mail's local part when empty
}

// CreatedOrganisation is what creating an organisation made.
type CreatedOrganisation struct {
	Organisation  *Organisation
	Admin         *Person
	PolicyVersion *PolicyVersion
	Invitation    *Invitation // nil when it could not be made; InviteError says why
	InviteError   error
}

// OperatorStore is the storage of the installation's administration
// (internal/sqlstore). The sign-in methods (FindOperatorByEmail,
// RecordOperatorFailure, RecordOperatorSuccess and the sessions and links)
// act as the system, as AccountStore does: the caller has established who
// is signing in. The others need Actor.RunsInstallation; to anyone else an
// organisation is ENOTFOUND and the rest EFORBIDDEN.
type OperatorStore interface {
	CreateOperator(ctx context.Context, o *Operator) error
	FindOperator(ctx context.Context, id string) (*Operator, error)
	FindOperatorByEmail(ctx context.Context, email string) (*Operator, error)
	RecordOperatorFailure(ctx context.Context, id string, max int, now, lockUntil time.Time) (locked bool, err error)
	RecordOperatorSuccess(ctx context.Context, id string) error

	CreateOperatorSession(ctx context.Context, s *OperatorSession) error
	// FindOperatorSession returns the session with the hash and its
	// operator; ENOTFOUND when either is unknown.
	FindOperatorSession(ctx context.Context, tokenHash string) (*OperatorSession, *Operator, error)
	TouchOperatorSession(ctx context.Context, tokenHash string, seen, expires time.Time) error
	DeleteOperatorSession(ctx context.Context, tokenHash string) error

	// CreateOperatorLink stores a link and ends the operator's earlier
	// unused ones.
	CreateOperatorLink(ctx context.Context, l *OperatorLink) error
	// FindOperatorLink returns the operator of a link that is unused and
	// not expired at now; ENOTFOUND otherwise.
	FindOperatorLink(ctx context.Context, tokenHash string, now time.Time) (*Operator, error)
	// SetOperatorPasswordWithLink uses the link up and sets the password
	// in one transaction, ending the operator's sessions and clearing a
	// lock; ENOTFOUND for a link used, expired or unknown at now.
	SetOperatorPasswordWithLink(ctx context.Context, tokenHash, passwordHash string, now time.Time) (*Operator, error)

	// OrganisationStats lists every organisation with its counts.
	OrganisationStats(ctx context.Context) ([]*OrganisationStats, error)
	// CreateOrganisationWithAdmin creates the organisation, a root unit
	// named after it, its first administrator (the person, a current
	// employment in that unit from today, the role administratör in the
	// whole organisation) and version 1 of its policy pack (pack.Source,
	// already checked by the caller, and pack.Reason) in one transaction,
	// each step in the new organisation's audit trail. It fills the IDs,
	// versions and times.
	CreateOrganisationWithAdmin(ctx context.Context, o *Organisation, admin *Person, pack *PolicyVersion) error
	// RenameOrganisation sets the name and slug; ECONFLICT for a slug in use.
	RenameOrganisation(ctx context.Context, id, name, slug string) (*Organisation, error)
	// SetOrganisationStatus moves the organisation to status to
	// (OrgStatus.CanBecome, else EINVALID) and ends its sessions when it
	// no longer admits sign-in.
	SetOrganisationStatus(ctx context.Context, id string, to OrgStatus) (*Organisation, error)
}

// InstallationService is the installation's administration as the /drift
// pages and the CLI use it (internal/installation). Sign-in errors are as
// SignInService's: EUNAUTHORIZED for a wrong e-mail or password, never
// saying which. The organisation methods need Actor.RunsInstallation.
type InstallationService interface {
	// CreateOperator makes an operator and the link to set their password
	// (the system actor without an organisation, or an operator).
	CreateOperator(ctx context.Context, email, name string) (*OperatorInvite, error)
	// NewOperatorLink makes a new link for an operator who has forgotten
	// their password or is locked out (the system actor without an
	// organisation: the console); earlier links stop working. ENOTFOUND
	// for an unknown address.
	NewOperatorLink(ctx context.Context, email string) (*OperatorInvite, error)
	SignIn(ctx context.Context, email, password string) (token string, s *OperatorSession, err error)
	// Authenticate returns the operator's actor and session for a
	// session token, sliding its expiry.
	Authenticate(ctx context.Context, token string) (*Actor, *OperatorSession, error)
	SignOut(ctx context.Context, token string) error
	FindLink(ctx context.Context, token string) (*Operator, error)
	SetPasswordWithLink(ctx context.Context, token, password string) (string, *OperatorSession, error)

	OrganisationStats(ctx context.Context) ([]*OrganisationStats, error)
	// CreateOrganisation makes the organisation with its administrator,
	// saves its pack copied from the template, and invites the
	// administrator (AccountLinkService.Invite).
	CreateOrganisation(ctx context.Context, n NewOrganisation) (*CreatedOrganisation, error)
	RenameOrganisation(ctx context.Context, id, name, slug string) (*Organisation, error)
	SetOrganisationStatus(ctx context.Context, id string, to OrgStatus) (*Organisation, error)
}
