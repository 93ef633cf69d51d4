package api

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// disposalService is disposal, or a 404 where it is not served.
func (a *API) disposalService(w http.ResponseWriter, r *http.Request) distans.DisposalService {
	if a.svc.Disposal == nil {
		a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
		return nil
	}
	return a.svc.Disposal
}

// disposalResult is what POST /records/disposal disposed of: one entry
// per batch, none when nothing was due.
type disposalResult struct {
	Entries []*distans.DisposalLogEntry `json:"entries"`
}

// disposalLog is the latest entries of the disposal log.
type disposalLog struct {
	Items []*distans.DisposalLogEntry `json:"items"`
}

// disposalPlan is GET /records/disposal/plan: the dry run.
func (a *API) disposalPlan() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.disposalService(w, r)
		if svc == nil {
			return
		}
		plan, err := svc.PlanDisposal(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, plan)
	})
}

// disposalRun is POST /records/disposal: dispose of what is due now.
func (a *API) disposalRun() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.disposalService(w, r)
		if svc == nil {
			return
		}
		entries, err := svc.Dispose(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		if entries == nil {
			entries = []*distans.DisposalLogEntry{}
		}
		respond(w, http.StatusOK, disposalResult{Entries: entries})
	})
}

// disposalLogList is GET /records/disposal/log: the latest entries.
func (a *API) disposalLogList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.disposalService(w, r)
		if svc == nil {
			return
		}
		q := newQuery(r)
		limit := int(q.integer("limit", 100, 1, 1000))
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		entries, err := svc.ListDisposalLog(r.Context(), limit)
		if err != nil {
			a.error(w, r, err)
			return
		}
		if entries == nil {
			entries = []*distans.DisposalLogEntry{}
		}
		respond(w, http.StatusOK, disposalLog{Items: entries})
	})
}

// disposalHoldBody is POST /records/disposal/holds: hold the records of
// one person (person_id) or of everyone (none), of one type or of every
// holdable type (none), for the reason given.
type disposalHoldBody struct {
	PersonID string               `json:"person_id"`
	Type     distans.DisposalType `json:"type"`
	Reason   string               `json:"reason"`
}

// disposalHoldList is GET /records/disposal/holds: the organisation's
// holds, open ones first, then released ones, newest first.
func (a *API) disposalHoldList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.disposalService(w, r)
		if svc == nil {
			return
		}
		holds, err := svc.ListDisposalHolds(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusOK, newList(holds))
	})
}

// disposalHoldCreate places a hold; the store checks who may
// (Actor.HoldsRecords) and what (HoldRequest.Validate).
func (a *API) disposalHoldCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.disposalService(w, r)
		if svc == nil {
			return
		}
		var b disposalHoldBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			a.error(w, r, err)
			return
		}
		h, err := svc.PlaceDisposalHold(r.Context(), distans.HoldRequest{PersonID: b.PersonID, Type: b.Type, Reason: b.Reason})
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusCreated, h)
	})
}

// disposalHoldRelease releases an open hold. The hold stays in the list,
// released, so that the investigation's record of it is kept: a state
// change, hence POST …/release rather than DELETE.
func (a *API) disposalHoldRelease() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.disposalService(w, r)
		if svc == nil {
			return
		}
		if err := svc.ReleaseDisposalHold(r.Context(), r.PathValue("id")); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}
