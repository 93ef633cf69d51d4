// Package installation is the administration of a Distans installation by
// its administrators (driftadministratörer): their sign-in on the /drift
// pages, with sessions and links of their own, and the lives of
// organisations — created with their first administrator and a policy pack
// copied from a template, renamed, suspended, resumed and ended.
//
// An operator belongs to no organisation: its actor has no organisation
// (distans.Actor.RunsInstallation), so that every organisation-scoped
// query finds nothing for it, and it reads only counts
// (OperatorStore.OrganisationStats).
package installation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/auth"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/secret"
)

var _ distans.InstallationService = (*Service)(nil)

const (
	// LinkTTL is how long a link to set an operator's password works.
	LinkTTL = 24 * time.Hour
	// SessionTTL and SessionMaxAge are as a person's (auth): a working
	// day idle, twelve hours at most.
	SessionTTL    = auth.DefaultSessionTTL
	SessionMaxAge = auth.DefaultSessionMaxAge
	touchInterval = time.Minute
	// Operators are locked out as people are.
	maxFailures = 5
	lockout     = 15 * time.Minute
)

// Config is what a Service needs.
type Config struct {
	Store distans.OperatorStore
	// Links invites a new organisation's administrator; nil leaves the
	// invitation out (CreatedOrganisation.InviteError says so).
	Links distans.AccountLinkService
	// BaseURL is where Distans is reached, for the operators' links.
	BaseURL string
	Logger  *slog.Logger
	// Now is the clock; nil is the request's (distans.NowFrom).
	Now func() time.Time
}

// Service implements distans.InstallationService.
type Service struct {
	store   distans.OperatorStore
	links   distans.AccountLinkService
	baseURL string
	log     *slog.Logger
	now     func() time.Time

	dummyOnce sync.Once
	dummy     string
}

// New returns a Service for cfg.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, links: cfg.Links, baseURL: strings.TrimRight(cfg.BaseURL, "/"), log: cfg.Logger, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

func (s *Service) clock(ctx context.Context) time.Time {
	if s.now != nil {
		return s.now().UTC()
	}
	return distans.NowFrom(ctx).UTC()
}

// system is ctx acting as the binary for the installation: sign-in steps
// happen before anyone is signed in.
func system(ctx context.Context) context.Context {
	return distans.NewContext(ctx, distans.SystemActor(""))
}

func errBadCredentials() error {
	return distans.Errorf(distans.EUNAUTHORIZED,
		"Fel e-postadress eller lösenord. Efter flera misslyckade försök spärras kontot en stund.",
		"Wrong e-mail address or password. After several failed attempts the account is locked for a while.")
}

func errNotSignedIn() error {
	return distans.Errorf(distans.EUNAUTHORIZED, "Du är inte inloggad som driftadministratör.", "You are not signed in as an operator.")
}

// actor is the actor of a signed-in operator. Its name is what the
// organisations' audit trails show for its changes.
func actor(o *distans.Operator) *distans.Actor {
	name := o.Email
	if o.Name != "" {
		name = o.Name + " (" + o.Email + ")"
	}
	return &distans.Actor{Operator: true, Name: name}
}

// installation refuses whoever does not run the installation before
// anything is read or parsed for them; the store checks again.
func installation(ctx context.Context) error {
	a := distans.ActorFrom(ctx)
	if a == nil {
		return errNotSignedIn()
	}
	if !a.RunsInstallation() {
		return distans.Forbidden()
	}
	return nil
}

// CreateOperator makes an operator and a link to set their password.
func (s *Service) CreateOperator(ctx context.Context, email, name string) (*distans.OperatorInvite, error) {
	if err := installation(ctx); err != nil {
		return nil, err
	}
	o := &distans.Operator{Email: distans.NormalizeEmail(email), Name: strings.TrimSpace(name)}
	if err := s.store.CreateOperator(ctx, o); err != nil {
		return nil, err
	}
	url, exp, err := s.newLink(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "operator created", "operator_id", o.ID)
	return &distans.OperatorInvite{Operator: o, URL: url, ExpiresAt: exp}, nil
}

// NewOperatorLink makes a new link to set an operator's password. Only
// the console may: an operator who could make one for another could take
// over their account.
func (s *Service) NewOperatorLink(ctx context.Context, email string) (*distans.OperatorInvite, error) {
	if a := distans.ActorFrom(ctx); a == nil || !a.System || !a.RunsInstallation() {
		return nil, distans.Forbidden()
	}
	o, err := s.store.FindOperatorByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	url, exp, err := s.newLink(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "operator link made", "operator_id", o.ID)
	return &distans.OperatorInvite{Operator: o, URL: url, ExpiresAt: exp}, nil
}

// newLink stores a new link for the operator and returns its URL.
func (s *Service) newLink(ctx context.Context, operatorID string) (string, time.Time, error) {
	token, err := secret.New(32)
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.clock(ctx)
	l := &distans.OperatorLink{TokenHash: secret.Hash(token), OperatorID: operatorID, CreatedAt: now, ExpiresAt: now.Add(LinkTTL)}
	if err := s.store.CreateOperatorLink(system(ctx), l); err != nil {
		return "", time.Time{}, err
	}
	return s.baseURL + "/drift/link/" + token, l.ExpiresAt, nil
}

