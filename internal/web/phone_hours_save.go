package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// phoneHoursMaxRows bounds the rows a posted form may hold.
const phoneHoursMaxRows = 50

// phoneHoursSave saves the weekly phone hours of a person, or of a unit
// when the form names one (unit_id). Empty rows are skipped.
// The pack may refuse them (Sorsele 004 §3: none without the kommunchef's
// exception, and at least five hours a week and one hour a session); the
// refusal cites the clause. Only the approving role
// (distans.PhoneHoursApprover) may record the exception, with its reason.
func (web *Web) phoneHoursSave() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		rows, _ := strconv.Atoi(r.PostFormValue("rows"))
		rows = min(max(rows, phoneHoursMinRows), phoneHoursMaxRows)
		form := readForm(r, "person_id", "unit_id", "exception.reason")
		t, err := web.unitTree(r.Context(), false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		owner, err := web.phoneHoursOwner(r, a, t, form.Value("person_id"), form.Value("unit_id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		h := &distans.PhoneHours{PersonID: owner.PersonID, UnitID: owner.UnitID}
		// Posted row i keeps its number on the form, so that a message
		// lands on the row the person typed; the domain numbers the
		// sessions it was given, which idx maps back.
		var idx []int
		for i := range rows {
			s := distans.PhoneSession{}
			for _, part := range []string{"weekday", "start", "end"} {
				v := strings.TrimSpace(r.PostFormValue(sessionField(i, part)))
				form.Set(sessionField(i, part), v)
			}
			s.Weekday, s.Start, s.End = form.Value(sessionField(i, "weekday")), form.Value(sessionField(i, "start")), form.Value(sessionField(i, "end"))
			if s.Weekday == "" && s.Start == "" && s.End == "" {
				continue
			}
			idx = append(idx, i)
			h.Sessions = append(h.Sessions, s)
		}
		if reason := form.Value("exception.reason"); reason != "" && a.DecidesPhoneHoursExceptions() {
			h.Exception = &distans.PhoneHoursDecision{Reason: reason}
		}
		if err := web.svc.Availability.SavePhoneHours(r.Context(), h, distans.NowFrom(r.Context())); err != nil {
			tmp := view.NewForm()
			if !formFailed(r, tmp, err, "sessions") {
				web.fail(w, r, err)
				return
			}
			form.Message = tmp.Message
			for _, name := range tmp.Order {
				form.Fail(renumberSession(name, idx), tmp.Errors[name])
			}
			web.renderPhoneHours(w, r, a, t, owner, http.StatusUnprocessableEntity, form, rows, nil, nil)
			return
		}
		if len(h.Notices) > 0 {
			form := view.NewForm()
			for i, s := range h.Sessions {
				setSession(form, i, s)
			}
			web.renderPhoneHours(w, r, a, t, owner, http.StatusOK, form, max(len(h.Sessions)+phoneHoursExtraRows, phoneHoursMinRows), h, h.Notices)
			return
		}
		web.done(w, r, "/phone-hours"+owner.query(a), "phonehours.saved")
	})
}

// renumberSession turns the domain's "sessions[k]…" into the form row the
// k-th session came from.
func renumberSession(name string, idx []int) string {
	rest, ok := strings.CutPrefix(name, "sessions[")
	if !ok {
		return name
	}
	n, tail, ok := strings.Cut(rest, "]")
	if !ok {
		return name
	}
	k, err := strconv.Atoi(n)
	if err != nil || k < 0 || k >= len(idx) {
		return name
	}
	if tail == "" {
		tail = ".start" // a message about the whole session goes on its start
	}
	return "sessions[" + strconv.Itoa(idx[k]) + "]" + tail
}
