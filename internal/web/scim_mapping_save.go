package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
)

// scimMappingSave maps a group, by its name, to a role in a unit subtree
// or to a placement in a unit; its members' roles or employments follow
// at once.
func (web *Web) scimMappingSave() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		m := &distans.SCIMGroupMapping{DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
			Kind: r.PostFormValue("kind"), Role: distans.Role(r.PostFormValue("role")), UnitID: r.PostFormValue("unit_id")}
		err := web.svc.SCIMAdmin.SaveSCIMGroupMapping(r.Context(), m)
		if err == nil {
			web.done(w, r, "/scim-settings", "scim.mapping_saved")
			return
		}
		page, perr := web.scimPage(w, r, a)
		if perr != nil {
			web.fail(w, r, perr)
			return
		}
		page.MappingForm.Set("display_name", m.DisplayName)
		page.MappingForm.Set("kind", r.PostFormValue("kind"))
		page.MappingForm.Set("role", string(m.Role))
		page.MappingForm.Set("unit_id", m.UnitID)
		if !formFailed(r, page.MappingForm, err, "display_name") {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusUnprocessableEntity, page)
	})
}
