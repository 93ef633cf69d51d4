package web

import (
	"net/http"

	"github.com/distans/distans"
)

// incidentMeasureComplete marks a measure done.
func (web *Web) incidentMeasureComplete() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if _, err := web.svc.Incidents.CompleteMeasure(r.Context(), r.PathValue("id"), r.PathValue("mid")); err != nil {
			web.actionFailed(w, r, incidentBack(r), err)
			return
		}
		web.done(w, r, incidentBack(r)+"#measures-heading", "inc.measure_completed")
	})
}
