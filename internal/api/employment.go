package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// employmentJSON is an employment as the API shows it: days as "YYYY-MM-DD".
type employmentJSON struct {
	*distans.Employment
	StartsOn Date  `json:"starts_on"`
	EndsOn   *Date `json:"ends_on,omitempty"`
}

func employmentView(e *distans.Employment) employmentJSON {
	return employmentJSON{Employment: e, StartsOn: NewDate(e.StartsOn), EndsOn: datePtr(e.EndsOn)}
}

// employmentCreateRequest is POST /people/{id}/employments.
type employmentCreateRequest struct {
	UnitID   string `json:"unit_id"`
	Title    string `json:"title"`
	SiteID   string `json:"site_id"`
	StartsOn Date   `json:"starts_on"`
	EndsOn   Date   `json:"ends_on"`
}

func (q *employmentCreateRequest) employment(personID string) (*distans.Employment, error) {
	e := &distans.Employment{
		PersonID: personID,
		UnitID:   strings.TrimSpace(q.UnitID),
		Title:    strings.TrimSpace(q.Title),
		SiteID:   strings.TrimSpace(q.SiteID),
		StartsOn: q.StartsOn.Time(),
		EndsOn:   q.EndsOn.Ptr(),
	}
	var v distans.Validation
	q.StartsOn.check(&v, "starts_on", false) // Employment.Validate reports a missing start
	q.EndsOn.check(&v, "ends_on", false)
	return e, validate(&v, e.Validate())
}

// employmentUpdateRequest is PATCH /employments/{id}: only the fields given
// change; "ends_on": null removes the end date, "site_id": "" the site.
// updated_at, when given, is the employment's as the client read it: an
// employment changed since is a conflict.
type employmentUpdateRequest struct {
	UnitID    *string    `json:"unit_id"`
	Title     *string    `json:"title"`
	SiteID    *string    `json:"site_id"`
	StartsOn  Date       `json:"starts_on"`
	EndsOn    Date       `json:"ends_on"`
	UpdatedAt *time.Time `json:"updated_at"`
}

// update reads the change; a date that is not a date goes along as
// Invalid, for the store to answer once it has decided that the caller
// may change the employment, and the store checks the rest.
func (q *employmentUpdateRequest) update() distans.EmploymentUpdate {
	var v distans.Validation
	q.StartsOn.check(&v, "starts_on", q.StartsOn.Present())
	q.EndsOn.check(&v, "ends_on", false)
	upd := distans.EmploymentUpdate{UnitID: trimmedPtr(q.UnitID), Title: trimmedPtr(q.Title), SiteID: trimmedPtr(q.SiteID),
		SetEndsOn: q.EndsOn.Present(), EndsOn: q.EndsOn.Ptr(), UpdatedAt: q.UpdatedAt, Invalid: v.Err()}
	if q.StartsOn.Present() && !q.StartsOn.IsZero() {
		start := q.StartsOn.Time()
		upd.StartsOn = &start
	}
	return upd
}

func (a *API) employmentList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		es, err := a.svc.People.ListEmployments(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(views(es, employmentView)))
	})
}

func (a *API) employmentCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req employmentCreateRequest
		if !distans.ActorFrom(r.Context()).ManagesPeopleSomewhere() {
			a.error(w, r, distans.Forbidden())
			return
		}
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		e, err := req.employment(r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.People.CreateEmployment(r.Context(), e); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, employmentView(e))
	})
}

func (a *API) employmentUpdate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req employmentUpdateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		e, err := a.svc.People.UpdateEmployment(ctx, r.PathValue("id"), req.update())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, employmentView(e))
	})
}

func (a *API) employmentEnd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req endRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		if err := req.validate(); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.People.EndEmployment(r.Context(), r.PathValue("id"), req.EndedOn.Time()); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}

// leaveJSON is a leave as the API shows it: days as "YYYY-MM-DD".
type leaveJSON struct {
	*distans.Leave
	StartsOn Date  `json:"starts_on"`
	EndsOn   *Date `json:"ends_on,omitempty"`
}

func leaveView(l *distans.Leave) leaveJSON {
	return leaveJSON{Leave: l, StartsOn: NewDate(l.StartsOn), EndsOn: datePtr(l.EndsOn)}
}

// leaveCreateRequest is POST /people/{id}/leaves.
type leaveCreateRequest struct {
	Kind     distans.LeaveKind `json:"kind"`
	StartsOn Date              `json:"starts_on"`
	EndsOn   Date              `json:"ends_on"`
}

func (q *leaveCreateRequest) leave(personID string) (*distans.Leave, error) {
	l := &distans.Leave{PersonID: personID, Kind: q.Kind, StartsOn: q.StartsOn.Time(), EndsOn: q.EndsOn.Ptr()}
	var v distans.Validation
	q.StartsOn.check(&v, "starts_on", false)
	q.EndsOn.check(&v, "ends_on", false)
	return l, validate(&v, l.Validate())
}

func (a *API) leaveList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls, err := a.svc.People.ListLeaves(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(views(ls, leaveView)))
	})
}

func (a *API) leaveCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req leaveCreateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		l, err := req.leave(r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.People.CreateLeave(r.Context(), l); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, leaveView(l))
	})
}

func (a *API) leaveEnd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req endRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		if err := req.validate(); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.People.EndLeave(r.Context(), r.PathValue("id"), req.EndedOn.Time()); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}
