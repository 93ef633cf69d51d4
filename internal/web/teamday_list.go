package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// teamdayList shows the team days of the person's unit for the coming 90
// days and, for a manager, a form to set them for the units they manage.
func (web *Web) teamdayList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		web.renderTeamDays(w, r, a, http.StatusOK, view.NewForm())
	})
}

// renderTeamDays renders the team-days page with form.
func (web *Web) renderTeamDays(w http.ResponseWriter, r *http.Request, a *distans.Actor, status int, form *view.Form) {
	ctx := r.Context()
	today := web.today(r, a)
	until := today.AddDate(0, 0, 90)
	tree, err := web.unitTree(ctx, false)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("office.teamdays_title")
	page := &view.TeamDaysPage{Layout: l, Form: form}
	if me, err := web.svc.People.FindPerson(ctx, a.PersonID); err == nil && me.UnitID != "" {
		page.UnitName = tree.name(me.UnitID)
		if page.UnitName == "" {
			page.UnitName = me.UnitID
		}
		if page.Days, err = web.svc.Office.ListTeamDays(ctx, me.UnitID, today, until); err != nil {
			web.fail(w, r, err)
			return
		}
	}
	for _, u := range managedUnits(a, tree) {
		days, err := web.svc.Office.ListTeamDays(ctx, u.ID, today, until)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		// Only the days set on the unit itself can be removed here.
		var own []*distans.TeamDay
		for _, d := range days {
			if d.UnitID == u.ID {
				own = append(own, d)
			}
		}
		page.Managed = append(page.Managed, view.ManagedTeamDays{UnitName: u.Name, Days: own})
		page.Units = append(page.Units, view.Option{Value: u.ID, Label: u.Name})
	}
	web.render(w, r, status, page)
}

// managedUnits are the units whose team days a sets
// (Actor.SetsTeamDays), in tree order.
func managedUnits(a *distans.Actor, tree *unitTree) []*distans.Unit {
	var out []*distans.Unit
	for _, u := range tree.units {
		if a.SetsTeamDays(u.Path) {
			out = append(out, u)
		}
	}
	return out
}
