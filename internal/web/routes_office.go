package web

import "net/http"

// officeRoutes mounts the office pages; routes.go calls it.
func (web *Web) officeRoutes(mux *http.ServeMux) {
}
