package api

import "net/http"

// personInvite invites a person to choose a password. The service decides
// (Actor.SetsPasswordOf), as it does for the page's button, and the link is
// in the answer only when it was not e-mailed to the person.
func (a *API) personInvite() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inv, err := a.svc.Links.Invite(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, inv)
	})
}
