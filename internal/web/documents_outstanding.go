package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// documentsOutstanding lists who in the actor's Actor.OutstandingScope has
// not acknowledged the current version of a required document, optionally
// within one unit's subtree; the store refuses everyone else.
func (web *Web) documentsOutstanding() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		unitID := r.URL.Query().Get("unit")
		rows, err := web.svc.Documents.Outstanding(ctx, unitID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		tree, err := web.unitTree(ctx, false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("doc.outstanding_title")
		page := &view.OutstandingPage{Layout: l, UnitID: unitID, Units: scopedUnitOptions(tree, a.OutstandingScope())}
		for _, o := range rows {
			page.Rows = append(page.Rows, view.OutstandingRow{Outstanding: o, UnitName: tree.name(o.UnitID)})
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// scopedUnitOptions lists the units in scope, for a filter that only
// makes sense within it.
func scopedUnitOptions(t *unitTree, sc distans.Scope) []view.Option {
	var out []view.Option
	for _, o := range t.options() {
		if u, ok := t.byID[o.Value]; ok && sc.Contains(u.Path) {
			out = append(out, o)
		}
	}
	return out
}
