package web

import (
	"net/http"

	"github.com/distans/distans"
)

// reportUnsubscribe is POST /reports/subscriptions/{id}/delete: the actor
// ends one of their own monthly reports; anyone else's is not found.
func (web *Web) reportUnsubscribe() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.ReportSubscriptions.Unsubscribe(r.Context(), r.PathValue("id")); err != nil {
			web.actionFailed(w, r, "/reports", err)
			return
		}
		web.done(w, r, "/reports", "rep.unsubscribed")
	})
}
