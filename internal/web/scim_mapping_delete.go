package web

import (
	"net/http"

	"github.com/distans/distans"
)

// scimMappingDelete removes a group's mapping; the roles it granted end.
// The group's name comes in the form: names hold any character.
func (web *Web) scimMappingDelete() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.SCIMAdmin.DeleteSCIMGroupMapping(r.Context(), r.PostFormValue("display_name")); err != nil {
			web.actionFailed(w, r, "/scim-settings", err)
			return
		}
		web.done(w, r, "/scim-settings", "scim.mapping_deleted")
	})
}
