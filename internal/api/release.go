package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Release of a public document on a.svc.Releases, under
// /api/v1/records/releases: the secrecy review of a case, the decision,
// the decisions, and the masked copy and the decision as PDFs. The store
// decides who may (Actor.ReleasesFrom: EFORBIDDEN for one who keeps no
// register, ENOTFOUND outside their scope). Without the service the routes
// answer 404.

func (a *API) releaseDo(do func(ctx context.Context, svc distans.ReleaseService, w http.ResponseWriter, r *http.Request) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.svc.Releases == nil {
			a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
			return
		}
		status, v, err := do(r.Context(), a.svc.Releases, w, r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		if v == nil {
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, status, v)
	})
}

// releaseJSON is a decision as the API shows it, its request day a date.
type releaseJSON struct {
	*distans.ReleaseRequest
	RequestedOn Date `json:"requested_on"`
}

func releaseView(x *distans.ReleaseRequest) releaseJSON {
	return releaseJSON{ReleaseRequest: x, RequestedOn: NewDate(x.RequestedOn)}
}

func (a *API) releaseList() http.Handler {
	return a.releaseDo(func(ctx context.Context, svc distans.ReleaseService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := r.URL.Query()
		rs, err := svc.ListReleases(ctx, distans.RegisterKind(q.Get("kind")), q.Get("record_id"))
		out := make([]releaseJSON, 0, len(rs))
		for _, x := range rs {
			out = append(out, releaseView(x))
		}
		return http.StatusOK, newList(out), err
	})
}

func (a *API) releaseReview() http.Handler {
	return a.releaseDo(func(ctx context.Context, svc distans.ReleaseService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := r.URL.Query()
		rev, err := svc.ReviewRelease(ctx, distans.RegisterKind(q.Get("kind")), q.Get("record_id"))
		return http.StatusOK, rev, err
	})
}

// releaseBody is the decision on a request.
type releaseBody struct {
	Kind             distans.RegisterKind `json:"kind"`
	RecordID         string               `json:"record_id"`
	Requester        string               `json:"requester"`
	RequestedOn      Date                 `json:"requested_on"`
	Refuse           bool                 `json:"refuse"`
	RefusalProvision string               `json:"refusal_provision"`
	Maskings         []maskingBody        `json:"maskings"`
	Delegation       string               `json:"delegation"`
	Note             string               `json:"note"`
}

type maskingBody struct {
	Field     string `json:"field"`
	Provision string `json:"provision"`
}

func (b *releaseBody) input() distans.ReleaseInput {
	in := distans.ReleaseInput{Kind: b.Kind, RecordID: b.RecordID, Requester: b.Requester, RequestedOn: b.RequestedOn.Time(),
		Refuse: b.Refuse, RefusalProvision: b.RefusalProvision, Delegation: b.Delegation, Note: b.Note}
	for _, m := range b.Maskings {
		in.Maskings = append(in.Maskings, distans.Masking{Field: m.Field, Provision: m.Provision})
	}
	return in
}

func (a *API) releaseCreate() http.Handler {
	return a.releaseDo(func(ctx context.Context, svc distans.ReleaseService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b releaseBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		x, err := svc.DecideRelease(ctx, b.input())
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, releaseView(x), nil
	})
}

func (a *API) releaseGet() http.Handler {
	return a.releaseDo(func(ctx context.Context, svc distans.ReleaseService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		x, err := svc.FindRelease(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, releaseView(x), nil
	})
}

// releasePDF downloads the copy or the decision, written in full before
// the first byte so that a failure is a JSON error.
func (a *API) releasePDF(copy bool) http.Handler {
	return a.releaseDo(func(ctx context.Context, svc distans.ReleaseService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var buf bytes.Buffer
		write, name := svc.WriteReleaseDecision, "decision.pdf"
		if copy {
			write, name = svc.WriteReleaseCopy, "copy.pdf"
		}
		if err := write(ctx, r.PathValue("id"), &buf); err != nil {
			return 0, nil, err
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = buf.WriteTo(w)
		return 0, nil, nil
	})
}

func (a *API) releaseCopy() http.Handler     { return a.releasePDF(true) }
func (a *API) releaseDecision() http.Handler { return a.releasePDF(false) }
