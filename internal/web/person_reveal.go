package web

import (
	"net/http"

	"github.com/distans/distans"
)

// personReveal shows the personal identity number, which the store records
// in the audit trail. The page is rendered directly rather than redirected,
// so that the number never travels in a cookie, and it is never cached.
func (web *Web) personReveal() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		pnr, err := web.svc.People.RevealPersonalNumber(r.Context(), id)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page, err := web.personPage(w, r, a, id)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.RevealedPNR = pnr
		web.render(w, r, http.StatusOK, page)
	})
}
