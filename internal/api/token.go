package api

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// tokenCreateRequest is POST /tokens: a token for the caller.
type tokenCreateRequest struct {
	Name string `json:"name"`
}

// tokenCreated carries the secret, which is shown this once and never again.
type tokenCreated struct {
	Token  *distans.APIToken `json:"token"`
	Secret string            `json:"secret"`
}

func (a *API) tokenList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ts, err := a.svc.SignIn.ListAPITokens(ctx, distans.ActorFrom(ctx).PersonID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(ts))
	})
}

func (a *API) tokenCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req tokenCreateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		var v distans.Validation
		v.Required("name", req.Name)
		v.MaxLen("name", req.Name, 100)
		if err := v.Err(); err != nil {
			a.error(w, r, err)
			return
		}
		secret, t, err := a.svc.SignIn.CreateAPIToken(ctx, distans.ActorFrom(ctx).PersonID, req.Name)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, tokenCreated{Token: t, Secret: secret})
	})
}

func (a *API) tokenRevoke() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.svc.SignIn.RevokeAPIToken(r.Context(), r.PathValue("id")); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}

// signOutEverywhere ends every browser session of the caller. API tokens
// are not sessions and stay valid; revoke them one by one.
func (a *API) signOutEverywhere() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.svc.SignIn.SignOutEverywhere(r.Context()); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}
