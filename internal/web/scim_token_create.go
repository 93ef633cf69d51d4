package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
)

// scimTokenCreate makes a token for the identity system and shows its
// secret once. The page is rendered directly, never cached, so that the
// secret is not kept anywhere.
func (web *Web) scimTokenCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.scimPage(w, r, a)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		name := strings.TrimSpace(r.PostFormValue("name"))
		secret, _, err := web.svc.SCIMAdmin.CreateSCIMToken(r.Context(), name)
		if err != nil {
			page.TokenForm.Set("name", name)
			if !formFailed(r, page.TokenForm, err, "name") {
				web.fail(w, r, err)
				return
			}
			web.render(w, r, http.StatusUnprocessableEntity, page)
			return
		}
		if page, err = web.scimPage(w, r, a); err != nil {
			web.fail(w, r, err)
			return
		}
		page.NewSecret, page.NewTokenName = secret, name
		web.render(w, r, http.StatusOK, page)
	})
}
