package web

import (
	"net/http"

	"github.com/distans/distans"
)

// presenceRedirectClear removes the redirection: "Jag är tillbaka".
func (web *Web) presenceRedirectClear() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		personID := presencePerson(a, r.PostFormValue("person_id"))
		back := "/status" + personQuery(a, personID)
		if err := web.svc.Availability.ClearRedirect(r.Context(), personID); err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "redirect.cleared")
	})
}
