package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// passwordForgotSubmit asks for a reset link. The answer is the same
// whether or not the address is known (AccountLinkService); only an empty
// address comes back on the form.
func (web *Web) passwordForgotSubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form := readForm(r, "email")
		if err := web.svc.Links.RequestPasswordReset(r.Context(), form.Value("email")); err != nil {
			if !formFailed(r, form, err, "email") {
				web.fail(w, r, err)
				return
			}
			web.renderForgot(w, r, httpx.Status(distans.ErrorCode(err)), form, false)
			return
		}
		web.renderForgot(w, r, http.StatusOK, form, true)
	})
}
