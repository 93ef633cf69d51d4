package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/policy"
)

// policyCheckRequest is POST /policy/check: the kind of thing to check and
// its input, whose fields depend on the kind (openapi.json documents each
// kind's input; policy.DecodeInput reads it as strictly as the request).
type policyCheckRequest struct {
	Kind  string          `json:"kind"`
	Input json.RawMessage `json:"input"`
}

// checkKinds are the kinds a check may name, in the order of policy.Kinds.
var checkKinds = func() []string {
	var names []string
	for _, k := range policy.Kinds() {
		names = append(names, k.Name)
	}
	return names
}()

func (q *policyCheckRequest) validate() error {
	var v distans.Validation
	q.Kind = strings.TrimSpace(q.Kind)
	switch {
	case q.Kind == "":
		v.Required("kind", q.Kind)
	case !slices.Contains(checkKinds, q.Kind):
		list := strings.Join(checkKinds, ", ")
		v.Add("kind", "Okänd typ av kontroll. Tillåtna: "+list+".", "Unknown kind of check. Allowed: "+list+".")
	}
	if in := bytes.TrimSpace(q.Input); len(in) == 0 || in[0] != '{' {
		v.Add("input", "Ange det som ska kontrolleras som ett JSON-objekt.", "Give what is to be checked as a JSON object.")
	}
	return v.Err()
}

// inputError moves the field names of an error about the input under
// "input.", so that they name the field of the request body.
func inputError(err error) error {
	return renameFields(err, func(name string) string { return "input." + name })
}

// renameFields returns err with its field names passed through rename, so
// that an error from a service names the field of the request body; err
// itself is left as it is.
func renameFields(err error, rename func(string) string) error {
	var e *distans.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]distans.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = rename(f.Field)
		c.Fields[i] = f
	}
	return &c
}

// policyCheck checks one input against the caller's organisation's active
// pack and answers with the report: 200 whether or not something blocks
// (the report's blocking says so), 422 when the input itself is wrong.
func (a *API) policyCheck() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req policyCheckRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		if err := req.validate(); err != nil {
			a.error(w, r, err)
			return
		}
		svc, err := a.policyService()
		if err != nil {
			a.error(w, r, err)
			return
		}
		report, err := svc.CheckPolicy(r.Context(), req.Kind, bytes.NewReader(req.Input), distans.NowFrom(r.Context()))
		if err != nil {
			a.error(w, r, inputError(err))
			return
		}
		respond(w, http.StatusOK, report)
	})
}
