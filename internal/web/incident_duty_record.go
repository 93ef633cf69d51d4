package web

import (
	"net/http"
	"slices"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// incidentDutyRecord records one clock's duty: done, with what proves it
// (IMY's reference, the police report number), or not required, with the
// documented reasons (GDPR art. 33.5: documented even when not notified).
func (web *Web) incidentDutyRecord() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		duty := r.PostFormValue("duty")
		prefix := "duty." + duty + "."
		form := readForm(r, "duty", prefix+"outcome", prefix+"at", prefix+"reference", prefix+"note")
		set := func(p *view.IncidentPage, f *view.Form) {
			for i := range p.DutyForms {
				if p.DutyForms[i].Duty == duty {
					p.DutyForms[i].Form = f
				}
			}
		}
		outcome := form.Value(prefix + "outcome")
		if !slices.Contains([]string{"done", "not_required"}, outcome) {
			sv, en := locale.Message("inc.choose_outcome")
			web.incidentFailed(w, r, a, form, &distans.Error{Code: distans.EINVALID, Sv: sv, En: en,
				Fields: []distans.FieldError{{Field: "outcome", Sv: sv, En: en}}}, prefix, "", set)
			return
		}
		d := distans.IncidentDutyRecord{Duty: duty, Reference: form.Value(prefix + "reference"),
			NotRequired: outcome == "not_required", Note: form.Value(prefix + "note")}
		if at := parseInstant(r, form, prefix+"at", web.orgLoc(r, a), true); at != nil {
			d.At = *at
		}
		if form.Failed() {
			web.incidentFailed(w, r, a, form, invalidForm(r), prefix, "", set)
			return
		}
		if _, err := web.svc.Incidents.RecordDuty(r.Context(), r.PathValue("id"), d); err != nil {
			web.incidentFailed(w, r, a, form, err, prefix, prefix+"note", set)
			return
		}
		web.done(w, r, incidentBack(r), "inc.duty_saved")
	})
}
