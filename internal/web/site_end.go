package web

import (
	"net/http"

	"github.com/distans/distans"
)

// siteEnd ends a site on the day given, today when empty.
func (web *Web) siteEnd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		on, err := web.endDay(r, a)
		if err == nil {
			err = web.svc.Sites.EndSite(r.Context(), id, on)
		}
		if err != nil {
			web.actionFailed(w, r, "/sites/"+id+"/edit", err)
			return
		}
		web.done(w, r, "/sites", "site.ended_flash")
	})
}
