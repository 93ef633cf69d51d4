// Package scimhttp is the SCIM 2.0 endpoint (RFC 7643, RFC 7644) at
// /scim/v2, through which an organisation's identity system (Microsoft
// Entra ID, Okta, its own) keeps its people and groups in Distans. The
// organisation is the one whose token the request carries
// (SCIMService.AuthenticateSCIM); every answer, errors included, is SCIM
// JSON.
//
// It is written on the standard library. github.com/elimity-com/scim
// validates PATCH operations against the schema before a handler sees
// them, and so refuses what Entra sends: "value":"False" for a boolean,
// operations without a path whose value holds "name.givenName" keys, and
// (its issue #105) filtered paths such as emails[type eq "work"].value.
// Distans applies the operations itself inside the store's transaction
// (SCIMService.PatchUser) in any case.
package scimhttp

import (
	"encoding/json"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Base is where the endpoint is mounted.
const Base = "/scim/v2"

// Defaults of Config: an organisation's identity system may send 1,000
// changes a second, and 2,000 at once after a pause. Entra sends a few
// dozen a second; a first synchronisation of 10,000 people from a script
// or Okta may go as fast as Distans takes it (see distans-bench -scim);
// ten thousand in one second are mostly told to wait. Reads (GET), one
// index lookup each, which Entra sends before every change, have a bucket
// of their own ten times as large, so that lookups never starve changes
// nor changes lookups.
const (
	DefaultRate  = 1000
	DefaultBurst = 2000
)

// maxCount is the most resources one list answers (ServiceProviderConfig
// filter.maxResults); a larger count is cut to it.
const maxCount = 200

// Config is what the endpoint needs.
type Config struct {
	SCIM   distans.SCIMService
	Logger *slog.Logger
	// BaseURL is where people reach Distans (config's BaseURL), the start
	// of meta.location; empty takes the request's host.
	BaseURL string
	// Rate and Burst size each organisation's token bucket; zero keeps
	// DefaultRate and DefaultBurst.
	Rate  float64
	Burst int
	// Now is the clock of the rate limit; nil is the wall clock.
	Now func() time.Time
}

type handler struct {
	svc     distans.SCIMService
	logger  *slog.Logger
	baseURL string
	writes  *limiter
	reads   *limiter
	now     func() time.Time
}

type scimOrgKey struct{}

// New returns the endpoint's handler, to be mounted at Base outside the
// pages' session and CSRF middleware: it authenticates its own bearer
// tokens and answers everything in SCIM JSON.
func New(cfg Config) http.Handler {
	h := &handler{svc: cfg.SCIM, logger: cfg.Logger, baseURL: strings.TrimRight(cfg.BaseURL, "/"), now: cfg.Now}
	if h.logger == nil {
		h.logger = slog.Default()
	}
	if h.now == nil {
		h.now = time.Now
	}
	rate, burst := cfg.Rate, cfg.Burst
	if rate <= 0 {
		rate = DefaultRate
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	h.writes, h.reads = newLimiter(rate, burst), newLimiter(10*rate, 10*burst)

	mux := http.NewServeMux()
	open := func(pattern string, f http.HandlerFunc) { mux.Handle(pattern, f) }
	auth := func(pattern string, f http.HandlerFunc) { mux.Handle(pattern, h.authenticate(f)) }

	open("GET "+Base+"/ServiceProviderConfig", h.serviceProviderConfig)
	open("GET "+Base+"/ResourceTypes", h.resourceTypes)
	open("GET "+Base+"/ResourceTypes/{id}", h.resourceType)
	open("GET "+Base+"/Schemas", h.schemas)
	open("GET "+Base+"/Schemas/{id}", h.schema)

	auth("GET "+Base+"/Users", h.listUsers)
	auth("POST "+Base+"/Users", h.createUser)
	auth("GET "+Base+"/Users/{id}", h.getUser)
	auth("PUT "+Base+"/Users/{id}", h.replaceUser)
	auth("PATCH "+Base+"/Users/{id}", h.patchUser)
	auth("DELETE "+Base+"/Users/{id}", h.deleteUser)

	auth("GET "+Base+"/Groups", h.listGroups)
	auth("POST "+Base+"/Groups", h.createGroup)
	auth("GET "+Base+"/Groups/{id}", h.getGroup)
	auth("PUT "+Base+"/Groups/{id}", h.replaceGroup)
	auth("PATCH "+Base+"/Groups/{id}", h.patchGroup)
	auth("DELETE "+Base+"/Groups/{id}", h.deleteGroup)

	// What matches no route is still answered in SCIM's words: a
	// method the resource does not take, or a resource there is not.
	for _, p := range []string{"/Users", "/Users/{id}", "/Groups", "/Groups/{id}", "/ServiceProviderConfig", "/ResourceTypes", "/Schemas"} {
		mux.Handle(Base+p, h.authenticate(func(w http.ResponseWriter, r *http.Request) {
			writeError(w, r, h.logger, &scimError{status: http.StatusMethodNotAllowed, detail: r.Method + " is not supported on " + r.URL.Path + "."})
		}))
	}
	mux.HandleFunc(Base+"/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, h.logger, &scimError{status: http.StatusNotFound, detail: "There is no SCIM resource at " + r.URL.Path + "; the endpoints are Users, Groups, ServiceProviderConfig, ResourceTypes and Schemas."})
	})

	// CheckInput bounds the body at httpx.MaxBodyBytes and refuses NUL
	// and invalid UTF-8 before anything reads it, as for the rest of
	// Distans; its refusals are answered as SCIM errors.
	fail := func(w http.ResponseWriter, r *http.Request, err error) { writeError(w, r, h.logger, err) }
	return httpx.CheckInput(fail)(h.contentType(httpx.Route(mux)))
}

// IsSCIM reports whether path is the endpoint's.
func IsSCIM(path string) bool { return path == Base || strings.HasPrefix(path, Base+"/") }

// contentType takes bodies of application/scim+json and application/json
// (and bodies without a type, which some scripts send).
func (h *handler) contentType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength != 0 && r.Header.Get("Content-Type") != "" {
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || (mt != "application/scim+json" && mt != "application/json") {
				writeError(w, r, h.logger, &scimError{status: http.StatusUnsupportedMediaType, scimType: invalidSyntax,
					detail: "The body must be application/scim+json (or application/json), not " + quote(r.Header.Get("Content-Type")) + "."})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate lets through a request whose bearer token is an
// organisation's SCIM token, with the organisation's provisioning client
// as its actor, and within its organisation's rate.
func (h *handler) authenticate(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			writeError(w, r, h.logger, &scimError{status: http.StatusUnauthorized,
				detail: "A bearer token is required: the organisation's SCIM token, made by its administrator."})
			return
		}
		actor, err := h.svc.AuthenticateSCIM(r.Context(), strings.TrimSpace(token))
		if err != nil {
			if distans.ErrorCode(err) == distans.EINTERNAL {
				writeError(w, r, h.logger, err)
				return
			}
			writeError(w, r, h.logger, &scimError{status: http.StatusUnauthorized,
				detail: "The bearer token is not a valid SCIM token: it is wrong, or it was revoked."})
			return
		}
		bucket := h.writes
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			bucket = h.reads
		}
		if ok, retry := bucket.take(actor.OrganisationID, h.now()); !ok {
			secs := int(math.Ceil(retry.Seconds()))
			if secs < 1 {
				secs = 1
			}
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeError(w, r, h.logger, &scimError{status: http.StatusTooManyRequests,
				detail: "Too many requests from this organisation's identity system; nothing of this request was done. Send it again after " + strconv.Itoa(secs) + " s."})
			return
		}
		next(w, r.WithContext(distans.NewContext(r.Context(), actor)))
	})
}

