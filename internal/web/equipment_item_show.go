package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentItemShow is one item: its registry fields, IT's change of
// status and note, and its history.
func (web *Web) equipmentItemShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.itemPage(w, r, a, r.PathValue("id"), nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// itemPage builds the item page; form is IT's change as typed (nil: the
// item as saved).
func (web *Web) itemPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, id string, form *view.Form) (*view.EquipmentItemPage, error) {
	ctx := r.Context()
	svc := web.svc.Equipment
	it, err := svc.Item(ctx, id)
	if err != nil {
		return nil, err
	}
	p := printer(r)
	l, tabs := web.eqLayout(w, r, a, "eq.item_title", itemLabel(p, it))
	page := &view.EquipmentItemPage{Layout: l, EquipmentTabs: tabs, Item: it, Status: statusLabel(p, it.Status),
		HandoverID: it.HandoverID}
	pl := &page.Layout
	page.Facts = []view.QA{
		{Q: p.T("eq.category"), A: catLabel(p, it.Category)},
		{Q: p.T("eq.model"), A: it.ModelName},
		{Q: p.T("eq.serial"), A: it.Serial},
		{Q: p.T("eq.asset_tag"), A: it.AssetTag},
		{Q: p.T("eq.owner_unit"), A: it.UnitName},
		{Q: p.T("eq.purchased_on"), A: pl.DateP(it.PurchasedOn)},
		{Q: p.T("eq.holder"), A: it.HolderName},
		{Q: p.T("eq.note"), A: it.Note},
	}
	if it.PhoneNumber != "" || it.Category == distans.EquipmentSIM || it.Category == distans.EquipmentMobileBroadband {
		page.Facts = append(page.Facts, view.QA{Q: p.T("eq.number"), A: it.PhoneNumber})
	}
	if it.InPhoneID != "" {
		if phone, err := svc.Item(ctx, it.InPhoneID); err == nil {
			page.Facts = append(page.Facts, view.QA{Q: p.T("eq.in_phone"), A: itemLabel(p, phone)})
		}
	}
	editable := it.Status == distans.EquipmentInStock || it.Status == distans.EquipmentInRepair || it.Status == distans.EquipmentRetired
	if a.EquipmentScope().Contains(it.UnitPath) && editable {
		if form == nil {
			form = view.NewForm()
			form.Set("status", string(it.Status))
			form.Set("note", it.Note)
		}
		form.Set("version", strconv.Itoa(it.Version))
		page.Form = form
		for _, s := range []distans.EquipmentStatus{distans.EquipmentInStock, distans.EquipmentInRepair, distans.EquipmentRetired} {
			page.Statuses = append(page.Statuses, view.Option{Value: string(s), Label: statusLabel(p, s)})
		}
	}

	// The history: who held it and how it came back (the store decides how
	// much of it the actor sees) and, for those who read the audit trail,
	// every change recorded against it.
	type event struct {
		at        time.Time
		what, who string
		href      string
	}
	history, err := svc.ItemHistory(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	var events []event
	for _, e := range history {
		ev := event{at: e.At, who: e.ByName}
		switch e.Kind {
		case distans.ItemRegistered:
			ev.what = p.T("eq.hist.registered")
		case distans.ItemIssued:
			ev.what, ev.href = p.T("eq.hist.issued", e.PersonName), "/equipment/handovers/"+e.RecordID
		case distans.ItemAccepted:
			ev.what, ev.href = p.T("eq.hist.accepted_by", e.PersonName), "/equipment/handovers/"+e.RecordID
		case distans.ItemHandoverCancelled:
			ev.what, ev.href = p.T("eq.hist.cancelled", e.PersonName), "/equipment/handovers/"+e.RecordID
		case distans.ItemReturned:
			ev.what = p.T("eq.hist.returned", e.PersonName, p.T("eq.condition."+e.Detail))
			ev.href = "/equipment/returns/" + e.RecordID
		case distans.ItemReturnSigned:
			ev.what, ev.href = p.T("eq.hist.return_signed"), "/equipment/returns/"+e.RecordID
		case distans.ItemLossReported:
			ev.what = p.T("eq.hist.loss", e.Detail, p.T("eq.loss."+string(e.LossKind)))
			ev.href = "/equipment/losses/" + e.RecordID
		default:
			continue
		}
		events = append(events, ev)
	}
	if a.SeesAudit() {
		audit, err := web.svc.Audit.ListAuditEvents(ctx, distans.AuditFilter{RecordID: it.ID, Limit: 100})
		if err != nil && !refused(err) {
			return nil, err
		}
		for _, e := range audit {
			what := e.Summary
			if what == "" {
				what = e.Action
			}
			events = append(events, event{at: e.At, what: what, who: e.ActorName})
		}
	}
	slices.SortStableFunc(events, func(x, y event) int { return y.at.Compare(x.at) })
	for _, e := range events {
		if e.at.IsZero() {
			continue
		}
		page.History = append(page.History, view.HistoryRow{At: pl.DateTime(e.at), ISO: pl.ISO(e.at), What: e.what, Who: e.who, Href: e.href})
	}
	return page, nil
}

// equipmentItemUpdate is IT's change of an item's status (in stock, in
// repair, retired) and note; issued, lost and stolen come from a handover
// and a loss report, which keep their evidence.
func (web *Web) equipmentItemUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "status", "note")
		status := distans.EquipmentStatus(form.Value("status"))
		note := strings.TrimSpace(form.Value("note"))
		upd := distans.EquipmentItemUpdate{Version: formVersion(r), Status: &status, Note: &note}
		var err error
		if !status.Valid() {
			form.Fail("status", printer(r).T("eq.choose_status"))
			err = failedForm(r, form)
		} else {
			_, err = web.svc.Equipment.UpdateItem(r.Context(), r.PathValue("id"), upd)
		}
		if err != nil {
			code, _, ok := eqFailed(r, form, err, "", "status")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.itemPage(w, r, a, r.PathValue("id"), form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, code, page)
			return
		}
		web.done(w, r, "/equipment/items/"+r.PathValue("id"), "eq.item_saved")
	})
}
