package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// bookingRecurringCreate books a desk on some weekdays of every week and
// shows the result: every booked date and every date that could not be
// booked, with its reason. The result is the answer itself rather than a
// redirect, since the list of conflicts is not kept anywhere.
func (web *Web) bookingRecurringCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		form := readForm(r, "desk_id", "part", "from", "until")
		var days []time.Weekday
		_ = r.ParseForm()
		for _, s := range r.PostForm["weekday"] {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > 6 {
				continue
			}
			days = append(days, time.Weekday(n))
		}
		from := parseDay(r, form, "from", true)
		until := parseDay(r, form, "until", true)
		req := distans.RecurringBooking{DeskID: form.Value("desk_id"), Weekdays: days, Part: distans.DayPart(form.Value("part"))}
		if from != nil {
			req.From = *from
		}
		if until != nil {
			req.Until = *until
		}
		// A date field that did not parse keeps its own message: the first
		// message for a field wins.
		validationFailed(r, form, req.Validate())
		if form.Failed() {
			if form.Message == "" {
				form.Message = printer(r).T("form.invalid")
			}
			web.renderRecurring(w, r, http.StatusUnprocessableEntity, form, days)
			return
		}
		res, err := web.svc.Office.BookRecurring(ctx, req)
		if err != nil {
			if distans.ErrorCode(err) == distans.ENOTFOUND {
				form.Fail("desk_id", printer(r).T("error.not_found"))
				form.Message = printer(r).T("form.invalid")
			} else if !formFailed(r, form, err, "desk_id") {
				web.fail(w, r, err)
				return
			}
			web.renderRecurring(w, r, http.StatusUnprocessableEntity, form, days)
			return
		}
		desk, err := web.svc.Office.FindDesk(ctx, req.DeskID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		site, err := web.svc.Sites.FindSite(ctx, desk.SiteID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("office.recurring_result_title")
		web.render(w, r, http.StatusOK, &view.RecurringResultPage{Layout: l, DeskLabel: desk.Label, SiteName: site.Name, Result: res})
	})
}
