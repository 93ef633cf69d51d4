package web

import (
	"net/http"

	"github.com/distans/distans"
)

// unitEnd ends a unit on the day given, today when empty.
func (web *Web) unitEnd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		on, err := web.endDay(r, a)
		if err == nil {
			err = web.svc.Units.EndUnit(r.Context(), id, on)
		}
		if err != nil {
			web.actionFailed(w, r, "/units/"+id+"/edit", err)
			return
		}
		web.done(w, r, "/units", "unit.ended_flash")
	})
}
