package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// releaseNew is the secrecy review of the case ?kind=…&id=…: its fields
// with those the rule suggests (distans.SuggestMaskings) ticked for
// masking under their provision, today as the day the request came in.
func (web *Web) releaseNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsRegister() {
			web.forbidden(w, r)
			return
		}
		q := r.URL.Query()
		form := view.NewForm()
		form.Set("requested_on", web.today(r, a).Format("2006-01-02"))
		web.renderReleaseForm(w, r, http.StatusOK, form, distans.RegisterKind(q.Get("kind")), q.Get("id"), true)
	})
}

// renderReleaseForm reads the case afresh for the form; suggest ticks the
// suggested maskings (a new form), else the form keeps what was posted.
func (web *Web) renderReleaseForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form,
	kind distans.RegisterKind, id string, suggest bool) {
	rev, err := web.svc.Releases.ReviewRelease(r.Context(), kind, id)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("rel.form_title") + " " + rev.Case.Entry.Number
	page := &view.ReleaseFormPage{Layout: l, Form: form, Kind: string(kind), RecordID: id, Number: rev.Case.Entry.Number,
		Subject: rev.Case.Entry.Subject(l.P.Lang())}
	for _, p := range rev.Provisions {
		label := p.LabelSv
		if l.P.Lang() == "en" {
			label = p.LabelEn
		}
		page.Provisions = append(page.Provisions, view.Option{Value: p.ID, Label: p.Citation + " – " + label})
	}
	suggested := map[string]string{}
	for _, m := range rev.Suggested {
		suggested[m.Field] = m.Provision
	}
	for _, f := range rev.Case.Fields {
		prov, ok := suggested[f.Key]
		page.Fields = append(page.Fields, view.ReleaseField{Key: f.Key, Label: f.Label(l.P.Lang()), Value: f.Value, Suggested: ok})
		if suggest {
			if ok {
				form.Set("mask."+f.Key, "1")
				form.Set("provision."+f.Key, prov)
			}
		}
	}
	if earlier, err := web.svc.Releases.ListReleases(r.Context(), kind, id); err == nil {
		for _, x := range earlier {
			page.Earlier = append(page.Earlier, releaseRow(&page.Layout, x))
		}
	}
	web.render(w, r, status, page)
}
