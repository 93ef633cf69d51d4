package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementRiskAnswer records the employee's answers on the home
// workplace: each point OK, or a deficiency described (002 §5, §6, §9).
func (web *Web) agreementRiskAnswer() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		names := []string{"version"}
		for _, k := range distans.RiskItems {
			names = append(names, "answers."+k, "answers."+k+".comment")
		}
		form := readForm(r, names...)
		answers := map[string]distans.RiskAnswer{}
		for _, k := range distans.RiskItems {
			switch form.Value("answers." + k) {
			case "ok":
				answers[k] = distans.RiskAnswer{OK: true, Comment: form.Value("answers." + k + ".comment")}
			case "deficiency":
				answers[k] = distans.RiskAnswer{Comment: form.Value("answers." + k + ".comment")}
			}
		}
		if _, err := web.svc.Agreements.AnswerRisk(r.Context(), r.PathValue("id"), formVersion(r), answers); err != nil {
			web.agreementFailed(w, r, a, form, err, nil, "answers."+distans.RiskItems[0],
				func(p *view.AgreementPage, f *view.Form) { p.RiskForm = f })
			return
		}
		web.done(w, r, agreementBack(r), "agr.risk_saved")
	})
}
