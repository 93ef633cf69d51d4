package web

import (
	"net/http"

	"github.com/distans/distans"
)

// siteCreate adds a site.
func (web *Web) siteCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		form := readForm(r, "name", "code", "kind", "street", "postal_code", "city")
		s := &distans.Site{Name: form.Value("name"), Code: form.Value("code"), Kind: distans.SiteKind(form.Value("kind")),
			Street: form.Value("street"), PostalCode: form.Value("postal_code"), City: form.Value("city")}
		if err := web.svc.Sites.CreateSite(r.Context(), s); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderSiteForm(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		web.done(w, r, "/sites", "site.created")
	})
}
