package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
)

// tokenCreate makes an API token and shows its secret once. The page is
// rendered directly, never cached, so that the secret is not kept anywhere.
func (web *Web) tokenCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		name := strings.TrimSpace(r.PostFormValue("name"))
		var v distans.Validation
		v.Required("name", name)
		v.MaxLen("name", name, 100)
		err := v.Err()
		var secret string
		if err == nil {
			secret, _, err = web.svc.SignIn.CreateAPIToken(r.Context(), a.PersonID, name)
		}
		page, perr := web.profilePage(w, r, a)
		if perr != nil {
			web.fail(w, r, perr)
			return
		}
		if err != nil {
			page.TokenForm.Set("name", name)
			if !formFailed(r, page.TokenForm, err, "name") {
				web.fail(w, r, err)
				return
			}
			web.render(w, r, http.StatusUnprocessableEntity, page)
			return
		}
		page.NewSecret, page.NewTokenName = secret, name
		web.render(w, r, http.StatusOK, page)
	})
}
