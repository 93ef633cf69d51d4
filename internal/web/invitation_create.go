package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// invitationCreate invites a person to choose a password (Actor.SetsPasswordOf):
// the page says where it was e-mailed, or shows the link to hand over
// with its expiry. The link is shown once and never again.
func (web *Web) invitationCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		id := r.PathValue("id")
		inv, err := web.svc.Links.Invite(r.Context(), id)
		if err != nil {
			web.actionFailed(w, r, "/people/"+id, err)
			return
		}
		inv.URL = web.absoluteLink(r, inv.URL)
		noReferrer(w)
		l := web.layout(w, r)
		l.Title = l.T("invitation.title") + ": " + inv.Name
		web.render(w, r, http.StatusOK, &view.InvitationPage{Layout: l, Invitation: inv, Expires: inv.ExpiresAt})
	})
}

// absoluteLink is a link to hand over as a whole address: when no base
// URL is set, the service's links begin with "/", and the link starts
// where this page was asked.
func (web *Web) absoluteLink(r *http.Request, link string) string {
	if !strings.HasPrefix(link, "/") {
		return link
	}
	scheme := "http"
	if web.secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host + link
}
