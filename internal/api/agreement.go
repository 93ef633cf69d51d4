package api

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Remote-work agreements (distansarbetsöverenskommelser) on
// a.svc.Agreements: the case from the employee's request through the
// manager's assessment, the risk assessment of the home workplace, the
// decision, the written terms and both signatures, to follow-ups, the
// evaluation, renewal and the end. The service enforces who may do what
// (ENOTFOUND outside the caller's reach, EFORBIDDEN for a case the caller
// sees but may not change) and the order of the journey (ECONFLICT).
//
// Every change names the version of the case the client last read, in the
// body as "version"; the service answers a stale one with ECONFLICT (409),
// so a double submit or a second tab never overwrites someone's work.
//
// Days (start, end, the follow-up's and the evaluation's date, the end's
// "on") are "YYYY-MM-DD" both ways. The remote place is a home address:
// responses never carry it; GET /agreements/{id}/place reveals it, and the
// store audits every such read.
//
// Without an agreement service (a deployment or test that wires none) the
// routes answer 404, as the calendar feed does without its store.

// agreementService returns the agreement service, or writes 404 and
// returns nil when none is wired.
func (a *API) agreementService(w http.ResponseWriter, r *http.Request) distans.AgreementService {
	if a.svc.Agreements == nil {
		a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
		return nil
	}
	return a.svc.Agreements
}

// agreementJSON is an agreement as the API shows it: days as
// "YYYY-MM-DD", never the remote place; the store's terms_hash is what a
// signature must name.
type agreementJSON struct {
	*distans.Agreement
	Request        requestJSON                `json:"request"`
	Terms          *termsJSON                 `json:"terms,omitempty"`
	FollowUps      []followUpJSON             `json:"follow_ups,omitempty"`
	NextFollowUpOn *Date                      `json:"next_follow_up_on,omitempty"`
	Evaluation     *evaluationJSON            `json:"evaluation,omitempty"`
	EndedOn        *Date                      `json:"ended_on,omitempty"`
	Findings       []distans.AgreementFinding `json:"findings"`
	// RequestFindings are the pack's findings on the request, in GET
	// /agreements/{id} until the decision ([] when there are none).
	RequestFindings *[]distans.AgreementFinding `json:"request_findings,omitempty"`
}

type requestJSON struct {
	distans.AgreementRequest
	Start Date `json:"start"`
	End   Date `json:"end"`
}

type termsJSON struct {
	distans.Terms
	Start Date `json:"start"`
	End   Date `json:"end"`
}

type followUpJSON struct {
	*distans.FollowUp
	Date Date `json:"date"`
}

type evaluationJSON struct {
	*distans.Evaluation
	Date Date `json:"date"`
}

// agreementView is the JSON view of ag. The remote place is removed
// whatever the service filled in, as personView does with the personal
// identity number.
func agreementView(ag *distans.Agreement) agreementJSON {
	v := agreementJSON{Agreement: ag, NextFollowUpOn: datePtr(ag.NextFollowUp()), EndedOn: datePtr(ag.EndedOn),
		Findings: ag.Findings}
	req := ag.Request
	req.Place = ""
	v.Request = requestJSON{AgreementRequest: req, Start: NewDate(req.Start), End: NewDate(req.End)}
	if ag.Terms != nil {
		t := *ag.Terms
		t.RemotePlace = ""
		v.Terms = &termsJSON{Terms: t, Start: NewDate(t.Start), End: NewDate(t.End)}
	}
	for _, f := range ag.FollowUps {
		v.FollowUps = append(v.FollowUps, followUpJSON{FollowUp: f, Date: NewDate(f.Date)})
	}
	if ag.Evaluation != nil {
		v.Evaluation = &evaluationJSON{Evaluation: ag.Evaluation, Date: NewDate(ag.Evaluation.Date)}
	}
	if v.Findings == nil {
		v.Findings = []distans.AgreementFinding{}
	}
	return v
}

// agreementPage is the response of GET /agreements.
type agreementPage struct {
	Items  []agreementJSON `json:"items"`
	Total  int             `json:"total"`
	Offset int             `json:"offset"`
	Limit  int             `json:"limit"`
}

// placeResponse is GET /agreements/{id}/place.
type placeResponse struct {
	RequestPlace string `json:"request_place"`
	TermsPlace   string `json:"terms_place"`
}

// checkResponse is POST /agreements/check.
type checkResponse struct {
	Findings    []distans.AgreementFinding `json:"findings"`
	PackVersion int                        `json:"pack_version"`
	Blocking    bool                       `json:"blocking"`
}

