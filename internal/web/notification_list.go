package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/web/view"
)

// notificationsPageSize is how many notifications the page lists.
const notificationsPageSize = 100

// notificationList is the person's notifications, newest first, each in
// the reader's language, with mark read and mark all read.
func (web *Web) notificationList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		list, err := web.svc.Notifications.ListNotifications(r.Context(), false, notificationsPageSize)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("notif.title")
		page := &view.NotificationsPage{Layout: l}
		for _, n := range list {
			subject, body := notify.Text(n, l.Lang)
			page.Items = append(page.Items, view.NotificationRow{ID: n.ID, Subject: subject, Body: body, Link: safeNext(n.Link),
				At: l.DateTime(n.CreatedAt), ISO: l.ISO(n.CreatedAt), Unread: n.ReadAt == nil})
			if n.ReadAt == nil {
				page.Unread++
			}
		}
		web.render(w, r, http.StatusOK, page)
	})
}
