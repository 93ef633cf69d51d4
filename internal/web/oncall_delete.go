package web

import (
	"net/http"

	"github.com/distans/distans"
)

// oncallDelete removes an on-call phone and its duties.
func (web *Web) oncallDelete() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.Availability.DeleteOnCallPhone(r.Context(), r.PathValue("id")); err != nil {
			web.actionFailed(w, r, "/on-call", err)
			return
		}
		web.done(w, r, "/on-call", "oncall.deleted")
	})
}
