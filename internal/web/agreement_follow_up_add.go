package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementFollowUpAdd records a follow-up of an active agreement: goals,
// quality, availability, work situation, the digital work environment and
// spill-over onto colleagues (000, Uppföljning och utvärdering).
func (web *Web) agreementFollowUpAdd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "date", "goals", "quality", "availability", "work_situation", "digital_env",
			"spill_over", "spill_over_rating", "measures")
		f := &distans.FollowUp{Goals: form.Value("goals"), Quality: form.Value("quality"), Availability: form.Value("availability"),
			WorkSituation: form.Value("work_situation"), DigitalEnv: form.Value("digital_env"), SpillOver: form.Value("spill_over"),
			SpillOverRating: distans.SpillOverRating(form.Value("spill_over_rating")), Measures: form.Value("measures")}
		if d := parseDay(r, form, "date", false); d != nil {
			f.Date = *d
		}
		set := func(p *view.AgreementPage, fm *view.Form) { p.FollowUpForm = fm }
		if form.Failed() {
			web.agreementFailed(w, r, a, form, distans.Errorf(distans.EINVALID, printer(r).T("form.invalid"), printer(r).T("form.invalid")), nil, "", set)
			return
		}
		if _, err := web.svc.Agreements.AddFollowUp(r.Context(), r.PathValue("id"), formVersion(r), f); err != nil {
			web.agreementFailed(w, r, a, form, err, nil, "goals", set)
			return
		}
		web.done(w, r, agreementBack(r), "agr.follow_up_saved")
	})
}
