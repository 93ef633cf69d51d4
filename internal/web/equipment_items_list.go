package web

import (
	"net/http"
	"net/url"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentPageSize is how many items one page of the registry shows.
const equipmentPageSize = 50

// equipmentItemsList is the registry: filters by category, status, unit
// and a search, and keyset paging (after=). The service lists what the
// viewer sees (Actor.SeesItem): IT their scope, a manager their people's
// items.
func (web *Web) equipmentItemsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if web.searchRefused(w, r) {
			return
		}
		ctx := r.Context()
		q := r.URL.Query()
		l, tabs := web.eqLayout(w, r, a, "eq.items_title")
		page := &view.EquipmentItemsPage{Layout: l, EquipmentTabs: tabs, CanRegister: a.KeepsEquipment(),
			Category: q.Get("category"), Status: q.Get("status"), Unit: q.Get("unit"), Query: q.Get("q")}
		pl := &page.Layout
		p := pl.P
		f := distans.EquipmentFilter{Query: page.Query, Limit: equipmentPageSize, After: q.Get("after")}
		if c := distans.EquipmentCategory(page.Category); c.Valid() {
			f.Category = c
		} else {
			page.Category = ""
		}
		if s := distans.EquipmentStatus(page.Status); s.Valid() {
			f.Status = s
		} else {
			page.Status = ""
		}
		page.Categories = categoryOptions(p, view.Option{Value: "", Label: p.T("eq.all_categories")})
		page.Statuses = []view.Option{{Value: "", Label: p.T("eq.all_statuses")}}
		for _, s := range distans.EquipmentStatuses {
			page.Statuses = append(page.Statuses, view.Option{Value: string(s), Label: statusLabel(p, s)})
		}
		if a.KeepsEquipment() {
			tree, err := web.unitTree(ctx, false)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			page.Units = tree.options(view.Option{Value: "", Label: p.T("eq.all_units")})
			if _, ok := tree.byID[page.Unit]; ok {
				f.UnitID = page.Unit
			} else {
				page.Unit = ""
			}
		}
		items, err := web.svc.Equipment.ListItems(ctx, f)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, it := range items {
			page.Items = append(page.Items, itemRow(p, it))
		}
		if len(items) == equipmentPageSize {
			v := url.Values{"after": {items[len(items)-1].Cursor()}}
			for k, val := range map[string]string{"category": page.Category, "status": page.Status, "unit": page.Unit, "q": page.Query} {
				if val != "" {
					v.Set(k, val)
				}
			}
			page.NextURL = "/equipment/items?" + v.Encode()
		}
		web.render(w, r, http.StatusOK, page)
	})
}
