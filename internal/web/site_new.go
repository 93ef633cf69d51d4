package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// siteNew is the form for adding a site.
func (web *Web) siteNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesSites() {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		form.Set("kind", string(distans.SiteMain))
		web.renderSiteForm(w, r, http.StatusOK, form, nil)
	})
}

// renderSiteForm renders the add or edit form; s is nil when adding.
func (web *Web) renderSiteForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form, s *distans.Site) {
	l := web.layout(w, r)
	page := &view.SiteFormPage{Layout: l, Form: form, Site: s, Kinds: siteKindOptions(l.P)}
	if s == nil {
		page.Action, page.Title, page.Path = "/sites", l.T("site.new_title"), "/sites/new"
	} else {
		page.Action, page.Title, page.Path = "/sites/"+s.ID, l.T("site.edit_title", s.Name), "/sites/"+s.ID+"/edit"
	}
	web.render(w, r, status, page)
}
