package web

import (
	"net/http"

	"github.com/distans/distans/internal/web/view"
)

// passwordForgotShow is the form that asks for a reset link by e-mail.
func (web *Web) passwordForgotShow() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.renderForgot(w, r, http.StatusOK, view.NewForm(), false)
	})
}

func (web *Web) renderForgot(w http.ResponseWriter, r *http.Request, status int, form *view.Form, sent bool) {
	l := web.layout(w, r)
	l.Title = l.T("forgot.title")
	web.render(w, r, status, &view.ForgotPage{Layout: l, Form: form, Sent: sent})
}
