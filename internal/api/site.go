package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// siteJSON is a site as the API shows it: days as "YYYY-MM-DD".
type siteJSON struct {
	*distans.Site
	EndedOn *Date `json:"ended_on,omitempty"`
}

func siteView(s *distans.Site) siteJSON { return siteJSON{Site: s, EndedOn: datePtr(s.EndedOn)} }

// siteCreateRequest is POST /sites.
type siteCreateRequest struct {
	Name       string           `json:"name"`
	Code       string           `json:"code"`
	Kind       distans.SiteKind `json:"kind"`
	Street     string           `json:"street"`
	PostalCode string           `json:"postal_code"`
	City       string           `json:"city"`
}

func (q *siteCreateRequest) site() *distans.Site {
	return &distans.Site{
		Name:       strings.TrimSpace(q.Name),
		Code:       strings.TrimSpace(q.Code),
		Kind:       q.Kind,
		Street:     strings.TrimSpace(q.Street),
		PostalCode: strings.TrimSpace(q.PostalCode),
		City:       strings.TrimSpace(q.City),
	}
}

// siteUpdateRequest is PATCH /sites/{id}: only the fields given change.
// updated_at, when given, is the site's as the client read it: a site
// changed since is a conflict.
type siteUpdateRequest struct {
	Name       *string           `json:"name"`
	Code       *string           `json:"code"`
	Kind       *distans.SiteKind `json:"kind"`
	Street     *string           `json:"street"`
	PostalCode *string           `json:"postal_code"`
	City       *string           `json:"city"`
	UpdatedAt  *time.Time        `json:"updated_at"`
}

func (q *siteUpdateRequest) update() distans.SiteUpdate {
	return distans.SiteUpdate{Name: trimmedPtr(q.Name), Code: trimmedPtr(q.Code), Kind: q.Kind, Street: trimmedPtr(q.Street),
		PostalCode: trimmedPtr(q.PostalCode), City: trimmedPtr(q.City), UpdatedAt: q.UpdatedAt}
}

func (a *API) siteList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		includeEnded := q.boolean("include_ended")
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		sites, err := a.svc.Sites.ListSites(r.Context(), includeEnded)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(views(sites, siteView)))
	})
}

func (a *API) siteGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := a.svc.Sites.FindSite(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, siteView(s))
	})
}

func (a *API) siteCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req siteCreateRequest
		if !distans.ActorFrom(r.Context()).ManagesSites() {
			a.error(w, r, distans.Forbidden())
			return
		}
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		s := req.site()
		if err := validate(&distans.Validation{}, s.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Sites.CreateSite(r.Context(), s); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, siteView(s))
	})
}

func (a *API) siteUpdate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req siteUpdateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		s, err := a.svc.Sites.UpdateSite(ctx, r.PathValue("id"), req.update())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, siteView(s))
	})
}

func (a *API) siteEnd() http.Handler {
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
		if err := a.svc.Sites.EndSite(ctx, id, req.EndedOn.Time()); err != nil {
			a.error(w, r, err)
			return
		}
		s, err := a.svc.Sites.FindSite(ctx, id)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, siteView(s))
	})
}
