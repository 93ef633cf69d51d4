package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// documentPublishForm is HR's form for a new version of a document,
// prefilled with the current one.
func (web *Web) documentPublishForm() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		d, err := web.svc.Documents.FindDocument(r.Context(), r.PathValue("id"), 0)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		form.Set("title", d.Title)
		form.Set("body", d.Body)
		form.Set("unit_id", d.UnitID)
		form.Set("version", strconv.Itoa(d.Version))
		if d.Required {
			form.Set("required", "1")
		}
		web.renderDocumentForm(w, r, http.StatusOK, form, d)
	})
}
