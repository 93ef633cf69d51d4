package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// registerList is /records/register: the register (diarium) searched by
// number or subject, kind and registration dates, newest first, a page of
// distans.DefaultRegisterPage at a time.
func (web *Web) registerList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsRegister() {
			web.forbidden(w, r)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("reg.title")
		form, f := registerFilter(r)
		page := &view.RegisterPage{Layout: l, Form: form, Kinds: registerKindOptions(l.P), First: f.After == ""}
		if !form.Failed() {
			entries, err := web.svc.Register.ListRegister(r.Context(), f)
			if err != nil && !formFailed(r, form, err, "q") {
				web.fail(w, r, err)
				return
			}
			page.Releases = web.svc.Releases != nil
			for _, e := range entries {
				row := registerRow(&page.Layout, e)
				if page.Releases {
					row.ReleaseHref = "/records/releases/new?" + url.Values{"kind": {string(e.Kind)}, "id": {e.RecordID}}.Encode()
				}
				page.Rows = append(page.Rows, row)
			}
			q := registerQuery(form)
			page.CSVURL = "/records/register.csv?" + q.Encode()
			if len(entries) == distans.DefaultRegisterPage {
				q.Set("after", entries[len(entries)-1].Cursor())
				page.NextURL = "/records/register?" + q.Encode()
			}
		}
		status := http.StatusOK
		if form.Failed() {
			status = http.StatusUnprocessableEntity
		}
		web.render(w, r, status, page)
	})
}

// registerFilter reads the search form from the query string; the form
// keeps what was typed, with the errors of the dates.
func registerFilter(r *http.Request) (*view.Form, distans.RegisterFilter) {
	form := view.NewForm()
	q := r.URL.Query()
	for _, k := range []string{"q", "kind", "from", "to"} {
		form.Set(k, strings.TrimSpace(q.Get(k)))
	}
	f := distans.RegisterFilter{Query: form.Value("q"), Kind: distans.RegisterKind(form.Value("kind")), After: q.Get("after")}
	if t := parseDay(r, form, "from", false); t != nil {
		f.From = *t
	}
	if t := parseDay(r, form, "to", false); t != nil {
		f.To = *t
	}
	if !form.Failed() {
		if err := f.Validate(); err != nil {
			formFailed(r, form, err, "q")
		}
	}
	if form.Failed() && form.Message == "" {
		form.Message = printer(r).T("form.invalid")
	}
	return form, f
}

// registerQuery is the filters as a query string, for the next page and
// the export.
func registerQuery(form *view.Form) url.Values {
	v := url.Values{}
	for _, k := range []string{"q", "kind", "from", "to"} {
		if s := form.Value(k); s != "" {
			v.Set(k, s)
		}
	}
	return v
}

func registerKindOptions(p locale.Printer) []view.Option {
	out := []view.Option{{Value: "", Label: p.T("reg.all_kinds")}}
	for _, k := range distans.RegisterKinds {
		out = append(out, view.Option{Value: string(k), Label: p.T("reg.kind." + string(k))})
	}
	return out
}

// registerRow is one entry as the table shows it, dated in the
// organisation's time zone.
func registerRow(l *view.Layout, e *distans.RegisterEntry) view.RegisterRow {
	p := l.P
	row := view.RegisterRow{Number: e.Number, Date: l.DateOf(e.RegisteredAt), ISODate: l.DateOf(e.RegisteredAt),
		Kind: p.T("reg.kind." + string(e.Kind)), Subject: e.Subject(p.Lang()), Party: e.Party, Secret: e.Secret,
		State: registerState(p, e)}
	var parts []string
	for _, s := range e.SecretParts {
		parts = append(parts, p.T("reg.secret."+s))
	}
	row.SecretText = strings.Join(parts, ", ")
	return row
}

// registerState is the case's state in the words of its own pages.
func registerState(p locale.Printer, e *distans.RegisterEntry) string {
	switch e.Kind {
	case distans.RegisterAgreement:
		return p.T("agr.state." + e.State)
	case distans.RegisterIncident:
		return p.T("inc.state." + e.State)
	case distans.RegisterEquipmentLoss:
		return p.T("eq.loss_state." + e.State)
	}
	return e.State
}

// registerCSV is /records/register.csv: every entry matching the filters
// (not only the page), with the filters and any row limit printed in the
// file's first lines (distans.WriteRegisterCSV).
func (web *Web) registerCSV() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsRegister() {
			web.forbidden(w, r)
			return
		}
		form, f := registerFilter(r)
		if form.Failed() {
			web.errorPage(w, r, http.StatusUnprocessableEntity, form.Summary()[0].Message)
			return
		}
		ctx := r.Context()
		org, err := web.svc.Organisations.FindOrganisationByID(ctx, a.OrganisationID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		entries, more, err := web.svc.Register.ExportRegister(ctx, f)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		now := distans.NowFrom(ctx)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="diarium-`+org.Slug+`-`+now.In(org.Location()).Format(time.DateOnly)+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		if err := distans.WriteRegisterCSV(w, org.Name, org.Location(), printer(r).Lang(), now, f, entries, more); err != nil {
			web.log.WarnContext(ctx, "register csv", "err", err)
		}
	})
}
