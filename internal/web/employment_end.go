package web

import (
	"net/http"

	"github.com/distans/distans"
)

// employmentEnd ends an employment on the day given, today when empty.
func (web *Web) employmentEnd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		back := "/people/" + r.PathValue("id")
		on, err := web.endDay(r, a)
		if err == nil {
			err = web.svc.People.EndEmployment(r.Context(), r.PathValue("eid"), on)
		}
		if err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "employment.ended")
	})
}
