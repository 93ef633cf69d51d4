package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementRiskReview records the manager's conclusion on the home
// workplace: acceptable, needs measures (which), or not acceptable.
func (web *Web) agreementRiskReview() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "outcome", "measures")
		_, err := web.svc.Agreements.ReviewRisk(r.Context(), r.PathValue("id"), formVersion(r),
			distans.RiskOutcome(form.Value("outcome")), form.Value("measures"))
		if err != nil {
			web.agreementFailed(w, r, a, form, err, nil, "outcome", func(p *view.AgreementPage, f *view.Form) { p.ReviewForm = f })
			return
		}
		web.done(w, r, agreementBack(r), "agr.risk_reviewed")
	})
}
