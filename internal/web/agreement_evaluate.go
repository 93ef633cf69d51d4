package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementEvaluate records the evaluation at the yearly review (002 §12):
// a summary and whether the parties recommend renewal.
func (web *Web) agreementEvaluate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "evaluation_date", "summary", "continue")
		e := &distans.Evaluation{Summary: form.Value("summary"), Continue: form.Value("continue") == "yes"}
		if d := parseDay(r, form, "evaluation_date", false); d != nil {
			e.Date = *d
		}
		set := func(p *view.AgreementPage, f *view.Form) { p.EvaluationForm = f }
		if form.Failed() {
			web.agreementFailed(w, r, a, form, distans.Errorf(distans.EINVALID, printer(r).T("form.invalid"), printer(r).T("form.invalid")), nil, "", set)
			return
		}
		if _, err := web.svc.Agreements.SaveEvaluation(r.Context(), r.PathValue("id"), formVersion(r), e); err != nil {
			web.agreementFailed(w, r, a, form, err, map[string]string{"date": "evaluation_date"}, "summary", set)
			return
		}
		web.done(w, r, agreementBack(r), "agr.evaluation_saved")
	})
}
