package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// unitsList shows the unit tree, open to everyone signed in; managers'
// names are shown to those who may see people.
func (web *Web) unitsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		showEnded := r.URL.Query().Get("ended") == "1"
		tree, err := web.unitTree(ctx, showEnded)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("units.title")
		page := &view.UnitsPage{Layout: l, CanManage: a.Can(distans.PermManageUnits), ShowEnded: showEnded}
		managers := map[string]string{}
		nodes := map[string]*view.UnitNode{}
		for _, u := range tree.units {
			n := &view.UnitNode{Unit: u, KindLabel: label(l.P, "unit.", string(u.Kind))}
			if u.ManagerID != "" && a.Can(distans.PermViewPeople) {
				name, ok := managers[u.ManagerID]
				if !ok {
					if p, err := web.svc.People.FindPerson(ctx, u.ManagerID); err == nil {
						name = p.Name
					}
					managers[u.ManagerID] = name
				}
				n.ManagerName = name
			}
			nodes[u.ID] = n
			if parent, ok := nodes[u.ParentID]; ok {
				parent.Children = append(parent.Children, n)
			} else {
				page.Tree = append(page.Tree, n)
			}
		}
		web.render(w, r, http.StatusOK, page)
	})
}
