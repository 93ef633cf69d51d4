package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentsPageSize is how many incidents one page of the queue shows.
const incidentsPageSize = 50

// incidentsList is /incidents: the report button, the queue of those who
// handle or see incidents sorted by the nearest deadline with a
// traffic-light countdown and filters, and the reporter's own reports.
func (web *Web) incidentsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		svc := web.svc.Incidents
		now := distans.NowFrom(ctx)
		l := web.layout(w, r)
		p := l.P
		l.Title = p.T("inc.title")
		page := &view.IncidentsPage{Layout: l}
		pl := &page.Layout

		mine, err := svc.ListIncidents(ctx, distans.IncidentFilter{Mine: true, Limit: 100})
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, inc := range mine {
			page.Mine = append(page.Mine, incidentRow(pl, inc, now))
		}

		// The queue is offered to those who handle incidents and to
		// managers, who see their units' incidents (Actor.IncidentAccess).
		if a.HandlesIncidents() || a.HasRole(distans.RoleManager) {
			page.ShowQueue = true
			q := r.URL.Query()
			fv := view.IncidentFilterView{State: q.Get("state"), Kind: q.Get("kind")}
			if _, set := q["state"]; !set {
				fv.State = "open"
			}
			f := distans.IncidentFilter{Limit: incidentsPageSize, After: q.Get("after")}
			switch st := distans.IncidentState(fv.State); {
			case fv.State == "open":
				f.Open = true
			case slices.Contains([]distans.IncidentState{distans.IncidentReported, distans.IncidentHandling, distans.IncidentClosed}, st):
				f.State = st
			default:
				fv.State = ""
			}
			if k := distans.IncidentKind(fv.Kind); k.Valid() {
				f.Kind = k
			} else {
				fv.Kind = ""
			}
			fv.States = []view.Option{{Value: "open", Label: p.T("inc.open_states")}}
			for _, s := range []distans.IncidentState{distans.IncidentReported, distans.IncidentHandling, distans.IncidentClosed} {
				fv.States = append(fv.States, view.Option{Value: string(s), Label: p.T("inc.state." + string(s))})
			}
			fv.States = append(fv.States, view.Option{Value: "", Label: p.T("inc.all_states")})
			fv.Kinds = append([]view.Option{{Value: "", Label: p.T("inc.all_kinds")}}, kindOptions(p, "inc.kind_short.")...)
			page.Filter = fv
			queue, err := svc.ListIncidents(ctx, f)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			for _, inc := range queue {
				page.Queue = append(page.Queue, incidentRow(pl, inc, now))
			}
			if len(queue) == incidentsPageSize {
				v := url.Values{"state": {fv.State}, "after": {queue[len(queue)-1].Cursor()}}
				if fv.Kind != "" {
					v.Set("kind", fv.Kind)
				}
				page.NextURL = "/incidents?" + v.Encode() + "#queue-heading"
			}
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// incidentRow is one incident in a list, with its nearest open deadline.
func incidentRow(l *view.Layout, inc *distans.Incident, now time.Time) view.IncidentRow {
	p := l.P
	row := view.IncidentRow{ID: inc.ID, Number: inc.Number, Title: inc.Title, Kind: p.T("inc.kind_short." + string(inc.Kind)),
		State: p.T("inc.state." + string(inc.State)), ReportedAt: l.DateTime(inc.CreatedAt)}
	if inc.Severity != "" {
		row.Severity = p.T("inc.severity." + string(inc.Severity))
	}
	if c := inc.NextDeadline(); c != nil {
		light := clockLight(l, *c, now)
		row.Next = &light
	}
	return row
}
