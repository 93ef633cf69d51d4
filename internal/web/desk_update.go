package web

import (
	"net/http"

	"github.com/distans/distans"
)

// deskUpdate saves a desk's zone, label and attributes.
func (web *Web) deskUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		desk, err := web.svc.Office.FindDesk(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := readDeskForm(r)
		changed := *desk
		if deskFromForm(r, form, &changed) {
			err := web.svc.Office.UpdateDesk(r.Context(), &changed)
			if err == nil {
				web.done(w, r, "/office/sites/"+desk.SiteID+"/zones", "office.desk_updated")
				return
			}
			if !formFailed(r, form, err, "label") {
				web.fail(w, r, err)
				return
			}
		}
		web.renderDeskEdit(w, r, http.StatusUnprocessableEntity, desk, form)
	})
}
