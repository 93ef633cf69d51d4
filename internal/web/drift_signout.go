package web

import (
	"net/http"

	"github.com/distans/distans/internal/httpx"
)

// driftSignout ends the operator's session in this browser.
func (web *Web) driftSignout() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if httpx.OperatorSessionFrom(r.Context()) != nil {
			if err := web.svc.Installation.SignOut(r.Context(), httpx.SessionTokenFrom(r.Context())); err != nil {
				web.log.WarnContext(r.Context(), "operator sign out", "err", err)
			}
		}
		httpx.ClearOperatorCookie(w, web.secure)
		web.done(w, r, "/drift/signin", "drift.signed_out")
	})
}
