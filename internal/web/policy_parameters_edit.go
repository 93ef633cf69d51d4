package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// policyParametersEdit is HR's form for the values of the pack's
// parameters: one field per parameter of the organisation's own document
// (the parameters of the law are shown but cannot be changed), and a
// required reason. Saving makes a new version.
func (web *Web) policyParametersEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		pack, v, err := web.svc.Policies.ActivePolicy(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := view.NewForm()
		for _, x := range pack.Parameters {
			if !x.Generic {
				form.Set(paramField(x.Name), paramInput(x.Effective()))
			}
		}
		web.renderParams(w, r, http.StatusOK, form, pack, v.Version, false)
	})
}

// renderParams renders the parameters form for pack at version base.
func (web *Web) renderParams(w http.ResponseWriter, r *http.Request, status int, form *view.Form, pack *distans.Policy, base int, conflict bool) {
	l := web.layout(w, r)
	l.Title = l.T("policy.params_title")
	l.Path = "/policy/parameters"
	page := &view.PolicyParamsPage{Layout: l, Form: form, Base: base, Conflict: conflict}
	for _, x := range pack.Parameters {
		if x.Generic {
			page.Generic = append(page.Generic, paramRow(l.P, pack, x))
			continue
		}
		page.Fields = append(page.Fields, paramFormField(l.P, form, x))
	}
	web.render(w, r, status, page)
}

// paramField is the form field of a parameter.
func paramField(name string) string { return "param." + name }

// paramInput writes a value as an input field holds it: a full stop as
// the decimal mark, true or false for a yes/no.
func paramInput(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case string:
		return x
	}
	return ""
}

// paramFormField is the control for one parameter: a number field with
// its bounds, a yes/no choice, or a text field; the hint gives the unit,
// the bounds and the document's value.
func paramFormField(p locale.Printer, form *view.Form, x distans.PolicyParameter) view.Field {
	f := view.Field{Form: form, Name: paramField(x.Name), Label: pick(p, x.Label), Type: "text"}
	hint := ""
	if x.Unit != "" {
		hint = p.T("policy.param_unit", p.T("unit."+x.Unit)) + " "
	}
	switch x.Type {
	case "int", "number":
		f.Type, f.Step = "number", "1"
		if x.Type == "number" {
			f.Step = "any"
		}
		if x.Min != nil {
			f.Min = strconv.FormatFloat(*x.Min, 'f', -1, 64)
		}
		if x.Max != nil {
			f.Max = strconv.FormatFloat(*x.Max, 'f', -1, 64)
		}
		switch {
		case x.Min != nil && x.Max != nil:
			hint += p.T("policy.param_between", formatValue(p, *x.Min), formatValue(p, *x.Max)) + " "
		case x.Min != nil:
			hint += p.T("policy.param_min", formatValue(p, *x.Min)) + " "
		case x.Max != nil:
			hint += p.T("policy.param_max", formatValue(p, *x.Max)) + " "
		}
	case "bool":
		f.Type = "select"
		f.Options = []view.Option{{Value: "true", Label: p.T("common.yes")}, {Value: "false", Label: p.T("common.no")}}
	}
	hint += p.T("policy.param_default", withUnit(p, x.Default, x.Unit))
	if x.Source != nil {
		hint += " " + p.T("policy.param_from", x.Source.Section)
	}
	f.Hint = hint
	return f
}
