package web

import (
	"net/http"

	"github.com/distans/distans"
)

// teamdayDelete removes a team day.
func (web *Web) teamdayDelete() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.Office.DeleteTeamDay(r.Context(), r.PathValue("id")); err != nil {
			web.actionFailed(w, r, "/team-days", err)
			return
		}
		web.done(w, r, "/team-days", "office.teamday_deleted")
	})
}
