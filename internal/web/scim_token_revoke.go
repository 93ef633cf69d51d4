package web

import (
	"net/http"

	"github.com/distans/distans"
)

// scimTokenRevoke revokes an identity system's token: it stops at once.
func (web *Web) scimTokenRevoke() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.SCIMAdmin.RevokeSCIMToken(r.Context(), r.PathValue("id")); err != nil {
			web.actionFailed(w, r, "/scim-settings", err)
			return
		}
		web.done(w, r, "/scim-settings", "scim.token_revoked")
	})
}
