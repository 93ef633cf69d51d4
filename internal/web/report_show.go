package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/report"
	"github.com/distans/distans/internal/web/view"
)

// reportShow is /reports/{kind}: the report for the actor's scope, or the
// chosen unit in it, and period, each table beside its chart, with the
// links to download it; /reports/{kind}.csv, .xlsx and .pdf are the
// downloads (reportDownload).
func (web *Web) reportShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		name, ext, download := strings.Cut(r.PathValue("file"), ".")
		kind := distans.ReportKind(name)
		if !kind.Valid() {
			web.notFound().ServeHTTP(w, r)
			return
		}
		rs := a.ReportScope()
		if rs.None() {
			web.forbidden(w, r)
			return
		}
		form, f := reportFilter(r, kind)
		if download {
			format, err := report.ParseFormat(ext)
			if err != nil {
				web.notFound().ServeHTTP(w, r)
				return
			}
			web.reportDownload(w, r, a, form, f, format)
			return
		}
		ctx := r.Context()
		l := web.layout(w, r)
		l.Title = l.T("rep.title") + ": " + kind.Label(l.Lang)
		tree, inScope, err := web.reportUnits(ctx, rs)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page := &view.ReportPage{Layout: l, Kinds: reportKinds(&l, kind), Kind: string(kind), Form: form, Unit: f.UnitID,
			Suppressed: rs.Suppressed, Units: tree.options(view.Option{Value: "", Label: l.T("rep.all_units")})}
		status := http.StatusOK
		if !form.Failed() {
			rep, err := web.svc.Reports.Report(ctx, f)
			if err != nil {
				if !formFailed(r, form, err, "from") {
					web.fail(w, r, err)
					return
				}
			} else {
				web.fillReport(page, rep, f, form, inScope)
			}
		}
		if form.Failed() {
			status = http.StatusUnprocessableEntity
		}
		if web.svc.ReportSubscriptions != nil {
			page.SubscribeAction = "/reports/subscriptions"
			subs, err := web.svc.ReportSubscriptions.ListReportSubscriptions(ctx)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			for _, s := range subs {
				if s.Kind == kind && s.UnitID == f.UnitID {
					page.Subscribed, page.SubscribeAction = s.ID, "/reports/subscriptions/"+s.ID+"/delete"
				}
			}
		}
		web.render(w, r, status, page)
	})
}

// fillReport puts rep on the page: what it covers, the marks, what is
// missing, the downloads and each table, whose unit rows drill down.
func (web *Web) fillReport(page *view.ReportPage, rep *distans.Report, f distans.ReportFilter, form *view.Form,
	inScope map[string]*distans.Unit) {
	l := &page.Layout
	lang := l.Lang
	page.Scope, page.MinGroup = rep.ScopeName, rep.MinGroupSize
	page.Period = l.DateOf(rep.From) + " – " + l.DateOf(rep.To)
	page.Generated = l.DateTime(rep.GeneratedAt)
	page.Marks = report.Marks(rep, lang)
	for _, n := range rep.Missing {
		page.Missing = append(page.Missing, n.Text(lang))
	}
	base := "/reports/" + string(f.Kind)
	q := reportQuery(form, f.UnitID)
	for _, x := range []struct {
		format distans.ReportFormat
		key    string
	}{{distans.ReportCSV, "rep.csv"}, {distans.ReportXLSX, "rep.xlsx"}, {distans.ReportPDF, "rep.pdf"}} {
		page.Exports = append(page.Exports, view.Link{Href: base + "." + string(x.format) + q, Label: l.T(x.key)})
	}
	if !rep.Suppressed {
		sep := "?"
		if q != "" {
			sep = q + "&"
		}
		page.Details = []view.Link{{Href: base + "/details" + sep + "format=csv", Label: l.T("rep.details_csv")},
			{Href: base + "/details" + sep + "format=xlsx", Label: l.T("rep.details_xlsx")}}
	}
	// The units above the chosen one, up to the top of the scope.
	if u := inScope[f.UnitID]; u != nil {
		page.Crumbs = append(page.Crumbs, view.Link{Href: base + reportQuery(form, ""), Label: l.T("rep.whole")})
		var up []view.Link
		for p := inScope[u.ParentID]; p != nil; p = inScope[p.ParentID] {
			up = append([]view.Link{{Href: base + reportQuery(form, p.ID), Label: p.Name}}, up...)
		}
		page.Crumbs = append(page.Crumbs, up...)
	}
	drill := func(key string) string {
		if u := inScope[key]; u != nil && key != f.UnitID {
			return base + reportQuery(form, key)
		}
		return ""
	}
	for _, t := range rep.Tables {
		page.Tables = append(page.Tables, reportTableView(t, rep, lang, drill))
	}
}
