package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// trainingRoutes mounts Utbildning and Checklistor; routes.go calls it.
// Without their services the pages are not mounted and answer the pages'
// own 404.
func (web *Web) trainingRoutes(mux *http.ServeMux) {
	if web.svc.Training != nil {
		mux.Handle("GET /training", web.trainingShow())
		mux.Handle("POST /training/completions", web.trainingComplete())
		mux.Handle("GET /training/completions/{id}/certificate", web.trainingCertificate())
		mux.Handle("GET /training/coverage", web.trainingCoverage())
		mux.Handle("POST /training/coverage", web.trainingCoverageRecord())
		mux.Handle("GET /training/import", web.trainingImportShow())
		mux.Handle("POST /training/import", web.trainingImportSubmit())
	}
	if web.svc.Checklists != nil {
		mux.Handle("GET /checklists", web.checklistsList())
		mux.Handle("GET /checklists/overview", web.checklistsOverview())
		mux.Handle("GET /checklists/{id}", web.checklistShow())
		mux.Handle("POST /checklists/{id}/tasks/{task}/tick", web.checklistTick())
	}
}

// trainingNav adds "Utbildning" and "Checklistor" for everyone signed in
// as a person, before the profile: everyone has courses the pack asks of
// them, and a checklist opens for everyone when their employment starts.
func (web *Web) trainingNav(r *http.Request, l *view.Layout, a *distans.Actor) {
	if a == nil || a.PersonID == "" {
		return
	}
	var items []view.NavItem
	if web.svc.Training != nil {
		items = append(items, view.NavItem{Href: "/training", Label: l.T("nav.training"), Current: inSection(r, "/training")})
	}
	if web.svc.Checklists != nil {
		items = append(items, view.NavItem{Href: "/checklists", Label: l.T("nav.checklists"), Current: inSection(r, "/checklists")})
	}
	for i, n := range l.Nav {
		if n.Href == "/profile" || n.Href == "/notifications" {
			l.Nav = append(l.Nav[:i], append(items, l.Nav[i:]...)...)
			return
		}
	}
	l.Nav = append(l.Nav, items...)
}

func inSection(r *http.Request, href string) bool {
	return r.URL.Path == href || strings.HasPrefix(r.URL.Path, href+"/")
}

// seesCoverage reports whether the actor has a coverage page: those who
// follow training somewhere (managers, HR), and those who see the
// organisation's counts (ledning). The service decides what it holds.
func seesCoverage(a *distans.Actor) bool {
	return !a.FollowsTrainingIn().None() || a.SeesTrainingCounts()
}

// trainingLayout is the layout of a training page with its title and tabs.
func (web *Web) trainingLayout(w http.ResponseWriter, r *http.Request, a *distans.Actor, title string, args ...any) (view.Layout, view.SectionTabs) {
	l := web.layout(w, r)
	l.Title = l.T(title, args...)
	return l, sectionTabs(r, &l, "tr.tabs", []tab{
		{"/training", "tr.tab.mine", true},
		{"/training/coverage", "tr.tab.coverage", seesCoverage(a)},
		{"/training/import", "tr.tab.import", a.ImportsTraining()},
	})
}

// checklistLayout is the layout of a checklist page with its title and
// tabs.
func (web *Web) checklistLayout(w http.ResponseWriter, r *http.Request, a *distans.Actor, title string, args ...any) (view.Layout, view.SectionTabs) {
	l := web.layout(w, r)
	l.Title = l.T(title, args...)
	return l, sectionTabs(r, &l, "cl.title", []tab{
		{"/checklists", "cl.tab.mine", true},
		{"/checklists/overview", "cl.tab.overview", a.SeesChecklistOverview()},
	})
}

type tab struct {
	href, key string
	show      bool
}

// sectionTabs is a section's own navigation; a section of one tab has
// none.
func sectionTabs(r *http.Request, l *view.Layout, label string, tabs []tab) view.SectionTabs {
	out := view.SectionTabs{TabsLabel: l.T(label)}
	for _, t := range tabs {
		if t.show {
			out.Tabs = append(out.Tabs, view.NavItem{Href: t.href, Label: l.T(t.key), Current: r.URL.Path == t.href})
		}
	}
	if len(out.Tabs) < 2 {
		out.Tabs = nil
	}
	return out
}
