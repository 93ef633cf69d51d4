package web

import "net/http"

// presenceRoutes mounts the presence pages; routes.go calls it.
func (web *Web) presenceRoutes(mux *http.ServeMux) {
}
