// Package server assembles the HTTP handler: the pages, the JSON API, the
// health and readiness probes and the metrics, behind the middleware every
// request passes through.
package server

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Config is what the handler needs. SignIn authenticates every request;
// Register functions mount the pages and the API on the mux; Ready reports
// whether the database answers and its migrations are current.
type Config struct {
	SignIn distans.SignInService
	// Operators authenticates the installation's administrators on the
	// /drift pages; nil: nobody is one.
	Operators httpx.OperatorAuthenticator
	Logger    *slog.Logger
	Registry  *prometheus.Registry
	Ready     func(ctx context.Context) error
	Register  []func(mux *http.ServeMux)
	// Now is the clock each request reads once (httpx.Clock); nil is the
	// wall clock.
	Now func() time.Time
	// SecureCookies is a deployment behind HTTPS: cookies are Secure and
	// browsers are told (HSTS) to come back over HTTPS only.
	SecureCookies bool
	// PageError answers, with a page, a page request that the middleware
	// refuses (bad input, a body too large, a failed CSRF check); nil
	// answers JSON everywhere.
	PageError func(w http.ResponseWriter, r *http.Request, err error)
	// SCIM is the SCIM 2.0 endpoint, served at /scim/v2 apart from the
	// pages' sessions, CSRF checks and error pages: it authenticates its
	// own bearer tokens and answers SCIM JSON always. nil: no endpoint.
	SCIM http.Handler
	// MaxActive is how many requests are served at once, the rest waiting
	// their turn in order (httpx.Admit); the probes and the metrics never
	// wait. Zero or less: no limit.
	MaxActive int
	// CSRFKey signs the pre-session CSRF tokens; every instance serving the
	// same site needs the same key. Empty picks a random key for this
	// process, which serves one instance (a restart asks people with a
	// sign-in page open to reload it).
	CSRFKey []byte
}

// New returns the handler for the whole application.
func New(cfg Config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := cfg.Ready(ctx); err != nil {
			cfg.Logger.WarnContext(ctx, "not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready: " + err.Error() + "\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{}))
	for _, register := range cfg.Register {
		register(mux)
	}

	// What the middleware refuses is answered like everything else: a page
	// on the pages, JSON under /api/ (and wherever no page is wanted).
	fail := func(w http.ResponseWriter, r *http.Request, err error) {
		if cfg.PageError != nil && !strings.HasPrefix(r.URL.Path, "/api/") {
			cfg.PageError(w, r, err)
			return
		}
		httpx.WriteError(w, r, cfg.Logger, err)
	}
	key := cfg.CSRFKey
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	h := httpx.Route(mux)
	h = httpx.CSRF(fail)(h)
	h = httpx.CheckInput(fail)(h)
	h = httpx.Authenticate(cfg.SignIn)(h)
	h = httpx.AuthenticateOperator(cfg.Operators)(h)
	if cfg.SCIM != nil {
		h = splitSCIM(cfg.SCIM, h)
	}
	h = httpx.Clock(cfg.Now)(h)
	h = httpx.WithCSRFKey(key)(h)
	h = httpx.SecurityHeaders(cfg.SecureCookies)(h)
	h = admitUnlessProbe(cfg.MaxActive, h)
	h = httpx.Observe(cfg.Logger, httpx.NewMetrics(cfg.Registry))(h)
	return h
}

// admitUnlessProbe is h behind httpx.Admit(n), except the health and
// readiness probes and the metrics, which must answer while the server is
// busy.
func admitUnlessProbe(n int, h http.Handler) http.Handler {
	admitted := httpx.Admit(n)(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			h.ServeHTTP(w, r)
		default:
			admitted.ServeHTTP(w, r)
		}
	})
}

// splitSCIM sends requests under /scim/v2 to the SCIM endpoint and the
// rest to the pages and the API. An identity system's bearer token is no
// API token (Authenticate would refuse it) and no session or CSRF token
// is ever sent with it.
func splitSCIM(scim, rest http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/scim/v2" || strings.HasPrefix(r.URL.Path, "/scim/v2/") {
			scim.ServeHTTP(w, r)
			return
		}
		rest.ServeHTTP(w, r)
	})
}
