package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentMine is the person's Min utrustning: what they hold, what waits
// for their signature, their receipts, loss reports, trips and the return
// tasks about them.
func (web *Web) equipmentMine() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		svc := web.svc.Equipment
		l, tabs := web.eqLayout(w, r, a, "eq.mine_title")
		page := &view.EquipmentMinePage{Layout: l, EquipmentTabs: tabs}
		pl := &page.Layout
		items, err := svc.ListItems(ctx, distans.EquipmentFilter{HolderID: a.PersonID, Limit: 200})
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, it := range items {
			page.Items = append(page.Items, itemRow(pl.P, it))
		}
		handovers, err := svc.ListHandovers(ctx, a.PersonID, false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, h := range handovers {
			switch h.State {
			case distans.HandoverPending:
				page.Pending = append(page.Pending, handoverRow(pl, h))
			case distans.HandoverAccepted:
				page.Handovers = append(page.Handovers, handoverRow(pl, h))
			}
		}
		returns, err := svc.ListReturns(ctx, a.PersonID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, rt := range returns {
			page.Returns = append(page.Returns, returnRow(pl, rt))
		}
		losses, err := svc.ListLosses(ctx, false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, loss := range losses {
			if loss.PersonID == a.PersonID {
				page.Losses = append(page.Losses, lossRow(pl, loss))
			}
		}
		trips, err := svc.ListTrips(ctx, a.PersonID, false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, t := range trips {
			page.Trips = append(page.Trips, tripRow(pl, t))
		}
		tasks, err := svc.ListReturnTasks(ctx, distans.ReturnTaskFilter{PersonID: a.PersonID, Open: true, Limit: 100})
		if err != nil {
			web.fail(w, r, err)
			return
		}
		today := web.today(r, a)
		for _, t := range tasks {
			page.Tasks = append(page.Tasks, taskRow(pl, a, t, today))
		}
		web.render(w, r, http.StatusOK, page)
	})
}
