package web

import (
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// officeSiteShow is a site's desks on a day with a Book button for each
// free part, the congestion warning with other sites, and the person's
// unit: its team days and where colleagues sit.
func (web *Web) officeSiteShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		date := web.officeDate(r, a)
		av, err := web.svc.Office.SiteAvailability(ctx, r.PathValue("id"), date)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		day := date.Format(time.DateOnly)
		l.Title = l.T("office.site_title", av.Site.Name, day)
		page := &view.OfficeSitePage{Layout: l, Avail: av, Day: day,
			PrevDate: date.AddDate(0, 0, -1).Format(time.DateOnly), NextDate: date.AddDate(0, 0, 1).Format(time.DateOnly),
			Bookable: !date.Before(web.today(r, a)), CanManage: a.ManagesSites()}
		if av.Congested {
			if page.Nearest, err = web.svc.Office.NearestFreeSites(ctx, av.Site.ID, date); err != nil {
				web.fail(w, r, err)
				return
			}
		}
		if me, err := web.svc.People.FindPerson(ctx, a.PersonID); err == nil && me.UnitID != "" {
			page.HasUnit = true
			// A person may read their own unit's team; anything else is
			// left out of the page rather than failing it.
			if days, err := web.svc.Office.ListTeamDays(ctx, me.UnitID, date, date); err == nil {
				page.TeamDays = days
			}
			if team, err := web.svc.Office.ListTeamBookings(ctx, me.UnitID, date); err == nil {
				for _, b := range team {
					if b.PersonID != a.PersonID {
						page.Team = append(page.Team, b)
					}
				}
			}
		}
		web.render(w, r, http.StatusOK, page)
	})
}
