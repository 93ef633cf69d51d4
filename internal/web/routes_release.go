package web

import (
	"net/http"
)

// releaseRoutes mounts Begäran om allmän handling under the register;
// routes.go calls it. Without the service the pages are not mounted.
func (web *Web) releaseRoutes(mux *http.ServeMux) {
	if web.svc.Releases == nil {
		return
	}
	mux.Handle("GET /records/releases", web.releaseList())
	mux.Handle("GET /records/releases/new", web.releaseNew())
	mux.Handle("POST /records/releases", web.releaseCreate())
	mux.Handle("GET /records/releases/{id}", web.releaseShow())
	mux.Handle("GET /records/releases/{id}/{doc}", web.releaseDownload())
}
