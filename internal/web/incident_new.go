package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentNew is "Rapportera incident": anyone signed in reports in two
// minutes, and the form says what to do right now from the organisation's
// pack for every kind (without JavaScript all of them, each under its own
// disclosure; enhance.js opens the one chosen). The switchboard, and those
// who handle incidents, may register the report for someone who phones.
func (web *Web) incidentNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if web.searchRefused(w, r) {
			return
		}
		f := view.NewForm()
		f.Set("discovered_at", web.nowField(r))
		page, err := web.incidentFormPage(w, r, a, f)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// nowField is the present as a date-and-time field shows it, in the
// organisation's time zone.
func (web *Web) nowField(r *http.Request) string {
	_, org, err := distans.TodayIn(r.Context(), web.svc.Organisations, distans.ActorFrom(r.Context()).OrganisationID)
	if err != nil {
		org = &distans.Organisation{}
	}
	return distans.NowFrom(r.Context()).In(org.Location()).Format("2006-01-02 15:04")
}

// incidentFormPage is the report form with f as typed, the pack's
// guidance for every kind, and the switchboard's caller search.
func (web *Web) incidentFormPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, f *view.Form) (*view.IncidentFormPage, error) {
	ctx := r.Context()
	l := web.layout(w, r)
	p := l.P
	l.Title = p.T("inc.new_title")
	page := &view.IncidentFormPage{Layout: l, Form: f, Kinds: kindOptions(p, "inc.kind.")}
	for _, k := range distans.IncidentKinds {
		findings, err := web.svc.Incidents.Guidance(ctx, k)
		if err != nil {
			return nil, err
		}
		g := view.GuidanceGroup{Kind: string(k), Label: p.T("inc.kind_short." + string(k))}
		for _, fd := range findings {
			msg := fd.MessageSv
			if p.Lang() == "en" && fd.MessageEn != "" {
				msg = fd.MessageEn
			}
			row := view.GuidanceRow{Message: msg, Citation: fd.Citation}
			for _, d := range fd.Deadlines {
				row.Deadlines = append(row.Deadlines, p.T("inc.deadline_in_pack", policyText(p, d.Label, "inc.duty_label."+d.Duty), page.DateTime(d.At)))
			}
			g.Findings = append(g.Findings, row)
		}
		page.Guidance = append(page.Guidance, g)
	}
	if a.RegistersIncidentsForOthers() {
		page.ForOthers = true
		page.Callers = []view.Option{{Value: "", Label: p.T("inc.f.myself")}}
		page.CallerQuery = strings.TrimSpace(r.URL.Query().Get("q"))
		if id := f.Value("on_behalf_of"); id != "" && page.CallerQuery == "" {
			if person, err := web.svc.People.FindPerson(ctx, id); err == nil {
				page.Callers = append(page.Callers, view.Option{Value: person.ID, Label: person.Name})
			}
		}
		if page.CallerQuery != "" {
			people, _, err := web.svc.People.ListPeople(ctx, distans.PersonFilter{Query: page.CallerQuery, Limit: 20})
			if err != nil {
				return nil, err
			}
			for _, person := range people {
				label := person.Name
				if person.Email != "" {
					label += " (" + person.Email + ")"
				}
				page.Callers = append(page.Callers, view.Option{Value: person.ID, Label: label})
			}
			page.CallerNone = len(people) == 0
			if len(people) > 0 && f.Value("on_behalf_of") == "" {
				f.Set("on_behalf_of", people[0].ID)
			}
		}
	}
	return page, nil
}
