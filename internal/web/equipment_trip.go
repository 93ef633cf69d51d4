package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentTripNew registers a trip with the employer's equipment: a
// private trip abroad with a computer waits for the manager's approval
// (Sorsele 004 §8.5), a business trip is registered where the pack says
// so; the pack's findings (mobile data off abroad) come with the trip.
func (web *Web) equipmentTripNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		f := view.NewForm()
		f.Set("abroad", "1")
		page, err := web.tripFormPage(w, r, a, f)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func (web *Web) tripFormPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, f *view.Form) (*view.EquipmentTripFormPage, error) {
	l, tabs := web.eqLayout(w, r, a, "eq.trip_title")
	page := &view.EquipmentTripFormPage{Layout: l, EquipmentTabs: tabs, Form: f}
	items, err := web.svc.Equipment.ListItems(r.Context(), distans.EquipmentFilter{HolderID: a.PersonID, Status: distans.EquipmentIssued, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		page.Items = append(page.Items, view.CheckOption{Value: it.ID, Label: itemLabel(l.P, it) + " – " + catLabel(l.P, it.Category),
			Checked: f.Checked("item_ids." + it.ID)})
	}
	return page, nil
}

// equipmentTripCreate registers the trip; bad input comes back on the form.
func (web *Web) equipmentTripCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "destination", "starts_on", "ends_on", "reasons")
		req := &distans.TripRequest{Destination: form.Value("destination"), Reasons: form.Value("reasons"),
			Private: box(r, form, "private"), Abroad: box(r, form, "abroad")}
		for _, id := range r.PostForm["item_ids"] {
			if id = strings.TrimSpace(id); id != "" {
				req.ItemIDs = append(req.ItemIDs, id)
				form.Set("item_ids."+id, "1")
			}
		}
		if d := parseDay(r, form, "starts_on", true); d != nil {
			req.StartsOn = *d
		}
		if d := parseDay(r, form, "ends_on", true); d != nil {
			req.EndsOn = *d
		}
		validationFailed(r, form, req.Validate(web.today(r, a)))
		var err error
		var trip *distans.EquipmentTrip
		if form.Failed() {
			err = failedForm(r, form)
		} else {
			trip, err = web.svc.Equipment.RegisterTrip(r.Context(), req)
		}
		if err != nil {
			status, _, ok := eqFailed(r, form, err, "", "destination")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.tripFormPage(w, r, a, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		key := "eq.trip_registered"
		if trip.State == distans.TripRequested {
			key = "eq.trip_requested"
		}
		web.done(w, r, "/equipment/trips/"+trip.ID, key)
	})
}

// equipmentTripShow is one trip with the pack's findings and, for the
// person's manager while it waits, the decision with reasons.
func (web *Web) equipmentTripShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.tripPage(w, r, a, nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func (web *Web) tripPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, form *view.Form) (*view.EquipmentTripPage, error) {
	t, err := web.svc.Equipment.Trip(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	l, tabs := web.eqLayout(w, r, a, "eq.trip_page_title", t.Destination)
	p := l.P
	page := &view.EquipmentTripPage{Layout: l, EquipmentTabs: tabs, Trip: t, State: p.T("eq.trip_state." + string(t.State)),
		Items: handoverItemRows(p, t.Items)}
	row := tripRow(&page.Layout, t)
	page.Facts = []view.QA{
		{Q: p.T("eq.person"), A: t.PersonName},
		{Q: p.T("eq.trip_kind"), A: row.Kind},
		{Q: p.T("eq.dates"), A: row.Dates},
		{Q: p.T("eq.trip_reasons"), A: t.Reasons},
	}
	if t.DecidedAt != nil {
		page.Facts = append(page.Facts, view.QA{Q: p.T("eq.trip_decided"), A: page.DateTime(*t.DecidedAt) + ": " + t.DecisionNote})
	}
	for _, f := range t.Findings {
		row := findingRow(p, f)
		page.Findings = append(page.Findings, view.FindingLine{Message: row.Message, Citation: f.Citation, Severity: f.Severity})
	}
	if t.State == distans.TripRequested && a.ManagesEquipmentOf(t.PersonID, t.PersonUnitPath) {
		if form == nil {
			form = view.NewForm()
		}
		form.Set("version", strconv.Itoa(t.Version))
		page.DecideForm = form
		page.Choices = []view.Option{{Value: "approve", Label: p.T("eq.trip_approve")}, {Value: "decline", Label: p.T("eq.trip_decline")}}
	}
	return page, nil
}

// equipmentTripDecide is the manager's decision, with reasons for both.
func (web *Web) equipmentTripDecide() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "decision", "note")
		choice := form.Value("decision")
		d := distans.TripDecision{Version: formVersion(r), Approved: choice == "approve", Note: form.Value("note")}
		if choice != "approve" && choice != "decline" {
			form.Fail("decision", printer(r).T("eq.trip_choose"))
		}
		if d.Note == "" {
			form.Fail("note", printer(r).T("eq.trip_note_required"))
		}
		var err error
		if form.Failed() {
			err = failedForm(r, form)
		} else {
			_, err = web.svc.Equipment.DecideTrip(r.Context(), r.PathValue("id"), d)
		}
		if err != nil {
			status, _, ok := eqFailed(r, form, err, "", "note")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.tripPage(w, r, a, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		web.done(w, r, "/equipment/trips/"+r.PathValue("id"), "eq.trip_decided_flash")
	})
}
