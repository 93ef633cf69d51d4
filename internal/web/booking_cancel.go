package web

import (
	"net/http"

	"github.com/distans/distans"
)

// bookingCancel cancels one of the person's bookings and frees the desk.
func (web *Web) bookingCancel() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.Office.CancelBooking(r.Context(), r.PathValue("id")); err != nil {
			if msg, ok := officeMessage(r, err); ok {
				web.redirect(w, r, "/bookings", msg, true)
				return
			}
			web.fail(w, r, err)
			return
		}
		web.done(w, r, "/bookings", "office.cancelled_flash")
	})
}
