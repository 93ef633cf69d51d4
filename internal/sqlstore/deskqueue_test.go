package sqlstore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestDeskQueues: requests for one desk and day take turns, each turn sees
// what the turns before it booked, a request may give up while it waits,
// and a queue is gone once nobody is in it.
func TestDeskQueues(t *testing.T) {
	t.Parallel()
	var qs deskQueues
	k := deskDay{"org", "desk", "2026-12-01"}
	other := deskDay{"org", "desk", "2026-12-02"}

	q, err := qs.enter(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	// Another day is another queue: not blocked.
	q2, err := qs.enter(context.Background(), other)
	if err != nil {
		t.Fatal(err)
	}
	qs.leave(other, q2)

	// A request that gives up while waiting leaves no trace.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := qs.enter(ctx, k); err == nil {
		t.Fatal("entered a queue someone holds")
	}

	// Waiting requests go one at a time, and see the morning booked.
	q.book(distans.PartAM)
	var inside, most atomic.Int32
	results := make([]bool, 8)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			q, err := qs.enter(context.Background(), k)
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			if n > most.Load() {
				most.Store(n)
			}
			results[i] = q.booked(distans.PartDay)
			inside.Add(-1)
			qs.leave(k, q)
		})
	}
	// Leave only once all of them wait: a queue lives while requests overlap.
	for {
		qs.mu.Lock()
		n := qs.m[k].users
		qs.mu.Unlock()
		if n == len(results)+1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	qs.leave(k, q)
	wg.Wait()
	if most.Load() != 1 {
		t.Fatalf("%d requests held the turn at once", most.Load())
	}
	for i, booked := range results {
		if !booked {
			t.Fatalf("request %d did not see the morning booked", i)
		}
	}
	qs.mu.Lock()
	left := len(qs.m)
	qs.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d queues left", left)
	}
	// A new queue knows nothing of the last: the desk may have been freed.
	q, err = qs.enter(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	if q.booked(distans.PartAM) || q.booked(distans.PartDay) {
		t.Fatal("a new queue remembers an old booking")
	}
	q.book(distans.PartPM)
	if q.booked(distans.PartAM) || !q.booked(distans.PartDay) {
		t.Fatal("an afternoon booking is not an afternoon")
	}
	qs.leave(k, q)
}
