package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/report"
)

// reportFilter reads a report's kind from the path and unit, from and to
// from the query; an unknown kind is not found. The service judges the
// period and the unit.
func reportFilter(r *http.Request) (distans.ReportFilter, *query, error) {
	kind := distans.ReportKind(r.PathValue("kind"))
	if !kind.Valid() {
		return distans.ReportFilter{}, nil, distans.NotFound("Rapporten finns inte.", "The report does not exist.")
	}
	q := newQuery(r)
	f := distans.ReportFilter{Kind: kind, UnitID: q.str("unit"), From: q.date("from").Time(), To: q.date("to").Time()}
	return f, q, q.err()
}

// reportsService is the reports, or a 404 where they are not served.
func (a *API) reportsService(w http.ResponseWriter, r *http.Request) distans.ReportService {
	if a.svc.Reports == nil {
		a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
		return nil
	}
	return a.svc.Reports
}

// reportOptions prints in the caller's language and their organisation's
// time zone.
func (a *API) reportOptions(ctx context.Context, r *http.Request) report.Options {
	o := report.Options{Lang: httpx.Lang(r)}
	if org, err := a.svc.Organisations.FindOrganisationByID(ctx, distans.ActorFrom(ctx).OrganisationID); err == nil {
		o.Location = org.Location()
	}
	return o
}

// reportGet is GET /reports/{kind}: the report as the caller may see it,
// the same value every download writes. A suppressed cell has "value":
// null.
func (a *API) reportGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.reportsService(w, r)
		if svc == nil {
			return
		}
		f, _, err := reportFilter(r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		rep, err := svc.Report(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, rep)
	})
}

// reportExport is GET /reports/{kind}/export?format=csv|xlsx|pdf: the
// report as a file with its filters printed, written in full before the
// first byte so that a failure is a JSON error.
func (a *API) reportExport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.reportsService(w, r)
		if svc == nil {
			return
		}
		f, q, err := reportFilter(r)
		var format distans.ReportFormat
		if err == nil {
			format, err = report.ParseFormat(q.str("format"))
		}
		if err != nil {
			a.error(w, r, err)
			return
		}
		ctx := r.Context()
		rep, err := svc.Report(ctx, f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		o := a.reportOptions(ctx, r)
		var buf bytes.Buffer
		if err := report.Write(&buf, rep, format, o); err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", report.ContentType(format))
		w.Header().Set("Content-Disposition", `attachment; filename="`+report.Filename(rep, format, o)+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = buf.WriteTo(w)
	})
}

// reportDetails is GET /reports/{kind}/details?format=csv|xlsx: the
// records behind a report, streamed; the union is refused, as it gets no
// personal data.
func (a *API) reportDetails() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.reportsService(w, r)
		if svc == nil {
			return
		}
		f, q, err := reportFilter(r)
		var format distans.ReportFormat
		if err == nil {
			if format, err = report.ParseFormat(q.str("format")); err == nil && format == distans.ReportPDF {
				err = &distans.Error{Code: distans.EINVALID, Sv: "Underlaget finns som csv eller xlsx.", En: "The records come as csv or xlsx.",
					Fields: []distans.FieldError{{Field: "format", Sv: "Välj csv eller xlsx.", En: "Choose csv or xlsx."}}}
			}
		}
		if err != nil {
			a.error(w, r, err)
			return
		}
		ctx := r.Context()
		a2 := distans.ActorFrom(ctx)
		o := a.reportOptions(ctx, r)
		scope := ""
		if org, err := a.svc.Organisations.FindOrganisationByID(ctx, a2.OrganisationID); err == nil {
			scope = org.Name
		}
		if f.UnitID != "" {
			if u, err := a.svc.Units.FindUnit(ctx, f.UnitID); err == nil && a2.ReportScope().Contains(u.Path) {
				scope = u.Name
			}
		}
		now := distans.NowFrom(ctx)
		df := &report.DetailFile{W: w, Format: format, Heading: report.DetailHeading(f.Kind, scope, f, now, o), Options: o,
			Start: func() {
				w.Header().Set("Content-Type", report.ContentType(format))
				w.Header().Set("Content-Disposition", `attachment; filename="`+report.DetailFilename(f.Kind, format, now, o)+`"`)
				w.Header().Set("Cache-Control", "no-store")
				w.Header().Set("X-Content-Type-Options", "nosniff")
			}}
		if err := svc.Details(ctx, f, df); err != nil {
			if !df.Started() {
				a.error(w, r, err)
				return
			}
			a.logger.WarnContext(ctx, "report details", "err", err)
			panic(http.ErrAbortHandler)
		}
		if err := df.Close(); err != nil {
			a.logger.WarnContext(ctx, "report details", "err", err)
		}
	})
}

// subscriptionsService is the monthly reports, or a 404 where they are
// not served.
func (a *API) subscriptionsService(w http.ResponseWriter, r *http.Request) distans.ReportSubscriptionService {
	if a.svc.ReportSubscriptions == nil {
		a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
		return nil
	}
	return a.svc.ReportSubscriptions
}

// reportSubscriptionList is GET /reports/subscriptions: the caller's own
// monthly reports by e-mail.
func (a *API) reportSubscriptionList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.subscriptionsService(w, r)
		if svc == nil {
			return
		}
		subs, err := svc.ListReportSubscriptions(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(subs))
	})
}

// reportSubscriptionBody is a new monthly report: its kind, and a unit in
// the caller's scope or none for all of it.
type reportSubscriptionBody struct {
	Kind   distans.ReportKind `json:"kind"`
	UnitID string             `json:"unit_id,omitempty"`
}

// subscription is the body as the service takes it.
func (b *reportSubscriptionBody) subscription() *distans.ReportSubscription {
	return &distans.ReportSubscription{Kind: b.Kind, UnitID: strings.TrimSpace(b.UnitID)}
}

// reportSubscriptionCreate is POST /reports/subscriptions.
func (a *API) reportSubscriptionCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.subscriptionsService(w, r)
		if svc == nil {
			return
		}
		var b reportSubscriptionBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			a.error(w, r, err)
			return
		}
		s := b.subscription()
		if err := svc.Subscribe(r.Context(), s); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, s)
	})
}

// reportSubscriptionDelete is DELETE /reports/subscriptions/{id}: the
// caller ends one of their own; anyone else's is not found.
func (a *API) reportSubscriptionDelete() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.subscriptionsService(w, r)
		if svc == nil {
			return
		}
		if err := svc.Unsubscribe(r.Context(), r.PathValue("id")); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}
