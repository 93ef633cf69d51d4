package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// disposalShow is /records/disposal: the plan, the holds and the log.
func (web *Web) disposalShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		web.disposalPage(w, r, a, view.NewForm(), http.StatusOK)
	})
}

// disposalPage renders Gallring with the hold form as given.
func (web *Web) disposalPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, form *view.Form, status int) {
	if !a.SeesDisposal() {
		web.forbidden(w, r)
		return
	}
	ctx := r.Context()
	plan, err := web.svc.Disposal.PlanDisposal(ctx)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	holds, err := web.svc.Disposal.ListDisposalHolds(ctx)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	log, err := web.svc.Disposal.ListDisposalLog(ctx, 100)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("disp.title")
	p := l.P
	page := &view.DisposalPage{Layout: l, Disposes: a.Disposes(), HoldsForm: a.HoldsRecords(), Form: form,
		Types: []view.Option{{Value: "", Label: p.T("disp.hold_all_types")}}}
	for _, it := range plan.Items {
		row := view.DisposalRow{Type: p.T("disp.type." + string(it.Period.Type)), How: p.T("disp.how." + string(it.Period.How)),
			Period: it.Period.Text(p.Lang()), Citation: it.Period.Citation, Quote: it.Period.Source.Quote,
			Cutoff: page.DateOf(it.Cutoff), Count: it.Count, Held: it.Held}
		if it.Oldest != nil {
			row.Oldest = page.DateOf(*it.Oldest)
		}
		if it.Period.SweptBy != "" {
			row.SweptBy = p.T("disp.swept", it.Period.SweptBy)
		}
		page.Plan = append(page.Plan, row)
	}
	for _, t := range distans.DisposalTypes {
		if t.Holdable() {
			page.Types = append(page.Types, view.Option{Value: string(t), Label: p.T("disp.type." + string(t))})
		}
	}
	for _, h := range holds {
		row := view.HoldRow{ID: h.ID, Whom: h.PersonName, What: p.T("disp.hold_all_types"), Reason: h.Reason,
			PlacedBy: h.PlacedByName, PlacedAt: page.DateTime(h.PlacedAt), Open: h.ReleasedAt == nil}
		if h.PersonID == "" {
			row.Whom = p.T("disp.hold_everyone")
		}
		if h.Type != "" {
			row.What = p.T("disp.type." + string(h.Type))
		}
		if h.ReleasedAt != nil {
			row.Released = p.T("disp.hold_released", page.DateTime(*h.ReleasedAt), h.ReleasedByName)
		}
		page.Holds = append(page.Holds, row)
	}
	for _, e := range log {
		who := e.ActorName
		if e.ActorID == "" && e.ActorName == "system" {
			who = p.T("disp.system")
		}
		page.Log = append(page.Log, view.DisposalLogRow{At: page.DateTime(e.At), Who: who, Type: p.T("disp.type." + string(e.Type)),
			How: p.T("disp.how." + string(e.How)), Count: e.Count, Cutoff: page.DateOf(e.Cutoff),
			Period: distans.DisposalPeriod{Amount: e.Amount, Unit: e.Unit}.Text(p.Lang())})
	}
	web.render(w, r, status, page)
}

// disposalRun disposes now, for those who may (Actor.Disposes).
func (web *Web) disposalRun() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		entries, err := web.svc.Disposal.Dispose(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		key := "disp.disposed"
		if len(entries) == 0 {
			key = "disp.nothing"
		}
		web.done(w, r, "/records/disposal", key)
	})
}

// disposalHold places a hold on the person named by e-mail, or on
// everyone; the form keeps what was typed when it fails.
func (web *Web) disposalHold() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.HoldsRecords() {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		for _, k := range []string{"email", "type", "reason"} {
			form.Set(k, strings.TrimSpace(r.PostFormValue(k)))
		}
		req := distans.HoldRequest{Type: distans.DisposalType(form.Value("type")), Reason: form.Value("reason")}
		if email := form.Value("email"); email != "" {
			people, _, err := web.svc.People.ListPeople(r.Context(), distans.PersonFilter{Query: email, Limit: 20})
			if err != nil {
				web.fail(w, r, err)
				return
			}
			for _, p := range people {
				if distans.NormalizeEmail(p.Email) == distans.NormalizeEmail(email) {
					req.PersonID = p.ID
				}
			}
			if req.PersonID == "" {
				form.Fail("email", printer(r).T("disp.hold_no_person"))
			}
		}
		if !form.Failed() {
			if _, err := web.svc.Disposal.PlaceDisposalHold(r.Context(), req); err != nil && !formFailed(r, form, err, "reason") {
				web.fail(w, r, err)
				return
			}
		}
		if form.Failed() {
			if form.Message == "" {
				form.Message = printer(r).T("form.invalid")
			}
			web.disposalPage(w, r, a, form, http.StatusUnprocessableEntity)
			return
		}
		web.done(w, r, "/records/disposal", "disp.held_ok")
	})
}

// disposalRelease releases a hold.
func (web *Web) disposalRelease() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if err := web.svc.Disposal.ReleaseDisposalHold(r.Context(), r.PathValue("id")); err != nil {
			web.fail(w, r, err)
			return
		}
		web.done(w, r, "/records/disposal", "disp.released")
	})
}
