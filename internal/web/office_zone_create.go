package web

import (
	"net/http"

	"github.com/distans/distans"
)

// officeZoneCreate adds a zone to a site.
func (web *Web) officeZoneCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		siteID := r.PathValue("id")
		form := readForm(r, "name", "floor")
		z := &distans.Zone{SiteID: siteID, Name: form.Value("name"), Floor: form.Value("floor")}
		if err := web.svc.Office.CreateZone(r.Context(), z); err != nil {
			if !formFailed(r, form, err, "name") {
				web.fail(w, r, err)
				return
			}
			web.renderOfficeAdmin(w, r, http.StatusUnprocessableEntity, siteID, form, nil, nil)
			return
		}
		web.done(w, r, "/office/sites/"+siteID+"/zones", "office.zone_created")
	})
}
