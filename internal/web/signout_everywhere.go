package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// signoutEverywhere ends every session of the person, this one included.
func (web *Web) signoutEverywhere() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		if err := web.svc.SignIn.SignOutEverywhere(r.Context()); err != nil {
			web.fail(w, r, err)
			return
		}
		httpx.ClearSessionCookie(w, web.secure)
		web.done(w, r, "/signin", "signin.signed_out_all")
	})
}
