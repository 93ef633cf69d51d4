package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentMeasureAdd adds a measure with an owner and a due date (Vara 001
// §2.7: measures that limit the harm and keep it from happening again).
func (web *Web) incidentMeasureAdd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		const pre = "measure."
		form := readForm(r, pre+"text", pre+"owner_id", pre+"due_on")
		m := distans.IncidentMeasure{Text: form.Value(pre + "text"), OwnerID: form.Value(pre + "owner_id")}
		if d := parseDay(r, form, pre+"due_on", true); d != nil {
			m.DueOn = *d
		}
		set := func(p *view.IncidentPage, f *view.Form) { p.MeasureForm = f }
		if form.Failed() {
			web.incidentFailed(w, r, a, form, invalidForm(r), pre, "", set)
			return
		}
		if _, err := web.svc.Incidents.AddMeasure(r.Context(), r.PathValue("id"), m); err != nil {
			web.incidentFailed(w, r, a, form, err, pre, pre+"text", set)
			return
		}
		web.done(w, r, incidentBack(r)+"#measures-heading", "inc.measure_added")
	})
}