// base is the endpoint's URL, the start of every meta.location.
func (h *handler) base(r *http.Request) string {
	if h.baseURL != "" {
		return h.baseURL + Base
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + Base
}

// writeSCIM writes v as application/scim+json.
func writeSCIM(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/scim+json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeResource answers one resource, as the request's projection shows
// it, with its ETag (and Location when created).
func writeResource(w http.ResponseWriter, status int, body any, m metaJSON) {
	w.Header().Set("ETag", m.Version)
	if status == http.StatusCreated {
		w.Header().Set("Location", m.Location)
	}
	writeSCIM(w, status, body)
}

func writeList(w http.ResponseWriter, resources []any, startIndex int) {
	writeListTotal(w, resources, len(resources), startIndex)
}

type listJSON struct {
	Schemas      []string `json:"schemas"`
	TotalResults int      `json:"totalResults"`
	ItemsPerPage int      `json:"itemsPerPage"`
	StartIndex   int      `json:"startIndex"`
	Resources    []any    `json:"Resources"`
}

func writeListTotal(w http.ResponseWriter, resources []any, total, startIndex int) {
	if resources == nil {
		resources = []any{}
	}
	writeSCIM(w, http.StatusOK, listJSON{
		Schemas:      []string{schemaListResponse},
		TotalResults: total,
		ItemsPerPage: len(resources),
		StartIndex:   startIndex,
		Resources:    resources,
	})
}

// readBody decodes a request body into a document; malformed JSON and
// anything that is not one object are invalidSyntax.
func readBody(r *http.Request) (doc, error) {
	dec := json.NewDecoder(r.Body)
	var d doc
	if err := dec.Decode(&d); err != nil {
		return nil, badRequest(invalidSyntax, "The body is not a JSON object: "+err.Error()+".")
	}
	if dec.More() {
		return nil, badRequest(invalidSyntax, "The body must hold a single JSON object.")
	}
	if d == nil {
		return nil, badRequest(invalidSyntax, "The body must be a JSON object.")
	}
	return d, nil
}

func readPatch(r *http.Request) (*patchRequest, error) {
	dec := json.NewDecoder(r.Body)
	var p patchRequest
	if err := dec.Decode(&p); err != nil {
		return nil, badRequest(invalidSyntax, "The body is not a PatchOp request: "+err.Error()+".")
	}
	if dec.More() {
		return nil, badRequest(invalidSyntax, "The body must hold a single JSON object.")
	}
	found := false
	for _, s := range p.Schemas {
		if strings.EqualFold(s, schemaPatchOp) {
			found = true
		} else {
			return nil, badRequest(invalidValue, "Unknown schema "+quote(s)+"; a PATCH body is "+schemaPatchOp+".")
		}
	}
	if !found {
		return nil, badRequest(invalidSyntax, "A PATCH body must name the schema "+schemaPatchOp+".")
	}
	return &p, nil
}

// paging reads startIndex (1-based) and count as RFC 7644 §3.4.2.4 says:
// less than 1 is 1, a negative count is 0, and count is at most maxCount.
func paging(q url.Values) (startIndex, count int, err error) {
	startIndex, count = 1, maxCount
	if s := q.Get("startIndex"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, 0, badRequest(invalidValue, "startIndex must be a whole number.")
		}
		startIndex = max(n, 1)
	}
	if s := q.Get("count"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, 0, badRequest(invalidValue, "count must be a whole number.")
		}
		count = min(max(n, 0), maxCount)
	}
	return startIndex, count, nil
}

