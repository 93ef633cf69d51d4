package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementEdit is the request form filled with the case's request, for
// the employee to change it before the decision. The place is a secret and
// is not read for the form: left blank, it is kept.
func (web *Web) agreementEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ag, err := web.svc.Agreements.FindAgreement(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		if ag.PersonID != a.PersonID || !(ag.State == distans.AgreementRequested || ag.State == distans.AgreementAssessed) {
			web.forbidden(w, r)
			return
		}
		f := view.NewForm()
		f.Set("version", strconv.Itoa(ag.Version))
		for _, d := range ag.Request.Weekdays {
			f.Set("weekdays."+d, "1")
		}
		if ag.Request.DaysPerWeek > 0 {
			f.Set("days_per_week", strconv.Itoa(ag.Request.DaysPerWeek))
		}
		f.Set("start", ag.Request.Start.Format("2006-01-02"))
		f.Set("end", ag.Request.End.Format("2006-01-02"))
		f.Set("tasks", ag.Request.Tasks)
		f.Set("reasons", ag.Request.Reasons)
		if ag.Request.ReturnMinutes > 0 {
			f.Set("return_minutes", strconv.Itoa(ag.Request.ReturnMinutes))
		}
		f.Set("secrecy_tasks", boolField(ag.Request.SecrecyTasks))
		f.Set("client_meetings_at_remote", boolField(ag.Request.ClientMeetingsAtRemote))
		web.renderAgreementForm(w, r, http.StatusOK, f, ag)
	})
}
