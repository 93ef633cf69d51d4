package scimhttp

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per organisation: an identity system that
// floods is answered 429 with Retry-After, which Entra and Okta honour by
// sending the change again later, so nothing is dropped; the others'
// provisioning is not slowed by it. Each instance keeps its own buckets.
type limiter struct {
	rate  float64 // tokens a second
	burst float64
	mu    sync.Mutex
	orgs  map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), orgs: map[string]*bucket{}}
}

// take spends a token of org's bucket at now; when none is left it says
// how long until one is.
func (l *limiter) take(org string, now time.Time) (ok bool, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.orgs[org]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.orgs[org] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}
