package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/report"
)

// reportDetails is /reports/{kind}/details?format=csv|xlsx: the records
// behind a report, streamed as the service finds them, for those whose
// scope is not suppressed (the service refuses the union). The heading
// says that the file holds personal data.
func (web *Web) reportDetails() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		kind := distans.ReportKind(r.PathValue("kind"))
		if !kind.Valid() {
			web.notFound().ServeHTTP(w, r)
			return
		}
		rs := a.ReportScope()
		if rs.None() || rs.Suppressed {
			web.forbidden(w, r)
			return
		}
		format, err := report.ParseFormat(r.URL.Query().Get("format"))
		if err != nil || format == distans.ReportPDF {
			web.notFound().ServeHTTP(w, r)
			return
		}
		form, f := reportFilter(r, kind)
		if form.Failed() {
			web.errorPage(w, r, http.StatusUnprocessableEntity, form.Summary()[0].Message)
			return
		}
		ctx := r.Context()
		o := web.reportOptions(ctx, r, a)
		scope := a.Name
		if org, err := web.svc.Organisations.FindOrganisationByID(ctx, a.OrganisationID); err == nil {
			scope = org.Name
		}
		if f.UnitID != "" {
			u, err := web.svc.Units.FindUnit(ctx, f.UnitID)
			if err != nil || !rs.Contains(u.Path) {
				web.fail(w, r, distans.NotFound("Enheten finns inte.", "The unit does not exist."))
				return
			}
			scope = u.Name
		}
		now := distans.NowFrom(ctx)
		df := &report.DetailFile{W: w, Format: format, Heading: report.DetailHeading(kind, scope, f, now, o), Options: o,
			Start: func() {
				w.Header().Set("Content-Type", report.ContentType(format))
				w.Header().Set("Content-Disposition", `attachment; filename="`+report.DetailFilename(kind, format, now, o)+`"`)
				w.Header().Set("Cache-Control", "no-store")
			}}
		if err := web.svc.Reports.Details(ctx, f, df); err != nil {
			if !df.Started() {
				web.fail(w, r, err)
				return
			}
			// Half a file has gone out: the connection is cut so that
			// nobody takes it for the whole.
			web.log.WarnContext(ctx, "report details", "err", err)
			panic(http.ErrAbortHandler)
		}
		if err := df.Close(); err != nil {
			web.log.WarnContext(ctx, "report details", "err", err)
		}
	})
}
