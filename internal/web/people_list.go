package web

import (
	"net/http"
	"net/url"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// peoplePageSize is how many people one page of the list shows.
const peoplePageSize = 25

// peopleList lists the people the actor may see, with a search over name,
// e-mail, title and employee number, a unit filter, and paging.
func (web *Web) peopleList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if web.searchRefused(w, r) {
			return
		}
		ctx := r.Context()
		q := r.URL.Query()
		f := distans.PersonFilter{Query: q.Get("q"), UnitID: q.Get("unit"), After: q.Get("after"), Before: q.Get("before"),
			Limit: peoplePageSize}
		people, pg, err := web.svc.People.ListPeople(ctx, f)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		units, err := web.unitFilter(ctx, f.UnitID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		var ids []string
		for _, p := range people {
			if p.UnitID != "" {
				ids = append(ids, p.UnitID)
			}
		}
		names, err := web.unitNames(ctx, ids)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("people.title")
		page := &view.PeoplePage{Layout: l, Query: f.Query, UnitID: f.UnitID, Units: units,
			Total: min(pg.Total, distans.CountCap), Capped: pg.Capped(), CanCreate: a.Can(distans.PermManagePeople),
			InviteAll: a.SetsPasswordsOfAll()}
		for _, p := range people {
			page.People = append(page.People, view.PersonRow{ID: p.ID, Name: p.Name, Email: p.Email, Phone: p.Phone,
				Title: p.Title, UnitName: names[p.UnitID]})
		}
		page.PrevURL, page.NextURL = pageLinks("/people", url.Values{"q": {f.Query}, "unit": {f.UnitID}}, pg)
		web.render(w, r, http.StatusOK, page)
	})
}

// pageLinks are the links to the pages before and after one of a list in
// name order (distans.Page): path with the list's filters v (empty ones
// left out) and a cursor.
func pageLinks(path string, v url.Values, pg distans.Page) (prev, next string) {
	link := func(name, cursor string) string {
		u := url.Values{}
		for k, vs := range v {
			if len(vs) > 0 && vs[0] != "" {
				u.Set(k, vs[0])
			}
		}
		if cursor != "" {
			u.Set(name, cursor)
		}
		if len(u) == 0 {
			return path
		}
		return path + "?" + u.Encode()
	}
	if pg.Prev != "" {
		prev = link("before", pg.Prev)
	}
	if pg.Next != "" {
		next = link("after", pg.Next)
	}
	return prev, next
}
