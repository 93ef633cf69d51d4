package api

import (
	"net/http"

	"github.com/distans/distans"
)

// The caller's own notifications on a.svc.Notifications: a request waiting
// for the manager, a decision, a signature needed, an expiry coming. The
// service only ever shows the caller's own; another's is ENOTFOUND. Without
// a notification service the routes answer 404.

// notificationService returns the service, or writes 404 and returns nil
// when none is wired.
func (a *API) notificationService(w http.ResponseWriter, r *http.Request) distans.NotificationService {
	if a.svc.Notifications == nil {
		a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
		return nil
	}
	return a.svc.Notifications
}

// unreadCount is GET /notifications/unread-count.
type unreadCount struct {
	Count int `json:"count"`
}

func (a *API) notificationList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.notificationService(w, r)
		if svc == nil {
			return
		}
		q := newQuery(r)
		unread := q.boolean("unread")
		limit := int(q.integer("limit", 50, 1, 200))
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		ns, err := svc.ListNotifications(r.Context(), unread, limit)
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusOK, newList(ns))
	})
}

func (a *API) notificationUnreadCount() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.notificationService(w, r)
		if svc == nil {
			return
		}
		n, err := svc.CountUnread(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusOK, unreadCount{Count: n})
	})
}

func (a *API) notificationRead() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.notificationService(w, r)
		if svc == nil {
			return
		}
		if err := svc.MarkRead(r.Context(), r.PathValue("id")); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}

func (a *API) notificationReadAll() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.notificationService(w, r)
		if svc == nil {
			return
		}
		if err := svc.MarkAllRead(r.Context()); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}
