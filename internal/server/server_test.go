package server_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/server"
)

// nobody is a sign-in service that nobody needs: the requests here carry
// no session or token.
type nobody struct{ distans.SignInService }

// TestProbesNeverWait: with every slot taken (MaxActive), a page waits its
// turn, but the health and readiness probes and the metrics answer at once.
func TestProbesNeverWait(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := server.New(server.Config{SignIn: nobody{}, Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Ready: func(context.Context) error { return nil }, MaxActive: 1,
		Register: []func(*http.ServeMux){func(mux *http.ServeMux) {
			mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
				entered <- struct{}{}
				<-release
			})
			mux.HandleFunc("GET /fast", func(w http.ResponseWriter, r *http.Request) {})
		}}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := http.Get(srv.URL + "/slow"); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	get := func(path string, within time.Duration) (int, error) {
		ctx, cancel := context.WithTimeout(context.Background(), within)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		if code, err := get(p, 5*time.Second); err != nil || code != http.StatusOK {
			t.Errorf("%s while the slot is taken: %d, %v", p, code, err)
		}
	}
	if _, err := get("/fast", 200*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a page did not wait for the slot: %v", err)
	}
	close(release)
	<-done
	if code, err := get("/fast", 5*time.Second); err != nil || code != http.StatusOK {
		t.Errorf("a page after the slot was freed: %d, %v", code, err)
	}
}
