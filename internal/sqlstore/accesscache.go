package sqlstore

import (
	"sync"
	"sync/atomic"
	"time"
)

// DefaultCredentialTTL is how long the store answers who a request is from
// memory: its credential (FindCredential) and its person and organisation
// (FindSelf). Authenticating a request otherwise costs one statement
// (credential.go), the most expensive part of a cheap endpoint.
// Five seconds is how late another instance may notice a revoked token, an
// ended role or a signed-out session; the instance that made the change
// notices at once.
const DefaultCredentialTTL = 5 * time.Second

// SetCredentialTTL sets how long those answers are kept; zero or less turns
// the caches off. Call it before the store is used.
func (s *Store) SetCredentialTTL(d time.Duration) {
	s.access.ttl = max(d, 0)
}

// accessState is what the caches of who-is-who share: how long an answer is
// kept, and gen, the count of changes to access this instance has
// committed. An answer carries the count from before it was read, so one
// read while a change committed is stale as soon as the change bumps the
// count, and is never used.
type accessState struct {
	ttl time.Duration
	gen atomic.Uint64
}

// changed makes every answer kept so far stale.
func (st *accessState) changed() { st.gen.Add(1) }

// accessCache keeps answers by key under an accessState. The values are
// shared: callers copy what they hand on.
type accessCache[K comparable, V any] struct {
	mu        sync.RWMutex
	entries   map[K]accessEntry[V]
	lastSweep time.Time
}

type accessEntry[V any] struct {
	v     V
	gen   uint64
	until time.Time
}

func (c *accessCache[K, V]) get(st *accessState, k K) (V, bool) {
	var zero V
	if st.ttl == 0 {
		return zero, false
	}
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if !ok || e.gen != st.gen.Load() || !time.Now().Before(e.until) {
		return zero, false
	}
	return e.v, true
}

// put keeps v, read after the count was gen. Now and then it sweeps out the
// answers that are stale or old, so that the map holds only those asked for
// within the last ttl or so.
func (c *accessCache[K, V]) put(st *accessState, k K, v V, gen uint64) {
	if st.ttl == 0 {
		return
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[K]accessEntry[V]{}
	}
	if now.Sub(c.lastSweep) > st.ttl {
		cur := st.gen.Load()
		for key, e := range c.entries {
			if e.gen != cur || !now.Before(e.until) {
				delete(c.entries, key)
			}
		}
		c.lastSweep = now
	}
	c.entries[k] = accessEntry[V]{v: v, gen: gen, until: now.Add(st.ttl)}
}

// drop drops the answer for k.
func (c *accessCache[K, V]) drop(k K) {
	c.mu.Lock()
	delete(c.entries, k)
	c.mu.Unlock()
}

// forget drops the answers match picks.
func (c *accessCache[K, V]) forget(match func(K, V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if match(k, e.v) {
			delete(c.entries, k)
		}
	}
}
