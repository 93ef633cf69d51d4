package web

import (
	"net/http"

	"github.com/distans/distans"
)

// unitCreate adds a unit; the store validates it and checks that the
// parent and the manager belong to the organisation.
func (web *Web) unitCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		form := readForm(r, "name", "code", "kind", "parent_id", "manager_id")
		u := &distans.Unit{Name: form.Value("name"), Code: form.Value("code"), Kind: distans.UnitKind(form.Value("kind")),
			ParentID: form.Value("parent_id"), ManagerID: form.Value("manager_id")}
		if err := web.svc.Units.CreateUnit(r.Context(), u); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderUnitForm(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		web.done(w, r, "/units", "unit.created")
	})
}
