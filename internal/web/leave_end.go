package web

import (
	"net/http"

	"github.com/distans/distans"
)

// leaveEnd ends a leave on the day given, today when empty.
func (web *Web) leaveEnd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		back := "/people/" + r.PathValue("id")
		on, err := web.endDay(r, a)
		if err == nil {
			err = web.svc.People.EndLeave(r.Context(), r.PathValue("lid"), on)
		}
		if err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "leave.ended")
	})
}
