package web

import (
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// releaseShow is one decision: what was decided, the maskings with their
// provisions, how to appeal when anything was withheld, and the downloads.
func (web *Web) releaseShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsRegister() {
			web.forbidden(w, r)
			return
		}
		x, err := web.svc.Releases.FindRelease(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("rel.decision_title") + " " + x.CaseNumber
		row := releaseRow(&l, x)
		page := &view.ReleasePage{Layout: l, Number: x.CaseNumber, Requester: row.Requester,
			RequestedOn: x.RequestedOn.Format(time.DateOnly), Decided: row.Decided, DecidedBy: x.DecidedByName,
			Outcome: row.Outcome, Note: x.Note, Refusal: x.RefusalCitation,
			DecisionHref: "/records/releases/" + x.ID + "/decision.pdf"}
		if x.Outcome != distans.ReleaseRefused {
			page.CopyHref = "/records/releases/" + x.ID + "/copy.pdf"
		}
		for _, m := range x.Maskings {
			label := m.Field
			for _, f := range x.Released {
				if f.Key == m.Field {
					label = f.LabelSv
					if l.P.Lang() == "en" {
						label = f.LabelEn
					}
				}
			}
			page.Masked = append(page.Masked, view.ReleasedLine{Label: label, Text: m.Citation})
		}
		if x.Outcome.Appealable() {
			page.Appeal = distans.Appeal
		}
		web.render(w, r, http.StatusOK, page)
	})
}
