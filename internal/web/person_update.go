package web

import (
	"net/http"

	"github.com/distans/distans"
)

// personUpdate saves a person's details. The personal identity number is
// not edited here (an empty one keeps the stored number).
func (web *Web) personUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		ctx := r.Context()
		p, err := web.svc.People.FindPerson(ctx, r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := readForm(r, "name", "email", "phone", "employee_number", "language")
		changed := *p
		changed.Name, changed.Email, changed.Phone = form.Value("name"), form.Value("email"), form.Value("phone")
		changed.EmployeeNumber, changed.Language = form.Value("employee_number"), form.Value("language")
		changed.PersonalNumber = ""
		if err := web.svc.People.UpdatePerson(ctx, &changed); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderPersonForm(w, r, http.StatusUnprocessableEntity, form, p)
			return
		}
		web.done(w, r, "/people/"+p.ID, "person.updated")
	})
}
