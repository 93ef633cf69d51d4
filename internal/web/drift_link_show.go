package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// driftLinkShow is the form that sets an operator's password from a
// one-time link; a link that is unknown, used or expired is not found.
func (web *Web) driftLinkShow() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.renderDriftLink(w, r, http.StatusOK, view.NewForm())
	})
}

func (web *Web) renderDriftLink(w http.ResponseWriter, r *http.Request, status int, form *view.Form) {
	op, err := web.svc.Installation.FindLink(r.Context(), r.PathValue("token"))
	if err != nil {
		web.fail(w, r, err)
		return
	}
	// The URL holds the secret: no page it leads from may tell another
	// site (the referrer) where it was.
	w.Header().Set("Referrer-Policy", "no-referrer")
	l := web.layout(w, r)
	l.Title = l.T("drift.link.title")
	web.render(w, r, status, &view.DriftLinkPage{Layout: l, Form: form, Email: op.Email,
		Action: "/drift/link/" + r.PathValue("token"), MinLength: distans.OperatorMinPasswordLength})
}
