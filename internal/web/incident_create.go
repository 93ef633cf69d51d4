package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
)

// incidentCreate sends the report. A bad field comes back on the form with
// its Swedish message and nothing saved; a sent report opens the incident.
func (web *Web) incidentCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		form := readForm(r, "kind", "title", "description", "occurred_at", "discovered_at", "systems", "on_behalf_of")
		_, org, err := distans.TodayIn(ctx, web.svc.Organisations, a.OrganisationID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		loc := org.Location()
		rep := &distans.IncidentReport{Kind: distans.IncidentKind(form.Value("kind")), Title: form.Value("title"),
			Description: form.Value("description"), Systems: form.Value("systems"),
			Ongoing: box(r, form, "ongoing"), OutsidePremises: box(r, form, "outside_premises"), InjurySerious: box(r, form, "injury_serious")}
		rep.OccurredAt = parseInstant(r, form, "occurred_at", loc, false)
		if at := parseInstant(r, form, "discovered_at", loc, false); at != nil {
			rep.DiscoveredAt = *at
		}
		if id := strings.TrimSpace(form.Value("on_behalf_of")); id != "" && id != a.PersonID {
			rep.OnBehalfOf = id
		}
		if !rep.Kind.Valid() {
			form.Fail("kind", printer(r).T("inc.choose_kind"))
		}
		// The domain's own checks first, so that every field's message
		// shows at once with those of the page's parsing.
		validationFailed(r, form, rep.Validate(distans.NowFrom(ctx)))
		var inc *distans.Incident
		if !form.Failed() {
			inc, err = web.svc.Incidents.ReportIncident(ctx, rep)
			if err != nil && !formFailed(r, form, err, "description") {
				web.fail(w, r, err)
				return
			}
		}
		if form.Failed() {
			if form.Message == "" {
				form.Message = printer(r).T("form.invalid")
			}
			page, perr := web.incidentFormPage(w, r, a, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, http.StatusUnprocessableEntity, page)
			return
		}
		web.redirect(w, r, "/incidents/"+inc.ID, printer(r).T("inc.reported", inc.Number), false)
	})
}
