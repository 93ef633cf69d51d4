package web

import (
	"net/http"

	"github.com/distans/distans"
)

// siteUpdate saves a site.
func (web *Web) siteUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		ctx := r.Context()
		s, err := web.svc.Sites.FindSite(ctx, r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := readForm(r, "name", "kind", "street", "postal_code", "city")
		changed := *s
		changed.Name, changed.Kind = form.Value("name"), distans.SiteKind(form.Value("kind"))
		changed.Street, changed.PostalCode, changed.City = form.Value("street"), form.Value("postal_code"), form.Value("city")
		if err := web.svc.Sites.UpdateSite(ctx, &changed); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderSiteForm(w, r, http.StatusUnprocessableEntity, form, s)
			return
		}
		web.done(w, r, "/sites", "site.updated")
	})
}
