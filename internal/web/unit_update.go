package web

import (
	"net/http"

	"github.com/distans/distans"
)

// unitUpdate saves a unit.
func (web *Web) unitUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		ctx := r.Context()
		u, err := web.svc.Units.FindUnit(ctx, r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := readForm(r, "name", "kind", "parent_id", "manager_id")
		changed := *u
		changed.Name, changed.Kind = form.Value("name"), distans.UnitKind(form.Value("kind"))
		changed.ParentID, changed.ManagerID = form.Value("parent_id"), form.Value("manager_id")
		if err := web.svc.Units.UpdateUnit(ctx, &changed); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderUnitForm(w, r, http.StatusUnprocessableEntity, form, u)
			return
		}
		web.done(w, r, "/units", "unit.updated")
	})
}
