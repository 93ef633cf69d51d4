package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// importCreate starts an import from the uploaded files: they are kept,
// and a worker checks them while the import's page shows how far it has
// come. The body was parsed by httpx.CheckInput under the upload limit.
func (web *Web) importCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.Imports() {
			web.forbidden(w, r)
			return
		}
		form := readForm(r, "full", "end_missing_on")
		files, opts, err := httpx.ImportForm(r)
		if err == nil {
			var imp *distans.Import
			if imp, err = web.svc.Imports.StartImport(r.Context(), files, opts); err == nil {
				web.done(w, r, "/imports/"+imp.ID, "import.started_flash")
				return
			}
		}
		if !formFailed(r, form, err, "files") {
			web.fail(w, r, err)
			return
		}
		web.renderImports(w, r, http.StatusUnprocessableEntity, form)
	})
}
