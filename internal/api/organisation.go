package api

import (
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// meResponse is who the caller is: the person, the organisation, the roles
// held and the permissions they give.
type meResponse struct {
	Person       *distans.Person       `json:"person"`
	Organisation *distans.Organisation `json:"organisation"`
	Language     string                `json:"language"`
	Roles        []grantJSON           `json:"roles"`
	Permissions  []distans.Permission  `json:"permissions"`
}

type grantJSON struct {
	Role   distans.Role `json:"role"`
	Label  string       `json:"label"`
	UnitID string       `json:"unit_id,omitempty"`
}

var allPermissions = []distans.Permission{
	distans.PermViewPeople, distans.PermManagePeople, distans.PermViewSecret, distans.PermManageUnits,
	distans.PermManageSites, distans.PermManageRoles, distans.PermViewAudit, distans.PermViewAggregates,
	distans.PermManageOrg, distans.PermManageSignIn, distans.PermManagePolicy, distans.PermUnlockAccounts,
	distans.PermFollowAcknowledgements,
}

func (a *API) me() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := distans.ActorFrom(ctx)
		p, o, err := a.svc.People.FindSelf(ctx)
		if err != nil {
			a.error(w, r, err)
			return
		}
		lang := httpx.Lang(r)
		resp := meResponse{Person: personView(p), Organisation: o, Language: lang,
			Roles: []grantJSON{}, Permissions: []distans.Permission{}}
		for _, g := range actor.Grants {
			resp.Roles = append(resp.Roles, grantJSON{Role: g.Role, Label: g.Role.Label(lang), UnitID: g.UnitID})
		}
		for _, perm := range allPermissions {
			if actor.Can(perm) {
				resp.Permissions = append(resp.Permissions, perm)
			}
		}
		respond(w, http.StatusOK, resp)
	})
}

func (a *API) organisationGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, err := a.svc.Organisations.FindOrganisationByID(r.Context(), distans.ActorFrom(r.Context()).OrganisationID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, o)
	})
}

// organisationUpdateRequest is PATCH /organisation: only the fields given
// change. The slug is not here: people sign in with it. updated_at, when
// given, is the organisation's as the client read it: an organisation
// changed since is a conflict.
type organisationUpdateRequest struct {
	Name      *string    `json:"name"`
	TimeZone  *string    `json:"time_zone"`
	Language  *string    `json:"language"`
	UpdatedAt *time.Time `json:"updated_at"`
}

func (q *organisationUpdateRequest) update() distans.OrganisationUpdate {
	return distans.OrganisationUpdate{Name: trimmedPtr(q.Name), TimeZone: trimmedPtr(q.TimeZone),
		Language: trimmedPtr(q.Language), UpdatedAt: q.UpdatedAt}
}

func (a *API) organisationUpdate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := distans.ActorFrom(ctx)
		var req organisationUpdateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		if !actor.ManagesOrganisation() {
			a.error(w, r, distans.Forbidden())
			return
		}
		o, err := a.svc.Organisations.UpdateOrganisation(ctx, actor.OrganisationID, req.update())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, o)
	})
}
