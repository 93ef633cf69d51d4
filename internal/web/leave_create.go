package web

import (
	"net/http"

	"github.com/distans/distans"
)

// leaveCreate adds a period of leave.
func (web *Web) leaveCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		p, ok := web.managedPerson(w, r, a)
		if !ok {
			return
		}
		form := readForm(r, "kind", "starts_on", "ends_on")
		lv := &distans.Leave{PersonID: p.ID, Kind: distans.LeaveKind(form.Value("kind"))}
		if s := parseDay(r, form, "starts_on", true); s != nil {
			lv.StartsOn = *s
		}
		lv.EndsOn = parseDay(r, form, "ends_on", false)
		if form.Failed() {
			validationFailed(r, form, lv.Validate())
			form.Message = printer(r).T("form.invalid")
			web.renderLeaveForm(w, r, http.StatusUnprocessableEntity, form, p)
			return
		}
		if err := web.svc.People.CreateLeave(r.Context(), lv); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderLeaveForm(w, r, http.StatusUnprocessableEntity, form, p)
			return
		}
		web.done(w, r, "/people/"+p.ID, "leave.created")
	})
}
