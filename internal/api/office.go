package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// The hybrid office (issue 5): zones, desks, availability, bookings, team
// days and utilisation, on a.svc.Office. The service enforces the rules
// (the horizon, the weekly maximum, never a double booking) and answers a
// taken desk with ECONFLICT, which becomes 409.

// bookingJSON is a booking with its day as "YYYY-MM-DD".
type bookingJSON struct {
	*distans.Booking
	Date Date `json:"date"`
}

func bookingView(b *distans.Booking) bookingJSON {
	return bookingJSON{Booking: b, Date: NewDate(b.Date)}
}

func bookingViews(bs []*distans.Booking) []bookingJSON {
	out := make([]bookingJSON, len(bs))
	for i, b := range bs {
		out[i] = bookingView(b)
	}
	return out
}

// availabilityJSON is a site's day with the day as "YYYY-MM-DD".
type availabilityJSON struct {
	*distans.SiteAvailability
	Date Date `json:"date"`
}

func (a *API) siteAvailability() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		d := q.date("date")
		if !d.Present() {
			q.v.Add("date", "Ange ett datum (ÅÅÅÅ-MM-DD).", "Enter a date (YYYY-MM-DD).")
		}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		av, err := a.svc.Office.SiteAvailability(r.Context(), r.PathValue("id"), d.Time())
		if err != nil {
			a.error(w, r, err)
			return
		}
		httpx.WriteAppendedJSON(w, http.StatusOK, availabilityJSON{SiteAvailability: av, Date: NewDate(av.Date)}.appendJSON)
	})
}

func (a *API) zoneList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		zs, err := a.svc.Office.ListZones(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(zs))
	})
}

// deskJSON is a desk with its last day as "YYYY-MM-DD".
type deskJSON struct {
	*distans.Desk
	EndedOn *Date `json:"ended_on,omitempty"`
}

func (a *API) deskList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		includeEnded := q.boolean("include_ended")
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		ds, err := a.svc.Office.ListDesks(r.Context(), r.PathValue("id"), includeEnded)
		if err != nil {
			a.error(w, r, err)
			return
		}
		items := make([]deskJSON, len(ds))
		for i, d := range ds {
			items[i] = deskJSON{Desk: d, EndedOn: datePtr(d.EndedOn)}
		}
		respond(w, http.StatusOK, newList(items))
	})
}

// bookingCreateRequest is POST /bookings.
type bookingCreateRequest struct {
	DeskID string          `json:"desk_id"`
	Date   Date            `json:"date"`
	Part   distans.DayPart `json:"part"`
}

func (a *API) bookingCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req bookingCreateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		var v distans.Validation
		req.Date.check(&v, "date", false)
		b := &distans.Booking{DeskID: strings.TrimSpace(req.DeskID), Date: req.Date.Time(), Part: req.Part}
		if err := validate(&v, b.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Office.Book(r.Context(), b); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, bookingView(b))
	})
}

func (a *API) bookingList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := distans.BookingFilter{From: q.date("from").Time(), To: q.date("to").Time(), IncludeInactive: q.boolean("include_inactive")}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		bs, err := a.svc.Office.ListBookings(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(bookingViews(bs)))
	})
}

func (a *API) bookingCancel() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.svc.Office.CancelBooking(r.Context(), r.PathValue("id")); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}

func (a *API) bookingCheckIn() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := r.PathValue("id")
		if err := a.svc.Office.CheckIn(ctx, id); err != nil {
			a.error(w, r, err)
			return
		}
		b, err := a.svc.Office.FindBooking(ctx, id)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, bookingView(b))
	})
}

// recurringRequest is POST /bookings/recurring: the weekdays by name
// ("mon" … "sun").
type recurringRequest struct {
	DeskID   string          `json:"desk_id"`
	Weekdays []string        `json:"weekdays"`
	Part     distans.DayPart `json:"part"`
	From     Date            `json:"from"`
	Until    Date            `json:"until"`
}

