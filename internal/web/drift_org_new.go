package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/view"
)

// driftOrgNew is the form that creates an organisation.
func (web *Web) driftOrgNew() http.Handler {
	return web.operator(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := view.NewForm()
		form.Set("time_zone", "Europe/Stockholm")
		form.Set("language", "sv")
		form.Set("pack", policy.GenericTemplate)
		web.renderDriftOrgNew(w, r, http.StatusOK, form)
	})
}

func (web *Web) renderDriftOrgNew(w http.ResponseWriter, r *http.Request, status int, form *view.Form) {
	l := web.layout(w, r)
	l.Title = l.T("drift.new.title")
	page := &view.DriftNewOrgPage{Layout: l, Form: form,
		Languages: []view.Option{{Value: "sv", Label: "Svenska"}, {Value: "en", Label: "English"}}}
	page.Packs = packOptions(&page.Layout)
	web.render(w, r, status, page)
}
