package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/secret"
)

// apiTokenPrefix marks Distans API tokens, so that secret scanners and
// people recognise one that has leaked into a log or a repository.
const apiTokenPrefix = "dst_"

// CreateAPIToken creates a token that acts as the person. A person may
// create tokens for themselves (personID empty or their own); an
// administrator may create one for anyone they can see and whose unit is in
// their administrator scope. HR's PermManageSignIn is not enough: a token
// lets its holder act as the person, and that is an administrator's call.
// The secret is returned once; only its hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, personID, name string) (string, *distans.APIToken, error) {
	a, err := person(ctx)
	if err != nil {
		return "", nil, err
	}
	if personID == "" {
		personID = a.PersonID
	}
	name = strings.TrimSpace(name)
	var v distans.Validation
	v.Required("name", name)
	v.MaxLen("name", name, 100)
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	if personID != a.PersonID {
		p, err := s.people.FindPerson(ctx, personID)
		if err != nil {
			return "", nil, err
		}
		if !a.RoleScope(distans.RoleAdmin).Contains(p.UnitPath) {
			return "", nil, distans.Forbidden()
		}
	}
	sctx := system(ctx, a.OrganisationID)
	acc, err := s.accounts.FindAccount(sctx, a.OrganisationID, personID)
	if err != nil {
		return "", nil, fmt.Errorf("auth: find account: %w", err)
	}
	if acc.Ended {
		return "", nil, distans.Errorf(distans.EINVALID,
			"Personens anställning har upphört; en API-nyckel skulle inte fungera.",
			"The person's employment has ended; an API token would not work.")
	}
	plain, err := secret.New(32)
	if err != nil {
		return "", nil, err
	}
	plain = apiTokenPrefix + plain
	t := &distans.APIToken{
		OrganisationID: a.OrganisationID,
		PersonID:       personID,
		Name:           name,
		TokenHash:      secret.Hash(plain),
		CreatedAt:      s.clock(ctx).UTC(),
	}
	if err := s.accounts.CreateAPIToken(sctx, t); err != nil {
		return "", nil, fmt.Errorf("auth: create API token: %w", err)
	}
	s.log.InfoContext(ctx, "API token created", "organisation_id", t.OrganisationID, "person_id", personID, "token_id", t.ID, "by", a.PersonID)
	return plain, t, nil
}

// ListAPITokens lists a person's tokens (not their secrets): one's own, or
// anyone's for HR and administrators with PermManageSignIn in their unit,
// who need to see what a leaving person has left behind.
func (s *Service) ListAPITokens(ctx context.Context, personID string) ([]*distans.APIToken, error) {
	a, err := person(ctx)
	if err != nil {
		return nil, err
	}
	if personID == "" {
		personID = a.PersonID
	}
	if personID != a.PersonID {
		p, err := s.people.FindPerson(ctx, personID)
		if err != nil {
			return nil, err
		}
		if !a.Scope(distans.PermManageSignIn).Contains(p.UnitPath) {
			return nil, distans.Forbidden()
		}
	}
	ts, err := s.accounts.ListAPITokens(system(ctx, a.OrganisationID), a.OrganisationID, personID)
	if err != nil {
		return nil, fmt.Errorf("auth: list API tokens: %w", err)
	}
	return ts, nil
}

// RevokeAPIToken revokes one of the actor's own tokens, or any token in the
// organisation for someone holding PermManageSignIn organisation-wide.
// Someone whose PermManageSignIn covers only some units revokes through the
// person's token list instead: a token is found only by id here, and the
// store offers no lookup of its owner by id. Anything else is ENOTFOUND.
func (s *Service) RevokeAPIToken(ctx context.Context, id string) error {
	a, err := person(ctx)
	if err != nil {
		return err
	}
	sctx := system(ctx, a.OrganisationID)
	allowed := a.Scope(distans.PermManageSignIn).All
	if !allowed {
		own, err := s.accounts.ListAPITokens(sctx, a.OrganisationID, a.PersonID)
		if err != nil {
			return fmt.Errorf("auth: list API tokens: %w", err)
		}
		for _, t := range own {
			allowed = allowed || t.ID == id
		}
	}
	if !allowed {
		return distans.NotFound("API-nyckeln finns inte.", "The API token does not exist.")
	}
	if err := s.accounts.RevokeAPIToken(sctx, a.OrganisationID, id); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "API token revoked", "organisation_id", a.OrganisationID, "token_id", id, "by", a.PersonID)
	return nil
}

// AuthenticateAPIToken returns the actor for an API token. Unknown, revoked
// and malformed tokens, and tokens of people whose employment has ended, are
// EUNAUTHORIZED. Last use is recorded at most once a minute, by one request
// (touches).
func (s *Service) AuthenticateAPIToken(ctx context.Context, token string) (*distans.Actor, error) {
	if !strings.HasPrefix(token, apiTokenPrefix) || len(token) > 200 {
		return nil, errBadAPIToken()
	}
	cred, err := s.accounts.FindCredential(system(ctx, ""), distans.CredentialAPIToken, secret.Hash(token))
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, errBadAPIToken()
	} else if err != nil {
		return nil, fmt.Errorf("auth: find API token: %w", err)
	}
	t, acc := cred.APIToken, cred.Account
	if t.RevokedAt != nil {
		return nil, errBadAPIToken()
	}
	sctx := system(ctx, t.OrganisationID)
	if acc.Ended {
		return nil, errEnded(acc.OrgName)
	}
	now := s.clock(ctx).UTC()
	if (t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchInterval) && s.touches.claim("token:"+t.ID, now) {
		if err := s.accounts.TouchAPIToken(sctx, t.OrganisationID, t.ID, now); err != nil {
			s.touches.release("token:"+t.ID, now)
			return nil, fmt.Errorf("auth: touch API token: %w", err)
		}
	}
	return credentialActor(cred), nil
}
