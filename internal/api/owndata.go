package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"github.com/distans/distans"
)

// One's own data (GDPR art. 15 and 20) on a.svc.OwnData: the person's
// requests under /api/v1/me/data-requests, HR's for a person under
// /api/v1/people/{id}/data-requests, HR's open requests, one request, its
// delivery and the export as JSON or PDF. The service decides who may
// (Actor.RequestsDataOf; ENOTFOUND for anyone else). Without the service
// the routes answer 404.

func (a *API) ownDataDo(do func(ctx context.Context, svc distans.OwnDataService, r *http.Request) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.svc.OwnData == nil {
			a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
			return
		}
		status, v, err := do(r.Context(), a.svc.OwnData, r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, status, v)
	})
}

// dataSubjectOf is the person of a route: the actor under /me, else {id}.
func dataSubjectOf(r *http.Request) string {
	if id := r.PathValue("id"); id != "" {
		return id
	}
	if act := distans.ActorFrom(r.Context()); act != nil {
		return act.PersonID
	}
	return ""
}

func (a *API) dataRequestList() http.Handler {
	return a.ownDataDo(func(ctx context.Context, svc distans.OwnDataService, r *http.Request) (int, any, error) {
		rs, err := svc.ListDataRequests(ctx, dataSubjectOf(r))
		return http.StatusOK, newList(rs), err
	})
}

func (a *API) dataRequestCreate() http.Handler {
	return a.ownDataDo(func(ctx context.Context, svc distans.OwnDataService, r *http.Request) (int, any, error) {
		req, err := svc.RequestOwnData(ctx, dataSubjectOf(r))
		return http.StatusCreated, req, err
	})
}

func (a *API) dataRequestsOpen() http.Handler {
	return a.ownDataDo(func(ctx context.Context, svc distans.OwnDataService, _ *http.Request) (int, any, error) {
		rs, err := svc.OpenDataRequests(ctx)
		return http.StatusOK, newList(rs), err
	})
}

func (a *API) dataRequestGet() http.Handler {
	return a.ownDataDo(func(ctx context.Context, svc distans.OwnDataService, r *http.Request) (int, any, error) {
		req, err := svc.FindDataRequest(ctx, r.PathValue("id"))
		return http.StatusOK, req, err
	})
}

func (a *API) dataRequestDeliver() http.Handler {
	return a.ownDataDo(func(ctx context.Context, svc distans.OwnDataService, r *http.Request) (int, any, error) {
		req, err := svc.DeliverDataRequest(ctx, r.PathValue("id"))
		return http.StatusOK, req, err
	})
}

// dataRequestExport downloads the delivered export in format, written in
// full before the first byte so that a failure is a JSON error.
func (a *API) dataRequestExport(format distans.OwnDataFormat, ctype string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.svc.OwnData == nil {
			a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
			return
		}
		var buf bytes.Buffer
		if err := a.svc.OwnData.DownloadOwnData(r.Context(), r.PathValue("id"), format, &buf); err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="mina-uppgifter.`+string(format)+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = buf.WriteTo(w)
	})
}

func (a *API) dataRequestJSON() http.Handler {
	return a.dataRequestExport(distans.OwnDataJSON, "application/json")
}

func (a *API) dataRequestPDF() http.Handler {
	return a.dataRequestExport(distans.OwnDataPDF, "application/pdf")
}
