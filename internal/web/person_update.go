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
		id := r.PathValue("id")
		form := readForm(r, "name", "email", "phone", "employee_number", "language", "updated_at")
		value := func(k string) *string { v := form.Value(k); return &v }
		_, err := web.svc.People.UpdatePerson(ctx, id, distans.PersonUpdate{Name: value("name"), Email: value("email"),
			Phone: value("phone"), EmployeeNumber: value("employee_number"), Language: value("language"),
			UpdatedAt: readStamp(form)})
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			p, err := web.svc.People.FindPerson(ctx, id)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			web.renderPersonForm(w, r, http.StatusUnprocessableEntity, form, p)
			return
		}
		web.done(w, r, "/people/"+id, "person.updated")
	})
}
