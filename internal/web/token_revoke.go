package web

import (
	"net/http"

	"github.com/distans/distans"
)

// tokenRevoke revokes one of the person's API tokens.
func (web *Web) tokenRevoke() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.SignIn.RevokeAPIToken(r.Context(), r.PathValue("id")); err != nil {
			web.actionFailed(w, r, "/profile", err)
			return
		}
		web.done(w, r, "/profile", "token.revoked_flash")
	})
}
