package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// disposalRoutes mounts Gallring; routes.go calls it. Without the service
// the pages are not mounted and answer the pages' own 404.
func (web *Web) disposalRoutes(mux *http.ServeMux) {
	if web.svc.Disposal == nil {
		return
	}
	mux.Handle("GET /records/disposal", web.disposalShow())
	mux.Handle("POST /records/disposal", web.disposalRun())
	mux.Handle("POST /records/disposal/holds", web.disposalHold())
	mux.Handle("POST /records/disposal/holds/{id}/release", web.disposalRelease())
}

// disposalNav adds "Gallring" before the profile for those who see
// disposal (Actor.SeesDisposal).
func (web *Web) disposalNav(r *http.Request, l *view.Layout, a *distans.Actor) {
	if web.svc.Disposal == nil || a == nil || !a.SeesDisposal() {
		return
	}
	item := view.NavItem{Href: "/records/disposal", Label: l.T("nav.disposal"), Current: r.URL.Path == "/records/disposal"}
	for i, n := range l.Nav {
		if n.Href == "/profile" || n.Href == "/notifications" {
			l.Nav = append(l.Nav[:i], append([]view.NavItem{item}, l.Nav[i:]...)...)
			return
		}
	}
	l.Nav = append(l.Nav, item)
}
