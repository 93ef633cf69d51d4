package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentSupplementAdd keeps a supplement sent to IMY after the
// notification (IMY's four weeks).
func (web *Web) incidentSupplementAdd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		const pre = "supplement."
		form := readForm(r, pre+"at", pre+"text")
		s := distans.IMYSupplement{Text: form.Value(pre + "text"), ByID: a.PersonID}
		if at := parseInstant(r, form, pre+"at", web.orgLoc(r, a), true); at != nil {
			s.At = *at
		}
		set := func(p *view.IncidentPage, f *view.Form) { p.SupplementForm = f }
		if form.Failed() {
			web.incidentFailed(w, r, a, form, invalidForm(r), pre, "", set)
			return
		}
		if err := web.svc.Incidents.AddIMYSupplement(r.Context(), r.PathValue("id"), s); err != nil {
			web.incidentFailed(w, r, a, form, err, pre, pre+"text", set)
			return
		}
		web.done(w, r, incidentBack(r), "inc.supplement_saved")
	})
}
