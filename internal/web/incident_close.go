package web

import (
	"net/http"

	"github.com/distans/distans"
)

// incidentClose closes the incident. The service refuses while a measure
// or a required clock is open or the classification is missing; the
// refusal comes back on the page in Swedish.
func (web *Web) incidentClose() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if _, err := web.svc.Incidents.Close(r.Context(), r.PathValue("id"), formVersion(r)); err != nil {
			web.actionFailed(w, r, incidentBack(r)+"#close-heading", err)
			return
		}
		web.done(w, r, incidentBack(r), "inc.closed")
	})
}
