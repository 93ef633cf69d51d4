package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentItemNew is the form that registers one item (IT).
func (web *Web) equipmentItemNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsEquipment() {
			web.forbidden(w, r)
			return
		}
		f := view.NewForm()
		f.Set("status", string(distans.EquipmentInStock))
		page, err := web.itemFormPage(w, r, a, f)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// itemFormPage is the register form with f as typed.
func (web *Web) itemFormPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, f *view.Form) (*view.EquipmentItemFormPage, error) {
	ctx := r.Context()
	l, tabs := web.eqLayout(w, r, a, "eq.register_title")
	page := &view.EquipmentItemFormPage{Layout: l, EquipmentTabs: tabs, Form: f}
	p := page.P
	page.Categories = categoryOptions(p, view.Option{Value: "", Label: p.T("eq.choose_category")})
	models, err := web.svc.Equipment.ListModels(ctx)
	if err != nil {
		return nil, err
	}
	page.Models = []view.Option{{Value: "", Label: p.T("eq.no_model")}}
	for _, m := range models {
		if !m.Retired || m.ID == f.Value("model_id") {
			page.Models = append(page.Models, view.Option{Value: m.ID, Label: catLabel(p, m.Category) + ": " + m.Name})
		}
	}
	tree, err := web.unitTree(ctx, false)
	if err != nil {
		return nil, err
	}
	page.Units = tree.options(view.Option{Value: "", Label: p.T("eq.choose_unit")})
	for _, s := range []distans.EquipmentStatus{distans.EquipmentInStock, distans.EquipmentInRepair, distans.EquipmentRetired} {
		page.Statuses = append(page.Statuses, view.Option{Value: string(s), Label: statusLabel(p, s)})
	}
	return page, nil
}

// equipmentItemCreate registers the item; bad input comes back on the
// form in Swedish with nothing saved.
func (web *Web) equipmentItemCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "category", "model_id", "serial", "asset_tag", "phone_number", "unit_id", "purchased_on", "status", "note")
		it := &distans.EquipmentItem{Category: distans.EquipmentCategory(form.Value("category")), ModelID: form.Value("model_id"),
			Serial: form.Value("serial"), AssetTag: form.Value("asset_tag"), PhoneNumber: form.Value("phone_number"),
			UnitID: form.Value("unit_id"), Status: distans.EquipmentStatus(form.Value("status")), Note: form.Value("note")}
		it.PurchasedOn = parseDay(r, form, "purchased_on", false)
		validationFailed(r, form, it.Validate())
		var err error
		if !form.Failed() {
			err = web.svc.Equipment.RegisterItem(r.Context(), it)
		} else {
			err = failedForm(r, form)
		}
		if err != nil {
			status, _, ok := eqFailed(r, form, err, "", "serial")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.itemFormPage(w, r, a, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		web.redirect(w, r, "/equipment/items/"+it.ID, printer(r).T("eq.registered", itemLabel(printer(r), it)), false)
	})
}
