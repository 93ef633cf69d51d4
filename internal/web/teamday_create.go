package web

import (
	"net/http"

	"github.com/distans/distans"
)

// teamdayCreate sets a team day for a unit the manager manages.
func (web *Web) teamdayCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "unit_id", "date", "note")
		d := &distans.TeamDay{UnitID: form.Value("unit_id"), Note: form.Value("note")}
		if day := parseDay(r, form, "date", true); day != nil {
			d.Date = *day
		}
		if !form.Failed() {
			err := web.svc.Office.SetTeamDay(r.Context(), d)
			if err == nil {
				web.done(w, r, "/team-days", "office.teamday_saved")
				return
			}
			if !formFailed(r, form, err, "date") {
				web.fail(w, r, err)
				return
			}
		} else {
			form.Message = printer(r).T("form.invalid")
		}
		web.renderTeamDays(w, r, a, http.StatusUnprocessableEntity, form)
	})
}
