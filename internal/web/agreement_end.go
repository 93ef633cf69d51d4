package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementEnd ends an active agreement: the employee at will, the
// manager at once after a documented dialogue (002 §11), whose note the
// form asks for.
func (web *Web) agreementEnd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		form := readForm(r, "version", "end_note", "end_on")
		set := func(p *view.AgreementPage, f *view.Form) {
			if p.EndForm != nil {
				p.EndForm = f
			}
		}
		ag, err := web.svc.Agreements.FindAgreement(r.Context(), id)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		reason := distans.EndByManager
		if ag.PersonID == a.PersonID {
			reason = distans.EndByEmployee
		}
		on := web.today(r, a)
		if d := parseDay(r, form, "end_on", false); d != nil {
			on = *d
		}
		if form.Failed() {
			msg := printer(r).T("form.invalid")
			web.agreementFailed(w, r, a, form, distans.Errorf(distans.EINVALID, msg, msg), nil, "", set)
			return
		}
		if reason == distans.EndByManager && form.Value("end_note") == "" {
			sv, en := "Beskriv dialogen med medarbetaren innan avtalet avslutas.", "Describe the dialogue with the employee before ending the agreement."
			err := &distans.Error{Code: distans.EINVALID, Sv: sv, En: en, Fields: []distans.FieldError{{Field: "end_note", Sv: sv, En: en}}}
			web.agreementFailed(w, r, a, form, err, nil, "", set)
			return
		}
		if _, err := web.svc.Agreements.End(r.Context(), id, formVersion(r), reason, form.Value("end_note"), on); err != nil {
			web.agreementFailed(w, r, a, form, err, map[string]string{"note": "end_note", "on": "end_on"}, "end_on", set)
			return
		}
		web.done(w, r, "/agreements/"+id, "agr.ended")
	})
}
