package web

import (
	"net/http"

	"github.com/distans/distans"
)

// agreementUpdate changes the request before the decision.
func (web *Web) agreementUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		form := readForm(r, "version", "days_per_week", "place", "start", "end", "tasks", "reasons", "return_minutes",
			"secrecy_tasks", "client_meetings_at_remote")
		req := readRequest(r, form)
		ag, err := web.svc.Agreements.FindAgreement(r.Context(), id)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		if form.Failed() {
			form.Message = printer(r).T("form.invalid")
			web.renderAgreementForm(w, r, http.StatusUnprocessableEntity, form, ag)
			return
		}
		if _, err := web.svc.Agreements.UpdateRequest(r.Context(), id, formVersion(r), req); err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderAgreementForm(w, r, http.StatusUnprocessableEntity, form, ag)
			return
		}
		web.done(w, r, "/agreements/"+id, "agr.request_saved")
	})
}
