package web

import (
	"net/http"

	"github.com/distans/distans"
)

// notificationReadAll marks every one of the person's notifications read.
func (web *Web) notificationReadAll() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.Notifications.MarkAllRead(r.Context()); err != nil {
			web.actionFailed(w, r, "/notifications", err)
			return
		}
		web.done(w, r, "/notifications", "notif.all_marked")
	})
}
