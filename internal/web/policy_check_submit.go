package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/view"
)

// policyCheckSubmit checks the posted input against the active pack and
// shows the findings, each citing its clause. Nothing is saved, so the
// result is rendered directly rather than redirected.
func (web *Web) policyCheckSubmit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		form := view.NewForm()
		kind := strings.TrimSpace(r.PostFormValue("kind"))
		form.Set("kind", kind)
		form.Set("input", r.PostFormValue("input"))
		if !knownKind(kind) {
			web.fail(w, r, distans.Errorf(distans.EINVALID, "Okänd typ av kontroll.", "Unknown kind of check."))
			return
		}
		if strings.TrimSpace(form.Value("input")) == "" {
			form.Message = printer(r).T("form.invalid")
			form.Fail("input", printer(r).T("form.required"))
			web.renderCheck(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		rep, err := web.svc.Policies.CheckPolicy(r.Context(), kind, strings.NewReader(form.Value("input")), distans.NowFrom(r.Context()))
		if err != nil {
			var e *distans.Error
			if !errors.As(err, &e) || e.Code != distans.EINVALID {
				web.fail(w, r, err)
				return
			}
			// The input's problems all belong to the one text area; each
			// names the JSON field it is about.
			lang := httpx.Lang(r)
			form.Message = e.Message(lang)
			msgs := make([]string, 0, len(e.Fields))
			for _, fe := range e.Fields {
				msg := fe.Sv
				if lang == "en" {
					msg = fe.En
				}
				msgs = append(msgs, fe.Field+": "+msg)
			}
			if len(msgs) == 0 {
				msgs = append(msgs, form.Message)
			}
			form.Fail("input", strings.Join(msgs, " "))
			web.renderCheck(w, r, http.StatusUnprocessableEntity, form, nil)
			return
		}
		p := printer(r)
		pack, v, err := web.svc.Policies.ActivePolicy(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		res := &view.CheckResult{Version: v.Version, CheckedAt: rep.CheckedAt, Blocking: rep.Blocking}
		for _, f := range rep.Findings {
			row := view.FindingRow{RuleID: f.RuleID, Severity: string(f.Severity), SeverityLabel: p.T("severity." + string(f.Severity)),
				Message: f.MessageSv, Source: view.SourceRef{Document: documentName(pack, f.Source.Document), Section: f.Source.Section, Quote: f.Source.Quote}}
			if p.Lang() == "en" {
				row.Message = f.MessageEn
			}
			for _, d := range f.Deadlines {
				row.Deadlines = append(row.Deadlines, view.DeadlineRow{Label: pick(p, d.Label), Hours: d.Hours, At: d.At, Passed: d.Passed})
			}
			res.Findings = append(res.Findings, row)
		}
		web.renderCheck(w, r, http.StatusOK, form, res)
	})
}
