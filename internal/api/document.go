package api

import (
	"math"
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// documentCreateRequest is POST /documents: a new policy document, published
// as version 1. A required document must be acknowledged by everyone in
// unit_id's subtree, or everyone when unit_id is empty.
type documentCreateRequest struct {
	Title    string `json:"title"`
	Body     string `json:"body"`
	Required bool   `json:"required"`
	UnitID   string `json:"unit_id"`
}

func (q *documentCreateRequest) document() *distans.PolicyDocument {
	return &distans.PolicyDocument{
		Title:    strings.TrimSpace(q.Title),
		Body:     q.Body,
		Required: q.Required,
		UnitID:   strings.TrimSpace(q.UnitID),
	}
}

// documentVersionRequest is POST /documents/{id}/versions: the text of the
// new version; title, required and unit_id stay as they were unless given.
// A new version of a required document asks everyone to acknowledge again.
// version, when given, is the current version as the client read it:
// another version published since is a conflict.
type documentVersionRequest struct {
	Title    *string `json:"title"`
	Body     string  `json:"body"`
	Required *bool   `json:"required"`
	UnitID   *string `json:"unit_id"`
	Version  *int    `json:"version"`
}

func (q *documentVersionRequest) update() (distans.DocumentUpdate, error) {
	upd := distans.DocumentUpdate{Title: trimmedPtr(q.Title), Body: q.Body, Required: q.Required, UnitID: trimmedPtr(q.UnitID)}
	if q.Version != nil {
		if *q.Version < 1 {
			var v distans.Validation
			v.Add("version", "Versionen ska vara 1 eller högre.", "The version must be 1 or higher.")
			return upd, v.Err()
		}
		upd.Version = *q.Version
	}
	return upd, nil
}

// acknowledgeRequest is POST /documents/{id}/acknowledge: the version read,
// which must be the current one, so that nobody signs a text they did not
// see. Acknowledging again answers the first acknowledgement.
type acknowledgeRequest struct {
	Version int `json:"version"`
}

func (q *acknowledgeRequest) validate() error {
	var v distans.Validation
	if q.Version < 1 {
		v.Add("version", "Ange versionen du har läst (1 eller högre).", "Give the version you have read (1 or higher).")
	}
	return v.Err()
}

func (a *API) documentList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ds, err := a.svc.Documents.ListDocuments(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(ds))
	})
}

func (a *API) documentCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := requirePolicy(r); err != nil {
			a.error(w, r, err)
			return
		}
		var req documentCreateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		d := req.document()
		if err := validate(&distans.Validation{}, d.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.Documents.PublishDocument(r.Context(), d); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, d)
	})
}

// documentGet answers the current version, or the one ?version=n names.
func (a *API) documentGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		version := q.integer("version", 0, 1, math.MaxInt32)
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		d, err := a.svc.Documents.FindDocument(r.Context(), r.PathValue("id"), int(version))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, d)
	})
}

func (a *API) documentVersionList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ds, err := a.svc.Documents.ListDocumentVersions(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(ds))
	})
}

func (a *API) documentVersionCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if err := requirePolicy(r); err != nil {
			a.error(w, r, err)
			return
		}
		var req documentVersionRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		upd, err := req.update()
		if err != nil {
			a.error(w, r, err)
			return
		}
		d, err := a.svc.Documents.PublishDocumentVersion(ctx, r.PathValue("id"), upd)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, d)
	})
}

func (a *API) documentAcknowledge() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req acknowledgeRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		if err := req.validate(); err != nil {
			a.error(w, r, err)
			return
		}
		ack, err := a.svc.Documents.Acknowledge(r.Context(), r.PathValue("id"), req.Version)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, ack)
	})
}

// acknowledgementList answers a person's acknowledgements, the caller's own
// unless person_id names someone in the caller's PermViewPeople scope.
func (a *API) acknowledgementList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		personID := newQuery(r).str("person_id")
		if personID == "" {
			personID = distans.ActorFrom(ctx).PersonID
		}
		acks, err := a.svc.Documents.ListAcknowledgements(ctx, personID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(acks))
	})
}

// documentPending answers the required documents the caller has yet to
// acknowledge.
func (a *API) documentPending() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ds, err := a.svc.Documents.Pending(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(ds))
	})
}

// documentOutstanding answers who in the caller's Actor.OutstandingScope
// (or in unit_id's subtree) has not acknowledged a required document; the
// store refuses everyone else.
func (a *API) documentOutstanding() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		unitID := newQuery(r).str("unit_id")
		out, err := a.svc.Documents.Outstanding(ctx, unitID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(out))
	})
}
