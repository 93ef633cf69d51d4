package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// reportsList is /reports: the reports the actor may open, and their
// monthly reports by e-mail.
func (web *Web) reportsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		rs := a.ReportScope()
		if rs.None() {
			web.forbidden(w, r)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("rep.title")
		page := &view.ReportsPage{Layout: l, Kinds: reportKinds(&l, ""), Suppressed: rs.Suppressed}
		if web.svc.ReportSubscriptions != nil {
			subs, err := web.svc.ReportSubscriptions.ListReportSubscriptions(r.Context())
			if err != nil {
				web.fail(w, r, err)
				return
			}
			var ids []string
			for _, s := range subs {
				if s.UnitID != "" {
					ids = append(ids, s.UnitID)
				}
			}
			names, err := web.unitNames(r.Context(), ids)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			for _, s := range subs {
				unit := l.T("rep.whole")
				if s.UnitID != "" {
					unit = names[s.UnitID]
				}
				page.Subs = append(page.Subs, view.ReportSubRow{ID: s.ID, Kind: s.Kind.Label(l.Lang), Unit: unit,
					Since: l.Date(s.CreatedAt), Action: "/reports/subscriptions/" + s.ID + "/delete"})
			}
		}
		web.render(w, r, http.StatusOK, page)
	})
}
