package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"github.com/distans/distans"
)

type credentialKey struct {
	kind distans.CredentialKind
	hash string
}

// forgetSession drops the answer for a session: a touch changed it.
func (s *Store) forgetSession(tokenHash string) {
	s.creds.drop(credentialKey{distans.CredentialSession, tokenHash})
}

// forgetToken drops the answer for the API token with the ID: a touch
// changed its last use.
func (s *Store) forgetToken(id string) {
	s.creds.forget(func(_ credentialKey, c *distans.Credential) bool {
		return c.APIToken != nil && c.APIToken.ID == id
	})
}

// copyCredential gives the caller an answer of its own: Authenticate slides
// the session it gets, and another request may hold the same answer.
func copyCredential(c *distans.Credential) *distans.Credential {
	out := &distans.Credential{Grants: slices.Clone(c.Grants)}
	if c.Session != nil {
		x := *c.Session
		out.Session = &x
	}
	if c.APIToken != nil {
		x := *c.APIToken
		out.APIToken = &x
	}
	if c.Account != nil {
		x := *c.Account
		out.Account = &x
	}
	return out
}

// FindCredential implements distans.AccountStore.
func (s *Store) FindCredential(ctx context.Context, kind distans.CredentialKind, tokenHash string) (*distans.Credential, error) {
	k := credentialKey{kind, tokenHash}
	if c, ok := s.creds.get(&s.access, k); ok {
		return copyCredential(c), nil
	}
	gen := s.access.gen.Load()
	c := &distans.Credential{}
	var orgID, personID string
	switch kind {
	case distans.CredentialSession:
		x, err := s.FindSession(ctx, tokenHash)
		if err != nil {
			return nil, err
		}
		c.Session, orgID, personID = x, x.OrganisationID, x.PersonID
	case distans.CredentialAPIToken:
		t, err := s.FindAPIToken(ctx, tokenHash)
		if err != nil {
			return nil, err
		}
		c.APIToken, orgID, personID = t, t.OrganisationID, t.PersonID
	default:
		return nil, errTokenNotFound()
	}
	var err error
	if c.Account, err = s.FindAccount(ctx, orgID, personID); err != nil {
		return nil, err
	}
	if c.Grants, err = s.Grants(ctx, orgID, personID); err != nil {
		return nil, err
	}
	s.creds.put(&s.access, k, copyCredential(c), gen)
	return c, nil
}

// writeAccess is write for the changes that alter what a credential stands
// for: sessions, tokens, roles, employments, units, people, organisations.
// Every kept answer of FindCredential and FindSelf is stale once it returns.
func (s *Store) writeAccess(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer s.access.changed()
	return s.write(ctx, fn)
}
