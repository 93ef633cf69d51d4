// Package api is the JSON API of Distans under /api/v1, with its OpenAPI
// description at /api/v1/openapi.json.
//
// Every route is in one table (routes.go) that both registration and the
// tests read. Handlers parse the request into a request struct of their own
// (never into a domain struct, so that clients cannot set ids, organisations
// or timestamps), validate it together with the domain's rules, call a
// service from distans.Services, and respond. Errors go through one function,
// (*API).error, which writes {"error":{code,message,message_en,fields}} in the
// user's language with English beside it.
//
// Authorisation and tenant isolation are the services' business: they read
// the actor that httpx.Authenticate put in the context and answer ENOTFOUND
// for anything outside the actor's organisation or scope. The API only
// insists that someone is signed in, and asks Actor.Can up front where that
// answers 403 before any work is done on the body (editing the policy pack,
// publishing documents, reading the audit trail); the services check again.
package api

import (
	"log/slog"
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Config is what the API needs.
type Config struct {
	Services distans.Services
	// Calendar keeps the private calendar feeds; nil answers the feed
	// routes with 404.
	Calendar distans.CalendarStore
	Logger   *slog.Logger
	Version  string
}

// API serves /api/v1.
type API struct {
	svc     distans.Services
	cal     distans.CalendarStore
	logger  *slog.Logger
	version string
	probe   *http.ServeMux // the route table alone, to tell 404 from 405
}

// New returns the API for cfg.
func New(cfg Config) *API {
	a := &API{svc: cfg.Services, cal: cfg.Calendar, logger: cfg.Logger, version: cfg.Version}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	if a.version == "" {
		a.version = "dev"
	}
	a.probe = http.NewServeMux()
	for _, rt := range routes {
		a.probe.Handle(rt.pattern(), http.NotFoundHandler())
	}
	return a
}

// error writes err as the JSON error body with the status its code maps to.
// It is the only place where the API turns an error into a response;
// anything that is not a *distans.Error is logged and shown as an internal
// error.
func (a *API) error(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(w, r, a.logger, err)
}

// respond writes v as JSON with status.
func respond(w http.ResponseWriter, status int, v any) { httpx.WriteJSON(w, status, v) }

// noContent answers an action that has nothing to return.
func noContent(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// list is the shape of every list response.
type list[T any] struct {
	Items []T `json:"items"`
}

// views turns records into their JSON views, in order.
func views[R, V any](records []R, view func(R) V) []V {
	out := make([]V, len(records))
	for i, r := range records {
		out[i] = view(r)
	}
	return out
}

func newList[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items}
}

// requireActor answers 401 unless someone is signed in.
func (a *API) requireActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if distans.ActorFrom(r.Context()) == nil {
			a.error(w, r, errUnauthorized())
			return
		}
		next.ServeHTTP(w, r)
	})
}

func errUnauthorized() error {
	return distans.Errorf(distans.EUNAUTHORIZED,
		"Du är inte inloggad. Skicka en API-nyckel i Authorization: Bearer.",
		"You are not signed in. Send an API token in Authorization: Bearer.")
}

// fallback answers every /api/v1 request that no route matches: 405 with
// Allow when the path exists with other methods, otherwise 404, both as JSON.
func (a *API) fallback() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range methods() {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := a.probe.Handler(probe); pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
			return
		}
		for _, m := range allow {
			w.Header().Add("Allow", m)
		}
		var body httpx.ErrorBody
		body.Error.Code = "method_not_allowed"
		body.Error.Message = "Metoden " + r.Method + " går inte att använda här."
		if httpx.Lang(r) == "en" {
			body.Error.Message = "The method " + r.Method + " is not allowed here."
		}
		body.Error.MessageEN = "The method " + r.Method + " is not allowed here."
		respond(w, http.StatusMethodNotAllowed, body)
	})
}
