package web

import (
	"net/http"

	"github.com/distans/distans/internal/httpx"
)

// signout ends this browser's session.
func (web *Web) signout() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t := httpx.SessionTokenFrom(r.Context()); t != "" {
			if err := web.svc.SignIn.SignOut(r.Context(), t); err != nil {
				web.log.WarnContext(r.Context(), "sign out", "err", err)
			}
		}
		httpx.ClearSessionCookie(w, web.secure)
		web.done(w, r, "/signin", "signin.signed_out")
	})
}
