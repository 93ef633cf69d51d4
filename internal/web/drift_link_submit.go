package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/view"
)

// driftLinkSubmit sets the operator's password from the link and signs
// them in; a password that breaks the rules comes back on the form, and
// the link stays usable.
func (web *Web) driftLinkSubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := printer(r)
		form := view.NewForm()
		password := r.PostFormValue("password")
		switch {
		case password == "":
			form.Fail("password", p.T("form.required"))
		case password != r.PostFormValue("password_again"):
			form.Fail("password_again", p.T("drift.link.mismatch"))
		}
		if form.Failed() {
			form.Message = p.T("form.invalid")
			web.renderDriftLink(w, r, http.StatusUnprocessableEntity, form)
			return
		}
		token, sess, err := web.svc.Installation.SetPasswordWithLink(r.Context(), r.PathValue("token"), password)
		if err != nil {
			if distans.ErrorCode(err) == distans.EINVALID && formFailed(r, form, err, "password") {
				web.renderDriftLink(w, r, http.StatusUnprocessableEntity, form)
				return
			}
			web.fail(w, r, err)
			return
		}
		httpx.SetOperatorCookie(w, token, sess.ExpiresAt, web.secure)
		web.done(w, r, "/drift", "drift.link.done")
	})
}