// FindLink returns the operator of a link that still works.
func (s *Service) FindLink(ctx context.Context, token string) (*distans.Operator, error) {
	return s.store.FindOperatorLink(system(ctx), secret.Hash(token), s.clock(ctx))
}

// SetPasswordWithLink sets the operator's password from a link, uses the
// link up, ends the operator's other sessions and signs them in.
func (s *Service) SetPasswordWithLink(ctx context.Context, token, password string) (string, *distans.OperatorSession, error) {
	op, err := s.FindLink(ctx, token)
	if err != nil {
		return "", nil, err
	}
	if err := checkPassword(op, password); err != nil {
		return "", nil, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", nil, err
	}
	if op, err = s.store.SetOperatorPasswordWithLink(system(ctx), secret.Hash(token), hash, s.clock(ctx)); err != nil {
		return "", nil, err
	}
	s.log.InfoContext(ctx, "operator password set", "operator_id", op.ID)
	return s.newSession(ctx, op)
}

// checkPassword is the operators' password rule: OperatorMinPasswordLength and
// not their name or address.
func checkPassword(op *distans.Operator, pw string) error {
	if err := auth.CheckPolicy(distans.PasswordPolicy{MinLength: distans.OperatorMinPasswordLength}, pw, nil); err != nil {
		return err
	}
	lower := strings.ToLower(pw)
	local, _, _ := strings.Cut(op.Email, "@")
	if len(local) >= 5 && strings.Contains(lower, local) {
		var v distans.Validation
		v.Add("password", "Lösenordet får inte innehålla din e-postadress.", "The password may not contain your e-mail address.")
		return v.Err()
	}
	return nil
}

func (s *Service) newSession(ctx context.Context, op *distans.Operator) (string, *distans.OperatorSession, error) {
	token, err := secret.New(32)
	if err != nil {
		return "", nil, err
	}
	csrf, err := secret.New(32)
	if err != nil {
		return "", nil, err
	}
	now := s.clock(ctx)
	sess := &distans.OperatorSession{TokenHash: secret.Hash(token), OperatorID: op.ID, CSRFToken: csrf,
		CreatedAt: now, ExpiresAt: now.Add(SessionTTL), LastSeenAt: now}
	if err := s.store.CreateOperatorSession(system(ctx), sess); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// SignIn checks an operator's e-mail and password. Every attempt costs
// one argon2id verification, known address or not; a locked operator is
// answered as a wrong password.
func (s *Service) SignIn(ctx context.Context, email, password string) (string, *distans.OperatorSession, error) {
	now := s.clock(ctx)
	sctx := system(ctx)
	op, err := s.store.FindOperatorByEmail(sctx, email)
	if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
		return "", nil, err
	}
	if op == nil || op.PasswordHash == "" || len(password) > 4*auth.MaxPasswordLength ||
		(op.LockedUntil != nil && now.Before(*op.LockedUntil)) {
		s.dummyCheck(password)
		if op != nil {
			s.log.WarnContext(ctx, "operator sign-in refused", "operator_id", op.ID, "locked_until", op.LockedUntil)
		}
		return "", nil, errBadCredentials()
	}
	ok, err := auth.CheckPassword(op.PasswordHash, password)
	if err != nil {
		s.log.ErrorContext(ctx, "malformed operator password hash", "operator_id", op.ID, "err", err)
	}
	if !ok {
		locked, err := s.store.RecordOperatorFailure(sctx, op.ID, maxFailures, now, now.Add(lockout))
		if err != nil {
			return "", nil, err
		}
		s.log.WarnContext(ctx, "operator sign-in failed", "operator_id", op.ID, "locked", locked)
		return "", nil, errBadCredentials()
	}
	if err := s.store.RecordOperatorSuccess(sctx, op.ID); err != nil {
		return "", nil, err
	}
	s.log.InfoContext(ctx, "operator sign-in", "operator_id", op.ID)
	return s.newSession(ctx, op)
}

func (s *Service) dummyCheck(password string) {
	s.dummyOnce.Do(func() {
		pw, _ := secret.New(32)
		s.dummy, _ = auth.HashPassword(pw)
	})
	_, _ = auth.CheckPassword(s.dummy, password)
}

// Authenticate returns the operator's actor and session for a token,
// sliding the idle expiry; an unknown or expired session is EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, token string) (*distans.Actor, *distans.OperatorSession, error) {
	if token == "" {
		return nil, nil, errNotSignedIn()
	}
	hash := secret.Hash(token)
	sctx := system(ctx)
	sess, op, err := s.store.FindOperatorSession(sctx, hash)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, nil, errNotSignedIn()
	} else if err != nil {
		return nil, nil, err
	}
	now := s.clock(ctx)
	hardEnd := sess.CreatedAt.Add(SessionMaxAge)
	if !now.Before(sess.ExpiresAt) || !now.Before(hardEnd) {
		if err := s.store.DeleteOperatorSession(sctx, hash); err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			s.log.ErrorContext(ctx, "delete expired operator session", "err", err)
		}
		return nil, nil, errNotSignedIn()
	}
	if now.Sub(sess.LastSeenAt) >= touchInterval {
		exp := now.Add(SessionTTL)
		if exp.After(hardEnd) {
			exp = hardEnd
		}
		if err := s.store.TouchOperatorSession(sctx, hash, now, exp); err != nil {
			return nil, nil, err
		}
		sess.LastSeenAt, sess.ExpiresAt = now, exp
	}
	return actor(op), sess, nil
}

