package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentReturnNew is IT's record of a return: the items the person
// holds, each ticked when handed back, with its condition.
func (web *Web) equipmentReturnNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsEquipment() {
			web.forbidden(w, r)
			return
		}
		page, err := web.returnFormPage(w, r, a, r.URL.Query().Get("person"), view.NewForm())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func (web *Web) returnFormPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, personID string, f *view.Form) (*view.EquipmentReturnFormPage, error) {
	ctx := r.Context()
	person, err := web.svc.People.FindPerson(ctx, personID)
	if err != nil {
		return nil, err
	}
	l, tabs := web.eqLayout(w, r, a, "eq.return_title", person.Name)
	page := &view.EquipmentReturnFormPage{Layout: l, EquipmentTabs: tabs, Person: person, Form: f}
	for _, c := range distans.ItemConditions {
		page.Conditions = append(page.Conditions, view.Option{Value: string(c), Label: l.T("eq.condition." + string(c))})
	}
	items, err := web.svc.Equipment.ListItems(ctx, distans.EquipmentFilter{HolderID: personID, Status: distans.EquipmentIssued, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if f.Value("condition."+it.ID) == "" {
			f.Set("condition."+it.ID, string(distans.ConditionGood))
		}
		page.Items = append(page.Items, view.ReturnItemField{ID: it.ID, Label: itemLabel(l.P, it), Checked: f.Checked("items." + it.ID)})
	}
	return page, nil
}

// equipmentReturnCreate records the return; an item the person does not
// hold comes back on the form in Swedish with nothing saved.
func (web *Web) equipmentReturnCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "person_id")
		req := &distans.EquipmentReturnRequest{PersonID: form.Value("person_id")}
		for k, vs := range r.PostForm {
			if strings.HasPrefix(k, "condition.") || strings.HasPrefix(k, "note.") {
				form.Set(k, strings.TrimSpace(vs[0]))
			}
		}
		for _, id := range r.PostForm["items"] {
			if id = strings.TrimSpace(id); id == "" {
				continue
			}
			form.Set("items."+id, "1")
			req.Items = append(req.Items, distans.ReturnedState{ItemID: id,
				Condition: distans.ItemCondition(form.Value("condition." + id)), Note: form.Value("note." + id)})
		}
		err := req.Validate()
		if err == nil {
			var rt *distans.EquipmentReturn
			if rt, err = web.svc.Equipment.RecordReturn(r.Context(), req); err == nil {
				web.done(w, r, "/equipment/returns/"+rt.ID, "eq.returned")
				return
			}
		}
		status, _, ok := eqFailed(r, form, err, "", "")
		if !ok || req.PersonID == "" {
			web.fail(w, r, err)
			return
		}
		page, perr := web.returnFormPage(w, r, a, req.PersonID, form)
		if perr != nil {
			web.fail(w, r, perr)
			return
		}
		web.render(w, r, status, page)
	})
}

// equipmentReturnShow is one return: the items and their condition, the
// signature (the person's or their manager's) and the receipt.
func (web *Web) equipmentReturnShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.returnPage(w, r, a, nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func (web *Web) returnPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, sign *view.Form) (*view.EquipmentReturnPage, error) {
	rt, err := web.svc.Equipment.Return(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	l, tabs := web.eqLayout(w, r, a, "eq.return_page_title", rt.PersonName)
	page := &view.EquipmentReturnPage{Layout: l, EquipmentTabs: tabs, R: rt, PDF: "/equipment/returns/" + rt.ID + "/pdf"}
	for _, it := range rt.Items {
		row := handoverItemRows(l.P, []distans.HandoverItem{it.HandoverItem})[0]
		row.Condition, row.Note = l.T("eq.condition."+string(it.Condition)), it.Note
		page.Items = append(page.Items, row)
	}
	if rt.Signature != nil {
		page.Signed = l.T("eq.signed_by", rt.Signature.Name, l.DateTime(rt.Signature.At))
	} else if rt.PersonID == a.PersonID || a.ManagesEquipmentOf(rt.PersonID, rt.PersonUnitPath) {
		if sign == nil {
			sign = view.NewForm()
		}
		page.SignForm = sign
	}
	return page, nil
}

// equipmentReturnSign is the person's (or their manager's) signature of
// the return, with their password again.
func (web *Web) equipmentReturnSign() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := view.NewForm()
		password := r.PostFormValue("password")
		var err error
		if password == "" {
			form.Fail("password", printer(r).T("eq.password_required"))
			err = failedForm(r, form)
		} else {
			_, err = web.svc.Equipment.SignReturn(r.Context(), r.PathValue("id"), password)
		}
		if err != nil {
			status, _, ok := eqFailed(r, form, err, "", "password")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.returnPage(w, r, a, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		web.done(w, r, "/equipment/returns/"+r.PathValue("id"), "eq.return_signed")
	})
}

// equipmentReturnPDF is the return receipt.
func (web *Web) equipmentReturnPDF() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		var buf bytes.Buffer
		if err := web.svc.Equipment.WriteReturnPDF(r.Context(), r.PathValue("id"), &buf); err != nil {
			web.fail(w, r, err)
			return
		}
		writePDF(w, "aterlamning-"+r.PathValue("id")+".pdf", buf.Bytes())
	})
}
