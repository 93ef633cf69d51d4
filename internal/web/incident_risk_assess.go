package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentRiskAssess saves a version of a personal-data incident's risk
// assessment: the data and data subjects concerned, how many, and the
// likely consequences (Vara 001 §2.7); earlier versions are kept.
func (web *Web) incidentRiskAssess() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "data_subjects", "subject_count", "record_count", "risk_level", "reasoning")
		ra := &distans.IncidentRiskAssessment{DataCategories: ticked(r, form, "data_categories", distans.IncidentDataCategories),
			DataSubjects: form.Value("data_subjects"), Consequences: ticked(r, form, "consequences", distans.IncidentConsequences),
			RiskLevel: form.Value("risk_level"), Reasoning: form.Value("reasoning")}
		ra.SubjectCount = formInt(r, form, "subject_count")
		ra.RecordCount = formInt(r, form, "record_count")
		set := func(p *view.IncidentPage, f *view.Form) {
			p.RiskForm = f
			p.RiskCats = checkOptions(f, p.P, "data_categories", "inc.cat.", distans.IncidentDataCategories)
			p.RiskCons = checkOptions(f, p.P, "consequences", "inc.cons.", distans.IncidentConsequences)
		}
		if form.Failed() {
			web.incidentFailed(w, r, a, form, invalidForm(r), "", "", set)
			return
		}
		if _, err := web.svc.Incidents.AssessRisk(r.Context(), r.PathValue("id"), ra); err != nil {
			web.incidentFailed(w, r, a, form, err, "", "reasoning", set)
			return
		}
		web.done(w, r, incidentBack(r), "inc.risk_saved")
	})
}
