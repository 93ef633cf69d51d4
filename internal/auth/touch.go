package auth

import (
	"sync"
	"time"
)

// touches lets one request at a time record that a credential was used.
// A session or a token is touched once its last use is touchInterval old;
// every request that read the credential before the touch committed sees
// it as stale too, and each wrote the same row in turn: with the API
// bench's 100 clients on one token, PostgreSQL's pg_stat_statements had
// the token's UPDATE at 500 ms a call, each waiting on the row's lock
// with the request it served. A request that finds the credential
// claimed goes on without writing. The claims are this instance's only: another instance
// touches at most once a minute of its own.
type touches struct {
	mu        sync.Mutex
	claimed   map[string]time.Time // credential → when its touch was claimed
	lastSweep time.Time
}

// claim reports whether the caller is to touch the credential key at now:
// no touch of it was claimed within touchInterval before.
func (t *touches) claim(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.claimed == nil {
		t.claimed = map[string]time.Time{}
	}
	if now.Sub(t.lastSweep) >= touchInterval {
		// Only the claims of the last interval count: the map holds the
		// credentials used in it.
		for k, at := range t.claimed {
			if now.Sub(at) >= touchInterval {
				delete(t.claimed, k)
			}
		}
		t.lastSweep = now
	}
	if at, ok := t.claimed[key]; ok && now.Sub(at) < touchInterval && !now.Before(at) {
		return false
	}
	t.claimed[key] = now
	return true
}

// release gives up the claim made at now of a touch that failed, so that
// the next request tries again.
func (t *touches) release(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.claimed[key].Equal(now) {
		delete(t.claimed, key)
	}
}
