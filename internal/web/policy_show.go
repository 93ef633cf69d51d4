package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// policyShow is "Regelverk": the organisation's active policy pack, its
// parameters and its rules grouped by the document and section they come
// from, each with the clause quoted. Everyone signed in may read it.
func (web *Web) policyShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		pack, v, err := web.svc.Policies.ActivePolicy(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("policy.title")
		page := policyPage(l, a, pack, v)
		page.Meta.Active = v.Version
		web.render(w, r, http.StatusOK, page)
	})
}

// policyPage lays out a pack for the Regelverk page and the version pages.
func policyPage(l view.Layout, a *distans.Actor, pack *distans.Policy, v *distans.PolicyVersion) *view.PolicyPage {
	p := l.P
	page := &view.PolicyPage{Layout: l, CanManage: a.ManagesPolicy(), RuleCount: len(pack.Rules)}
	page.Meta = view.PolicyMeta{Title: pack.Title, Organisation: pack.Organisation, Document: pack.Document,
		DecidedBy: pack.DecidedBy, ValidFrom: pack.ValidFrom, Version: v.Version, GenericVersion: pack.GenericVersion,
		CreatedBy: v.CreatedByName, CreatedAt: v.CreatedAt, Reason: v.Reason}
	for _, x := range pack.Parameters {
		page.Params = append(page.Params, paramRow(p, pack, x))
	}
	kinds := kindLabels(p)
	groups := map[string]*view.RuleGroup{}
	var order []string
	for _, r := range pack.Rules {
		doc := documentName(pack, r.Source.Document)
		g, ok := groups[doc]
		if !ok {
			g = &view.RuleGroup{Document: doc, Generic: r.Generic}
			groups[doc] = g
			order = append(order, doc)
		}
		if n := len(g.Sections); n == 0 || g.Sections[n-1].Section != r.Source.Section {
			g.Sections = append(g.Sections, view.RuleSection{Section: r.Source.Section})
		}
		sec := &g.Sections[len(g.Sections)-1]
		row := view.RuleRow{ID: r.ID, KindLabel: kinds[r.Kind], Severity: string(r.Severity),
			SeverityLabel: p.T("severity." + string(r.Severity)), Message: strings.ReplaceAll(r.Text(p.Lang()), "{deadline}", p.T("policy.deadline_word")),
			Condition: r.Condition, Source: view.SourceRef{Document: doc, Section: r.Source.Section, Quote: r.Source.Quote}}
		for _, d := range r.Deadlines {
			label := pick(p, d.Label)
			if x, ok := pack.Param(d.Hours); ok {
				label += " (" + p.T("policy.hours", x.Effective()) + ")"
			}
			row.Deadlines = append(row.Deadlines, label)
		}
		sec.Rules = append(sec.Rules, row)
	}
	for _, doc := range order {
		page.Groups = append(page.Groups, *groups[doc])
	}
	return page
}

// paramRow shows a parameter: its label, its effective value and the
// document's value with the unit, and the clause it comes from.
func paramRow(p locale.Printer, pack *distans.Policy, x distans.PolicyParameter) view.ParamRow {
	row := view.ParamRow{Name: x.Name, Label: pick(p, x.Label), Value: withUnit(p, x.Effective(), x.Unit),
		Default: withUnit(p, x.Default, x.Unit), Changed: x.Value != nil && fmt.Sprint(x.Value) != fmt.Sprint(x.Default),
		Generic: x.Generic}
	if x.Note != nil {
		row.Note = pick(p, *x.Note)
	}
	if x.Source != nil {
		row.Source = &view.SourceRef{Document: documentName(pack, x.Source.Document), Section: x.Source.Section, Quote: x.Source.Quote}
	}
	return row
}

// documentName names a source document as people know it (policy.Cite
// without the section): "Bjurholms kommun, Riktlinjer för distansarbete",
// or a law by its name.
func documentName(pack *distans.Policy, doc string) string {
	c := cite(pack, policy.Source{Document: doc})
	return policy.Citation{Organisation: c.Organisation, Title: c.Title}.String()
}

// cite is policy.Cite for the pack as the policy service gives it (pack may
// be nil): the one way a clause is named.
func cite(pack *distans.Policy, src policy.Source) policy.Citation {
	if pack == nil {
		return policy.Cite(nil, src)
	}
	return policy.Cite(&policy.Pack{Organisation: pack.Organisation, Title: pack.Title, Document: pack.Document}, src)
}

// kindLabels names the kinds of check in the page's language.
func kindLabels(p locale.Printer) map[string]string {
	out := map[string]string{}
	for _, k := range policy.Kinds() {
		out[k.Name] = pick(p, distans.PolicyText(k.Label))
	}
	return out
}

// pick returns the text in the printer's language.
func pick(p locale.Printer, t distans.PolicyText) string {
	if p.Lang() == "en" && t.En != "" {
		return t.En
	}
	return t.Sv
}

// formatValue writes a parameter value the way the page's language does.
func formatValue(p locale.Printer, v any) string { return policy.FormatValue(v, p.Lang() != "en") }

// withUnit is a value followed by its unit in words.
func withUnit(p locale.Printer, v any, unit string) string {
	s := formatValue(p, v)
	if unit == "" || s == "" {
		return s
	}
	return s + " " + p.T("unit."+unit)
}
