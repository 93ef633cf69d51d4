package web

import (
	"net/http"

	"github.com/distans/distans"
)

// accountUnlock lets HR, an administrator or IT unlock a locked account
// (Actor.UnlocksAccountOf).
func (web *Web) accountUnlock() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		id := r.PathValue("id")
		if err := web.svc.SignIn.UnlockAccount(r.Context(), id); err != nil {
			web.actionFailed(w, r, "/people/"+id, err)
			return
		}
		web.done(w, r, "/people/"+id, "account.unlocked")
	})
}
