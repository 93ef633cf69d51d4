package web

import (
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// oncallDutyAdd adds a duty period to an on-call phone; overlapping
// another period of the phone is refused.
func (web *Web) oncallDutyAdd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "phone_id", "person_id", "starts", "ends")
		loc := web.orgLoc(r, a)
		d := &distans.OnCallDuty{PhoneID: form.Value("phone_id"), PersonID: form.Value("person_id")}
		d.Starts = parseLocal(r, form, "starts", loc)
		d.Ends = parseLocal(r, form, "ends", loc)
		if form.Failed() {
			form.Message = printer(r).T("form.invalid")
			web.renderOnCall(w, r, a, http.StatusUnprocessableEntity, nil, form)
			return
		}
		if err := web.svc.Availability.AddOnCallDuty(r.Context(), d); err != nil {
			if !formFailed(r, form, err, "starts") {
				web.fail(w, r, err)
				return
			}
			web.renderOnCall(w, r, a, http.StatusUnprocessableEntity, nil, form)
			return
		}
		web.done(w, r, "/on-call", "oncall.duty_added")
	})
}

// parseLocal reads a datetime-local field (2026-11-22T08:00) in loc; an
// empty or bad one gets a message on the form.
func parseLocal(r *http.Request, f *view.Form, name string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", f.Value(name), loc)
	if err != nil {
		f.Fail(name, printer(r).T("oncall.bad_datetime"))
		return time.Time{}
	}
	return t
}
