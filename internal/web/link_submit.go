package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// linkSubmit sets the password from an invitation or reset link and signs
// the person in, as signing in does. A password that breaks the rules
// comes back on the form, the link still usable.
func (web *Web) linkSubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		noReferrer(w)
		token := r.PathValue("token")
		target, err := web.svc.Links.FindLink(r.Context(), token)
		if err != nil {
			web.linkFailed(w, r, err)
			return
		}
		form := readForm(r)
		pw, again := r.PostFormValue("password"), r.PostFormValue("password_repeat")
		p := printer(r)
		switch {
		case pw == "":
			form.Fail("password", p.T("form.required"))
		case pw != again:
			form.Fail("password_repeat", p.T("link.mismatch"))
		}
		if form.Failed() {
			form.Message = p.T("form.invalid")
			web.renderLink(w, r, http.StatusUnprocessableEntity, target, token, form)
			return
		}
		res, err := web.svc.Links.SetPasswordWithLink(distans.WithClient(r.Context(), httpx.Client(r)), token, pw)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			web.linkFailed(w, r, err)
			return
		} else if err != nil {
			if !formFailed(r, form, err, "password") {
				web.fail(w, r, err)
				return
			}
			web.renderLink(w, r, httpx.Status(distans.ErrorCode(err)), target, token, form)
			return
		}
		httpx.SetSessionCookie(w, res.Token, res.Session.ExpiresAt, web.secure)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}
