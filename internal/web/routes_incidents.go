package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentRoutes mounts the incident pages; routes.go calls it. Without an
// incident service (a deployment or test that wires none) they are not
// mounted and answer the pages' own 404.
func (web *Web) incidentRoutes(mux *http.ServeMux) {
	if web.svc.Incidents == nil {
		return
	}
	mux.Handle("GET /incidents", web.incidentsList())
	mux.Handle("GET /incidents/new", web.incidentNew())
	mux.Handle("POST /incidents", web.incidentCreate())
	mux.Handle("GET /incidents/{id}", web.incidentShow())
	mux.Handle("POST /incidents/{id}/triage", web.incidentTriage())
	mux.Handle("POST /incidents/{id}/duties", web.incidentDutyRecord())
	mux.Handle("POST /incidents/{id}/risk", web.incidentRiskAssess())
	mux.Handle("POST /incidents/{id}/imy", web.incidentIMYSave())
	mux.Handle("GET /incidents/{id}/imy/pdf", web.incidentIMYPDF())
	mux.Handle("POST /incidents/{id}/imy/supplements", web.incidentSupplementAdd())
	mux.Handle("POST /incidents/{id}/measures", web.incidentMeasureAdd())
	mux.Handle("POST /incidents/{id}/measures/{mid}/complete", web.incidentMeasureComplete())
	mux.Handle("POST /incidents/{id}/links", web.incidentLinkAdd())
	mux.Handle("POST /incidents/{id}/close", web.incidentClose())
}

// incidentNav adds "Incidenter" to the navigation for everyone signed in,
// before the profile: anyone may report, and the page holds their own
// reports and, for those who handle incidents, the queue.
func (web *Web) incidentNav(r *http.Request, l *view.Layout, a *distans.Actor) {
	if web.svc.Incidents == nil || a == nil || a.PersonID == "" {
		return
	}
	item := view.NavItem{Href: "/incidents", Label: l.T("nav.incidents"),
		Current: r.URL.Path == "/incidents" || strings.HasPrefix(r.URL.Path, "/incidents/")}
	for i, n := range l.Nav {
		if n.Href == "/profile" || n.Href == "/notifications" {
			l.Nav = append(l.Nav[:i], append([]view.NavItem{item}, l.Nav[i:]...)...)
			return
		}
	}
	l.Nav = append(l.Nav, item)
}

// incidentBack is the incident page, where every action answers.
func incidentBack(r *http.Request) string { return "/incidents/" + r.PathValue("id") }
