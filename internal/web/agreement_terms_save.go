package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementTermsSave saves the written agreement with every part of
// Bjurholm 002 §11 and a comment on each of the pack's warnings. The pack's
// findings are saved with the terms and shown with their clauses; a
// blocking one keeps the agreement from being signed.
func (web *Web) agreementTermsSave() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "start", "end", "days_per_week", "share_remote", "remote_place", "main_workplace",
			"tax_workplace", "tasks", "secrecy_tasks", "working_hours", "return_minutes", "client_meetings_at_remote",
			"physical_meetings", "conditions", "evaluation")
		t := &distans.Terms{RemotePlace: form.Value("remote_place"), MainWorkplace: form.Value("main_workplace"),
			TaxWorkplace: form.Value("tax_workplace"), Tasks: form.Value("tasks"), SecrecyTasks: form.Value("secrecy_tasks") == "1",
			WorkingHours: form.Value("working_hours"), ClientMeetingsAtRemote: form.Value("client_meetings_at_remote") == "1",
			PhysicalMeetings: form.Value("physical_meetings"), Conditions: form.Value("conditions"), Evaluation: form.Value("evaluation")}
		t.Weekdays = readChecks(r, form, "weekdays_remote")
		t.Availability = readChecks(r, form, "availability")
		t.Equipment = readChecks(r, form, "equipment")
		if d := parseDay(r, form, "start", false); d != nil {
			t.Start = *d
		}
		if d := parseDay(r, form, "end", false); d != nil {
			t.End = *d
		}
		p := printer(r)
		for _, n := range []struct {
			name string
			dst  *int
		}{{"days_per_week", &t.DaysPerWeek}, {"share_remote", &t.ShareRemote}, {"return_minutes", &t.ReturnMinutes}} {
			if s := form.Value(n.name); s != "" {
				v, err := strconv.Atoi(s)
				if err != nil {
					form.Fail(n.name, p.T("agr.bad_number"))
				}
				*n.dst = v
			}
		}
		for k, v := range r.PostForm {
			if id, ok := strings.CutPrefix(k, "comments."); ok && id != "" && len(v) > 0 {
				c := strings.TrimSpace(v[0])
				form.Set(k, c)
				if c != "" {
					if t.Comments == nil {
						t.Comments = map[string]string{}
					}
					t.Comments[id] = c
				}
			}
		}
		set := func(pg *view.AgreementPage, f *view.Form) { pg.TermsForm = f }
		rename := map[string]string{"weekdays": "weekdays_remote"}
		if form.Failed() {
			form.Message = p.T("form.invalid")
			web.agreementFailed(w, r, a, form, &distans.Error{Code: distans.EINVALID, Sv: form.Message, En: form.Message}, nil, "", set)
			return
		}
		ag, err := web.svc.Agreements.SaveTerms(r.Context(), r.PathValue("id"), formVersion(r), t)
		if err != nil {
			web.agreementFailed(w, r, a, form, err, rename, "start", set)
			return
		}
		key := "agr.terms_saved"
		switch blocking, uncommented := ag.OpenFindings(); {
		case blocking > 0:
			key = "agr.terms_saved_blocked"
		case uncommented > 0:
			key = "agr.terms_saved_comments"
		}
		web.done(w, r, agreementBack(r)+"#terms-heading", key)
	})
}
