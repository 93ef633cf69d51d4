package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// documentShow is the current version of a document, with the button that
// acknowledges it when it is required of the person and not yet
// acknowledged.
func (web *Web) documentShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		web.showDocument(w, r, a, 0)
	})
}

// documentVersionShow is one version of a document.
func (web *Web) documentVersionShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 1 {
			web.fail(w, r, distans.NotFound("Versionen finns inte.", "The version does not exist."))
			return
		}
		web.showDocument(w, r, a, n)
	})
}

// showDocument renders version n of the document in the path (0: the
// current one). Another organisation's document is not found.
func (web *Web) showDocument(w http.ResponseWriter, r *http.Request, a *distans.Actor, n int) {
	ctx := r.Context()
	id := r.PathValue("id")
	d, err := web.svc.Documents.FindDocument(ctx, id, n)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	versions, err := web.svc.Documents.ListDocumentVersions(ctx, id)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	pending, err := web.svc.Documents.Pending(ctx)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	acks, err := web.svc.Documents.ListAcknowledgements(ctx, a.PersonID)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	tree, err := web.unitTree(ctx, true)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	current := d.Version
	for _, v := range versions {
		current = max(current, v.Version)
	}
	l := web.layout(w, r)
	l.Title = d.Title
	page := &view.DocumentPage{Layout: l, Doc: d, UnitName: tree.name(d.UnitID), Current: current, Versions: versions,
		CanPublish: a.ManagesPolicy()}
	for _, p := range pending {
		// Only the current version can be acknowledged.
		if p.ID == d.ID && p.Version == d.Version {
			page.CanAcknowledge = true
		}
	}
	for _, ack := range acks { // newest first
		if ack.DocumentID != d.ID {
			continue
		}
		if ack.Version == d.Version && page.Acknowledged == nil {
			page.Acknowledged = ack
		} else if ack.Version < d.Version && page.Earlier == nil {
			page.Earlier = ack
		}
	}
	web.render(w, r, http.StatusOK, page)
}
