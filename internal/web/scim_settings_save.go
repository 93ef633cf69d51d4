package web

import (
	"net/http"

	"github.com/distans/distans"
)

// scimSettingsSave saves whether a department that names no unit becomes
// a new unit.
func (web *Web) scimSettingsSave() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		st := &distans.SCIMSettings{CreateUnits: r.PostFormValue("create_units") == "1"}
		if err := web.svc.SCIMAdmin.SaveSCIMSettings(r.Context(), st); err != nil {
			web.actionFailed(w, r, "/scim-settings", err)
			return
		}
		web.done(w, r, "/scim-settings", "scim.settings_saved")
	})
}
