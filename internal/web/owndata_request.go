package web

import (
	"net/http"

	"github.com/distans/distans"
)

// ownDataRequest asks for the own data of the person on the page: oneself
// at /profile/data, someone else (HR) at /people/{id}/data.
func (web *Web) ownDataRequest() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		personID, back := a.PersonID, "/profile/data"
		if id := r.PathValue("id"); id != "" {
			personID, back = id, "/people/"+id+"/data"
		}
		if _, err := web.svc.OwnData.RequestOwnData(r.Context(), personID); err != nil {
			web.fail(w, r, err)
			return
		}
		web.done(w, r, back, "od.asked")
	})
}

// ownDataDeliver delivers an open request and goes back to the page it
// was listed on: the person's own, or HR's page for them.
func (web *Web) ownDataDeliver() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		req, err := web.svc.OwnData.DeliverDataRequest(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		back := "/profile/data"
		if req.PersonID != a.PersonID {
			back = "/people/" + req.PersonID + "/data"
		}
		web.done(w, r, back, "od.delivered_ok")
	})
}
