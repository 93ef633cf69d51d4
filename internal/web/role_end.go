package web

import (
	"net/http"

	"github.com/distans/distans"
)

// roleEnd ends a role assignment.
func (web *Web) roleEnd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		back := "/people/" + r.PathValue("id")
		if err := web.svc.Roles.EndRoleAssignment(r.Context(), r.PathValue("rid")); err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "role.ended")
	})
}
