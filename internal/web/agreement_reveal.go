package web

import (
	"net/http"

	"github.com/distans/distans"
)

// agreementReveal shows the remote place, which the service records in
// the audit trail. The page is rendered directly rather than redirected,
// so that the address never travels in a cookie, and it is never cached.
func (web *Web) agreementReveal() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		reqPlace, termsPlace, err := web.svc.Agreements.RevealRemotePlace(r.Context(), id)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page, err := web.agreementPage(w, r, a, id)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.Revealed, page.RequestPlace, page.TermsPlace = true, reqPlace, termsPlace
		if page.TermsForm != nil && page.TermsForm.Value("remote_place") == "" {
			page.TermsForm.Set("remote_place", termsPlace)
		}
		web.render(w, r, http.StatusOK, page)
	})
}
