package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// bookingCreate books a desk for the person for a day or half a day and
// goes back to the site's day. A taken desk, a date in the past or past the
// horizon comes back as the store's message; nothing is saved.
func (web *Web) bookingCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		deskID := strings.TrimSpace(r.PostFormValue("desk_id"))
		desk, err := web.svc.Office.FindDesk(r.Context(), deskID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		back := "/office/sites/" + desk.SiteID
		date, err := time.Parse(time.DateOnly, strings.TrimSpace(r.PostFormValue("date")))
		if err != nil {
			web.redirect(w, r, back, printer(r).T("form.bad_date"), true)
			return
		}
		back += "?date=" + date.Format(time.DateOnly)
		b := &distans.Booking{DeskID: desk.ID, Date: date, Part: distans.DayPart(r.PostFormValue("part"))}
		err = b.Validate()
		if err == nil {
			err = web.svc.Office.Book(r.Context(), b)
		}
		if err != nil {
			if msg, ok := officeMessage(r, err); ok {
				web.redirect(w, r, back, msg, true)
				return
			}
			web.fail(w, r, err)
			return
		}
		web.redirect(w, r, back, printer(r).T("office.booked_flash", desk.Label, b.Part.Label(httpx.Lang(r))), false)
	})
}

// officeMessage is the message of a user error from the office service,
// for a flash: the field messages themselves where there are any (the
// buttons have no fields to mark), else the error's own message.
func officeMessage(r *http.Request, err error) (string, bool) {
	var e *distans.Error
	if !errors.As(err, &e) {
		return "", false
	}
	switch e.Code {
	case distans.EINVALID, distans.ECONFLICT:
	default:
		return "", false
	}
	lang := httpx.Lang(r)
	if len(e.Fields) == 0 {
		return e.Message(lang), true
	}
	var parts []string
	for _, f := range e.Fields {
		if lang == "en" {
			parts = append(parts, f.En)
		} else {
			parts = append(parts, f.Sv)
		}
	}
	return strings.Join(parts, " "), true
}
