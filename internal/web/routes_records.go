package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// recordsRoutes mounts Diarium; routes.go calls it. Without the service
// the pages are not mounted and answer the pages' own 404.
func (web *Web) recordsRoutes(mux *http.ServeMux) {
	if web.svc.Register == nil {
		return
	}
	mux.Handle("GET /records/register", web.registerList())
	mux.Handle("GET /records/register.csv", web.registerCSV())
}

// recordsNav adds "Diarium" before the profile for those who keep the
// register (Actor.KeepsRegister).
func (web *Web) recordsNav(r *http.Request, l *view.Layout, a *distans.Actor) {
	if web.svc.Register == nil || a == nil || !a.KeepsRegister() {
		return
	}
	item := view.NavItem{Href: "/records/register", Label: l.T("nav.register"), Current: inSection(r, "/records")}
	for i, n := range l.Nav {
		if n.Href == "/profile" || n.Href == "/notifications" {
			l.Nav = append(l.Nav[:i], append([]view.NavItem{item}, l.Nav[i:]...)...)
			return
		}
	}
	l.Nav = append(l.Nav, item)
}
