package web

import (
	"net/http"

	"github.com/distans/distans"
)

// personCreate adds a person and, when a unit is chosen, their first
// employment. Both records are checked with the domain's validators before
// either is written, so that bad input changes nothing.
func (web *Web) personCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		form := readForm(r, "name", "email", "phone", "employee_number", "personal_number", "language",
			"unit_id", "title", "site_id", "starts_on")
		p := &distans.Person{Name: form.Value("name"), Email: form.Value("email"), Phone: form.Value("phone"),
			EmployeeNumber: form.Value("employee_number"), PersonalNumber: form.Value("personal_number"),
			Language: form.Value("language")}
		validationFailed(r, form, p.Validate())
		var emp *distans.Employment
		if form.Value("unit_id") != "" {
			starts := parseDay(r, form, "starts_on", true)
			emp = &distans.Employment{UnitID: form.Value("unit_id"), Title: form.Value("title"), SiteID: form.Value("site_id")}
			if starts != nil {
				emp.StartsOn = *starts
			}
			// A bad start date already has its message; the first one wins.
			validationFailed(r, form, emp.Validate())
		}
		if form.Failed() {
			if form.Message == "" {
				form.Message = printer(r).T("form.invalid")
			}
			web.renderPersonForm(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		if err := web.svc.People.CreatePerson(ctx, p); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderPersonForm(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		if emp != nil {
			emp.PersonID = p.ID
			if err := web.svc.People.CreateEmployment(ctx, emp); err != nil {
				// The person exists; say why the employment did not follow.
				web.actionFailed(w, r, "/people/"+p.ID+"/employments/new", err)
				return
			}
		}
		web.done(w, r, "/people/"+p.ID, "person.created")
	})
}
