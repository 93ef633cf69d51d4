package web

import (
	"net/http"

	"github.com/distans/distans"
)

// oncallCreate adds an on-call phone to a unit the actor keeps.
func (web *Web) oncallCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "unit_id", "name", "number")
		p := &distans.OnCallPhone{UnitID: form.Value("unit_id"), Name: form.Value("name"), Number: form.Value("number")}
		if err := web.svc.Availability.CreateOnCallPhone(r.Context(), p); err != nil {
			if !formFailed(r, form, err, "name") {
				web.fail(w, r, err)
				return
			}
			web.renderOnCall(w, r, a, http.StatusUnprocessableEntity, form, nil)
			return
		}
		web.done(w, r, "/on-call", "oncall.created")
	})
}
