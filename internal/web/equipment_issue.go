package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentIssueShow issues items to a person (IT): find the person, tick
// the items in stock, and the person accepts on their own page.
func (web *Web) equipmentIssueShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsEquipment() {
			web.forbidden(w, r)
			return
		}
		if web.searchRefused(w, r) {
			return
		}
		page, err := web.issuePage(w, r, a, r.URL.Query().Get("person"), view.NewForm())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// issuePage is the issue page for the person with personID ("" before
// one is chosen), f the issue form as typed.
func (web *Web) issuePage(w http.ResponseWriter, r *http.Request, a *distans.Actor, personID string, f *view.Form) (*view.EquipmentIssuePage, error) {
	ctx := r.Context()
	svc := web.svc.Equipment
	q := r.URL.Query()
	l, tabs := web.eqLayout(w, r, a, "eq.issue_title")
	page := &view.EquipmentIssuePage{Layout: l, EquipmentTabs: tabs, Form: f,
		PersonQuery: strings.TrimSpace(q.Get("q")), ItemQuery: strings.TrimSpace(q.Get("iq"))}
	if terms, err := svc.Terms(ctx); err == nil {
		page.TermsTitle = terms.Title
	} else if distans.ErrorCode(err) == distans.ENOTFOUND {
		page.TermsNone = true
	} else {
		return nil, err
	}
	if page.PersonQuery != "" {
		people, _, err := web.svc.People.ListPeople(ctx, distans.PersonFilter{Query: page.PersonQuery, Limit: 20})
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			label := p.Name
			if p.Email != "" {
				label += " (" + p.Email + ")"
			}
			page.People = append(page.People, view.Option{Value: p.ID, Label: label})
		}
		page.PersonNone = len(people) == 0
	}
	if personID == "" {
		return page, nil
	}
	person, err := web.svc.People.FindPerson(ctx, personID)
	if err != nil {
		return nil, err
	}
	page.Person = person
	items, err := svc.ListItems(ctx, distans.EquipmentFilter{Status: distans.EquipmentInStock, Query: page.ItemQuery, Limit: 100})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		lbl := itemLabel(page.P, it) + " – " + catLabel(page.P, it.Category)
		if it.Serial != "" && it.AssetTag != "" {
			lbl += ", " + it.Serial
		}
		if it.PhoneNumber != "" {
			lbl += ", " + it.PhoneNumber
		}
		page.Items = append(page.Items, view.CheckOption{Value: it.ID, Label: lbl, Checked: f.Checked("item_ids." + it.ID)})
	}
	return page, nil
}

// equipmentIssueSubmit issues the ticked items. An item already issued or
// reported lost, or no terms set, comes back on the page in Swedish with
// nothing saved.
func (web *Web) equipmentIssueSubmit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "person_id", "note")
		req := &distans.EquipmentIssueRequest{PersonID: form.Value("person_id"), Note: form.Value("note")}
		for _, id := range r.PostForm["item_ids"] {
			if id = strings.TrimSpace(id); id != "" {
				req.ItemIDs = append(req.ItemIDs, id)
				form.Set("item_ids."+id, "1")
			}
		}
		err := req.Validate()
		if err == nil {
			var h *distans.EquipmentHandover
			h, err = web.svc.Equipment.Issue(r.Context(), req)
			if err == nil {
				web.redirect(w, r, "/equipment/handovers/"+h.ID, printer(r).T("eq.issued", h.PersonName), false)
				return
			}
		}
		status, _, ok := eqFailed(r, form, err, "", "item_ids")
		if !ok || req.PersonID == "" {
			web.fail(w, r, err)
			return
		}
		page, perr := web.issuePage(w, r, a, req.PersonID, form)
		if perr != nil {
			web.fail(w, r, perr)
			return
		}
		web.render(w, r, status, page)
	})
}
