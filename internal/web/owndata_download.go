package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/distans/distans"
)

// ownDataDownload downloads a delivered export as JSON or PDF, written in
// full before the first byte is sent, so that a failure is an error page
// and never half a file.
func (web *Web) ownDataDownload() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		format := distans.OwnDataFormat(r.PathValue("format"))
		ctype := map[distans.OwnDataFormat]string{distans.OwnDataJSON: "application/json", distans.OwnDataPDF: "application/pdf"}[format]
		if ctype == "" {
			web.notFound().ServeHTTP(w, r)
			return
		}
		var buf bytes.Buffer
		if err := web.svc.OwnData.DownloadOwnData(r.Context(), r.PathValue("id"), format, &buf); err != nil {
			web.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="mina-uppgifter.`+string(format)+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Header().Set("Cache-Control", "no-store")
		_, _ = buf.WriteTo(w)
	})
}
