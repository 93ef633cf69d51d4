package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// driftSigninShow is the operators' sign-in; a signed-in operator goes to
// the list of organisations.
func (web *Web) driftSigninShow() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := distans.ActorFrom(r.Context()); a != nil && a.Operator {
			http.Redirect(w, r, "/drift", http.StatusSeeOther)
			return
		}
		web.renderDriftSignin(w, r, http.StatusOK, view.NewForm())
	})
}

func (web *Web) renderDriftSignin(w http.ResponseWriter, r *http.Request, status int, form *view.Form) {
	l := web.layout(w, r)
	l.Title = l.T("drift.signin.title")
	web.render(w, r, status, &view.DriftSignInPage{Layout: l, Form: form})
}
