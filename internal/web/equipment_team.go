package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentTeam is the manager's view of their people's equipment: trips
// to decide, loss cases waiting for the negligence assessment, return
// tasks with the exception, pending acceptances and the items they hold.
// The services list what the manager sees (Actor.SeesEquipmentOf).
func (web *Web) equipmentTeam() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.HasRole(distans.RoleManager) {
			web.forbidden(w, r)
			return
		}
		page, err := web.teamPage(w, r, a, "", nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// teamPage builds the manager's view; taskID and form are an exception
// form as typed, to show again with its messages.
func (web *Web) teamPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, taskID string, form *view.Form) (*view.EquipmentTeamPage, error) {
	ctx := r.Context()
	svc := web.svc.Equipment
	l, tabs := web.eqLayout(w, r, a, "eq.team_title")
	page := &view.EquipmentTeamPage{Layout: l, EquipmentTabs: tabs}
	pl := &page.Layout
	trips, err := svc.ListTrips(ctx, "", true)
	if err != nil {
		return nil, err
	}
	for _, t := range trips {
		page.Trips = append(page.Trips, tripRow(pl, t))
	}
	losses, err := svc.ListLosses(ctx, true)
	if err != nil {
		return nil, err
	}
	for _, loss := range losses {
		if loss.PersonID != a.PersonID && a.ManagesEquipmentOf(loss.PersonID, loss.PersonUnitPath) {
			page.Losses = append(page.Losses, lossRow(pl, loss))
		}
	}
	tasks, err := svc.ListReturnTasks(ctx, distans.ReturnTaskFilter{Open: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	today := web.today(r, a)
	for _, t := range tasks {
		row := taskRow(pl, a, t, today)
		if t.ID == taskID && row.Form != nil && form != nil {
			row.Form = form
		}
		page.Tasks = append(page.Tasks, row)
	}
	pending, err := svc.ListHandovers(ctx, "", true)
	if err != nil {
		return nil, err
	}
	for _, h := range pending {
		if h.PersonID != a.PersonID {
			page.Pending = append(page.Pending, handoverRow(pl, h))
		}
	}
	items, err := svc.ListItems(ctx, distans.EquipmentFilter{Status: distans.EquipmentIssued, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.HolderID != a.PersonID {
			page.Items = append(page.Items, itemRow(pl.P, it))
		}
	}
	return page, nil
}
