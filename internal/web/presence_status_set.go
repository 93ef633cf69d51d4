package web

import (
	"net/http"

	"github.com/distans/distans"
)

// presenceStatusSet saves the status of a day: where the person is, when
// they are back, and a reason that only they will read.
func (web *Web) presenceStatusSet() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "person_id", "date", "kind", "site_id", "back_date", "back_time", "reason")
		personID := presencePerson(a, form.Value("person_id"))
		loc := web.orgLoc(r, a)
		d := &distans.DayStatus{PersonID: personID, Kind: distans.StatusKind(form.Value("kind")),
			SiteID: form.Value("site_id"), Reason: form.Value("reason")}
		if day := parseDay(r, form, "date", true); day != nil {
			d.Date = *day
		}
		d.BackAt = parseDateTime(r, form, "back_date", "back_time", loc)
		if d.Kind != distans.StatusAtSite {
			d.SiteID = "" // a site chosen before the kind was changed
		}
		if form.Failed() {
			form.Message = printer(r).T("form.invalid")
			web.renderStatus(w, r, a, personID, http.StatusUnprocessableEntity, form, nil, nil)
			return
		}
		if err := web.svc.Availability.SetStatus(r.Context(), d, distans.NowFrom(r.Context())); err != nil {
			if !formFailed(r, form, err, "kind") {
				web.fail(w, r, err)
				return
			}
			web.renderStatus(w, r, a, personID, http.StatusUnprocessableEntity, form, nil, nil)
			return
		}
		web.done(w, r, "/status"+personQuery(a, personID), "status.saved")
	})
}
