package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentOverview is IT's Utrustning: outstanding returns, items lost
// this year, unaccepted issues, items per unit, the open loss cases and
// the terms. Anyone who keeps no part of the registry goes to their own
// page.
func (web *Web) equipmentOverview() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsEquipment() {
			http.Redirect(w, r, "/equipment/mine", http.StatusSeeOther)
			return
		}
		page, err := web.overviewPage(w, r, a, nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// overviewPage builds IT's overview; form is the terms form as typed
// (nil: the current terms).
func (web *Web) overviewPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, form *view.Form) (*view.EquipmentOverviewPage, error) {
	ctx := r.Context()
	svc := web.svc.Equipment
	l, tabs := web.eqLayout(w, r, a, "eq.overview_title")
	page := &view.EquipmentOverviewPage{Layout: l, EquipmentTabs: tabs}
	pl := &page.Layout
	o, err := svc.Overview(ctx)
	if err != nil {
		return nil, err
	}
	page.O = o
	for _, s := range distans.EquipmentStatuses {
		page.Statuses = append(page.Statuses, view.Option{Value: string(s), Label: statusLabel(pl.P, s)})
	}
	for _, u := range o.PerUnit {
		row := view.UnitCountRow{Unit: u.UnitName}
		for _, s := range distans.EquipmentStatuses {
			row.Counts = append(row.Counts, u.Counts[s])
			row.Total += u.Counts[s]
		}
		page.PerUnit = append(page.PerUnit, row)
	}
	pending, err := svc.ListHandovers(ctx, "", true)
	if err != nil {
		return nil, err
	}
	for _, h := range pending {
		page.Pending = append(page.Pending, handoverRow(pl, h))
	}
	losses, err := svc.ListLosses(ctx, true)
	if err != nil {
		return nil, err
	}
	for _, loss := range losses {
		page.Losses = append(page.Losses, lossRow(pl, loss))
	}
	terms, err := svc.Terms(ctx)
	switch {
	case err == nil:
		page.Terms = terms
	case distans.ErrorCode(err) != distans.ENOTFOUND:
		return nil, err
	}
	if a.EquipmentScope().All || a.ManagesPolicy() {
		docs, err := web.svc.Documents.ListDocuments(ctx)
		if err != nil {
			return nil, err
		}
		page.Documents = []view.Option{{Value: "", Label: pl.T("eq.terms_choose")}}
		for _, d := range docs {
			page.Documents = append(page.Documents, view.Option{Value: d.ID, Label: pl.T("eq.terms_option", d.Title, d.Version)})
		}
		if form == nil {
			form = view.NewForm()
			if terms != nil {
				form.Set("document_id", terms.ID)
			}
		}
		page.TermsForm = form
	}
	return page, nil
}

// equipmentTermsSave sets the organisation's equipment terms: a published
// policy document, which every acceptance from now on signs.
func (web *Web) equipmentTermsSave() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "document_id")
		var err error
		if form.Value("document_id") == "" {
			form.Fail("document_id", printer(r).T("eq.terms_choose_error"))
			err = failedForm(r, form)
		} else {
			err = web.svc.Equipment.SetTermsDocument(r.Context(), form.Value("document_id"))
		}
		if err != nil {
			status, _, ok := eqFailed(r, form, err, "", "document_id")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.overviewPage(w, r, a, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		web.done(w, r, "/equipment#terms-heading", "eq.terms_saved")
	})
}
