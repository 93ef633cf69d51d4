package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distans/distans"
)

// DefaultCredentialTTL is how long FindCredential may answer from memory.
// Authenticating a request otherwise costs three statements (the session or
// token, the account, the grants), which on a two-core machine caps a cheap
// endpoint at a third of what it serves with none. Five seconds is how late
// another instance may notice a revoked token, an ended role or a signed-out
// session; the instance that made the change notices at once.
const DefaultCredentialTTL = 5 * time.Second

// SetCredentialTTL sets how long FindCredential's answers are kept; zero
// or less turns the cache off. Call it before the store is used.
func (s *Store) SetCredentialTTL(d time.Duration) {
	s.creds.ttl = max(d, 0)
}

// credentialCache keeps FindCredential's answers for ttl. gen counts the
// changes to access that this instance has committed: an answer carries the
// count from before it was read, so one read while a change committed is
// stale as soon as the change bumps the count, and is never used.
type credentialCache struct {
	ttl time.Duration
	gen atomic.Uint64

	mu        sync.RWMutex
	entries   map[credentialKey]credentialEntry
	lastSweep time.Time
}

type credentialKey struct {
	kind distans.CredentialKind
	hash string
}

type credentialEntry struct {
	c     *distans.Credential
	gen   uint64
	until time.Time
}

func (c *credentialCache) get(k credentialKey) (*distans.Credential, bool) {
	if c.ttl == 0 {
		return nil, false
	}
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if !ok || e.gen != c.gen.Load() || !time.Now().Before(e.until) {
		return nil, false
	}
	return copyCredential(e.c), true
}

// put keeps cred, read after the count was gen. Now and then it sweeps out
// the answers that are stale or old, so that the map holds only the
// credentials used within the last ttl or so.
func (c *credentialCache) put(k credentialKey, cred *distans.Credential, gen uint64) {
	if c.ttl == 0 {
		return
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[credentialKey]credentialEntry{}
	}
	if now.Sub(c.lastSweep) > c.ttl {
		cur := c.gen.Load()
		for key, e := range c.entries {
			if e.gen != cur || !now.Before(e.until) {
				delete(c.entries, key)
			}
		}
		c.lastSweep = now
	}
	c.entries[k] = credentialEntry{c: copyCredential(cred), gen: gen, until: now.Add(c.ttl)}
}

// changed makes every answer kept so far stale.
func (c *credentialCache) changed() { c.gen.Add(1) }

// forget drops one answer: a touch changed its last use.
func (c *credentialCache) forget(k credentialKey) {
	c.mu.Lock()
	delete(c.entries, k)
	c.mu.Unlock()
}

// forgetToken drops the answer for the API token with the ID: a touch
// changed its last use.
func (c *credentialCache) forgetToken(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.c.APIToken != nil && e.c.APIToken.ID == id {
			delete(c.entries, k)
		}
	}
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
	if c, ok := s.creds.get(k); ok {
		return c, nil
	}
	gen := s.creds.gen.Load()
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
	s.creds.put(k, c, gen)
	return copyCredential(c), nil
}

// writeAccess is write for the changes that alter what a credential stands
// for: sessions, tokens, roles, employments, units, people, organisations.
// Every kept answer of FindCredential is stale once it returns.
func (s *Store) writeAccess(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer s.creds.changed()
	return s.write(ctx, fn)
}
