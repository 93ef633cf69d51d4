package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
)

// incidentIMYPDF downloads the notification to IMY as IMY's form, for the
// DPO to copy from, with the parts to be examined for secrecy marked. It is
// written in full before the first byte is sent, so that a failure is an
// error page and never half a file.
func (web *Web) incidentIMYPDF() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		id := r.PathValue("id")
		inc, err := web.svc.Incidents.Incident(r.Context(), id)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := web.svc.Incidents.WriteIMYNotificationPDF(r.Context(), id, &buf); err != nil {
			web.fail(w, r, err)
			return
		}
		name := "imy-anmalan-" + strings.Map(func(c rune) rune {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' {
				return c
			}
			return '-'
		}, inc.Number) + ".pdf"
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Header().Set("Cache-Control", "no-store")
		_, _ = buf.WriteTo(w)
	})
}
