package web

import (
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// ownDataShow is Mina uppgifter: the person asks for their own data and
// downloads it; HR also sees the open requests of their scope with their
// deadlines.
func (web *Web) ownDataShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.ownDataPage(w, r, a, a.PersonID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// ownDataPerson is HR's page for one person: ask for their data on their
// behalf and follow the requests. Anyone else is told the page does not
// exist (the service answers ENOTFOUND).
func (web *Web) ownDataPerson() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.ownDataPage(w, r, a, r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func (web *Web) ownDataPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, personID string) (*view.OwnDataPage, error) {
	ctx := r.Context()
	reqs, err := web.svc.OwnData.ListDataRequests(ctx, personID)
	if err != nil {
		return nil, err
	}
	l := web.layout(w, r)
	page := &view.OwnDataPage{Action: "/profile/data"}
	l.Title = l.T("od.title")
	if personID != a.PersonID {
		p, err := web.svc.People.FindPerson(ctx, personID)
		if err != nil {
			return nil, err
		}
		page.Person, page.Action = p.Name, "/people/"+p.ID+"/data"
		l.Title = l.T("od.title_person", p.Name)
	}
	today := func() string {
		return distans.NowFrom(ctx).In(l.Loc).Format(time.DateOnly)
	}
	if l.Loc == nil {
		today = func() string { return distans.NowFrom(ctx).Format(time.DateOnly) }
	}
	for _, q := range reqs {
		page.Requests = append(page.Requests, dataRequestRow(&l, q, today))
	}
	if !a.DataRequestScope().None() {
		page.ShowOpen = true
		open, err := web.svc.OwnData.OpenDataRequests(ctx)
		if err != nil {
			return nil, err
		}
		for _, q := range open {
			page.Open = append(page.Open, dataRequestRow(&l, q, today))
		}
	}
	page.Layout = l
	return page, nil
}
