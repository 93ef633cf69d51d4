package web

import (
	"net/http"

	"github.com/distans/distans"
)

// employmentCreate adds an employment; the store checks the unit, the site
// and that periods do not overlap.
func (web *Web) employmentCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		p, ok := web.managedPerson(w, r, a)
		if !ok {
			return
		}
		form := readForm(r, "unit_id", "title", "site_id", "starts_on", "ends_on")
		e := &distans.Employment{PersonID: p.ID, UnitID: form.Value("unit_id"), Title: form.Value("title"), SiteID: form.Value("site_id")}
		if s := parseDay(r, form, "starts_on", true); s != nil {
			e.StartsOn = *s
		}
		e.EndsOn = parseDay(r, form, "ends_on", false)
		if form.Failed() {
			validationFailed(r, form, e.Validate())
			form.Message = printer(r).T("form.invalid")
			web.renderEmploymentForm(w, r, http.StatusUnprocessableEntity, form, p)
			return
		}
		if err := web.svc.People.CreateEmployment(r.Context(), e); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderEmploymentForm(w, r, http.StatusUnprocessableEntity, form, p)
			return
		}
		web.done(w, r, "/people/"+p.ID, "employment.created")
	})
}
