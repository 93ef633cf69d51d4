package api

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// policyVersionJSON is a saved version of the pack without its text: who
// saved it, when and why.
type policyVersionJSON struct {
	OrganisationID string    `json:"organisation_id"`
	Version        int       `json:"version"`
	Reason         string    `json:"reason"`
	CreatedBy      string    `json:"created_by,omitempty"`
	CreatedByName  string    `json:"created_by_name"`
	CreatedAt      time.Time `json:"created_at"`
}

func policyVersionView(v *distans.PolicyVersion) policyVersionJSON {
	return policyVersionJSON{OrganisationID: v.OrganisationID, Version: v.Version, Reason: v.Reason,
		CreatedBy: v.CreatedBy, CreatedByName: v.CreatedByName, CreatedAt: v.CreatedAt}
}

// policyActive is GET /policy: the pack in force and the version it is.
// Version 0 is the generic pack of an organisation that has saved none.
type policyActive struct {
	Version policyVersionJSON `json:"version"`
	Pack    *distans.Policy   `json:"pack"`
}

// policyVersionDetail is one version with the YAML text it was saved as,
// which is what an HR officer edits and sends back with PUT /policy.
type policyVersionDetail struct {
	Version policyVersionJSON `json:"version"`
	Pack    *distans.Policy   `json:"pack"`
	Source  string            `json:"source"`
}

func policyDetail(p *distans.Policy, v *distans.PolicyVersion) policyVersionDetail {
	return policyVersionDetail{Version: policyVersionView(v), Pack: p, Source: v.Source}
}

// policySaveRequest is PUT /policy: a whole new pack text. base_version is
// the version the text was edited from; a save over a newer version is
// refused (409) so that two HR officers never overwrite each other.
type policySaveRequest struct {
	BaseVersion *int   `json:"base_version"`
	Source      string `json:"source"`
	Reason      string `json:"reason"`
}

// policyParametersRequest is PATCH /policy/parameters: new values for some
// parameters, by name, as text ("300", "true", "1,5"); the rest stay.
type policyParametersRequest struct {
	BaseVersion *int              `json:"base_version"`
	Values      map[string]string `json:"values"`
	Reason      string            `json:"reason"`
}

// maxPolicySource bounds a pack's text; the largest seed pack is a few
// tens of kilobytes, and the body limit is 1 MiB anyway.
const maxPolicySource = 500_000

// checkBase validates base_version and reason, which every change of the
// pack carries: the version edited from, and why (required from version 2,
// so for every change over an existing version).
func checkBase(v *distans.Validation, base *int, reason string) int {
	if base == nil {
		v.Add("base_version", "Ange vilken version ändringen utgår från (0 för den första).",
			"Give the version the change starts from (0 for the first).")
		return 0
	}
	if *base < 0 {
		v.Add("base_version", "Versionen kan inte vara negativ.", "The version cannot be negative.")
	}
	if *base > 0 {
		v.Required("reason", reason)
	}
	v.MaxLen("reason", reason, 1000)
	return *base
}

func (q *policySaveRequest) validate() (int, error) {
	var v distans.Validation
	base := checkBase(&v, q.BaseVersion, strings.TrimSpace(q.Reason))
	v.Required("source", q.Source)
	if len(q.Source) > maxPolicySource {
		v.Add("source", "Regelpaketet är för stort (högst 500 000 byte).", "The pack is too large (at most 500,000 bytes).")
	}
	return base, v.Err()
}

func (q *policyParametersRequest) validate() (int, error) {
	var v distans.Validation
	base := checkBase(&v, q.BaseVersion, strings.TrimSpace(q.Reason))
	if len(q.Values) == 0 {
		v.Add("values", "Ange minst en parameter att ändra.", "Give at least one parameter to change.")
	}
	for _, name := range slices.Sorted(maps.Keys(q.Values)) {
		if strings.TrimSpace(name) == "" {
			v.Add("values", "En parameter saknar namn.", "A parameter has no name.")
		}
		v.MaxLen("values."+name, q.Values[name], 1000)
	}
	return base, v.Err()
}

