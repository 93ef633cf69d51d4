package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/distans/distans"
)

// releaseDownload downloads the masked copy (copy.pdf) or the decision
// (decision.pdf), written in full before the first byte is sent.
func (web *Web) releaseDownload() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsRegister() {
			web.forbidden(w, r)
			return
		}
		id := r.PathValue("id")
		var buf bytes.Buffer
		var err error
		switch r.PathValue("doc") {
		case "copy.pdf":
			err = web.svc.Releases.WriteReleaseCopy(r.Context(), id, &buf)
		case "decision.pdf":
			err = web.svc.Releases.WriteReleaseDecision(r.Context(), id, &buf)
		default:
			web.notFound().ServeHTTP(w, r)
			return
		}
		if err != nil {
			web.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+r.PathValue("doc")+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Header().Set("Cache-Control", "no-store")
		_, _ = buf.WriteTo(w)
	})
}
