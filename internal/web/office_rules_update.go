package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// officeRulesUpdate saves a site's booking rules.
func (web *Web) officeRulesUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		siteID := r.PathValue("id")
		form := readForm(r, "horizon_days", "max_per_week", "release_at", "pm_release_at", "congestion_percent")
		if r.PostFormValue("check_in_required") != "" {
			form.Set("check_in_required", "1")
		}
		rules := &distans.BookingRules{SiteID: siteID, CheckInRequired: form.Checked("check_in_required")}
		number := func(name string, dst *int) {
			n, err := strconv.Atoi(form.Value(name))
			if err != nil {
				form.Fail(name, printer(r).T("office.number"))
			}
			*dst = n
		}
		clock := func(name string, dst *distans.TimeOfDay) {
			t, err := distans.ParseTimeOfDay(form.Value(name))
			var e *distans.Error
			if errors.As(err, &e) {
				form.Fail(name, e.Message(httpx.Lang(r)))
			}
			*dst = t
		}
		number("horizon_days", &rules.HorizonDays)
		number("max_per_week", &rules.MaxPerWeek)
		clock("release_at", &rules.ReleaseAt)
		clock("pm_release_at", &rules.PMReleaseAt)
		number("congestion_percent", &rules.CongestionPercent)
		if !form.Failed() {
			err := web.svc.Office.SetBookingRules(r.Context(), rules)
			if err == nil {
				web.done(w, r, "/office/sites/"+siteID+"/zones", "office.rules_saved")
				return
			}
			if !formFailed(r, form, err, "horizon_days") {
				web.fail(w, r, err)
				return
			}
		}
		form.Message = printer(r).T("form.invalid")
		web.renderOfficeAdmin(w, r, http.StatusUnprocessableEntity, siteID, nil, nil, form)
	})
}
