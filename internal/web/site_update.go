package web

import (
	"net/http"

	"github.com/distans/distans"
)

// siteUpdate saves a site.
func (web *Web) siteUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		ctx := r.Context()
		form := readForm(r, "name", "code", "kind", "street", "postal_code", "city", "updated_at")
		value := func(k string) *string { v := form.Value(k); return &v }
		kind := distans.SiteKind(form.Value("kind"))
		_, err := web.svc.Sites.UpdateSite(ctx, r.PathValue("id"), distans.SiteUpdate{Name: value("name"), Code: value("code"), Kind: &kind,
			Street: value("street"), PostalCode: value("postal_code"), City: value("city"), UpdatedAt: readStamp(form)})
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			s, err := web.svc.Sites.FindSite(ctx, r.PathValue("id"))
			if err != nil {
				web.fail(w, r, err)
				return
			}
			web.renderSiteForm(w, r, http.StatusUnprocessableEntity, form, s)
			return
		}
		web.done(w, r, "/sites", "site.updated")
	})
}
