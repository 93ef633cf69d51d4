package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementRoutes mounts the remote-work pages and the person's
// notifications; routes.go calls it. Without the services (a deployment or
// test that does not wire them) the pages are not mounted and answer the
// pages' own 404.
func (web *Web) agreementRoutes(mux *http.ServeMux) {
	if web.svc.Agreements != nil {
		mux.Handle("GET /agreements", web.agreementsList())
		mux.Handle("GET /agreements/new", web.agreementNew())
		mux.Handle("POST /agreements", web.agreementCreate())
		mux.Handle("GET /agreements/{id}", web.agreementShow())
		mux.Handle("GET /agreements/{id}/edit", web.agreementEdit())
		mux.Handle("POST /agreements/{id}/request", web.agreementUpdate())
		mux.Handle("POST /agreements/{id}/withdraw", web.agreementWithdraw())
		mux.Handle("POST /agreements/{id}/assessment", web.agreementAssess())
		mux.Handle("POST /agreements/{id}/risk", web.agreementRiskAnswer())
		mux.Handle("POST /agreements/{id}/risk/review", web.agreementRiskReview())
		mux.Handle("POST /agreements/{id}/decision", web.agreementDecide())
		mux.Handle("POST /agreements/{id}/terms", web.agreementTermsSave())
		mux.Handle("POST /agreements/{id}/sign", web.agreementSign())
		mux.Handle("POST /agreements/{id}/place", web.agreementReveal())
		mux.Handle("POST /agreements/{id}/follow-ups", web.agreementFollowUpAdd())
		mux.Handle("POST /agreements/{id}/evaluation", web.agreementEvaluate())
		mux.Handle("POST /agreements/{id}/renew", web.agreementRenew())
		mux.Handle("POST /agreements/{id}/end", web.agreementEnd())
		mux.Handle("GET /agreements/{id}/pdf", web.agreementPDF())
	}
	if web.svc.Notifications != nil {
		mux.Handle("GET /notifications", web.notificationList())
		mux.Handle("POST /notifications/read", web.notificationReadAll())
		mux.Handle("POST /notifications/{id}/read", web.notificationRead())
	}
}

// agreementNav adds the remote-work link ("Distansarbete", after the start
// page) and the notifications link with the unread count (before the
// profile) to the navigation; layout calls it for a signed-in person.
func (web *Web) agreementNav(r *http.Request, l *view.Layout, a *distans.Actor) {
	if a == nil || a.PersonID == "" {
		return
	}
	var items []view.NavItem
	for _, n := range l.Nav {
		if n.Href == "/profile" && web.svc.Notifications != nil {
			label := l.T("nav.notifications")
			if unread, err := web.svc.Notifications.CountUnread(r.Context()); err != nil {
				web.log.WarnContext(r.Context(), "unread notifications", "err", err)
			} else if unread > 0 {
				label = l.T("nav.notifications_unread", unread)
			}
			items = append(items, view.NavItem{Href: "/notifications", Label: label, Current: r.URL.Path == "/notifications"})
		}
		items = append(items, n)
		if n.Href == "/" && web.svc.Agreements != nil {
			cur := r.URL.Path == "/agreements" || len(r.URL.Path) > len("/agreements/") && r.URL.Path[:len("/agreements/")] == "/agreements/"
			items = append(items, view.NavItem{Href: "/agreements", Label: l.T("nav.agreements"), Current: cur})
		}
	}
	l.Nav = items
}
