package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// releaseList is /records/releases: the registrator's latest decisions on
// requests for public documents, and the way to the register to pick a
// case.
func (web *Web) releaseList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsRegister() {
			web.forbidden(w, r)
			return
		}
		rs, err := web.svc.Releases.ListReleases(r.Context(), "", "")
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("rel.title")
		page := &view.ReleasesPage{Layout: l}
		for _, x := range rs {
			page.Rows = append(page.Rows, releaseRow(&page.Layout, x))
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func releaseRow(l *view.Layout, x *distans.ReleaseRequest) view.ReleaseRow {
	req := x.Requester
	if req == "" {
		req = l.T("rel.anonymous")
	}
	return view.ReleaseRow{Href: "/records/releases/" + x.ID, Number: x.CaseNumber, Decided: l.DateTime(x.DecidedAt),
		Requester: req, Outcome: l.T("rel.outcome." + string(x.Outcome))}
}