// requirePolicy answers 403 unless the caller may edit the pack and publish
// documents. The store checks the same; asking first means that someone
// without the permission learns nothing from how their text is parsed.
func requirePolicy(r *http.Request) error {
	if !distans.ActorFrom(r.Context()).ManagesPolicy() {
		return distans.Forbidden()
	}
	return nil
}

// policyService returns the policy service, or an internal error when the
// API was built without one.
func (a *API) policyService() (distans.PolicyService, error) {
	if a.svc.Policies == nil {
		return nil, errNoPolicy
	}
	return a.svc.Policies, nil
}

var errNoPolicy = errors.New("api: no policy service configured")

func (a *API) policyGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc, err := a.policyService()
		if err != nil {
			a.error(w, r, err)
			return
		}
		p, v, err := svc.ActivePolicy(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, policyActive{Version: policyVersionView(v), Pack: p})
	})
}

func (a *API) policyVersionList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc, err := a.policyService()
		if err != nil {
			a.error(w, r, err)
			return
		}
		vs, err := svc.PolicyVersions(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(views(vs, policyVersionView)))
	})
}

func (a *API) policyVersionGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("version"))
		if err != nil || n < 0 {
			a.error(w, r, distans.NotFound("Versionen finns inte.", "There is no such version."))
			return
		}
		svc, err := a.policyService()
		if err != nil {
			a.error(w, r, err)
			return
		}
		p, v, err := svc.FindPolicy(r.Context(), n)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, policyDetail(p, v))
	})
}

func (a *API) policySave() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := requirePolicy(r); err != nil {
			a.error(w, r, err)
			return
		}
		var req policySaveRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		base, err := req.validate()
		if err != nil {
			a.error(w, r, err)
			return
		}
		a.savePolicy(w, r, func(svc distans.PolicyService) (*distans.PolicyVersion, error) {
			return svc.SavePolicy(r.Context(), base, []byte(req.Source), strings.TrimSpace(req.Reason))
		})
	})
}

func (a *API) policyParameters() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := requirePolicy(r); err != nil {
			a.error(w, r, err)
			return
		}
		var req policyParametersRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		base, err := req.validate()
		if err != nil {
			a.error(w, r, err)
			return
		}
		values := make(map[string]string, len(req.Values))
		for name, value := range req.Values {
			values[strings.TrimSpace(name)] = strings.TrimSpace(value)
		}
		a.savePolicy(w, r, func(svc distans.PolicyService) (*distans.PolicyVersion, error) {
			v, err := svc.SetPolicyParameters(r.Context(), base, values, strings.TrimSpace(req.Reason))
			return v, renameFields(err, valuesField)
		})
	})
}

// valuesField names a parameter the service refused ("parameters[NAME].value")
// by its place in the request ("values.NAME"). The names of a pack that no
// longer parses (rules[ID].condition and so on) stay: they point into the
// pack's text.
func valuesField(name string) string {
	if p, ok := strings.CutPrefix(name, "parameters["); ok {
		if p, ok := strings.CutSuffix(p, "].value"); ok {
			return "values." + p
		}
	}
	if name == "parameters" {
		return "values"
	}
	return name
}

// savePolicy runs one save and answers with the version it made, parsed.
func (a *API) savePolicy(w http.ResponseWriter, r *http.Request, save func(distans.PolicyService) (*distans.PolicyVersion, error)) {
	svc, err := a.policyService()
	if err != nil {
		a.error(w, r, err)
		return
	}
	saved, err := save(svc)
	if err != nil {
		a.error(w, r, err)
		return
	}
	p, v, err := svc.FindPolicy(r.Context(), saved.Version)
	if err != nil {
		a.error(w, r, err)
		return
	}
	respond(w, http.StatusOK, policyDetail(p, v))
}