// recurringResponse reports every date: booked, or a conflict with its reason.
type recurringResponse struct {
	SeriesID  string         `json:"series_id"`
	Booked    []bookingJSON  `json:"booked"`
	Conflicts []conflictJSON `json:"conflicts"`
}

type conflictJSON struct {
	*distans.DateConflict
	Date Date `json:"date"`
}

// recurring checks the request and turns it into the domain's form.
func (q *recurringRequest) recurring() (distans.RecurringBooking, error) {
	var v distans.Validation
	q.From.check(&v, "from", false)
	q.Until.check(&v, "until", false)
	rb := distans.RecurringBooking{DeskID: strings.TrimSpace(q.DeskID), Part: q.Part, From: q.From.Time(), Until: q.Until.Time()}
	for _, d := range q.Weekdays {
		i := slices.Index(distans.Weekdays, strings.ToLower(strings.TrimSpace(d)))
		if i < 0 {
			v.Add("weekdays", "Okänd veckodag: ange mon, tue, wed, thu, fri, sat eller sun.", "Unknown weekday: give mon, tue, wed, thu, fri, sat or sun.")
			continue
		}
		wd := time.Weekday((i + 1) % 7)
		if !slices.Contains(rb.Weekdays, wd) {
			rb.Weekdays = append(rb.Weekdays, wd)
		}
	}
	return rb, validate(&v, rb.Validate())
}

func (a *API) bookingRecurring() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req recurringRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		rb, err := req.recurring()
		if err != nil {
			a.error(w, r, err)
			return
		}
		res, err := a.svc.Office.BookRecurring(r.Context(), rb)
		if err != nil {
			a.error(w, r, err)
			return
		}
		out := recurringResponse{SeriesID: res.SeriesID, Booked: bookingViews(res.Booked), Conflicts: []conflictJSON{}}
		for _, c := range res.Conflicts {
			out.Conflicts = append(out.Conflicts, conflictJSON{DateConflict: c, Date: NewDate(c.Date)})
		}
		respond(w, http.StatusOK, out)
	})
}

// teamDayJSON is a team day with its day as "YYYY-MM-DD".
type teamDayJSON struct {
	*distans.TeamDay
	Date Date `json:"date"`
}

func (a *API) teamDayList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		q := newQuery(r)
		unitID := q.str("unit_id")
		from, to := q.date("from"), q.date("to")
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		if unitID == "" {
			p, err := a.svc.People.FindPerson(ctx, distans.ActorFrom(ctx).PersonID)
			if err != nil {
				a.error(w, r, err)
				return
			}
			unitID = p.UnitID
		}
		start, end := from.Time(), to.Time()
		if start.IsZero() || end.IsZero() {
			today, _, err := distans.TodayIn(ctx, a.svc.Organisations, distans.ActorFrom(ctx).OrganisationID)
			if err != nil {
				a.error(w, r, err)
				return
			}
			if start.IsZero() {
				start = today
			}
			if end.IsZero() {
				end = start.AddDate(0, 0, 90)
			}
		}
		if unitID == "" {
			respond(w, http.StatusOK, newList([]teamDayJSON{}))
			return
		}
		ds, err := a.svc.Office.ListTeamDays(ctx, unitID, start, end)
		if err != nil {
			a.error(w, r, err)
			return
		}
		items := make([]teamDayJSON, len(ds))
		for i, d := range ds {
			items[i] = teamDayJSON{TeamDay: d, Date: NewDate(d.Date)}
		}
		respond(w, http.StatusOK, newList(items))
	})
}

func (a *API) utilisation() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		from, to := q.date("from"), q.date("to")
		if !from.Present() {
			q.v.Add("from", "Ange första datum (ÅÅÅÅ-MM-DD).", "Enter the first date (YYYY-MM-DD).")
		}
		if !to.Present() {
			q.v.Add("to", "Ange sista datum (ÅÅÅÅ-MM-DD).", "Enter the last date (YYYY-MM-DD).")
		}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		rows, err := a.svc.Office.Utilisation(r.Context(), from.Time(), to.Time())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(rows))
	})
}
