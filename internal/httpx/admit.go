package httpx

import "net/http"

// Admit lets at most n requests into next at a time; the rest wait their
// turn in the order they came (a channel's waiting senders are woken in
// order). n <= 0 admits everyone at once.
//
// Without it, a hundred requests at once each take several turns at a
// small pool of database connections, and database/sql hands a freed
// connection to a random waiter: an unlucky request waits out many others,
// so p99 ran at three to six times p50. Admitted a few at a time, a request
// keeps its place, and the work in flight fits the cores.
//
// A request whose client leaves while it waits is dropped unanswered.
func Admit(n int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if n <= 0 {
			return next
		}
		slots := make(chan struct{}, n)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case slots <- struct{}{}:
			case <-r.Context().Done():
				return
			}
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		})
	}
}
