package web

import (
	"net/http"

	"github.com/distans/distans"
)

// importConfirm carries out a checked import: a worker applies it, all of
// it in one transaction, and its page follows the work.
func (web *Web) importConfirm() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		id := r.PathValue("id")
		if _, err := web.svc.Imports.ConfirmImport(r.Context(), id); err != nil {
			web.actionFailed(w, r, "/imports/"+id, err)
			return
		}
		web.done(w, r, "/imports/"+id, "import.confirmed_flash")
	})
}
