package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// personEdit is the form for changing a person's details.
func (web *Web) personEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		p, err := web.svc.People.FindPerson(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		if !a.ManagesPerson(p.UnitPath) {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		for k, v := range map[string]string{"name": p.Name, "email": p.Email, "phone": p.Phone,
			"employee_number": p.EmployeeNumber, "language": p.Language, "updated_at": stamp(p.UpdatedAt)} {
			form.Set(k, v)
		}
		web.renderPersonForm(w, r, http.StatusOK, form, p)
	})
}
