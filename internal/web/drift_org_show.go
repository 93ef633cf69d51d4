package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// driftOrgShow is one organisation: its counts, and the forms that rename,
// suspend, resume and end it.
func (web *Web) driftOrgShow() http.Handler {
	return web.operator(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		web.renderDriftOrg(w, r, http.StatusOK, nil, nil)
	})
}

// renderDriftOrg renders the organisation's page with the rename form and
// the end confirmation as given (nil: as stored, and empty).
func (web *Web) renderDriftOrg(w http.ResponseWriter, r *http.Request, status int, form, endForm *view.Form) {
	st, err := web.driftOrg(r, r.PathValue("id"))
	if err != nil {
		web.fail(w, r, err)
		return
	}
	o := st.Organisation
	if form == nil {
		form = view.NewForm()
		form.Set("name", o.Name)
		form.Set("slug", o.Slug)
	}
	if endForm == nil {
		endForm = view.NewForm()
	}
	l := web.layout(w, r)
	l.Title = o.Name
	page := &view.DriftOrgPage{Layout: l, Form: form, EndForm: endForm, Ended: o.Status == distans.OrgEnded,
		CanSuspend: o.Status.CanBecome(distans.OrgSuspended), CanResume: o.Status.CanBecome(distans.OrgActive),
		CanEnd: o.Status.CanBecome(distans.OrgEnded)}
	page.Org = driftRow(&page.Layout, st)
	web.render(w, r, status, page)
}
