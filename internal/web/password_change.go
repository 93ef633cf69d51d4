package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/view"
)

// passwordChange is the person changing their own password. A new password
// ends every session, this one too, so the person signs in again.
func (web *Web) passwordChange() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		current, next := r.PostFormValue("current_password"), r.PostFormValue("password")
		form := view.NewForm()
		p := printer(r)
		if current == "" {
			form.Fail("current_password", p.T("form.required"))
		}
		if next == "" {
			form.Fail("password", p.T("form.required"))
		}
		if form.Failed() {
			form.Message = p.T("form.invalid")
		} else if err := web.svc.SignIn.ChangePassword(distans.WithClient(r.Context(), httpx.Client(r)), current, next); err != nil {
			fallback := "password"
			if distans.ErrorCode(err) == distans.EUNAUTHORIZED {
				fallback = "current_password"
			}
			if !formFailed(r, form, err, fallback) {
				web.fail(w, r, err)
				return
			}
		} else {
			httpx.ClearSessionCookie(w, web.secure)
			web.done(w, r, "/signin", "profile.password_changed")
			return
		}
		page, err := web.profilePage(w, r, a)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.PasswordForm = form
		web.render(w, r, http.StatusUnprocessableEntity, page)
	})
}
