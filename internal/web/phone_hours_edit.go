package web

import (
	"fmt"
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// phoneHoursExtraRows is how many empty session rows the form offers
// beyond those already saved; phoneHoursMinRows the fewest rows shown.
const (
	phoneHoursExtraRows = 3
	phoneHoursMinRows   = 5
)

// phoneHoursEdit is /phone-hours: the person's weekly phone hours, which
// the policy pack checks when they are saved. ?person=ID opens those of
// someone the actor acts for.
func (web *Web) phoneHoursEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		personID := presencePerson(a, r.URL.Query().Get("person"))
		if personID != a.PersonID {
			// Reading hours is open to all; the page for someone else is
			// for those who may see them, and no one else learns they exist.
			if _, err := web.svc.Availability.ListStatuses(r.Context(), personID, web.today(r, a), web.today(r, a)); err != nil {
				web.fail(w, r, err)
				return
			}
		}
		form := view.NewForm()
		h, err := web.svc.Availability.FindPhoneHours(r.Context(), personID)
		switch {
		case err == nil:
			for i, s := range h.Sessions {
				setSession(form, i, s)
			}
		case distans.ErrorCode(err) == distans.ENOTFOUND:
			h = nil
		default:
			web.fail(w, r, err)
			return
		}
		n := 0
		if h != nil {
			n = len(h.Sessions)
		}
		web.renderPhoneHours(w, r, a, personID, http.StatusOK, form, max(n+phoneHoursExtraRows, phoneHoursMinRows), h, nil)
	})
}

func sessionField(i int, part string) string { return fmt.Sprintf("sessions[%d].%s", i, part) }

func setSession(f *view.Form, i int, s distans.PhoneSession) {
	f.Set(sessionField(i, "weekday"), s.Weekday)
	f.Set(sessionField(i, "start"), s.Start)
	f.Set(sessionField(i, "end"), s.End)
}

// renderPhoneHours renders the form with rows session rows; saved is the
// person's stored hours (nil when none), notices what the pack said.
func (web *Web) renderPhoneHours(w http.ResponseWriter, r *http.Request, a *distans.Actor, personID string, status int,
	form *view.Form, rows int, saved *distans.PhoneHours, notices []distans.Notice) {
	l := web.layout(w, r)
	l.Title = l.T("phonehours.title")
	if len(notices) > 0 {
		l.Flash, l.FlashErr = l.T("phonehours.saved"), false
	}
	page := &view.PhoneHoursPage{Layout: l, Query: personQuery(a, personID), PersonID: personID, Form: form,
		Approver: a.HasRole(distans.PhoneHoursApprover), Notices: web.noticeRows(r, notices), Saved: saved != nil}
	if saved != nil {
		page.Exception = saved.Exception
	}
	page.Weekdays = []view.Option{{Value: "", Label: l.T("form.none")}}
	for _, d := range distans.Weekdays {
		page.Weekdays = append(page.Weekdays, view.Option{Value: d, Label: l.T("weekday." + d)})
	}
	for i := range rows {
		page.Rows = append(page.Rows, view.PhoneHoursRow{N: i + 1, Weekday: sessionField(i, "weekday"),
			Start: sessionField(i, "start"), End: sessionField(i, "end")})
	}
	web.render(w, r, status, page)
}
