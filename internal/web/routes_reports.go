package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/report"
	"github.com/distans/distans/internal/web/view"
)

// reportRoutes mounts Rapporter; routes.go calls it. Without the service
// the pages are not mounted and answer the pages' own 404.
func (web *Web) reportRoutes(mux *http.ServeMux) {
	if web.svc.Reports == nil {
		return
	}
	mux.Handle("GET /reports", web.reportsList())
	// A report's page, or its download when the name ends in .csv, .xlsx
	// or .pdf: /reports/agreements, /reports/agreements.xlsx.
	mux.Handle("GET /reports/{file}", web.reportShow())
	mux.Handle("GET /reports/{kind}/details", web.reportDetails())
	if web.svc.ReportSubscriptions != nil {
		mux.Handle("POST /reports/subscriptions", web.reportSubscribe())
		mux.Handle("POST /reports/subscriptions/{id}/delete", web.reportUnsubscribe())
	}
}

// reportsNav adds "Rapporter" before the profile for those who may see a
// report (Actor.SeesReports).
func (web *Web) reportsNav(r *http.Request, l *view.Layout, a *distans.Actor) {
	if web.svc.Reports == nil || a == nil || !a.SeesReports() {
		return
	}
	item := view.NavItem{Href: "/reports", Label: l.T("nav.reports"), Current: inSection(r, "/reports")}
	for i, n := range l.Nav {
		if n.Href == "/profile" || n.Href == "/notifications" {
			l.Nav = append(l.Nav[:i], append([]view.NavItem{item}, l.Nav[i:]...)...)
			return
		}
	}
	l.Nav = append(l.Nav, item)
}

// reportKinds are the tabs of the report pages.
func reportKinds(l *view.Layout, current distans.ReportKind) []view.ReportKindLink {
	var out []view.ReportKindLink
	for _, k := range distans.ReportKinds {
		out = append(out, view.ReportKindLink{Href: "/reports/" + string(k), Label: k.Label(l.Lang), Current: k == current})
	}
	return out
}

// reportFilter reads a report's filters from the query string: unit,
// from and to. The form keeps what was typed, with the dates' errors; the
// service judges the period.
func reportFilter(r *http.Request, kind distans.ReportKind) (*view.Form, distans.ReportFilter) {
	form := view.NewForm()
	q := r.URL.Query()
	for _, k := range []string{"unit", "from", "to"} {
		form.Set(k, strings.TrimSpace(q.Get(k)))
	}
	f := distans.ReportFilter{Kind: kind, UnitID: form.Value("unit")}
	if t := parseDay(r, form, "from", false); t != nil {
		f.From = *t
	}
	if t := parseDay(r, form, "to", false); t != nil {
		f.To = *t
	}
	if form.Failed() && form.Message == "" {
		form.Message = printer(r).T("form.invalid")
	}
	return form, f
}

// reportQuery is the filters as a query string, for drill-downs and
// downloads.
func reportQuery(form *view.Form, unit string) string {
	v := url.Values{}
	if unit != "" {
		v.Set("unit", unit)
	}
	for _, k := range []string{"from", "to"} {
		if s := form.Value(k); s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// reportOptions prints reports in the reader's language and their
// organisation's time zone.
func (web *Web) reportOptions(ctx context.Context, r *http.Request, a *distans.Actor) report.Options {
	o := report.Options{Lang: printer(r).Lang()}
	if org, err := web.svc.Organisations.FindOrganisationByID(ctx, a.OrganisationID); err == nil {
		o.Location = org.Location()
	}
	return o
}

// reportTableView is a table as the page shows it, beside its chart; rows
// that are units in scope link to the report of that unit.
func reportTableView(t *distans.ReportTable, rep *distans.Report, lang string, drill func(key string) string) view.ReportTableView {
	v := view.ReportTableView{ID: "t-" + t.ID, Title: t.Title.Text(lang), Description: t.Description.Text(lang),
		Chart: safeSVG(report.SVG(t, rep.Suppressed, lang)), RowLimit: report.RowLimitNote(t, lang)}
	for _, c := range t.Columns {
		v.Columns = append(v.Columns, c.Label.Text(lang))
	}
	row := func(r distans.ReportRow) view.ReportRowView {
		out := view.ReportRowView{Label: r.Label}
		if drill != nil {
			out.Href = drill(r.Key)
		}
		for i, c := range t.Columns {
			x := distans.ReportCell{Empty: true}
			if i < len(r.Cells) {
				x = r.Cells[i]
			}
			out.Cells = append(out.Cells, view.ReportCellView{Text: report.FormatCell(x, c.Kind, lang), Suppressed: x.Suppressed, Empty: x.Empty})
		}
		return out
	}
	for _, r := range t.Rows {
		v.Rows = append(v.Rows, row(r))
	}
	if t.Total != nil {
		tot := row(*t.Total)
		tot.Href = ""
		if tot.Label == "" {
			tot.Label = map[bool]string{true: "Total", false: "Totalt"}[lang == "en"]
		}
		v.Total = &tot
	}
	return v
}

// safeSVG marks a chart as markup for the template: internal/report
// builds it from numbers and escapes every text in it (svg_test.go holds
// a label of markup to that).
func safeSVG(s string) template.HTML { return template.HTML(s) } //nolint:gosec // escaped by report.SVG

// reportUnits are the current units in the actor's report scope, by ID.
func (web *Web) reportUnits(ctx context.Context, rs distans.ReportScope) (*unitTree, map[string]*distans.Unit, error) {
	t, err := web.unitTree(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	in := map[string]*distans.Unit{}
	kept := t.units[:0:0]
	for _, u := range t.units {
		if rs.Contains(u.Path) {
			in[u.ID] = u
			kept = append(kept, u)
		}
	}
	t.units = kept
	return t, in, nil
}
