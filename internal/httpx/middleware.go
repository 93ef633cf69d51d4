package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/distans/distans"
)

// Metrics counts requests and their latency by route pattern, so that the
// label set stays small whatever paths clients send.
type Metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics registers the request metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "distans_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "distans_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type routeKey struct{}

// Route wraps the mux so that Observe learns the pattern it matched: the
// mux sets Pattern on the request it receives, which the middleware in
// between has replaced with a copy carrying their context.
func Route(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = r.Pattern
		}
	})
}

// Observe logs each request, records its metrics, and turns a panic into a
// 500 with a log line, so one bad request never takes the server down.
func Observe(logger *slog.Logger, m *Metrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			route := ""
			r = r.WithContext(context.WithValue(r.Context(), routeKey{}, &route))
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					logger.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
					if sw.status == 0 {
						http.Error(sw, "internt fel / internal error", http.StatusInternalServerError)
					}
				}
				if route == "" {
					route = "unmatched"
				}
				elapsed := time.Since(start)
				if m != nil {
					m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
					m.latency.WithLabelValues(route, r.Method).Observe(elapsed.Seconds())
				}
				logger.DebugContext(r.Context(), "request", "method", r.Method, "route", route,
					"status", sw.status, "duration_ms", float64(elapsed.Microseconds())/1000)
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// Clock fixes the instant each request is served at: it reads now once
// (nil is distans.Now) and puts it in the request's context with
// distans.WithNow. Everything the request does then reads that one instant
// with distans.NowFrom, so that one request sees one "now" and one "today"
// even across midnight, and a test can serve a request at any time.
func Clock(now func() time.Time) func(http.Handler) http.Handler {
	if now == nil {
		now = distans.Now
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(distans.WithNow(r.Context(), now())))
		})
	}
}

// ContentSecurityPolicy allows only our own scripts, styles and images,
// no plugins, no <base> to re-point relative links, no framing, and forms
// that post only to us.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// SecurityHeaders sets the headers every response carries. secure is the
// deployment behind HTTPS (the one that marks cookies Secure): browsers are
// then told to use HTTPS only, so that no first request goes out in clear
// text for someone on the network to answer.
func SecurityHeaders(secure bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", ContentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
			if secure {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			next.ServeHTTP(w, r)
		})
	}
}
