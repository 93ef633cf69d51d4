package web

import (
	"net/http"

	"github.com/distans/distans"
)

// oncallDutyDelete removes a duty period.
func (web *Web) oncallDutyDelete() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.Availability.DeleteOnCallDuty(r.Context(), r.PathValue("id")); err != nil {
			web.actionFailed(w, r, "/on-call", err)
			return
		}
		web.done(w, r, "/on-call", "oncall.duty_deleted")
	})
}
