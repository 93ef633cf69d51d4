package api

import (
	"net/http"

	"github.com/distans/distans"
)

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

// invitePending invites everyone of the organisation who still needs an
// invitation, as the button on the people list does; the service decides
// (Actor.SetsPasswordsOfAll). The links not e-mailed are in this answer
// and nowhere else.
func (a *API) invitePending() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := a.svc.Links.InvitePending(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		if b.Invitations == nil {
			b.Invitations = []*distans.Invitation{}
		}
		respond(w, http.StatusOK, b)
	})
}
