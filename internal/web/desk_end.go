package web

import (
	"net/http"

	"github.com/distans/distans"
)

// deskEnd sets a desk's last day; its later bookings are cancelled.
func (web *Web) deskEnd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		desk, err := web.svc.Office.FindDesk(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		back := "/office/desks/" + desk.ID + "/edit"
		on, err := web.endDay(r, a)
		if err == nil {
			err = web.svc.Office.EndDesk(r.Context(), desk.ID, on)
		}
		if err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, "/office/sites/"+desk.SiteID+"/zones", "office.desk_ended_flash")
	})
}
