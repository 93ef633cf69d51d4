package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementWithdraw takes the employee's request back before a decision.
func (web *Web) agreementWithdraw() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version")
		if _, err := web.svc.Agreements.Withdraw(r.Context(), r.PathValue("id"), formVersion(r)); err != nil {
			web.agreementFailed(w, r, a, form, err, nil, "", func(*view.AgreementPage, *view.Form) {})
			return
		}
		web.done(w, r, agreementBack(r), "agr.withdrawn")
	})
}
