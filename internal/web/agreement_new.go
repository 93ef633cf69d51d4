package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/view"
)

// agreementNew is the request form: weekdays or a number of days a week,
// the place, the period, the tasks and the reasons, with the notice that a
// day at home now and then is not remote work.
func (web *Web) agreementNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		web.renderAgreementForm(w, r, http.StatusOK, view.NewForm(), nil)
	})
}

// renderAgreementForm shows the request form; ag is the case whose request
// is changed, nil for a new one.
func (web *Web) renderAgreementForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form, ag *distans.Agreement) {
	l := web.layout(w, r)
	page := &view.AgreementFormPage{Layout: l, Form: form, Action: "/agreements", Back: "/agreements",
		Notes: web.packNotes(r, policy.FormAgreementRequest)}
	page.Title = l.T("agr.new_title")
	if ag != nil {
		page.Title = l.T("agr.edit_title", ag.Number)
		page.Editing, page.Version = true, ag.Version
		page.Action, page.Back = "/agreements/"+ag.ID+"/request", "/agreements/"+ag.ID
		if form.Value("version") != "" {
			page.Version, _ = strconv.Atoi(form.Value("version"))
		}
	}
	page.Weekdays = checks(l.P, form, "weekdays", "weekday.", distans.Weekdays[:5])
	if ag == nil {
		pre, err := web.svc.Agreements.Preconditions(r.Context(), "")
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.ShowPreconditions = true
		for _, f := range pre {
			page.Preconditions = append(page.Preconditions, findingRow(l.P, f))
		}
	}
	web.render(w, r, status, page)
}

// readRequest reads the request form into f and a request; a date that
// does not parse is a message on its field.
func readRequest(r *http.Request, f *view.Form) *distans.AgreementRequest {
	req := &distans.AgreementRequest{Place: f.Value("place"), Tasks: f.Value("tasks"), Reasons: f.Value("reasons"),
		SecrecyTasks: f.Value("secrecy_tasks") == "1", ClientMeetingsAtRemote: f.Value("client_meetings_at_remote") == "1"}
	req.Weekdays = readChecks(r, f, "weekdays")
	for _, n := range []struct {
		name string
		dst  *int
	}{{"days_per_week", &req.DaysPerWeek}, {"return_minutes", &req.ReturnMinutes}} {
		if s := f.Value(n.name); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil {
				f.Fail(n.name, printer(r).T("agr.bad_number"))
			}
			*n.dst = v
		}
	}
	if d := parseDay(r, f, "start", false); d != nil {
		req.Start = *d
	}
	if d := parseDay(r, f, "end", false); d != nil {
		req.End = *d
	}
	return req
}
