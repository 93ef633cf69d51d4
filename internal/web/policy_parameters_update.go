package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// maxReason bounds the reason given for a change of the pack.
const maxReason = 1000

// policyParametersUpdate saves new parameter values as a new version of the
// pack. Every value is checked here first (type and bounds) and again by
// the pack's own parser in the service; nothing is saved unless all of
// them hold. A version saved by someone else since the form was opened is
// refused (ECONFLICT) and said so, with what was typed kept.
func (web *Web) policyParametersUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		ctx := r.Context()
		pack, _, err := web.policy.Active(ctx)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		p := printer(r)
		form := view.NewForm()
		base, _ := strconv.Atoi(r.PostFormValue("base"))
		form.Set("reason", strings.TrimSpace(r.PostFormValue("reason")))
		values := map[string]string{}
		for _, x := range pack.Parameters {
			if x.Generic {
				continue
			}
			name := paramField(x.Name)
			typed := strings.TrimSpace(r.PostFormValue(name))
			form.Set(name, typed)
			val, ok := parseParam(p, form, name, x, typed)
			if ok && val != paramInput(x.Effective()) {
				values[x.Name] = val
			}
		}
		if form.Value("reason") == "" {
			form.Fail("reason", p.T("policy.reason_required"))
		} else if len([]rune(form.Value("reason"))) > maxReason {
			form.Fail("reason", p.T("policy.reason_long", maxReason))
		}
		if !form.Failed() && len(values) == 0 {
			form.Message = p.T("policy.params_unchanged")
		}
		if form.Failed() {
			if form.Message == "" {
				form.Message = p.T("form.invalid")
			}
			web.renderParams(w, r, http.StatusUnprocessableEntity, form, pack, base, false)
			return
		}
		v, err := web.policy.SetParameters(ctx, base, values, form.Value("reason"))
		if err != nil {
			web.policySaveFailed(w, r, err, form, func(status int, conflict bool) {
				web.renderParams(w, r, status, form, pack, base, conflict)
			}, func(field string) string {
				// A message about parameters[NAME]… belongs to NAME's field.
				if rest, ok := strings.CutPrefix(field, "parameters["); ok {
					if name, _, ok := strings.Cut(rest, "]"); ok {
						return paramField(name)
					}
				}
				if _, ok := values[field]; ok {
					return paramField(field)
				}
				return ""
			})
			return
		}
		web.redirect(w, r, "/policy", p.T("policy.saved", v.Version), false)
	})
}

// parseParam checks a typed value against the parameter's type and
// bounds and returns it in the form the service takes (a full stop as the
// decimal mark); a problem goes on the form.
func parseParam(p locale.Printer, form *view.Form, field string, x policy.Parameter, typed string) (string, bool) {
	if typed == "" {
		form.Fail(field, p.T("form.required"))
		return "", false
	}
	var n float64
	switch x.Type {
	case "int":
		i, err := strconv.ParseInt(typed, 10, 64)
		if err != nil {
			form.Fail(field, p.T("policy.param_not_int"))
			return "", false
		}
		n, typed = float64(i), strconv.FormatInt(i, 10)
	case "number":
		f, err := strconv.ParseFloat(strings.Replace(typed, ",", ".", 1), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			form.Fail(field, p.T("policy.param_not_number"))
			return "", false
		}
		n, typed = f, strconv.FormatFloat(f, 'f', -1, 64)
	case "bool":
		if typed != "true" && typed != "false" {
			form.Fail(field, p.T("policy.param_not_bool"))
			return "", false
		}
		return typed, true
	default:
		if len([]rune(typed)) > 500 {
			form.Fail(field, p.T("policy.reason_long", 500))
			return "", false
		}
		return typed, true
	}
	if x.Min != nil && n < *x.Min || x.Max != nil && n > *x.Max {
		switch {
		case x.Min != nil && x.Max != nil:
			form.Fail(field, p.T("policy.param_between", formatValue(p, *x.Min), formatValue(p, *x.Max)))
		case x.Min != nil:
			form.Fail(field, p.T("policy.param_min", formatValue(p, *x.Min)))
		default:
			form.Fail(field, p.T("policy.param_max", formatValue(p, *x.Max)))
		}
		return "", false
	}
	return typed, true
}

// policySaveFailed shows why saving the pack failed: a stale base as a
// conflict with the way forward, the parser's messages on the fields they
// name (fieldOf maps a message's field to the form's, "" for none, whose
// messages join the form's own), and anything else as an error page.
func (web *Web) policySaveFailed(w http.ResponseWriter, r *http.Request, err error, form *view.Form,
	rerender func(status int, conflict bool), fieldOf func(string) string) {
	var e *distans.Error
	if !errors.As(err, &e) {
		web.fail(w, r, err)
		return
	}
	lang := httpx.Lang(r)
	switch e.Code {
	case distans.ECONFLICT:
		form.Message = printer(r).T("policy.conflict")
		rerender(http.StatusConflict, true)
	case distans.EINVALID:
		form.Message = e.Message(lang)
		for _, fe := range e.Fields {
			msg := fe.Sv
			if lang == "en" {
				msg = fe.En
			}
			if f := fieldOf(fe.Field); f != "" {
				form.Fail(f, msg)
			} else {
				form.Message += " " + fe.Field + ": " + msg
			}
		}
		rerender(http.StatusUnprocessableEntity, false)
	default:
		web.fail(w, r, err)
	}
}
