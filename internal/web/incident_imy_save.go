package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentIMYSave saves the notification to IMY, shaped like IMY's form,
// with the parts to be examined for secrecy, and when it was filed and
// IMY's reference once it is.
func (web *Web) incidentIMYSave() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		const pre = "imy."
		form := readForm(r, pre+"controller", pre+"org_number", pre+"contact", pre+"started_at", pre+"ended_at",
			pre+"discovered_at", pre+"category", pre+"data_subjects", pre+"subject_count", pre+"data_kinds",
			pre+"consequences", pre+"measures", pre+"subjects_informed", pre+"late_reasons", pre+"filed_at", pre+"imy_reference")
		loc := web.orgLoc(r, a)
		n := &distans.IMYNotification{Controller: form.Value(pre + "controller"), OrgNumber: form.Value(pre + "org_number"),
			Contact: form.Value(pre + "contact"), Category: form.Value(pre + "category"), DataSubjects: form.Value(pre + "data_subjects"),
			DataKinds: form.Value(pre + "data_kinds"), Consequences: form.Value(pre + "consequences"), Measures: form.Value(pre + "measures"),
			SubjectsInformed: form.Value(pre + "subjects_informed"), LateReasons: form.Value(pre + "late_reasons"),
			IMYReference: form.Value(pre + "imy_reference"), SecretParts: ticked(r, form, pre+"secret_parts", imySecretParts)}
		n.StartedAt = parseInstant(r, form, pre+"started_at", loc, false)
		n.EndedAt = parseInstant(r, form, pre+"ended_at", loc, false)
		if at := parseInstant(r, form, pre+"discovered_at", loc, true); at != nil {
			n.DiscoveredAt = *at
		}
		n.FiledAt = parseInstant(r, form, pre+"filed_at", loc, false)
		n.SubjectCount = formInt(r, form, pre+"subject_count")
		set := func(p *view.IncidentPage, f *view.Form) {
			p.IMYForm = f
			p.IMYSecretParts = checkOptions(f, p.P, pre+"secret_parts", "inc.imy.", imySecretParts)
		}
		if form.Failed() {
			web.incidentFailed(w, r, a, form, invalidForm(r), pre, "", set)
			return
		}
		if err := web.svc.Incidents.SaveIMYNotification(r.Context(), r.PathValue("id"), n); err != nil {
			web.incidentFailed(w, r, a, form, err, pre, pre+"controller", set)
			return
		}
		web.done(w, r, incidentBack(r), "inc.imy_saved")
	})
}
