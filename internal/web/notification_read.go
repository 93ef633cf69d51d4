package web

import (
	"net/http"

	"github.com/distans/distans"
)

// notificationRead marks one of the person's notifications read and, when
// asked, goes on to the page it is about.
func (web *Web) notificationRead() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.Notifications.MarkRead(r.Context(), r.PathValue("id")); err != nil {
			web.actionFailed(w, r, "/notifications", err)
			return
		}
		if next := r.PostFormValue("next"); next != "" {
			http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
			return
		}
		web.done(w, r, "/notifications", "notif.marked")
	})
}
