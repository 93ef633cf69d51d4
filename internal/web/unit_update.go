package web

import (
	"net/http"

	"github.com/distans/distans"
)

// unitUpdate saves a unit.
func (web *Web) unitUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		ctx := r.Context()
		form := readForm(r, "name", "code", "kind", "parent_id", "manager_id", "updated_at")
		value := func(k string) *string { v := form.Value(k); return &v }
		kind := distans.UnitKind(form.Value("kind"))
		_, err := web.svc.Units.UpdateUnit(ctx, r.PathValue("id"), distans.UnitUpdate{Name: value("name"), Code: value("code"), Kind: &kind,
			ParentID: value("parent_id"), ManagerID: value("manager_id"), UpdatedAt: readStamp(form)})
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			u, err := web.svc.Units.FindUnit(ctx, r.PathValue("id"))
			if err != nil {
				web.fail(w, r, err)
				return
			}
			web.renderUnitForm(w, r, http.StatusUnprocessableEntity, form, u)
			return
		}
		web.done(w, r, "/units", "unit.updated")
	})
}
