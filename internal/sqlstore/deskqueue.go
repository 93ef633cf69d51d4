package sqlstore

import (
	"context"
	"sync"

	"github.com/distans/distans"
)

// When a popular desk opens for booking, many people ask for the same desk
// and day at once. In the database they would all insert, wait on the first
// one's slot and fail with it, each costing a statement and a connection
// while they wait. Instead, requests for the same desk and day on one
// instance take turns here, and a request whose half days a turn before it
// has just booked is refused without asking the database. The slot indexes
// stay the guarantee: the queue only spares the database the requests it
// would refuse, and other instances, and the time between two requests,
// are left to them.

// deskDay names a desk on a date in an organisation.
type deskDay struct {
	org, desk, date string
}

// deskQueues holds a queue for each desk and day someone is booking on this
// instance right now; a queue goes when its last request leaves, so what it
// knows of taken half days lives only while requests overlap.
type deskQueues struct {
	mu sync.Mutex
	m  map[deskDay]*deskQueue
}

// deskQueue is one desk and day's turn, a token in a channel so that a
// waiting request can give up when its context ends.
type deskQueue struct {
	turn  chan struct{}
	users int                      // requests holding or awaiting the turn; under deskQueues.mu
	taken map[distans.DayPart]bool // half days booked by earlier turns; only the turn's holder touches it
}

// enter waits for k's turn.
func (qs *deskQueues) enter(ctx context.Context, k deskDay) (*deskQueue, error) {
	qs.mu.Lock()
	if qs.m == nil {
		qs.m = map[deskDay]*deskQueue{}
	}
	q := qs.m[k]
	if q == nil {
		q = &deskQueue{turn: make(chan struct{}, 1), taken: map[distans.DayPart]bool{}}
		q.turn <- struct{}{}
		qs.m[k] = q
	}
	q.users++
	qs.mu.Unlock()
	select {
	case <-q.turn:
		return q, nil
	case <-ctx.Done():
		qs.drop(k, q)
		return nil, ctx.Err()
	}
}

// leave hands k's turn on.
func (qs *deskQueues) leave(k deskDay, q *deskQueue) {
	q.turn <- struct{}{}
	qs.drop(k, q)
}

func (qs *deskQueues) drop(k deskDay, q *deskQueue) {
	qs.mu.Lock()
	defer qs.mu.Unlock()
	if q.users--; q.users == 0 {
		delete(qs.m, k)
	}
}

// booked reports whether an earlier turn booked a half day of part.
func (q *deskQueue) booked(part distans.DayPart) bool {
	for _, h := range part.Halves() {
		if q.taken[h] {
			return true
		}
	}
	return false
}

// book records that this turn booked part.
func (q *deskQueue) book(part distans.DayPart) {
	for _, h := range part.Halves() {
		q.taken[h] = true
	}
}
