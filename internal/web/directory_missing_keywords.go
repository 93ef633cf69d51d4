package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// directoryMissingKeywords lists, for managers, the people in their reach
// who have registered no keywords.
func (web *Web) directoryMissingKeywords() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.Can(distans.PermViewPeople) {
			web.forbidden(w, r)
			return
		}
		people, err := web.svc.Availability.PeopleWithoutKeywords(r.Context(), r.URL.Query().Get("unit"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		t, err := web.unitTree(r.Context(), false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("missing.title")
		page := &view.MissingKeywordsPage{Layout: l}
		for _, p := range people {
			page.People = append(page.People, view.PersonRow{ID: p.ID, Name: p.Name, Email: p.Email, Phone: p.Phone,
				Title: p.Title, UnitName: t.name(p.UnitID)})
		}
		web.render(w, r, http.StatusOK, page)
	})
}
