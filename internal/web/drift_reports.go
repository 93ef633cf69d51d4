package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// driftReports is /drift/reports: the installation's counts per
// organisation for its operator (ReportService.InstallationCounts), no
// unit and no person, each table beside its chart.
func (web *Web) driftReports() http.Handler {
	return web.operator(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		rep, err := web.svc.Reports.InstallationCounts(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("rep.drift_title")
		page := &view.DriftReportsPage{Layout: l, Generated: l.DateTime(rep.GeneratedAt)}
		for _, n := range rep.Missing {
			page.Missing = append(page.Missing, n.Text(l.Lang))
		}
		for _, t := range rep.Tables {
			page.Tables = append(page.Tables, reportTableView(t, rep, l.Lang, nil))
		}
		web.render(w, r, http.StatusOK, page)
	})
}
