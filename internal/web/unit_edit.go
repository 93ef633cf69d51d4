package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// unitEdit is the form for changing a unit, with the button that ends it.
func (web *Web) unitEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		u, err := web.svc.Units.FindUnit(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		if !a.Can(distans.PermManageUnits) {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		form.Set("name", u.Name)
		form.Set("code", u.Code)
		form.Set("kind", string(u.Kind))
		form.Set("parent_id", u.ParentID)
		form.Set("manager_id", u.ManagerID)
		form.Set("updated_at", stamp(u.UpdatedAt))
		web.renderUnitForm(w, r, http.StatusOK, form, u)
	})
}
