package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// driftSigninSubmit signs an operator in with e-mail and password; a wrong
// one comes back on the form, never saying which was wrong.
func (web *Web) driftSigninSubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form := readForm(r, "email")
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
			web.renderDriftSignin(w, r, http.StatusUnprocessableEntity, form)
			return
		}
		token, sess, err := web.svc.Installation.SignIn(r.Context(), form.Value("email"), password)
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderDriftSignin(w, r, httpx.Status(distans.ErrorCode(err)), form)
			return
		}
		httpx.SetOperatorCookie(w, token, sess.ExpiresAt, web.secure)
		http.Redirect(w, r, "/drift", http.StatusSeeOther)
	})
}
