package api

import (
	_ "embed"
	"net/http"
)

// openapiJSON is the hand-written OpenAPI 3.1 description of the routes
// table; TestOpenAPIMatchesRoutes keeps the two in step.
//
//go:embed openapi.json
var openapiJSON []byte

func (a *API) openAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Distans-Version", a.version)
		_, _ = w.Write(openapiJSON)
	})
}
