package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentRoutes mounts the equipment pages; routes.go calls it. Without
// an equipment service they are not mounted and answer the pages' own 404.
func (web *Web) equipmentRoutes(mux *http.ServeMux) {
	if web.svc.Equipment == nil {
		return
	}
	mux.Handle("GET /equipment", web.equipmentOverview())
	mux.Handle("POST /equipment/terms", web.equipmentTermsSave())
	mux.Handle("GET /equipment/mine", web.equipmentMine())
	mux.Handle("GET /equipment/team", web.equipmentTeam())

	mux.Handle("GET /equipment/items", web.equipmentItemsList())
	mux.Handle("GET /equipment/items/new", web.equipmentItemNew())
	mux.Handle("POST /equipment/items", web.equipmentItemCreate())
	mux.Handle("GET /equipment/items/{id}", web.equipmentItemShow())
	mux.Handle("POST /equipment/items/{id}", web.equipmentItemUpdate())
	mux.Handle("GET /equipment/import", web.equipmentImportShow())
	mux.Handle("POST /equipment/import", web.equipmentImportSubmit())

	mux.Handle("GET /equipment/issue", web.equipmentIssueShow())
	mux.Handle("POST /equipment/handovers", web.equipmentIssueSubmit())
	mux.Handle("GET /equipment/handovers/{id}", web.equipmentHandoverShow())
	mux.Handle("POST /equipment/handovers/{id}/accept", web.equipmentHandoverAccept())
	mux.Handle("POST /equipment/handovers/{id}/cancel", web.equipmentHandoverCancel())
	mux.Handle("GET /equipment/handovers/{id}/pdf", web.equipmentHandoverPDF())

	mux.Handle("GET /equipment/returns/new", web.equipmentReturnNew())
	mux.Handle("POST /equipment/returns", web.equipmentReturnCreate())
	mux.Handle("GET /equipment/returns/{id}", web.equipmentReturnShow())
	mux.Handle("POST /equipment/returns/{id}/sign", web.equipmentReturnSign())
	mux.Handle("GET /equipment/returns/{id}/pdf", web.equipmentReturnPDF())

	mux.Handle("GET /equipment/losses", web.equipmentLossesList())
	mux.Handle("GET /equipment/losses/new", web.equipmentLossNew())
	mux.Handle("POST /equipment/losses", web.equipmentLossCreate())
	mux.Handle("GET /equipment/losses/{id}", web.equipmentLossShow())
	mux.Handle("POST /equipment/losses/{id}/steps", web.equipmentLossStep())
	mux.Handle("POST /equipment/losses/{id}/assessment", web.equipmentLossAssess())
	mux.Handle("GET /equipment/losses/{id}/attachments/{aid}", web.equipmentLossAttachment())

	mux.Handle("GET /equipment/trips/new", web.equipmentTripNew())
	mux.Handle("POST /equipment/trips", web.equipmentTripCreate())
	mux.Handle("GET /equipment/trips/{id}", web.equipmentTripShow())
	mux.Handle("POST /equipment/trips/{id}/decision", web.equipmentTripDecide())

	mux.Handle("POST /equipment/tasks/{id}/complete", web.equipmentTaskComplete())
	mux.Handle("POST /equipment/tasks/{id}/exception", web.equipmentTaskException())
}

// equipmentNav adds "Utrustning" to the navigation for everyone signed in,
// before the profile: everyone has their own equipment page; IT's overview
// and the manager's view are tabs of the section.
func (web *Web) equipmentNav(r *http.Request, l *view.Layout, a *distans.Actor) {
	if web.svc.Equipment == nil || a == nil || a.PersonID == "" {
		return
	}
	item := view.NavItem{Href: "/equipment", Label: l.T("nav.equipment"),
		Current: r.URL.Path == "/equipment" || strings.HasPrefix(r.URL.Path, "/equipment/")}
	for i, n := range l.Nav {
		if n.Href == "/profile" || n.Href == "/notifications" {
			l.Nav = append(l.Nav[:i], append([]view.NavItem{item}, l.Nav[i:]...)...)
			return
		}
	}
	l.Nav = append(l.Nav, item)
}

// equipmentTabs is the section's own navigation: the person's page for
// everyone, the manager's view for managers, IT's overview and the
// registry for IT, and the loss cases.
func equipmentTabs(r *http.Request, l *view.Layout, a *distans.Actor) view.EquipmentTabs {
	type tab struct {
		href, key string
		show      bool
	}
	tabs := []tab{
		{"/equipment/mine", "eq.tab.mine", true},
		{"/equipment/team", "eq.tab.team", a.HasRole(distans.RoleManager)},
		{"/equipment", "eq.tab.overview", a.KeepsEquipment()},
		{"/equipment/items", "eq.tab.items", a.KeepsEquipment() || a.HasRole(distans.RoleManager)},
		{"/equipment/losses", "eq.tab.losses", true},
	}
	var out view.EquipmentTabs
	for _, t := range tabs {
		if !t.show {
			continue
		}
		cur := r.URL.Path == t.href || (t.href != "/equipment" && strings.HasPrefix(r.URL.Path, t.href+"/"))
		out.Tabs = append(out.Tabs, view.NavItem{Href: t.href, Label: l.T(t.key), Current: cur})
	}
	return out
}
