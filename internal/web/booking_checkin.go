package web

import (
	"net/http"

	"github.com/distans/distans"
)

// bookingCheckIn claims a booking on its day.
func (web *Web) bookingCheckIn() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.Office.CheckIn(r.Context(), r.PathValue("id")); err != nil {
			if msg, ok := officeMessage(r, err); ok {
				web.redirect(w, r, "/bookings", msg, true)
				return
			}
			web.fail(w, r, err)
			return
		}
		web.done(w, r, "/bookings", "office.checked_in_flash")
	})
}
