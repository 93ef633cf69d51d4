package api

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// roleAssignRequest is POST /role-assignments; without unit_id the role
// holds in the whole organisation.
type roleAssignRequest struct {
	PersonID string       `json:"person_id"`
	Role     distans.Role `json:"role"`
	UnitID   string       `json:"unit_id"`
}

func (q *roleAssignRequest) assignment() *distans.RoleAssignment {
	return &distans.RoleAssignment{
		PersonID: strings.TrimSpace(q.PersonID),
		Role:     q.Role,
		UnitID:   strings.TrimSpace(q.UnitID),
	}
}

func (a *API) roleList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := distans.RoleFilter{
			PersonID:     q.str("person_id"),
			Role:         distans.Role(q.str("role")),
			IncludeEnded: q.boolean("include_ended"),
		}
		if f.Role != "" && !f.Role.Valid() {
			q.v.Add("role", "Okänd roll.", "Unknown role.")
		}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		ras, err := a.svc.Roles.ListRoleAssignments(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(ras))
	})
}

func (a *API) roleAssign() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req roleAssignRequest
		if !distans.ActorFrom(r.Context()).GrantsRolesSomewhere() {
			a.error(w, r, distans.Forbidden())
			return
		}
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		ra := req.assignment()
		if err := validate(&distans.Validation{}, ra.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Roles.AssignRole(r.Context(), ra); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, ra)
	})
}

func (a *API) roleEnd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.svc.Roles.EndRoleAssignment(r.Context(), r.PathValue("id")); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}
