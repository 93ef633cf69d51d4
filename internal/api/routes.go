package api

import (
	"net/http"
	"slices"
)

// route is one operation of the API. The table below is the only list of
// routes: Register mounts it and the tests compare it with openapi.json.
type route struct {
	method  string
	path    string // a ServeMux path, which is also the OpenAPI path
	handler func(*API) http.Handler
	public  bool // served without an actor; everything else answers 401
	// body is the request struct the handler decodes, nil for none; the
	// tests check it against the operation's schema in openapi.json.
	body any
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// prefix is where the API lives; every path in routes starts with it.
const prefix = "/api/v1"

var routes = []route{
	{method: "GET", path: prefix + "/openapi.json", handler: (*API).openAPI, public: true},

	{method: "GET", path: prefix + "/me", handler: (*API).me},
	{method: "GET", path: prefix + "/organisation", handler: (*API).organisationGet},
	{method: "PATCH", path: prefix + "/organisation", handler: (*API).organisationUpdate, body: organisationUpdateRequest{}},

	{method: "GET", path: prefix + "/units", handler: (*API).unitList},
	{method: "POST", path: prefix + "/units", handler: (*API).unitCreate, body: unitCreateRequest{}},
	{method: "GET", path: prefix + "/units/{id}", handler: (*API).unitGet},
	{method: "PATCH", path: prefix + "/units/{id}", handler: (*API).unitUpdate, body: unitUpdateRequest{}},
	{method: "POST", path: prefix + "/units/{id}/end", handler: (*API).unitEnd, body: endRequest{}},

	{method: "GET", path: prefix + "/sites", handler: (*API).siteList},
	{method: "POST", path: prefix + "/sites", handler: (*API).siteCreate, body: siteCreateRequest{}},
	{method: "GET", path: prefix + "/sites/{id}", handler: (*API).siteGet},
	{method: "PATCH", path: prefix + "/sites/{id}", handler: (*API).siteUpdate, body: siteUpdateRequest{}},
	{method: "POST", path: prefix + "/sites/{id}/end", handler: (*API).siteEnd, body: endRequest{}},

	{method: "GET", path: prefix + "/people", handler: (*API).personList},
	{method: "POST", path: prefix + "/people", handler: (*API).personCreate, body: personCreateRequest{}},
	{method: "GET", path: prefix + "/people/{id}", handler: (*API).personGet},
	{method: "PATCH", path: prefix + "/people/{id}", handler: (*API).personUpdate, body: personUpdateRequest{}},
	{method: "POST", path: prefix + "/people/{id}/personal-number/reveal", handler: (*API).personRevealNumber},
	{method: "GET", path: prefix + "/people/{id}/employments", handler: (*API).employmentList},
	{method: "POST", path: prefix + "/people/{id}/employments", handler: (*API).employmentCreate, body: employmentCreateRequest{}},
	{method: "PATCH", path: prefix + "/employments/{id}", handler: (*API).employmentUpdate, body: employmentUpdateRequest{}},
	{method: "POST", path: prefix + "/employments/{id}/end", handler: (*API).employmentEnd, body: endRequest{}},
	{method: "GET", path: prefix + "/people/{id}/leaves", handler: (*API).leaveList},
	{method: "POST", path: prefix + "/people/{id}/leaves", handler: (*API).leaveCreate, body: leaveCreateRequest{}},
	{method: "POST", path: prefix + "/leaves/{id}/end", handler: (*API).leaveEnd, body: endRequest{}},

	{method: "GET", path: prefix + "/role-assignments", handler: (*API).roleList},
	{method: "POST", path: prefix + "/role-assignments", handler: (*API).roleAssign, body: roleAssignRequest{}},
	{method: "POST", path: prefix + "/role-assignments/{id}/end", handler: (*API).roleEnd},

	{method: "GET", path: prefix + "/audit-events", handler: (*API).auditList},

	{method: "GET", path: prefix + "/policy", handler: (*API).policyGet},
	{method: "PUT", path: prefix + "/policy", handler: (*API).policySave, body: policySaveRequest{}},
	{method: "PATCH", path: prefix + "/policy/parameters", handler: (*API).policyParameters, body: policyParametersRequest{}},
	{method: "GET", path: prefix + "/policy/versions", handler: (*API).policyVersionList},
	{method: "GET", path: prefix + "/policy/versions/{version}", handler: (*API).policyVersionGet},
	{method: "POST", path: prefix + "/policy/check", handler: (*API).policyCheck, body: policyCheckRequest{}},

	{method: "GET", path: prefix + "/documents", handler: (*API).documentList},
	{method: "POST", path: prefix + "/documents", handler: (*API).documentCreate, body: documentCreateRequest{}},
	{method: "GET", path: prefix + "/documents/pending", handler: (*API).documentPending},
	{method: "GET", path: prefix + "/documents/outstanding", handler: (*API).documentOutstanding},
	{method: "GET", path: prefix + "/documents/{id}", handler: (*API).documentGet},
	{method: "GET", path: prefix + "/documents/{id}/versions", handler: (*API).documentVersionList},
	{method: "POST", path: prefix + "/documents/{id}/versions", handler: (*API).documentVersionCreate, body: documentVersionRequest{}},
	{method: "POST", path: prefix + "/documents/{id}/acknowledge", handler: (*API).documentAcknowledge, body: acknowledgeRequest{}},
	{method: "GET", path: prefix + "/acknowledgements", handler: (*API).acknowledgementList},

	{method: "GET", path: prefix + "/tokens", handler: (*API).tokenList},
	{method: "POST", path: prefix + "/tokens", handler: (*API).tokenCreate, body: tokenCreateRequest{}},
	{method: "POST", path: prefix + "/tokens/{id}/revoke", handler: (*API).tokenRevoke},
	{method: "POST", path: prefix + "/signout-everywhere", handler: (*API).signOutEverywhere},
}

// handler is the part of *http.ServeMux that registration uses, so that a
// test can record what is registered.
type handler interface {
	Handle(pattern string, h http.Handler)
}

// Register mounts every route of the table on mux, and a fallback that
// answers unknown /api/v1 addresses with a JSON 404 or 405.
func (a *API) Register(mux *http.ServeMux) { a.register(mux) }

func (a *API) register(mux handler) {
	for _, rt := range routes {
		h := rt.handler(a)
		if !rt.public {
			h = a.requireActor(h)
		}
		mux.Handle(rt.pattern(), h)
	}
	mux.Handle(prefix+"/", a.fallback())
}

// methods returns the methods the table uses, for the fallback's Allow header.
func methods() []string {
	var ms []string
	for _, rt := range routes {
		if !slices.Contains(ms, rt.method) {
			ms = append(ms, rt.method)
		}
	}
	return ms
}
