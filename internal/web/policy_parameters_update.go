package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/view"
)

// policyParametersUpdate saves new parameter values as a new version of the
// pack. The values are checked by the policy service, the one validator
// that the API uses too, so that both refuse a value with the same message;
// nothing is saved unless all of them hold. A version saved by someone else
// since the form was opened is refused (ECONFLICT) and said so, with what
// was typed kept.
func (web *Web) policyParametersUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		ctx := r.Context()
		pack, _, err := web.svc.Policies.ActivePolicy(ctx)
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
			values[x.Name] = typed
		}
		v, err := web.svc.Policies.SetPolicyParameters(ctx, base, values, form.Value("reason"))
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
				if field == "reason" {
					return field
				}
				return ""
			})
			return
		}
		web.redirect(w, r, "/policy", p.T("policy.saved", v.Version), false)
	})
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
