package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentLossesList is the loss cases the viewer sees: open ones first,
// every one with all=1.
func (web *Web) equipmentLossesList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		l, tabs := web.eqLayout(w, r, a, "eq.losses_title")
		page := &view.EquipmentLossesPage{Layout: l, EquipmentTabs: tabs, Open: r.URL.Query().Get("all") == ""}
		losses, err := web.svc.Equipment.ListLosses(r.Context(), page.Open)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, loss := range losses {
			page.Losses = append(page.Losses, lossRow(&page.Layout, loss))
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// equipmentLossNew is the written report of lost, stolen or damaged
// equipment (Sorsele 004 §8.1; Bjurholm 002 §6: at once): the person's
// own, or a manager's for their person (?person=).
func (web *Web) equipmentLossNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		f := view.NewForm()
		f.Set("discovered_at", web.nowField(r))
		if pid := r.URL.Query().Get("person"); pid != "" && pid != a.PersonID {
			f.Set("person_id", pid)
		}
		for _, id := range r.URL.Query()["item"] {
			f.Set("item_ids."+id, "1")
		}
		page, err := web.lossFormPage(w, r, a, f)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func (web *Web) lossFormPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, f *view.Form) (*view.EquipmentLossFormPage, error) {
	ctx := r.Context()
	l, tabs := web.eqLayout(w, r, a, "eq.loss_title")
	page := &view.EquipmentLossFormPage{Layout: l, EquipmentTabs: tabs, Form: f}
	holder := a.PersonID
	if pid := f.Value("person_id"); pid != "" && pid != a.PersonID {
		person, err := web.svc.People.FindPerson(ctx, pid)
		if err != nil {
			return nil, err
		}
		holder, page.PersonID, page.Person = pid, pid, person.Name
	}
	for _, k := range distans.LossKinds {
		page.Kinds = append(page.Kinds, view.Option{Value: string(k), Label: l.T("eq.loss_q." + string(k))})
	}
	items, err := web.svc.Equipment.ListItems(ctx, distans.EquipmentFilter{HolderID: holder, Status: distans.EquipmentIssued, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		page.Items = append(page.Items, view.CheckOption{Value: it.ID, Label: itemLabel(l.P, it) + " – " + catLabel(l.P, it.Category),
			Checked: f.Checked("item_ids." + it.ID)})
	}
	return page, nil
}

// equipmentLossCreate sends the report: the case opens with its steps from
// the organisation's pack, and an incident is opened and linked to it.
func (web *Web) equipmentLossCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		form := readForm(r, "person_id", "kind", "occurred_at", "discovered_at", "place", "description")
		loc := web.orgLoc(r, a)
		rep := &distans.LossReport{Kind: distans.LossKind(form.Value("kind")), PersonID: form.Value("person_id"),
			Place: form.Value("place"), Description: form.Value("description"), OutsidePremises: box(r, form, "outside_premises")}
		for _, id := range r.PostForm["item_ids"] {
			if id = strings.TrimSpace(id); id != "" {
				rep.ItemIDs = append(rep.ItemIDs, id)
				form.Set("item_ids."+id, "1")
			}
		}
		rep.OccurredAt = parseInstant(r, form, "occurred_at", loc, false)
		if at := parseInstant(r, form, "discovered_at", loc, true); at != nil {
			rep.DiscoveredAt = *at
		}
		validationFailed(r, form, rep.Validate(distans.NowFrom(ctx)))
		var err error
		var loss *distans.EquipmentLoss
		if form.Failed() {
			err = failedForm(r, form)
		} else {
			loss, err = web.svc.Equipment.ReportLoss(ctx, rep)
		}
		if err != nil {
			status, _, ok := eqFailed(r, form, err, "", "description")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.lossFormPage(w, r, a, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		web.redirect(w, r, "/equipment/losses/"+loss.ID, printer(r).T("eq.loss_reported", loss.Number, loss.IncidentNumber), false)
	})
}
