package auth

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
)

func TestTouchClaims(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var tc touches
	steps := []struct {
		name    string
		key     string
		at      time.Time
		release bool // release the claim made at at instead of claiming
		want    bool
	}{
		{"first use", "token:a", t0, false, true},
		{"again at once", "token:a", t0, false, false},
		{"within the minute", "token:a", t0.Add(59 * time.Second), false, false},
		{"another credential", "session:b", t0.Add(time.Second), false, true},
		{"a minute on", "token:a", t0.Add(time.Minute), false, true},
		{"the touch failed", "token:a", t0.Add(time.Minute), true, false},
		{"so the next request tries", "token:a", t0.Add(time.Minute + time.Second), false, true},
		{"a release of an older claim keeps the newer", "token:a", t0.Add(time.Minute), true, false},
		{"still claimed", "token:a", t0.Add(time.Minute + 2*time.Second), false, false},
		{"the clock went back", "session:b", t0, false, true},
	}
	for _, s := range steps {
		if s.release {
			tc.release(s.key, s.at)
			continue
		}
		if got := tc.claim(s.key, s.at); got != s.want {
			t.Fatalf("%s: claim(%s, %s) = %v, want %v", s.name, s.key, s.at.Format(time.TimeOnly), got, s.want)
		}
	}
	// A claim an interval old is swept out with the next sweep.
	tc.claim("token:c", t0.Add(10*time.Minute))
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if len(tc.claimed) != 1 {
		t.Fatalf("after a sweep %d claims are kept, want 1: %v", len(tc.claimed), tc.claimed)
	}
}

// countingTouches counts the touches that reach the store, each held
// for a while, as a write waiting for the row's lock is.
type countingTouches struct {
	distans.AccountStore
	tokens, sessions atomic.Int32
}

func (c *countingTouches) TouchAPIToken(ctx context.Context, orgID, id string, at time.Time) error {
	c.tokens.Add(1)
	time.Sleep(20 * time.Millisecond)
	return c.AccountStore.TouchAPIToken(ctx, orgID, id, at)
}

func (c *countingTouches) TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) error {
	c.sessions.Add(1)
	time.Sleep(20 * time.Millisecond)
	return c.AccountStore.TouchSession(ctx, tokenHash, seen, expires)
}

// TestOneTouchAtATime: many requests with the same stale credential at
// once write its last use once.
func TestOneTouchAtATime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("sorsele", distans.PasswordPolicy{})
	f.person(o, root, "Karin Lind", "karin@sorsele.se", "karins-lösenord")
	session := f.signIn("karin@sorsele.se", "karins-lösenord", "")
	token, _, err := f.svc.CreateAPIToken(f.as(session), "", "Växelns integration")
	if err != nil {
		t.Fatal(err)
	}
	counts := &countingTouches{AccountStore: f.st}
	svc := New(Config{Accounts: counts, Organisations: f.st, People: f.st, Links: f.st, Now: f.clock.Now})
	f.clock.Add(2 * time.Minute)

	const requests = 20
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, 2*requests)
	for range requests {
		wg.Go(func() {
			<-start
			_, err := svc.AuthenticateAPIToken(f.ctx, token)
			errs <- err
		})
		wg.Go(func() {
			<-start
			_, _, err := svc.Authenticate(f.ctx, session)
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, m := counts.tokens.Load(), counts.sessions.Load(); n != 1 || m != 1 {
		t.Fatalf("%d requests at once touched the token %d times and the session %d times, want once each", requests, n, m)
	}
	// The touch was recorded: a minute on, it is due again, once.
	f.clock.Add(time.Minute)
	for range 3 {
		if _, err := svc.AuthenticateAPIToken(f.ctx, token); err != nil {
			t.Fatal(err)
		}
	}
	if n := counts.tokens.Load(); n != 2 {
		t.Fatalf("touched the token %d times in all, want 2", n)
	}
}
