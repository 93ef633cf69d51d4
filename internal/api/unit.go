package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// unitJSON is a unit as the API shows it: days as "YYYY-MM-DD".
type unitJSON struct {
	*distans.Unit
	EndedOn *Date `json:"ended_on,omitempty"`
}

func unitView(u *distans.Unit) unitJSON { return unitJSON{Unit: u, EndedOn: datePtr(u.EndedOn)} }

// unitCreateRequest is POST /units.
type unitCreateRequest struct {
	ParentID  string           `json:"parent_id"`
	Code      string           `json:"code"`
	Name      string           `json:"name"`
	Kind      distans.UnitKind `json:"kind"`
	ManagerID string           `json:"manager_id"`
}

func (q *unitCreateRequest) unit() *distans.Unit {
	return &distans.Unit{
		ParentID:  strings.TrimSpace(q.ParentID),
		Code:      strings.TrimSpace(q.Code),
		Name:      strings.TrimSpace(q.Name),
		Kind:      q.Kind,
		ManagerID: strings.TrimSpace(q.ManagerID),
	}
}

// unitUpdateRequest is PATCH /units/{id}: only the fields given change; an
// empty parent_id, code or manager_id removes the parent, the code or the
// manager.
// updated_at, when given, is the unit's as the client read it: a unit
// changed since is a conflict.
type unitUpdateRequest struct {
	ParentID  *string           `json:"parent_id"`
	Code      *string           `json:"code"`
	Name      *string           `json:"name"`
	Kind      *distans.UnitKind `json:"kind"`
	ManagerID *string           `json:"manager_id"`
	UpdatedAt *time.Time        `json:"updated_at"`
}

func (q *unitUpdateRequest) update() distans.UnitUpdate {
	return distans.UnitUpdate{ParentID: trimmedPtr(q.ParentID), Code: trimmedPtr(q.Code), Name: trimmedPtr(q.Name), Kind: q.Kind,
		ManagerID: trimmedPtr(q.ManagerID), UpdatedAt: q.UpdatedAt}
}

// endRequest is the body of POST …/end for units, sites, employments and leave.
type endRequest struct {
	EndedOn Date `json:"ended_on"`
}

func (q *endRequest) validate() error {
	var v distans.Validation
	q.EndedOn.check(&v, "ended_on", true)
	return v.Err()
}

func (a *API) unitList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := distans.UnitFilter{ParentID: q.str("parent_id"), IncludeEnded: q.boolean("include_ended")}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		units, err := a.svc.Units.ListUnits(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(views(units, unitView)))
	})
}

func (a *API) unitGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := a.svc.Units.FindUnit(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, unitView(u))
	})
}

func (a *API) unitCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req unitCreateRequest
		if !distans.ActorFrom(r.Context()).ManagesUnitsSomewhere() {
			a.error(w, r, distans.Forbidden())
			return
		}
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		u := req.unit()
		if err := validate(&distans.Validation{}, u.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Units.CreateUnit(r.Context(), u); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, unitView(u))
	})
}

func (a *API) unitUpdate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req unitUpdateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		u, err := a.svc.Units.UpdateUnit(ctx, r.PathValue("id"), req.update())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, unitView(u))
	})
}

func (a *API) unitEnd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req endRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		if err := req.validate(); err != nil {
			a.error(w, r, err)
			return
		}
		id := r.PathValue("id")
		if err := a.svc.Units.EndUnit(ctx, id, req.EndedOn.Time()); err != nil {
			a.error(w, r, err)
			return
		}
		u, err := a.svc.Units.FindUnit(ctx, id)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, unitView(u))
	})
}
