package web

import (
	"net/http"

	"github.com/distans/distans"
)

// agreementCreate opens the person's case with their request. Bad input,
// a period past the pack's maximum or an open case already comes back on
// the form with what was typed, and nothing is created.
func (web *Web) agreementCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "days_per_week", "place", "start", "end", "tasks", "reasons", "return_minutes", "secrecy_tasks",
			"client_meetings_at_remote")
		req := readRequest(r, form)
		if form.Failed() {
			validationFailed(r, form, req.Validate(web.today(r, a)))
			form.Message = printer(r).T("form.invalid")
			web.renderAgreementForm(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		ag, err := web.svc.Agreements.Request(r.Context(), req)
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderAgreementForm(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		web.done(w, r, "/agreements/"+ag.ID, "agr.requested")
	})
}
