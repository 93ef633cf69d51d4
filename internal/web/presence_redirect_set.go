package web

import (
	"net/http"

	"github.com/distans/distans"
)

// presenceRedirectSet saves the redirection (hänvisning). The policy pack
// decides what is allowed: a refusal is shown beside the target with the
// clause it cites, and nothing is saved; the pack's warnings are shown
// with what was saved.
func (web *Web) presenceRedirectSet() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "person_id", "text", "until_date", "until_time", "target", "colleague_id")
		personID := presencePerson(a, form.Value("person_id"))
		red := &distans.Redirect{PersonID: personID, Phone: distans.PhonePersonal, Text: form.Value("text"),
			Target: distans.RedirectTarget(form.Value("target")), ColleagueID: form.Value("colleague_id")}
		if red.Target != distans.RedirectColleague {
			red.ColleagueID = "" // a colleague chosen before the target was changed
		}
		red.Until = parseDateTime(r, form, "until_date", "until_time", web.orgLoc(r, a))
		if form.Failed() {
			form.Message = printer(r).T("form.invalid")
			web.renderStatus(w, r, a, personID, http.StatusUnprocessableEntity, nil, form, nil)
			return
		}
		if err := web.svc.Availability.SetRedirect(r.Context(), red, distans.NowFrom(r.Context())); err != nil {
			if !formFailed(r, form, err, "target") {
				web.fail(w, r, err)
				return
			}
			// The domain names the return time "until"; the form has two inputs.
			if msg := form.Error("until"); msg != "" {
				form.Fail("until_date", msg)
			}
			web.renderStatus(w, r, a, personID, http.StatusUnprocessableEntity, nil, form, nil)
			return
		}
		if len(red.Notices) > 0 {
			// Shown once, on the page the save lands on.
			web.renderStatusSaved(w, r, a, personID, red.Notices)
			return
		}
		web.done(w, r, "/status"+personQuery(a, personID), "redirect.saved")
	})
}

// renderStatusSaved shows the page after a save whose notices the person
// must read: rendered directly, since notices do not fit in a flash.
func (web *Web) renderStatusSaved(w http.ResponseWriter, r *http.Request, a *distans.Actor, personID string, notices []distans.Notice) {
	web.renderStatus(w, r, a, personID, http.StatusOK, nil, nil, notices)
}
