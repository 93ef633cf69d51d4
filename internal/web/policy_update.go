package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/view"
)

// policyUpdate saves the edited YAML as a new version of the pack. The
// service parses it first; a pack that does not parse, names an unknown
// field or has a condition that does not compile is refused with every
// problem listed, naming the rule, and what was typed is kept. The active
// version stays as it was.
func (web *Web) policyUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		p := printer(r)
		form := view.NewForm()
		// The text is kept exactly as typed, except for the line endings
		// a browser sends.
		form.Set("source", strings.ReplaceAll(r.PostFormValue("source"), "\r\n", "\n"))
		form.Set("reason", strings.TrimSpace(r.PostFormValue("reason")))
		base, _ := strconv.Atoi(r.PostFormValue("base"))
		page := &view.PolicyEditPage{Form: form, Base: base}
		if strings.TrimSpace(form.Value("source")) == "" {
			form.Fail("source", p.T("form.required"))
		}
		if form.Value("reason") == "" {
			form.Fail("reason", p.T("policy.reason_required"))
		} else if len([]rune(form.Value("reason"))) > policy.MaxReason {
			form.Fail("reason", p.T("policy.reason_long", policy.MaxReason))
		}
		if form.Failed() {
			form.Message = p.T("form.invalid")
			web.renderPolicyEdit(w, r, http.StatusUnprocessableEntity, page)
			return
		}
		v, err := web.svc.Policies.SavePolicy(r.Context(), base, []byte(form.Value("source")), form.Value("reason"))
		if err != nil {
			var e *distans.Error
			if !errors.As(err, &e) || (e.Code != distans.EINVALID && e.Code != distans.ECONFLICT) {
				web.fail(w, r, err)
				return
			}
			lang := httpx.Lang(r)
			if e.Code == distans.ECONFLICT {
				form.Message, page.Conflict = p.T("policy.conflict"), true
				form.Fail("source", p.T("policy.conflict_short"))
				web.renderPolicyEdit(w, r, http.StatusConflict, page)
				return
			}
			form.Message = e.Message(lang)
			for _, fe := range e.Fields {
				msg := fe.Sv
				if lang == "en" {
					msg = fe.En
				}
				if fe.Field == "reason" {
					form.Fail("reason", msg)
					continue
				}
				page.Problems = append(page.Problems, view.FieldMessage{Name: fe.Field, Message: msg})
			}
			if len(e.Fields) == 0 {
				page.Problems = append(page.Problems, view.FieldMessage{Name: "yaml", Message: form.Message})
			}
			if len(page.Problems) > 0 {
				form.Fail("source", p.T("policy.source_problems", len(page.Problems)))
			}
			web.renderPolicyEdit(w, r, http.StatusUnprocessableEntity, page)
			return
		}
		web.redirect(w, r, "/policy", p.T("policy.saved", v.Version), false)
	})
}
