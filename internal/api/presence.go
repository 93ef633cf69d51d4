package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Availability: today's status, redirection, phone hours, on-call phones and
// the switchboard's directory (issue 5). The presence service behind
// a.svc.Availability checks the policy pack; a redirect or phone hours it
// refuses come back as 422 with the clause in the message.

// dayOrToday reads the query parameter date, today when absent.
func (a *API) dayOrToday(r *http.Request, q *query) (time.Time, error) {
	d := q.date("date")
	if err := q.err(); err != nil {
		return time.Time{}, err
	}
	if !d.IsZero() {
		return d.Time(), nil
	}
	today, _, err := distans.TodayIn(r.Context(), a.svc.Organisations, distans.ActorFrom(r.Context()).OrganisationID)
	return today, err
}

// statusJSON is a day status with its day as "YYYY-MM-DD".
type statusJSON struct {
	*distans.DayStatus
	Date Date `json:"date"`
}

// publicStatus is what others see of a status: never the reason, never
// who set it.
type publicStatus struct {
	PersonID string             `json:"person_id"`
	Date     Date               `json:"date"`
	Kind     distans.StatusKind `json:"kind"`
	Label    string             `json:"label"`
	SiteID   string             `json:"site_id,omitempty"`
	BackAt   *time.Time         `json:"back_at,omitempty"`
	Default  bool               `json:"default"`
}

// statusPutRequest is PUT /me/status.
type statusPutRequest struct {
	Date   Date               `json:"date"`
	Kind   distans.StatusKind `json:"kind"`
	SiteID string             `json:"site_id"`
	BackAt *time.Time         `json:"back_at"`
	Reason string             `json:"reason"`
}

func (a *API) statusGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		date, err := a.dayOrToday(r, newQuery(r))
		if err != nil {
			a.error(w, r, err)
			return
		}
		s, err := a.svc.Availability.FindStatus(ctx, distans.ActorFrom(ctx).PersonID, date)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, statusJSON{DayStatus: s, Date: NewDate(s.Date)})
	})
}

func (a *API) statusPut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req statusPutRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		var v distans.Validation
		req.Date.check(&v, "date", true)
		if err := v.Err(); err != nil {
			a.error(w, r, err)
			return
		}
		today, _, err := distans.TodayIn(ctx, a.svc.Organisations, distans.ActorFrom(ctx).OrganisationID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		now := distans.NowFrom(ctx)
		d := &distans.DayStatus{PersonID: distans.ActorFrom(ctx).PersonID, Date: req.Date.Time(), Kind: req.Kind,
			SiteID: strings.TrimSpace(req.SiteID), BackAt: req.BackAt, Reason: strings.TrimSpace(req.Reason)}
		if err := validate(&v, d.Validate(today, now)); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Availability.SetStatus(ctx, d, now); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, statusJSON{DayStatus: d, Date: NewDate(d.Date)})
	})
}

func (a *API) personStatus() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		date, err := a.dayOrToday(r, newQuery(r))
		if err != nil {
			a.error(w, r, err)
			return
		}
		s, err := a.svc.Availability.FindStatus(ctx, r.PathValue("id"), date)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, publicStatus{PersonID: s.PersonID, Date: NewDate(s.Date), Kind: s.Kind,
			Label: s.Kind.Label(httpx.Lang(r)), SiteID: s.SiteID, BackAt: s.BackAt, Default: s.Default})
	})
}

// redirectPutRequest is PUT /me/redirect.
type redirectPutRequest struct {
	Phone       distans.PhoneKind      `json:"phone"`
	Text        string                 `json:"text"`
	Until       *time.Time             `json:"until"`
	Target      distans.RedirectTarget `json:"target"`
	ColleagueID string                 `json:"colleague_id"`
}

func (a *API) redirectGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		rd, err := a.svc.Availability.FindRedirect(ctx, distans.ActorFrom(ctx).PersonID, distans.NowFrom(ctx))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, rd)
	})
}

func (a *API) redirectPut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req redirectPutRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		now := distans.NowFrom(ctx)
		rd := &distans.Redirect{PersonID: distans.ActorFrom(ctx).PersonID, Phone: req.Phone, Text: strings.TrimSpace(req.Text),
			Until: req.Until, Target: req.Target, ColleagueID: strings.TrimSpace(req.ColleagueID)}
		if err := validate(&distans.Validation{}, rd.Validate(now)); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Availability.SetRedirect(ctx, rd, now); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, rd)
	})
}

func (a *API) redirectDelete() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if err := a.svc.Availability.ClearRedirect(ctx, distans.ActorFrom(ctx).PersonID); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}

// phoneHoursPutRequest is PUT /me/phone-hours. Exception records the
// approving role's decision, with a reason, that lets the person have
// phone hours at all where the pack allows none without one (Sorsele 004
// §3); a decision on record stands, so later changes need not repeat it.
type phoneHoursPutRequest struct {
	Sessions  []phoneSessionRequest `json:"sessions"`
	Exception *exceptionRequest     `json:"exception"`
}

