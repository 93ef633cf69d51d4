package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// siteEdit is the form for changing a site, with the button that ends it.
func (web *Web) siteEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		s, err := web.svc.Sites.FindSite(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		if !a.ManagesSites() {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		for k, v := range map[string]string{"name": s.Name, "code": s.Code, "kind": string(s.Kind), "street": s.Street,
			"postal_code": s.PostalCode, "city": s.City, "updated_at": stamp(s.UpdatedAt)} {
			form.Set(k, v)
		}
		web.renderSiteForm(w, r, http.StatusOK, form, s)
	})
}
