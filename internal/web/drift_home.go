package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// driftHome lists every organisation with its counts and health.
func (web *Web) driftHome() http.Handler {
	return web.operator(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		stats, err := web.svc.Installation.OrganisationStats(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("drift.home.title")
		page := &view.DriftHomePage{Layout: l}
		for _, st := range stats {
			page.Orgs = append(page.Orgs, driftRow(&page.Layout, st))
		}
		web.render(w, r, http.StatusOK, page)
	})
}