func (a *API) agreementList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.agreementService(w, r)
		if svc == nil {
			return
		}
		q := newQuery(r)
		f := distans.AgreementFilter{
			PersonID: q.str("person_id"),
			UnitID:   q.str("unit_id"),
			Queue:    q.boolean("queue"),
			Query:    q.search(),
			Offset:   int(q.integer("offset", 0, 0, 1_000_000)),
			Limit:    int(q.integer("limit", 50, 1, 200)),
		}
		for _, s := range r.URL.Query()["state"] {
			for part := range strings.SplitSeq(s, ",") {
				st := distans.AgreementState(strings.TrimSpace(part))
				switch {
				case st == "":
				case !slices.Contains(distans.AgreementStates, st):
					q.v.Add("state", "Okänt läge "+string(st)+".", "Unknown state "+string(st)+".")
				case !slices.Contains(f.States, st):
					f.States = append(f.States, st)
				}
			}
		}
		f.ExpiringBy = q.date("expiring_by").Ptr()
		f.Overdue = q.date("overdue").Ptr()
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		ags, total, err := svc.ListAgreements(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		page := agreementPage{Items: views(ags, agreementView), Total: total, Offset: f.Offset, Limit: f.Limit}
		respond(w, http.StatusOK, page)
	})
}

func (a *API) agreementGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.agreementService(w, r)
		if svc == nil {
			return
		}
		ag, err := svc.FindAgreement(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		v := agreementView(ag)
		if ag.State == distans.AgreementRequested || ag.State == distans.AgreementAssessed {
			fs, err := svc.RequestFindings(r.Context(), ag.ID)
			if err != nil {
				a.error(w, r, err)
				return
			}
			fs = append([]distans.AgreementFinding{}, fs...)
			v.RequestFindings = &fs
		}
		respond(w, http.StatusOK, v)
	})
}

// agreementPlace reveals the remote place of the request and of the terms;
// the store audits the read (agreement.place_read).
func (a *API) agreementPlace() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.agreementService(w, r)
		if svc == nil {
			return
		}
		req, terms, err := svc.RevealRemotePlace(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusOK, placeResponse{RequestPlace: req, TermsPlace: terms})
	})
}

// agreementPDF answers the agreement as a PDF named by its registration
// number. The PDF is written in full before the first byte is sent, so
// that a failure is still a JSON error.
func (a *API) agreementPDF() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.agreementService(w, r)
		if svc == nil {
			return
		}
		ctx := r.Context()
		ag, err := svc.FindAgreement(ctx, r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := svc.PDF(ctx, ag.ID, &buf); err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+pdfFileName(ag.Number)+`"`)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
	})
}

// pdfFileName turns a registration number such as "DIST 2026/0042" into
// "DIST-2026-0042.pdf": letters, digits and dashes only, so that the name
// needs no quoting in any header or file system.
func pdfFileName(number string) string {
	var b strings.Builder
	dash := false
	for _, c := range number {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.TrimSuffix(b.String(), "-")
	if name == "" {
		name = "overenskommelse"
	}
	return name + ".pdf"
}

// agreementCreate opens a case for the caller with their request.
func (a *API) agreementCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.agreementService(w, r)
		if svc == nil {
			return
		}
		ctx := r.Context()
		var req agreementRequestBody
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		today, _, err := distans.TodayIn(ctx, a.svc.Organisations, distans.ActorFrom(ctx).OrganisationID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		var v distans.Validation
		ar := req.request(&v)
		if err := validate(&v, ar.Validate(today)); err != nil {
			a.error(w, r, err)
			return
		}
		ag, err := svc.Request(ctx, ar)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, agreementView(ag))
	})
}

// agreementCheck answers the pack's findings on terms without saving them.
func (a *API) agreementCheck() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.agreementService(w, r)
		if svc == nil {
			return
		}
		var req TermsInput
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		var v distans.Validation
		t := req.terms(&v)
		if err := validate(&v, t.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		findings, pack, err := svc.CheckTerms(r.Context(), r.URL.Query().Get("agreement_id"), t)
		if err != nil {
			a.error(w, r, err)
			return
		}
		out := checkResponse{Findings: findings, PackVersion: pack}
		if out.Findings == nil {
			out.Findings = []distans.AgreementFinding{}
		}
		for _, f := range findings {
			out.Blocking = out.Blocking || f.Severity == "block"
		}
		respond(w, http.StatusOK, out)
	})
}
