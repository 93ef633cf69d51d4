package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
)

// documentAcknowledge records that the person has read and understood the
// version of the document they were shown ("Jag har läst och förstått").
// A version that is no longer current is refused by the service, so that
// nobody signs a text they did not see.
func (web *Web) documentAcknowledge() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		id := r.PathValue("id")
		back := "/documents/" + id
		version, err := strconv.Atoi(r.PostFormValue("version"))
		if err != nil || version < 1 {
			sv, en := "Ange vilken version du har läst.", "Say which version you have read."
			web.actionFailed(w, r, back, distans.Errorf(distans.EINVALID, sv, en))
			return
		}
		if _, err := web.svc.Documents.Acknowledge(r.Context(), id, version); err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "doc.acknowledged")
	})
}
