package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
)

// documentCreate publishes a new policy document as its version 1.
func (web *Web) documentCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		form, d := readDocumentForm(r)
		err := d.Validate()
		if err == nil {
			err = web.svc.Documents.PublishDocument(r.Context(), d)
		}
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderDocumentForm(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		web.done(w, r, "/documents/"+d.ID, "doc.published_flash")
	})
}

// normaliseText turns a browser's CRLF line endings into LF and trims
// trailing blank space, keeping the text otherwise as typed.
func normaliseText(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \t\n")
}
