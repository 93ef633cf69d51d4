package httpx_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans/internal/httpx"
)

// TestAdmit: with room for two, five requests are served two at a time,
// the waiting ones in the order they came, and one whose client leaves
// while it waits is never served.
func TestAdmit(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var order []string
	active, most := 0, 0
	h := httpx.Admit(2)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		order = append(order, r.URL.Path)
		active++
		most = max(most, active)
		mu.Unlock()
		<-release
		mu.Lock()
		active--
		mu.Unlock()
	}))
	var wg sync.WaitGroup
	serve := func(ctx context.Context, path string) {
		wg.Go(func() {
			r := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
			h.ServeHTTP(httptest.NewRecorder(), r)
		})
	}
	started := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
			mu.Lock()
			got := len(order)
			mu.Unlock()
			if got == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d requests started, want %d", got, n)
			}
		}
	}
	serve(context.Background(), "/1")
	serve(context.Background(), "/2")
	started(2)
	gone, leave := context.WithCancel(context.Background())
	for _, p := range []string{"/3", "/gone", "/4", "/5"} {
		ctx := context.Background()
		if p == "/gone" {
			ctx = gone
		}
		serve(ctx, p)
		time.Sleep(20 * time.Millisecond) // in this order
	}
	leave()
	for range 5 { // one a request served
		release <- struct{}{}
	}
	wg.Wait()
	if len(order) != 5 || most != 2 {
		t.Fatalf("served %v with %d at once; want five, 2 at once", order, most)
	}
	if order[2] != "/3" || order[3] != "/4" || order[4] != "/5" {
		t.Fatalf("the waiting were served %v; want /3, /4, /5 in turn", order[2:])
	}
}
