package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
)

// documentPublish publishes a new version of a document. Everyone it
// applies to is asked to acknowledge the new version.
func (web *Web) documentPublish() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		cur, err := web.svc.Documents.FindDocument(ctx, r.PathValue("id"), 0)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		form, d := readDocumentForm(r)
		base, _ := strconv.Atoi(r.PostFormValue("version"))
		if base > 0 {
			form.Set("version", strconv.Itoa(base))
		}
		_, err = web.svc.Documents.PublishDocumentVersion(ctx, cur.ID, distans.DocumentUpdate{Title: &d.Title, Body: d.Body,
			Required: &d.Required, UnitID: &d.UnitID, Version: base})
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderDocumentForm(w, r, http.StatusUnprocessableEntity, form, cur)
			return
		}
		web.done(w, r, "/documents/"+cur.ID, "doc.published_flash")
	})
}
