package web

import (
	"net/http"
	"net/url"
	"strconv"

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
		offset, _ := strconv.Atoi(q.Get("offset"))
		offset = max(offset, 0)
		f := distans.PersonFilter{Query: q.Get("q"), UnitID: q.Get("unit"), Offset: offset, Limit: peoplePageSize}
		people, total, err := web.svc.People.ListPeople(ctx, f)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		tree, err := web.unitTree(ctx, true)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("people.title")
		page := &view.PeoplePage{Layout: l, Query: f.Query, UnitID: f.UnitID, Units: tree.options(),
			Total: total, CanCreate: a.Can(distans.PermManagePeople), InviteAll: a.SetsPasswordsOfAll()}
		for _, p := range people {
			page.People = append(page.People, view.PersonRow{ID: p.ID, Name: p.Name, Email: p.Email, Phone: p.Phone,
				Title: p.Title, UnitName: tree.name(p.UnitID)})
		}
		if len(people) > 0 {
			page.First, page.Last = offset+1, offset+len(people)
		}
		link := func(off int) string {
			v := url.Values{}
			if f.Query != "" {
				v.Set("q", f.Query)
			}
			if f.UnitID != "" {
				v.Set("unit", f.UnitID)
			}
			if off > 0 {
				v.Set("offset", strconv.Itoa(off))
			}
			if len(v) == 0 {
				return "/people"
			}
			return "/people?" + v.Encode()
		}
		if offset > 0 {
			page.PrevURL = link(max(offset-peoplePageSize, 0))
		}
		if offset+len(people) < total {
			page.NextURL = link(offset + peoplePageSize)
		}
		web.render(w, r, http.StatusOK, page)
	})
}