// SignOut ends the session of token; an unknown one is no error.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	err := s.store.DeleteOperatorSession(system(ctx), secret.Hash(token))
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil
	}
	return err
}

// OrganisationStats lists every organisation with its counts.
func (s *Service) OrganisationStats(ctx context.Context) ([]*distans.OrganisationStats, error) {
	if err := installation(ctx); err != nil {
		return nil, err
	}
	return s.store.OrganisationStats(ctx)
}

// CreateOrganisation makes the organisation, its first administrator and
// its pack in one store transaction, then invites the administrator. The
// pack is copied and parsed before anything is written, so that a
// template that does not fit refuses the creation whole. An invitation
// that fails leaves the organisation made: the error is returned in
// CreatedOrganisation.InviteError for the operator to see, and a new
// invitation can be made later (Invite ends earlier ones).
func (s *Service) CreateOrganisation(ctx context.Context, n distans.NewOrganisation) (*distans.CreatedOrganisation, error) {
	if err := installation(ctx); err != nil {
		return nil, err
	}
	o := &distans.Organisation{Slug: strings.TrimSpace(n.Slug), Name: strings.TrimSpace(n.Name),
		TimeZone: strings.TrimSpace(n.TimeZone), Language: strings.TrimSpace(n.Language)}
	if o.TimeZone == "" {
		o.TimeZone = "Europe/Stockholm"
	}
	if o.Language == "" {
		o.Language = "sv"
	}
	tmpl := strings.TrimSpace(n.Pack)
	if tmpl == "" {
		tmpl = policy.GenericTemplate
	}
	admin := &distans.Person{Email: distans.NormalizeEmail(n.AdminEmail), Name: strings.TrimSpace(n.AdminName), Language: o.Language}
	if admin.Name == "" {
		admin.Name, _, _ = strings.Cut(admin.Email, "@")
	}
	// Every field is checked at once, the administrator's under admin_*.
	var v distans.Validation
	addAll(&v, "", o.Validate())
	addAll(&v, "admin_", admin.Validate())
	if !slices.Contains(policy.Templates(), tmpl) {
		v.Add("pack", "Mallen måste vara en av "+strings.Join(policy.Templates(), ", ")+".",
			"The template must be one of "+strings.Join(policy.Templates(), ", ")+".")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// The templates are embedded and tested: a copy that does not parse
	// is a fault of the build, not of the input.
	src, err := policy.TemplateCopy(tmpl, o.Slug, o.Name, o.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("installation: copy template %s: %w", tmpl, err)
	}
	pack := &distans.PolicyVersion{Source: string(src), Reason: "Kopierad från mallen " + tmpl + "."}
	if err := s.store.CreateOrganisationWithAdmin(ctx, o, admin, pack); err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "organisation created", "organisation_id", o.ID, "slug", o.Slug, "pack", tmpl)
	out := &distans.CreatedOrganisation{Organisation: o, Admin: admin, PolicyVersion: pack}
	if s.links == nil {
		out.InviteError = distans.Errorf(distans.EINTERNAL, "Inbjudningar kan inte skapas i den här installationen.",
			"Invitations cannot be made in this installation.")
		return out, nil
	}
	inv, err := s.links.Invite(distans.NewContext(ctx, distans.SystemActor(o.ID)), admin.ID)
	if err != nil {
		s.log.ErrorContext(ctx, "invite the new organisation's administrator", "organisation_id", o.ID, "err", err)
		out.InviteError = err
		return out, nil
	}
	out.Invitation = inv
	return out, nil
}

// addAll adds the field errors of err to v, their fields prefixed.
func addAll(v *distans.Validation, prefix string, err error) {
	var e *distans.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			v.Add(prefix+f.Field, f.Sv, f.En)
		}
	}
}

// RenameOrganisation sets an organisation's name and slug.
func (s *Service) RenameOrganisation(ctx context.Context, id, name, slug string) (*distans.Organisation, error) {
	if err := installation(ctx); err != nil {
		return nil, err
	}
	return s.store.RenameOrganisation(ctx, id, strings.TrimSpace(name), strings.TrimSpace(slug))
}

// SetOrganisationStatus suspends, resumes or ends an organisation.
func (s *Service) SetOrganisationStatus(ctx context.Context, id string, to distans.OrgStatus) (*distans.Organisation, error) {
	if err := installation(ctx); err != nil {
		return nil, err
	}
	o, err := s.store.SetOrganisationStatus(ctx, id, to)
	if err == nil {
		s.log.InfoContext(ctx, "organisation status", "organisation_id", o.ID, "status", o.Status)
	}
	return o, err
}