type phoneSessionRequest struct {
	Weekday string `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

type exceptionRequest struct {
	Reason string `json:"reason"`
}

func (a *API) phoneHoursGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		h, err := a.svc.Availability.FindPhoneHours(ctx, distans.ActorFrom(ctx).PersonID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, h)
	})
}

func (a *API) phoneHoursPut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req phoneHoursPutRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		h := &distans.PhoneHours{PersonID: distans.ActorFrom(ctx).PersonID, Sessions: []distans.PhoneSession{}}
		for _, s := range req.Sessions {
			h.Sessions = append(h.Sessions, distans.PhoneSession{Weekday: strings.ToLower(strings.TrimSpace(s.Weekday)),
				Start: strings.TrimSpace(s.Start), End: strings.TrimSpace(s.End)})
		}
		if req.Exception != nil {
			h.Exception = &distans.PhoneHoursDecision{Reason: strings.TrimSpace(req.Exception.Reason)}
		}
		if err := validate(&distans.Validation{}, h.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Availability.SavePhoneHours(ctx, h, distans.NowFrom(ctx)); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, h)
	})
}

func (a *API) onCallNow() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		phones, err := a.svc.Availability.CurrentOnCall(r.Context(), distans.NowFrom(r.Context()))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(phones))
	})
}

func (a *API) onCallPhoneList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		unitID := q.str("unit_id")
		phones, err := a.svc.Availability.ListOnCallPhones(r.Context(), unitID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(phones))
	})
}

// onCallPhoneCreateRequest is POST /on-call-phones.
type onCallPhoneCreateRequest struct {
	UnitID string `json:"unit_id"`
	Name   string `json:"name"`
	Number string `json:"number"`
}

func (a *API) onCallPhoneCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req onCallPhoneCreateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		p := &distans.OnCallPhone{UnitID: strings.TrimSpace(req.UnitID), Name: strings.TrimSpace(req.Name), Number: strings.TrimSpace(req.Number)}
		if err := validate(&distans.Validation{}, p.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Availability.CreateOnCallPhone(r.Context(), p); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, p)
	})
}

// dutyCreateRequest is POST /on-call-phones/{id}/duties.
type dutyCreateRequest struct {
	PersonID string    `json:"person_id"`
	Starts   time.Time `json:"starts"`
	Ends     time.Time `json:"ends"`
}

func (a *API) dutyCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req dutyCreateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		d := &distans.OnCallDuty{PhoneID: r.PathValue("id"), PersonID: strings.TrimSpace(req.PersonID), Starts: req.Starts, Ends: req.Ends}
		if err := validate(&distans.Validation{}, d.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Availability.AddOnCallDuty(r.Context(), d); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, d)
	})
}

// directoryPage is one page of a directory search.
type directoryPage struct {
	Items       []*distans.DirectoryHit `json:"items"`
	Total       int                     `json:"total"`
	TotalCapped bool                    `json:"total_capped"`
	Next        string                  `json:"next,omitempty"`
	Prev        string                  `json:"prev,omitempty"`
	Limit       int                     `json:"limit"`
}

func (a *API) directorySearch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := distans.DirectoryFilter{Query: q.search(), UnitID: q.str("unit_id"),
			After: q.cursor("after"), Before: q.cursor("before"), Limit: int(q.integer("limit", 50, 1, 200))}
		q.noOffset()
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		hits, pg, err := a.svc.Availability.SearchDirectory(r.Context(), f, distans.NowFrom(r.Context()))
		if err != nil {
			a.error(w, r, err)
			return
		}
		if hits == nil {
			hits = []*distans.DirectoryHit{}
		}
		respond(w, http.StatusOK, directoryPage{Items: hits, Total: min(pg.Total, distans.CountCap), TotalCapped: pg.Capped(),
			Next: pg.Next, Prev: pg.Prev, Limit: f.Limit})
	})
}

// directoryProfileRequest is PUT /me/directory-profile; a work mobile left
// out stays as it is.
type directoryProfileRequest struct {
	Keywords   []string `json:"keywords"`
	WorkMobile *string  `json:"work_mobile"`
}

func (a *API) directoryProfileGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		d, err := a.svc.Availability.FindDirectoryProfile(ctx, distans.ActorFrom(ctx).PersonID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		if d.Keywords == nil {
			d.Keywords = []string{}
		}
		respond(w, http.StatusOK, d)
	})
}

func (a *API) directoryProfilePut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req directoryProfileRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		d, err := a.svc.Availability.FindDirectoryProfile(ctx, distans.ActorFrom(ctx).PersonID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		d.PersonID = distans.ActorFrom(ctx).PersonID
		d.Keywords = req.Keywords
		if req.WorkMobile != nil {
			d.WorkMobile = trimmed(req.WorkMobile)
		}
		if err := validate(&distans.Validation{}, d.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Availability.SaveDirectoryProfile(ctx, d); err != nil {
			a.error(w, r, err)
			return
		}
		if d.Keywords == nil {
			d.Keywords = []string{}
		}
		respond(w, http.StatusOK, d)
	})
}
