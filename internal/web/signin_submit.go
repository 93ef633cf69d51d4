package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// signinSubmit signs in with e-mail and password (and the organisation when
// the person has chosen one). A wrong password and a lock-out come back on
// the form in the person's language, with the status of the error.
func (web *Web) signinSubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form := readForm(r, "email", "org")
		password := r.PostFormValue("password")
		p := printer(r)
		if form.Value("email") == "" {
			form.Fail("email", p.T("form.required"))
		}
		if password == "" {
			form.Fail("password", p.T("form.required"))
		}
		if form.Failed() {
			form.Message = p.T("form.invalid")
			web.renderSignin(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		res, err := web.svc.SignIn.SignIn(distans.WithClient(r.Context(), httpx.Client(r)), form.Value("email"), password, form.Value("org"))
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderSignin(w, r, httpx.Status(distans.ErrorCode(err)), form, nil)
			return
		}
		if len(res.Choices) > 0 {
			if form.Value("org") != "" {
				form.Fail("org", p.T("signin.choose_needed"))
			}
			web.renderSignin(w, r, http.StatusOK, form, res.Choices)
			return
		}
		httpx.SetSessionCookie(w, res.Token, res.Session.ExpiresAt, web.secure)
		if web.resend(w, r, res.Session.CSRFToken) {
			return
		}
		http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	})
}
