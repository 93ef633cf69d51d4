package web

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// officeShow lists the open sites with their load on a day (today unless
// ?date= says otherwise), for everyone signed in.
func (web *Web) officeShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		date := web.officeDate(r, a)
		sites, err := web.svc.Sites.ListSites(r.Context(), false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		sort.SliceStable(sites, func(i, j int) bool { return strings.ToLower(sites[i].Name) < strings.ToLower(sites[j].Name) })
		l := web.layout(w, r)
		l.Title = l.T("office.title")
		page := &view.OfficePage{Layout: l, Day: date.Format(time.DateOnly), CanManage: a.ManagesSites(),
			CanUtilisation: a.SeesUtilisation()}
		for _, s := range sites {
			av, err := web.svc.Office.SiteAvailability(r.Context(), s.ID, date)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			page.Sites = append(page.Sites, view.OfficeSiteRow{Site: s, Desks: av.Desks, FreeDesks: av.FreeDesks,
				BookedPercent: av.BookedPercent, Congested: av.Congested})
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// officeDate is the day a page asks for with ?date=YYYY-MM-DD, today when
// absent or unreadable.
func (web *Web) officeDate(r *http.Request, a *distans.Actor) time.Time {
	if s := r.URL.Query().Get("date"); s != "" {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t
		}
	}
	return web.today(r, a)
}
