package web

import (
	"net/http"

	"github.com/distans/distans"
)

// roleGrant gives a person a role in a unit subtree or the whole
// organisation.
func (web *Web) roleGrant() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		p, err := web.svc.People.FindPerson(ctx, r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := readForm(r, "role", "unit_id")
		ra := &distans.RoleAssignment{PersonID: p.ID, Role: distans.Role(form.Value("role")), UnitID: form.Value("unit_id")}
		if err := web.svc.Roles.AssignRole(ctx, ra); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderRoleForm(w, r, http.StatusUnprocessableEntity, form, p)
			return
		}
		web.done(w, r, "/people/"+p.ID, "role.granted")
	})
}
