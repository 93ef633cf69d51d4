package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementAssess records the manager's answers to the six questions of
// the Stockholm support material (000, Analysera och bedöm).
func (web *Web) agreementAssess() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "operation", "individual", "extent", "availability", "meetings", "common_days")
		as := &distans.Assessment{Operation: form.Value("operation"), Individual: form.Value("individual"),
			Extent: form.Value("extent"), Availability: form.Value("availability"), Meetings: form.Value("meetings"),
			CommonDays: form.Value("common_days")}
		if _, err := web.svc.Agreements.SaveAssessment(r.Context(), r.PathValue("id"), formVersion(r), as); err != nil {
			web.agreementFailed(w, r, a, form, err, nil, "operation", func(p *view.AgreementPage, f *view.Form) { p.AssessForm = f })
			return
		}
		web.done(w, r, agreementBack(r), "agr.assessed")
	})
}
