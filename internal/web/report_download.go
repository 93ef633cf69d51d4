package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/report"
	"github.com/distans/distans/internal/web/view"
)

// reportDownload answers /reports/{kind}.csv, .xlsx and .pdf: the report
// with the page's filters, written in full before the first byte is sent,
// so that a failure is an error page and never half a file.
func (web *Web) reportDownload(w http.ResponseWriter, r *http.Request, a *distans.Actor, form *view.Form,
	f distans.ReportFilter, format distans.ReportFormat) {
	if form.Failed() {
		web.errorPage(w, r, http.StatusUnprocessableEntity, form.Summary()[0].Message)
		return
	}
	ctx := r.Context()
	rep, err := web.svc.Reports.Report(ctx, f)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	o := web.reportOptions(ctx, r, a)
	var buf bytes.Buffer
	if err := report.Write(&buf, rep, format, o); err != nil {
		web.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", report.ContentType(format))
	w.Header().Set("Content-Disposition", `attachment; filename="`+report.Filename(rep, format, o)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}