// projection is the attributes and excludedAttributes of a request
// (RFC 7644 §3.4.2.5), lower-cased: top-level names, "name.givenName"
// and an extension's "urn:…:attr".
type projection struct {
	only, excluded map[string]bool
}

func projectionOf(q url.Values) projection {
	split := func(s string) map[string]bool {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		m := map[string]bool{}
		for _, a := range strings.Split(s, ",") {
			if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
				m[a] = true
			}
		}
		return m
	}
	return projection{only: split(q.Get("attributes")), excluded: split(q.Get("excludedAttributes"))}
}

// wants reports whether the attribute name (top-level) is to be returned.
func (p projection) wants(name string) bool {
	n := strings.ToLower(name)
	if p.only != nil && !p.only[n] {
		return false
	}
	return !p.excluded[n]
}

// render is res as the request asks for it: the resource itself, or its
// document cut to the projection.
func (p projection) render(res any, core string) any {
	if p.only == nil && p.excluded == nil {
		return res
	}
	return p.apply(docOf(res), core)
}

// apply cuts d to the projection. id and schemas are always returned.
func (p projection) apply(d doc, core string) doc {
	out := doc{}
	for k, v := range d {
		lk := strings.ToLower(k)
		if lk == "id" || lk == "schemas" {
			out[k] = v
			continue
		}
		if strings.HasPrefix(lk, "urn:") {
			// An extension: returned when asked for whole, or cut to its
			// attributes named "urn:…:attr".
			inner, ok := v.(doc)
			if !ok {
				continue
			}
			cut := doc{}
			for ik, iv := range inner {
				full := lk + ":" + strings.ToLower(ik)
				if (p.only == nil || p.only[lk] || p.only[full]) && !p.excluded[lk] && !p.excluded[full] {
					cut[ik] = iv
				}
			}
			if len(cut) > 0 {
				out[k] = cut
			}
			continue
		}
		full := strings.ToLower(core) + ":" + lk
		if p.only != nil && !p.only[lk] && !p.only[full] && !p.hasSub(lk) {
			continue
		}
		if p.excluded[lk] || p.excluded[full] {
			continue
		}
		if inner, ok := v.(doc); ok && p.only != nil && !p.only[lk] && !p.only[full] {
			cut := doc{}
			for ik, iv := range inner {
				if p.only[lk+"."+strings.ToLower(ik)] {
					cut[ik] = iv
				}
			}
			out[k] = cut
			continue
		}
		out[k] = v
	}
	return out
}

// hasSub reports whether a sub-attribute of top-level attribute a is asked
// for ("name.givenName").
func (p projection) hasSub(a string) bool {
	for k := range p.only {
		if strings.HasPrefix(k, a+".") {
			return true
		}
	}
	return false
}
