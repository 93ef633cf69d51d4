package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentTriage saves the coordinator's (or IT's) triage: kind, severity,
// owner, the facts the clocks depend on, and which fields are secret.
func (web *Web) incidentTriage() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "kind", "severity", "owner_id")
		t := distans.IncidentTriage{Version: formVersion(r), Kind: distans.IncidentKind(form.Value("kind")),
			Severity: distans.IncidentSeverity(form.Value("severity")), OwnerID: form.Value("owner_id"),
			CyberSignificant: box(r, form, "cyber_significant"), InjurySerious: box(r, form, "injury_serious"),
			OutsidePremises: box(r, form, "outside_premises"),
			SecretFields:    ticked(r, form, "secret_fields", distans.IncidentSecretFields)}
		if t.SecretFields == nil {
			t.SecretFields = []string{}
		}
		set := func(p *view.IncidentPage, f *view.Form) { p.TriageForm = f }
		if _, err := web.svc.Incidents.Triage(r.Context(), r.PathValue("id"), t); err != nil {
			web.incidentFailed(w, r, a, form, err, "", "severity", set)
			return
		}
		web.done(w, r, incidentBack(r), "inc.triaged")
	})
}
