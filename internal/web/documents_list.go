package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// documentsList is the organisation's policy documents, with the
// person's own required documents still to acknowledge ("Att bekräfta")
// first.
func (web *Web) documentsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		docs, err := web.svc.Documents.ListDocuments(ctx)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		pending, err := web.svc.Documents.Pending(ctx)
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
		l.Title = l.T("doc.list_title")
		pol, _, err := web.svc.Policies.ActivePolicy(ctx)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		days, hasDeadline := pol.IntParam(distans.AcknowledgementDaysParam)
		page := &view.DocumentsPage{Layout: l, CanPublish: a.ManagesPolicy(), CanOutstanding: !a.OutstandingScope().None()}
		isPending := map[string]bool{}
		for _, d := range pending {
			isPending[d.ID] = true
			row := view.PendingDocument{PolicyDocument: d}
			if hasDeadline {
				row.By = distans.AcknowledgeBy(d.PublishedAt, pol.Location(), days)
			}
			page.Pending = append(page.Pending, row)
		}
		for _, d := range docs {
			page.Documents = append(page.Documents, view.DocumentRow{PolicyDocument: d, UnitName: tree.name(d.UnitID), Pending: isPending[d.ID]})
		}
		web.render(w, r, http.StatusOK, page)
	})
}
