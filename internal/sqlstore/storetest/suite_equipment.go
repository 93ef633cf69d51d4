package storetest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// The equipment tests give the store the pack's say of their own
// (testLossPlan, testTripPlan, testReturnPlan): the store keeps what the
// equipment service computes from the pack, and these tests are about
// keeping it and about who may do what.

func init() {
	Suite = append(Suite,
		Test{"EquipmentRegistry", EquipmentRegistry},
		Test{"EquipmentHandovers", EquipmentHandovers},
		Test{"EquipmentReturns", EquipmentReturns},
		Test{"EquipmentLoss", EquipmentLoss},
		Test{"EquipmentTrips", EquipmentTrips},
		Test{"EquipmentReturnTasks", EquipmentReturnTasks},
		Test{"EquipmentReturnRounds", EquipmentReturnRounds},
		Test{"EquipmentHandoverReminders", EquipmentHandoverReminders},
		Test{"EquipmentIsolation", EquipmentIsolation},
	)
}

// equipmentWorld is the World with IT over the whole organisation (IT),
// IT over X only (ITX), Y's manager (ChefY), IT in B (ITB) and the
// equipment terms set.
type equipmentWorld struct {
	*World
	IT, ITX, ChefY, ITB *distans.Person
	Terms               *distans.PolicyDocument
}

func newEquipmentWorld(t testing.TB, s *sqlstore.Store) *equipmentWorld {
	t.Helper()
	w := &equipmentWorld{World: NewWorld(t, s)}
	a := w.A.ID
	w.IT = NewPerson(t, s, a, "Ivar IT", w.Root.ID)
	w.ITX = NewPerson(t, s, a, "Xena IT", w.X.ID)
	w.ChefY = NewPerson(t, s, a, "Yvonne Chef", w.Y.ID)
	w.ITB = NewPerson(t, s, w.B.ID, "Berit IT", w.RootB.ID)
	Assign(t, s, w.IT, distans.RoleIT, "")
	Assign(t, s, w.ITX, distans.RoleIT, w.X.ID)
	Assign(t, s, w.ITB, distans.RoleIT, "")
	_, err := s.UpdateUnit(System(a), w.Y.ID, distans.UnitUpdate{ManagerID: &w.ChefY.ID})
	Must(t, err)
	w.Terms = &distans.PolicyDocument{Title: "Villkor för IT-utrustning", Body: "Förvara utrustningen säkert (004 §8.1)."}
	Must(t, s.PublishDocument(As(t, s, w.Admin), w.Terms))
	return w
}

func (w *equipmentWorld) setTerms(t testing.TB) {
	t.Helper()
	Must(t, w.S.SetEquipmentTermsDocument(As(t, w.S, w.IT), w.Terms.ID))
}

// items registers items as IT in unit unitID: "computer:TAG", "phone:TAG",
// "sim:TAG:NUMBER".
func (w *equipmentWorld) items(t testing.TB, unitID string, specs ...string) []*distans.EquipmentItem {
	t.Helper()
	var out []*distans.EquipmentItem
	for _, spec := range specs {
		parts := strings.Split(spec, ":")
		it := &distans.EquipmentItem{Category: distans.EquipmentCategory(parts[0]), AssetTag: parts[1], UnitID: unitID}
		if len(parts) > 2 {
			it.PhoneNumber = parts[2]
		}
		out = append(out, it)
	}
	Must(t, w.S.CreateEquipmentItems(As(t, w.S, w.IT), out))
	return out
}

func itemIDs(items ...*distans.EquipmentItem) []string {
	return ids(items, func(it *distans.EquipmentItem) string { return it.ID })
}

// issueAccepted issues the items to p and has p accept them.
func (w *equipmentWorld) issueAccepted(t testing.TB, p *distans.Person, items ...*distans.EquipmentItem) *distans.EquipmentHandover {
	t.Helper()
	h, err := w.S.IssueEquipment(As(t, w.S, w.IT), &distans.EquipmentIssueRequest{PersonID: p.ID, ItemIDs: itemIDs(items...)})
	Must(t, err)
	h, err = w.S.AcceptHandover(As(t, w.S, p), h.ID, h.TermsVersion, h.AcceptanceHash(), "password")
	Must(t, err)
	return h
}

func wantMessage(t testing.TB, err error, code, sv string) {
	t.Helper()
	WantCode(t, err, code)
	var e *distans.Error
	if !errorAs(err, &e) {
		t.Fatalf("not a distans error: %v", err)
	}
	text := e.Sv
	for _, f := range e.Fields {
		text += " " + f.Sv
	}
	if !strings.Contains(text, sv) {
		t.Fatalf("error %q lacks %q", text, sv)
	}
}

func errorAs(err error, e **distans.Error) bool {
	x, ok := err.(*distans.Error)
	if ok {
		*e = x
	}
	return ok
}

func EquipmentRegistry(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	it := As(t, s, w.IT)

	// Models are IT's over the whole organisation.
	m := &distans.EquipmentModel{Category: distans.EquipmentComputer, Name: "Elitebook 840"}
	Must(t, s.SaveEquipmentModel(it, m))
	WantCode(t, s.SaveEquipmentModel(As(t, s, w.ITX), &distans.EquipmentModel{Category: distans.EquipmentPhone, Name: "X"}), distans.EFORBIDDEN)
	WantCode(t, s.SaveEquipmentModel(it, &distans.EquipmentModel{Category: distans.EquipmentComputer, Name: "Elitebook 840"}), distans.EINVALID)
	models, err := s.ListEquipmentModels(As(t, s, w.EmpY))
	Must(t, err)
	if len(models) != 1 || models[0].Name != "Elitebook 840" {
		t.Fatalf("models: %+v", models)
	}
	bModels, err := s.ListEquipmentModels(As(t, s, w.ITB))
	Must(t, err)
	if len(bModels) != 0 {
		t.Fatalf("B sees A's models: %+v", bModels)
	}

	phone := w.items(t, w.X.ID, "phone:T-100")[0]
	batch := []*distans.EquipmentItem{
		{Category: distans.EquipmentComputer, ModelID: m.ID, AssetTag: "D-001", Serial: "SN1", UnitID: w.X1.ID},
		{Category: distans.EquipmentSIM, AssetTag: "S-001", PhoneNumber: "070-123 45 67", InPhoneID: phone.ID, UnitID: w.X.ID},
	}
	Must(t, s.CreateEquipmentItems(it, batch))
	if batch[1].PhoneNumber != "+46701234567" || batch[0].Status != distans.EquipmentInStock {
		t.Fatalf("registered: %+v", batch[1])
	}

	// Bad input names the row and field, and saves nothing.
	phoneB := &distans.EquipmentItem{Category: distans.EquipmentPhone, AssetTag: "B-1", UnitID: w.RootB.ID}
	Must(t, s.CreateEquipmentItems(As(t, s, w.ITB), []*distans.EquipmentItem{phoneB}))
	for _, tc := range []struct {
		name, field string
		item        distans.EquipmentItem
	}{
		{"SIM without number", "items[1].phone_number", distans.EquipmentItem{Category: distans.EquipmentSIM, AssetTag: "S-9", UnitID: w.X.ID}},
		{"SIM in another organisation's phone", "items[1].in_phone_id", distans.EquipmentItem{Category: distans.EquipmentSIM,
			AssetTag: "S-9", PhoneNumber: "0709999999", InPhoneID: phoneB.ID, UnitID: w.X.ID}},
		{"number taken", "items[1].phone_number", distans.EquipmentItem{Category: distans.EquipmentSIM, AssetTag: "S-9",
			PhoneNumber: "+46 70 123 45 67", UnitID: w.X.ID}},
		{"asset tag taken", "items[1].asset_tag", distans.EquipmentItem{Category: distans.EquipmentComputer, AssetTag: "D-001", UnitID: w.X.ID}},
		{"another organisation's unit", "items[1].unit_id", distans.EquipmentItem{Category: distans.EquipmentComputer, AssetTag: "D-9", UnitID: w.RootB.ID}},
		{"model of another kind", "items[1].model_id", distans.EquipmentItem{Category: distans.EquipmentPhone, AssetTag: "D-9", ModelID: m.ID, UnitID: w.X.ID}},
		{"issued from the start", "items[1].status", distans.EquipmentItem{Category: distans.EquipmentPhone, AssetTag: "D-9", UnitID: w.X.ID,
			Status: distans.EquipmentIssued}},
		{"same tag twice", "items[1].asset_tag", distans.EquipmentItem{Category: distans.EquipmentComputer, AssetTag: "N-1", UnitID: w.X.ID}},
	} {
		good := &distans.EquipmentItem{Category: distans.EquipmentComputer, AssetTag: "N-1", UnitID: w.X.ID}
		bad := tc.item
		err := s.CreateEquipmentItems(it, []*distans.EquipmentItem{good, &bad})
		WantCode(t, err, distans.EINVALID)
		if !slicesContainsField(err, tc.field) {
			t.Errorf("%s: fields %+v, want %s", tc.name, fieldsOf(err), tc.field)
		}
	}
	// The same number in another organisation is that organisation's own.
	Must(t, s.CreateEquipmentItems(As(t, s, w.ITB), []*distans.EquipmentItem{{Category: distans.EquipmentSIM, AssetTag: "S-001",
		PhoneNumber: "0701234567", UnitID: w.RootB.ID}}))
	// IT of X registers only in X.
	WantCode(t, s.CreateEquipmentItems(As(t, s, w.ITX), []*distans.EquipmentItem{{Category: distans.EquipmentComputer, AssetTag: "Y-1",
		UnitID: w.Y.ID}}), distans.EINVALID)
	WantCode(t, s.CreateEquipmentItems(As(t, s, w.EmpY), []*distans.EquipmentItem{{Category: distans.EquipmentComputer, AssetTag: "Y-1",
		UnitID: w.Y.ID}}), distans.EFORBIDDEN)
	y := w.items(t, w.Y.ID, "computer:Y-1")[0]

	all, err := s.ListEquipmentItems(it, distans.EquipmentFilter{})
	Must(t, err)
	if got := ids(all, func(i *distans.EquipmentItem) string { return i.AssetTag }); strings.Join(got, ",") != "D-001,S-001,T-100,Y-1" {
		t.Fatalf("IT's list: %v", got)
	}
	page, err := s.ListEquipmentItems(it, distans.EquipmentFilter{Limit: 2, After: all[1].Cursor()})
	Must(t, err)
	if len(page) != 2 || page[0].AssetTag != "T-100" {
		t.Fatalf("second page: %+v", page)
	}
	xs, err := s.ListEquipmentItems(As(t, s, w.ITX), distans.EquipmentFilter{})
	Must(t, err)
	if len(xs) != 3 {
		t.Fatalf("IT of X sees %d items", len(xs))
	}
	WantCode(t, errOf(s.FindEquipmentItem(As(t, s, w.ITX), y.ID)), distans.ENOTFOUND)
	q, err := s.ListEquipmentItems(it, distans.EquipmentFilter{Query: "070 123"})
	Must(t, err)
	if len(q) != 1 || q[0].Category != distans.EquipmentSIM {
		t.Fatalf("by number: %+v", q)
	}
	for _, p := range []*distans.Person{w.EmpX1, w.ChefX, w.AdminB} {
		got, err := s.ListEquipmentItems(As(t, s, p), distans.EquipmentFilter{})
		Must(t, err)
		if len(got) != 0 {
			t.Errorf("%s sees %d items in stock", p.Name, len(got))
		}
	}

	// Changes at the version read; issued/lost are not set by hand.
	_, err = s.UpdateEquipmentItem(it, y.ID, distans.EquipmentItemUpdate{Version: y.Version + 1, Note: ptr("x")})
	WantCode(t, err, distans.ECONFLICT)
	st := distans.EquipmentStolen
	_, err = s.UpdateEquipmentItem(it, y.ID, distans.EquipmentItemUpdate{Version: y.Version, Status: &st})
	WantCode(t, err, distans.EINVALID)
	_, err = s.UpdateEquipmentItem(As(t, s, w.ITX), y.ID, distans.EquipmentItemUpdate{Version: y.Version, Note: ptr("x")})
	WantCode(t, err, distans.ENOTFOUND)
	rep := distans.EquipmentInRepair
	y2, err := s.UpdateEquipmentItem(it, y.ID, distans.EquipmentItemUpdate{Version: y.Version, Status: &rep, Note: ptr("Skärmen")})
	Must(t, err)
	if y2.Status != rep || y2.Version != y.Version+1 || lastEvent(t, s, w.A.ID).Action != "equipment.item_update" {
		t.Fatalf("updated: %+v", y2)
	}

	ov, err := s.EquipmentOverview(it, distans.Now())
	Must(t, err)
	if len(ov.PerUnit) != 3 {
		t.Fatalf("overview per unit: %+v", ov.PerUnit)
	}
	_, err = s.EquipmentOverview(As(t, s, w.ChefX), distans.Now())
	WantCode(t, err, distans.EFORBIDDEN)
}

func errOf[T any](_ T, err error) error { return err }

func fieldsOf(err error) []distans.FieldError {
	var e *distans.Error
	if errorAs(err, &e) {
		return e.Fields
	}
	return nil
}

func slicesContainsField(err error, field string) bool {
	for _, f := range fieldsOf(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}

func EquipmentHandovers(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	it := As(t, s, w.IT)
	items := w.items(t, w.X.ID, "phone:P-1", "computer:D-1")
	req := &distans.EquipmentIssueRequest{PersonID: w.EmpX1.ID, ItemIDs: itemIDs(items...)}

	// No terms, no issue.
	_, err := s.IssueEquipment(it, req)
	wantMessage(t, err, distans.EINVALID, "villkor")
	w.setTerms(t)
	WantCode(t, s.SetEquipmentTermsDocument(As(t, s, w.ITX), w.Terms.ID), distans.EFORBIDDEN)
	_, err = s.IssueEquipment(As(t, s, w.ChefX), req)
	WantCode(t, err, distans.EFORBIDDEN)

	h, err := s.IssueEquipment(it, req)
	Must(t, err)
	if h.State != distans.HandoverPending || len(h.Items) != 2 || h.TermsVersion != 1 || h.TermsBody != w.Terms.Body {
		t.Fatalf("handover: %+v", h)
	}
	// An issued item cannot be issued again; nothing is saved.
	more := w.items(t, w.X.ID, "headset:H-1")
	_, err = s.IssueEquipment(it, &distans.EquipmentIssueRequest{PersonID: w.EmpY.ID, ItemIDs: []string{more[0].ID, items[0].ID}})
	wantMessage(t, err, distans.EINVALID, "är redan utlämnad")
	hs, err := s.FindEquipmentItem(it, more[0].ID)
	Must(t, err)
	if hs.Status != distans.EquipmentInStock {
		t.Fatalf("headset after a refused issue: %s", hs.Status)
	}
	// IT of X may not issue Y's items.
	yItem := w.items(t, w.Y.ID, "screen:Y-1")[0]
	_, err = s.IssueEquipment(As(t, s, w.ITX), &distans.EquipmentIssueRequest{PersonID: w.EmpX1.ID, ItemIDs: []string{yItem.ID}})
	WantCode(t, err, distans.EINVALID)
	// Another organisation's person is bad input.
	_, err = s.IssueEquipment(it, &distans.EquipmentIssueRequest{PersonID: w.EmpB.ID, ItemIDs: []string{more[0].ID}})
	WantCode(t, err, distans.EINVALID)

	// Who sees the pending handover and the items.
	for _, tc := range []struct {
		who  *distans.Person
		sees bool
	}{{w.EmpX1, true}, {w.ChefX, true}, {w.IT, true}, {w.ITX, true}, {w.EmpY, false}, {w.ChefY, false}, {w.HRX, false}, {w.AdminB, false}} {
		_, err := s.FindHandover(As(t, s, tc.who), h.ID)
		held, herr := s.HeldEquipment(As(t, s, tc.who), w.EmpX1.ID)
		pend, perr := s.ListHandovers(As(t, s, tc.who), "", true)
		Must(t, perr)
		if tc.sees {
			Must(t, err)
			Must(t, herr)
			if len(held) != 2 || len(pend) != 1 {
				t.Errorf("%s: held %d, pending %d", tc.who.Name, len(held), len(pend))
			}
		} else {
			WantCode(t, err, distans.ENOTFOUND)
			WantCode(t, herr, distans.ENOTFOUND)
			if len(pend) != 0 {
				t.Errorf("%s sees %d pending handovers", tc.who.Name, len(pend))
			}
		}
	}
	notes, err := s.ListNotifications(As(t, s, w.EmpX1), false, 10)
	Must(t, err)
	if len(notes) != 1 || notes[0].Kind != "equipment.issued" {
		t.Fatalf("person's notifications: %+v", notes)
	}

	// Only the person signs, of the current terms and the handover's hash.
	_, err = s.AcceptHandover(As(t, s, w.ChefX), h.ID, h.TermsVersion, h.AcceptanceHash(), "password")
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.AcceptHandover(As(t, s, w.EmpX1), h.ID, h.TermsVersion, "0000", "password")
	WantCode(t, err, distans.ECONFLICT)
	// The terms change: what was shown may no longer be signed.
	_, err = s.PublishDocumentVersion(As(t, s, w.Admin), w.Terms.ID, distans.DocumentUpdate{Body: "Nya villkor: stäng av mobildata utomlands.",
		Version: w.Terms.Version})
	Must(t, err)
	_, err = s.AcceptHandover(As(t, s, w.EmpX1), h.ID, h.TermsVersion, h.AcceptanceHash(), "password")
	wantMessage(t, err, distans.ECONFLICT, "Villkoren har ändrats")
	// Read again: the handover now carries the current terms.
	h2, err := s.FindHandover(As(t, s, w.EmpX1), h.ID)
	Must(t, err)
	if h2.TermsVersion != 2 || !strings.Contains(h2.TermsBody, "mobildata") || h2.AcceptanceHash() == h.AcceptanceHash() {
		t.Fatalf("refreshed: version %d body %q", h2.TermsVersion, h2.TermsBody)
	}
	_, err = s.AcceptHandover(As(t, s, w.EmpX1), h.ID, 1, h2.AcceptanceHash(), "password")
	WantCode(t, err, distans.ECONFLICT)
	h3, err := s.AcceptHandover(As(t, s, w.EmpX1), h.ID, 2, h2.AcceptanceHash(), "password")
	Must(t, err)
	if h3.State != distans.HandoverAccepted || h3.Acceptance == nil || h3.Acceptance.Hash != h2.AcceptanceHash() ||
		h3.Acceptance.Role != distans.SignerEmployee || h3.AcceptanceHash() != h3.Acceptance.Hash {
		t.Fatalf("accepted: %+v", h3)
	}
	_, err = s.AcceptHandover(As(t, s, w.EmpX1), h.ID, 2, h2.AcceptanceHash(), "password")
	WantCode(t, err, distans.ECONFLICT)
	if ev := lastEvent(t, s, w.A.ID); ev.Action != "equipment.accept" || ev.RecordID != h.ID {
		t.Fatalf("last event: %+v", ev)
	}
	// A later change of the terms leaves a signed handover as signed.
	_, err = s.PublishDocumentVersion(As(t, s, w.Admin), w.Terms.ID, distans.DocumentUpdate{Body: "Version 3", Version: 2})
	Must(t, err)
	h4, err := s.FindHandover(As(t, s, w.EmpX1), h.ID)
	Must(t, err)
	if h4.TermsVersion != 2 || h4.AcceptanceHash() != h3.Acceptance.Hash {
		t.Fatalf("a signed handover changed: %+v", h4)
	}

	// Cancelling: IT, pending only, items back in stock.
	hc, err := s.IssueEquipment(it, &distans.EquipmentIssueRequest{PersonID: w.EmpY.ID, ItemIDs: []string{more[0].ID}})
	Must(t, err)
	_, err = s.CancelHandover(it, h.ID, h4.Version)
	WantCode(t, err, distans.ECONFLICT)
	_, err = s.CancelHandover(As(t, s, w.ChefY), hc.ID, hc.Version)
	WantCode(t, err, distans.EFORBIDDEN)
	hc, err = s.CancelHandover(it, hc.ID, hc.Version)
	Must(t, err)
	back, err := s.FindEquipmentItem(it, more[0].ID)
	Must(t, err)
	if hc.State != distans.HandoverCancelled || back.Status != distans.EquipmentInStock || back.HolderID != "" {
		t.Fatalf("cancelled: %+v, item %+v", hc, back)
	}
}

func EquipmentReturns(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	w.setTerms(t)
	it := As(t, s, w.IT)
	items := w.items(t, w.X.ID, "phone:P-1", "computer:D-1")
	w.issueAccepted(t, w.EmpX1, items...)

	// A return by someone who does not hold the items.
	_, err := s.RecordEquipmentReturn(it, &distans.EquipmentReturnRequest{PersonID: w.EmpY.ID,
		Items: []distans.ReturnedState{{ItemID: items[0].ID, Condition: distans.ConditionGood}}})
	wantMessage(t, err, distans.EINVALID, "innehas inte av Yngve Ystad")
	_, err = s.RecordEquipmentReturn(As(t, s, w.ChefX), &distans.EquipmentReturnRequest{PersonID: w.EmpX1.ID,
		Items: []distans.ReturnedState{{ItemID: items[0].ID, Condition: distans.ConditionGood}}})
	WantCode(t, err, distans.EFORBIDDEN)

	r, err := s.RecordEquipmentReturn(it, &distans.EquipmentReturnRequest{PersonID: w.EmpX1.ID, Items: []distans.ReturnedState{
		{ItemID: items[0].ID, Condition: distans.ConditionGood}, {ItemID: items[1].ID, Condition: distans.ConditionDamaged, Note: "Spricka"}}})
	Must(t, err)
	if len(r.Items) != 2 || r.Items[1].Note != "Spricka" || r.Signature != nil {
		t.Fatalf("return: %+v", r)
	}
	p, err := s.FindEquipmentItem(it, items[0].ID)
	Must(t, err)
	d, err := s.FindEquipmentItem(it, items[1].ID)
	Must(t, err)
	if p.Status != distans.EquipmentInStock || d.Status != distans.EquipmentInRepair || p.HolderID != "" {
		t.Fatalf("after return: %s %s", p.Status, d.Status)
	}
	// Returned twice: no longer held.
	_, err = s.RecordEquipmentReturn(it, &distans.EquipmentReturnRequest{PersonID: w.EmpX1.ID,
		Items: []distans.ReturnedState{{ItemID: items[0].ID, Condition: distans.ConditionGood}}})
	wantMessage(t, err, distans.EINVALID, "innehas inte av")

	// Signed once, by the person or their manager.
	_, err = s.SignEquipmentReturn(As(t, s, w.EmpY), r.ID, "password")
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.SignEquipmentReturn(it, r.ID, "password")
	WantCode(t, err, distans.EFORBIDDEN)
	r2, err := s.SignEquipmentReturn(As(t, s, w.ChefX), r.ID, "password")
	Must(t, err)
	if r2.Signature == nil || r2.Signature.Role != distans.SignerManager || r2.Signature.Hash != r2.ReceiptHash() {
		t.Fatalf("signed: %+v", r2.Signature)
	}
	_, err = s.SignEquipmentReturn(As(t, s, w.EmpX1), r.ID, "password")
	WantCode(t, err, distans.ECONFLICT)
	rs, err := s.ListEquipmentReturns(As(t, s, w.EmpX1), w.EmpX1.ID)
	Must(t, err)
	if len(rs) != 1 || len(rs[0].Items) != 2 {
		t.Fatalf("the person's returns: %+v", rs)
	}
	// Reissued after the return.
	w.issueAccepted(t, w.EmpY, p)

	// The item's history: all of it for IT; for the new holder's manager
	// only what concerns the holder; nothing for the old holder's manager,
	// who no longer sees the item, or another organisation.
	history := func(ctx context.Context) []string {
		t.Helper()
		evs, err := s.ItemHistory(ctx, p.ID)
		Must(t, err)
		var out []string
		for i, e := range evs {
			if i > 0 && e.At.Before(evs[i-1].At) {
				t.Errorf("history out of order: %+v", evs)
			}
			out = append(out, string(e.Kind)+" "+e.PersonName+" "+e.Detail)
		}
		slices.Sort(out)
		return out
	}
	want := []string{"accepted Yngve Ystad ", "accepted Åsa Öberg ", "issued Yngve Ystad ", "issued Åsa Öberg ",
		"registered  ", "return_signed Åsa Öberg ", "returned Åsa Öberg good"}
	if got := history(it); !slices.Equal(got, want) {
		t.Errorf("IT's history:\n got %q\nwant %q", got, want)
	}
	if got := history(As(t, s, w.ChefY)); !slices.Equal(got, []string{"accepted Yngve Ystad ", "issued Yngve Ystad "}) {
		t.Errorf("the holder's manager's history: %q", got)
	}
	_, err = s.ItemHistory(As(t, s, w.ChefX), p.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.ItemHistory(As(t, s, w.ITB), p.ID)
	WantCode(t, err, distans.ENOTFOUND)
}

// testLossPlan is the four steps of Sorsele 004 §8.1 for a phone, the
// last three for anything else.
func testLossPlan(l *distans.EquipmentLoss) ([]distans.LossStep, error) {
	var out []distans.LossStep
	sim := false
	for _, it := range l.Items {
		sim = sim || it.Category.HasSIM()
	}
	if sim {
		out = append(out, distans.LossStep{Step: distans.StepBlockSIM, RuleID: "sorsele-8.1-sim", Role: distans.RoleIT,
			Label: distans.PolicyText{Sv: "Spärra SIM-kortet", En: "Block the SIM"}, Citation: "Sorsele 004 §8.1", DueAt: l.DiscoveredAt})
	}
	return append(out,
		distans.LossStep{Step: distans.StepPoliceReport, RuleID: "sorsele-8.1-police", Role: distans.RoleEmployee, Skippable: true,
			DueAt: l.DiscoveredAt.Add(24 * time.Hour)},
		distans.LossStep{Step: distans.StepIncidentReport, RuleID: "sorsele-8.1-incident", Role: distans.RoleEmployee, DueAt: l.DiscoveredAt},
		distans.LossStep{Step: distans.StepManagerInformed, RuleID: "sorsele-8.1-manager", Role: distans.RoleManager,
			DueAt: l.DiscoveredAt.Add(72 * time.Hour)}), nil
}

func EquipmentLoss(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	w.setTerms(t)
	it := As(t, s, w.IT)
	items := w.items(t, w.X.ID, "phone:P-1", "computer:D-1")
	w.issueAccepted(t, w.EmpX1, items...)
	occurred := distans.Now().Add(-48 * time.Hour).Truncate(time.Second)
	report := func(kind distans.LossKind, ids ...string) *distans.LossReport {
		return &distans.LossReport{Kind: kind, ItemIDs: ids, OccurredAt: &occurred, DiscoveredAt: discovered(), Place: "Tåget",
			OutsidePremises: true, Description: "Väskan försvann på tåget"}
	}

	// Only the person, or their manager, reports items the person holds.
	_, err := s.CreateLoss(As(t, s, w.EmpY), report(distans.LossStolen, items[0].ID), testLossPlan, testClocks)
	wantMessage(t, err, distans.EINVALID, "innehas inte av Yngve Ystad")
	r := report(distans.LossStolen, items[0].ID)
	r.PersonID = w.EmpX1.ID
	_, err = s.CreateLoss(As(t, s, w.ChefY), r, testLossPlan, testClocks)
	WantCode(t, err, distans.EFORBIDDEN)

	l, err := s.CreateLoss(As(t, s, w.EmpX1), report(distans.LossStolen, items[0].ID), testLossPlan, testClocks)
	Must(t, err)
	if !strings.HasPrefix(l.Number, "FÖR ") || !strings.HasSuffix(l.Number, "/0001") || len(l.Steps) != 4 || l.IncidentID == "" {
		t.Fatalf("loss: %+v", l)
	}
	for _, st := range l.Steps {
		if open := st.Open(); (st.Step == distans.StepIncidentReport) == open {
			t.Errorf("step %s open %v", st.Step, open)
		}
		if st.Step == distans.StepIncidentReport && st.Evidence != l.IncidentNumber {
			t.Errorf("incident step evidence %q, want %q", st.Evidence, l.IncidentNumber)
		}
	}
	// The incident, linked both ways, and the item marked stolen.
	inc, err := s.FindIncident(it, l.IncidentID)
	Must(t, err)
	links := map[string]string{}
	for _, k := range inc.Links {
		links[k.Kind] = k.TargetID
	}
	if inc.Kind != distans.IncidentTheft || inc.ReporterID != w.EmpX1.ID || !inc.OutsidePremises ||
		links["equipment_loss"] != l.ID || links["equipment"] != items[0].ID {
		t.Fatalf("incident: %+v", inc)
	}
	stolen, err := s.FindEquipmentItem(it, items[0].ID)
	Must(t, err)
	if stolen.Status != distans.EquipmentStolen {
		t.Fatalf("item: %s", stolen.Status)
	}
	// A stolen item cannot be issued.
	_, err = s.IssueEquipment(it, &distans.EquipmentIssueRequest{PersonID: w.EmpY.ID, ItemIDs: []string{items[0].ID}})
	wantMessage(t, err, distans.EINVALID, "är anmäld stulen")
	notes, err := s.ListNotifications(As(t, s, w.ChefX), false, 10)
	Must(t, err)
	if !containsKind(notes, "equipment.loss_reported") {
		t.Fatalf("the manager was not told: %+v", notes)
	}
	notes, err = s.ListNotifications(it, false, 10)
	Must(t, err)
	if !containsKind(notes, "equipment.loss_reported") {
		t.Fatalf("IT was not told: %+v", notes)
	}

	// The steps, each by whom the pack gives it to.
	_, err = s.RecordLossStep(As(t, s, w.EmpX1), l.ID, distans.LossStepRecord{Step: distans.StepBlockSIM, Evidence: "Telia 123"})
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.RecordLossStep(it, l.ID, distans.LossStepRecord{Step: distans.StepBlockSIM, Evidence: "Telia 123"})
	Must(t, err)
	before := distans.DateOf(occurred.AddDate(0, 0, -1))
	future := agrToday().AddDate(0, 0, 2)
	good := agrToday()
	for _, tc := range []struct {
		name string
		rec  distans.LossStepRecord
	}{
		{"before the loss", distans.LossStepRecord{Step: distans.StepPoliceReport, Evidence: "5000-K1234-26", ReportedOn: &before}},
		{"in the future", distans.LossStepRecord{Step: distans.StepPoliceReport, Evidence: "5000-K1234-26", ReportedOn: &future}},
		{"no number", distans.LossStepRecord{Step: distans.StepPoliceReport, ReportedOn: &good}},
		{"skipped without reason", distans.LossStepRecord{Step: distans.StepPoliceReport, Skipped: true}},
		{"wrong file type", distans.LossStepRecord{Step: distans.StepPoliceReport, Evidence: "5000-K1234-26", ReportedOn: &good,
			Attachment: &distans.Attachment{Name: "a.exe", ContentType: "application/x-msdownload", Content: []byte("MZ")}}},
		{"unknown step", distans.LossStepRecord{Step: "pray"}},
	} {
		_, err := s.RecordLossStep(As(t, s, w.EmpX1), l.ID, tc.rec)
		if distans.ErrorCode(err) != distans.EINVALID {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	_, err = s.RecordLossStep(As(t, s, w.EmpX1), l.ID, distans.LossStepRecord{Step: distans.StepManagerInformed})
	WantCode(t, err, distans.EFORBIDDEN)
	pdf := []byte("%PDF-1.4 polisanmälan")
	l, err = s.RecordLossStep(As(t, s, w.EmpX1), l.ID, distans.LossStepRecord{Step: distans.StepPoliceReport, Evidence: "5000-K1234-26",
		ReportedOn: &good, Attachment: &distans.Attachment{Name: "polis.pdf", ContentType: "application/pdf", Content: pdf}})
	Must(t, err)
	var att string
	for _, st := range l.Steps {
		if st.Step == distans.StepPoliceReport {
			att = st.AttachmentID
		}
	}
	a, err := s.LossAttachment(As(t, s, w.ChefX), l.ID, att)
	Must(t, err)
	if string(a.Content) != string(pdf) || a.Size != int64(len(pdf)) || a.SHA256 == "" {
		t.Fatalf("attachment: %+v", a)
	}
	_, err = s.LossAttachment(As(t, s, w.EmpY), l.ID, att)
	WantCode(t, err, distans.ENOTFOUND)
	inc, err = s.FindIncident(it, l.IncidentID)
	Must(t, err)
	if inc.PoliceReport != "5000-K1234-26" {
		t.Fatalf("incident police report %q", inc.PoliceReport)
	}
	for _, c := range inc.Clocks {
		if c.Duty == distans.DutyPoliceReport && c.Open() {
			t.Fatalf("the incident's police report clock is open")
		}
	}

	// The negligence assessment: the person's manager only.
	assess := distans.NegligenceAssessment{GrossNegligence: false, Reasons: "Väskan var under uppsikt."}
	for _, p := range []*distans.Person{w.IT, w.EmpX1, w.HRX} {
		_, err := s.AssessNegligence(As(t, s, p), l.ID, assess)
		if c := distans.ErrorCode(err); c != distans.EFORBIDDEN && c != distans.ENOTFOUND {
			t.Errorf("%s assessed: %v", p.Name, err)
		}
	}
	_, err = s.AssessNegligence(As(t, s, w.ChefY), l.ID, assess)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.AssessNegligence(As(t, s, w.ChefX), l.ID, distans.NegligenceAssessment{})
	WantCode(t, err, distans.EINVALID)
	l, err = s.AssessNegligence(As(t, s, w.ChefX), l.ID, assess)
	Must(t, err)
	if l.State != distans.LossOpen || l.Assessment == nil || l.Assessment.AssessedByID != w.ChefX.ID {
		t.Fatalf("assessed: %+v", l)
	}
	l, err = s.RecordLossStep(As(t, s, w.ChefX), l.ID, distans.LossStepRecord{Step: distans.StepManagerInformed, Evidence: "Ny dator beställd"})
	Must(t, err)
	if l.State != distans.LossClosed || l.ClosedAt == nil {
		t.Fatalf("not closed: %+v", l)
	}
	_, err = s.AssessNegligence(As(t, s, w.ChefX), l.ID, assess)
	WantCode(t, err, distans.ECONFLICT)

	// A manager reports for their person: the incident is registered by them.
	r = report(distans.LossDamaged, items[1].ID)
	r.PersonID = w.EmpX1.ID
	r.OutsidePremises = false
	l2, err := s.CreateLoss(As(t, s, w.ChefX), r, testLossPlan, testClocks)
	Must(t, err)
	inc, err = s.FindIncident(it, l2.IncidentID)
	Must(t, err)
	d, err := s.FindEquipmentItem(it, items[1].ID)
	Must(t, err)
	if !strings.HasSuffix(l2.Number, "/0002") || inc.Kind != distans.IncidentEquipmentLoss || inc.ReporterID != w.EmpX1.ID ||
		inc.RegisteredByID != w.ChefX.ID || d.Status != distans.EquipmentIssued || len(l2.Steps) != 3 {
		t.Fatalf("manager's report: %+v, incident %+v, item %s", l2, inc, d.Status)
	}
	// The police report skipped with the reason waives the incident's clock.
	l2, err = s.RecordLossStep(As(t, s, w.EmpX1), l2.ID, distans.LossStepRecord{Step: distans.StepPoliceReport, Skipped: true,
		SkipReason: "Skadan skedde hemma; ingen obehörig har utrustningen."})
	Must(t, err)
	open, err := s.ListLosses(As(t, s, w.ChefX), true)
	Must(t, err)
	if len(open) != 1 || open[0].ID != l2.ID {
		t.Fatalf("open losses: %+v", open)
	}
	if got, err := s.ListLosses(As(t, s, w.EmpY), false); err != nil || len(got) != 0 {
		t.Fatalf("EmpY sees losses: %v %v", got, err)
	}
	ov, err := s.EquipmentOverview(it, distans.Now())
	Must(t, err)
	if ov.LostThisYear != 1 || ov.OpenLosses != 1 {
		t.Fatalf("overview: %+v", ov)
	}
}

func containsKind(ns []*distans.Notification, kind distans.NotificationKind) bool {
	for _, n := range ns {
		if n.Kind == kind {
			return true
		}
	}
	return false
}

func testTripPlan(tr *distans.EquipmentTrip) (distans.TripState, []distans.AgreementFinding, error) {
	f := []distans.AgreementFinding{{RuleID: "sorsele-8.4", Severity: "info", MessageSv: "Stäng av mobildata utomlands.",
		Citation: "Sorsele 004 §8.4"}}
	if tr.Private && tr.Abroad {
		return distans.TripRequested, f, nil
	}
	return distans.TripRegistered, f, nil
}

func EquipmentTrips(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	w.setTerms(t)
	items := w.items(t, w.X.ID, "computer:D-1", "computer:D-2")
	w.issueAccepted(t, w.EmpX1, items[0])
	today := agrToday()
	trip := &distans.TripRequest{Private: true, Abroad: true, Destination: "Oslo", StartsOn: today.AddDate(0, 0, 10),
		EndsOn: today.AddDate(0, 0, 14), ItemIDs: []string{items[0].ID}, Reasons: "Jour under resan"}
	bad := *trip
	bad.ItemIDs = []string{items[1].ID}
	_, err := s.CreateTrip(As(t, s, w.EmpX1), &bad, testTripPlan)
	wantMessage(t, err, distans.EINVALID, "innehas inte av")
	tr, err := s.CreateTrip(As(t, s, w.EmpX1), trip, testTripPlan)
	Must(t, err)
	if tr.State != distans.TripRequested || len(tr.Findings) != 1 || len(tr.Items) != 1 {
		t.Fatalf("trip: %+v", tr)
	}
	waiting, err := s.ListTrips(As(t, s, w.ChefX), "", true)
	Must(t, err)
	if len(waiting) != 1 {
		t.Fatalf("the manager's queue: %+v", waiting)
	}
	for _, p := range []*distans.Person{w.EmpX1, w.IT, w.ChefY} {
		got, err := s.ListTrips(As(t, s, p), "", true)
		Must(t, err)
		if len(got) != 0 {
			t.Errorf("%s has %d trips to decide", p.Name, len(got))
		}
	}
	_, err = s.FindTrip(As(t, s, w.EmpY), tr.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.DecideTrip(As(t, s, w.EmpX1), tr.ID, distans.TripDecision{Version: tr.Version, Approved: true, Note: "ok"})
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.DecideTrip(As(t, s, w.ChefX), tr.ID, distans.TripDecision{Version: tr.Version, Approved: true})
	WantCode(t, err, distans.EINVALID)
	tr, err = s.DecideTrip(As(t, s, w.ChefX), tr.ID, distans.TripDecision{Version: tr.Version, Approved: true, Note: "Jouren kräver datorn."})
	Must(t, err)
	if tr.State != distans.TripApproved || tr.DecidedByID != w.ChefX.ID {
		t.Fatalf("decided: %+v", tr)
	}
	_, err = s.DecideTrip(As(t, s, w.ChefX), tr.ID, distans.TripDecision{Version: tr.Version, Approved: false, Note: "Nej"})
	WantCode(t, err, distans.ECONFLICT)
	notes, err := s.ListNotifications(As(t, s, w.EmpX1), false, 10)
	Must(t, err)
	if !containsKind(notes, "equipment.trip_decided") {
		t.Fatalf("the person was not told: %+v", notes)
	}
	business := *trip
	business.Private = false
	b, err := s.CreateTrip(As(t, s, w.EmpX1), &business, testTripPlan)
	Must(t, err)
	if b.State != distans.TripRegistered {
		t.Fatalf("business trip: %s", b.State)
	}
}

// testReturnPlan asks the phone, the SIM card and the computer back and
// the subscription ended, for a leave longer than a year or the end of the
// employment (Sorsele 004 §8.6 names the phone and the computer); a
// headset stays.
func testReturnPlan(orgID string) (distans.ReturnPlan, error) {
	return func(reason distans.ReturnReason, leaveDays int, held []distans.EquipmentCategory) (*distans.ReturnDemand, error) {
		if reason == distans.ReturnLongLeave && leaveDays <= 365 {
			return nil, nil
		}
		return &distans.ReturnDemand{Items: true, Subscription: true, RuleID: "sorsele-8.6", Citation: "Sorsele 004 §8.6",
			Categories: []distans.EquipmentCategory{distans.EquipmentPhone, distans.EquipmentSIM, distans.EquipmentComputer}}, nil
	}, nil
}

func EquipmentReturnTasks(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	w.setTerms(t)
	it := As(t, s, w.IT)
	items := w.items(t, w.X.ID, "phone:P-1", "sim:S-1:0701112233", "computer:D-1", "headset:H-1")
	w.issueAccepted(t, w.EmpX1, items...)
	yItems := w.items(t, w.Y.ID, "computer:Y-1")
	w.issueAccepted(t, w.EmpY, yItems...)
	bItem := &distans.EquipmentItem{Category: distans.EquipmentComputer, AssetTag: "B-1", UnitID: w.RootB.ID}
	Must(t, s.CreateEquipmentItems(As(t, s, w.ITB), []*distans.EquipmentItem{bItem}))
	today := agrToday()

	// EmpX1's employment ends in five days; EmpY takes a short leave and
	// EmpB a long one.
	ends := today.AddDate(0, 0, 5)
	_, err := s.UpdateEmployment(System(w.A.ID), w.EmpX1Employment.ID, distans.EmploymentUpdate{SetEndsOn: true, EndsOn: &ends})
	Must(t, err)
	short := today.AddDate(0, 1, 0)
	Must(t, s.CreateLeave(System(w.A.ID), &distans.Leave{PersonID: w.EmpY.ID, Kind: distans.LeaveStudy, StartsOn: today.AddDate(0, 0, 3), EndsOn: &short}))
	sys := System("")
	WantCode(t, errOf(s.CreateReturnTasks(As(t, s, w.IT), today, testReturnPlan)), distans.EFORBIDDEN)
	n, err := s.CreateReturnTasks(sys, today, testReturnPlan)
	Must(t, err)
	if n != 4 {
		t.Fatalf("made %d tasks, want 3 items (not the headset) and a subscription", n)
	}
	if n, err := s.CreateReturnTasks(sys, today, testReturnPlan); err != nil || n != 0 {
		t.Fatalf("again: %d %v", n, err)
	}
	tasks, err := s.ListReturnTasks(As(t, s, w.ChefX), distans.ReturnTaskFilter{Open: true})
	Must(t, err)
	if len(tasks) != 4 {
		t.Fatalf("the manager's tasks: %+v", tasks)
	}
	var sub, item *distans.ReturnTask
	for _, tk := range tasks {
		if tk.ManagerID != w.ChefX.ID || !tk.DueOn.Equal(ends) || tk.Reason != distans.ReturnEmploymentEnd || tk.Citation != "Sorsele 004 §8.6" {
			t.Errorf("task: %+v", tk)
		}
		switch {
		case tk.Kind == distans.TaskEndSubscription:
			sub = tk
			if tk.ItemID != items[1].ID {
				t.Errorf("the subscription task is on %s, want the SIM card", tk.ItemLabel)
			}
		case tk.ItemID == items[2].ID:
			item = tk
		}
	}
	for _, p := range []*distans.Person{w.EmpY, w.ChefY, w.AdminB, w.ITB} {
		got, err := s.ListReturnTasks(As(t, s, p), distans.ReturnTaskFilter{})
		Must(t, err)
		if len(got) != 0 {
			t.Errorf("%s sees %d tasks", p.Name, len(got))
		}
	}
	notes, err := s.ListNotifications(As(t, s, w.ChefX), false, 20)
	Must(t, err)
	if countKind(notes, "equipment.return_task") != 1 {
		t.Fatalf("the manager's notices: %+v", notes)
	}

	// Reminded once (due within a week), escalated once after the day.
	now := distans.Now()
	if r, e, err := s.ReturnTaskDeadlines(sys, now); err != nil || r != 4 || e != 0 {
		t.Fatalf("deadlines: %d %d %v", r, e, err)
	}
	if r, e, err := s.ReturnTaskDeadlines(sys, now); err != nil || r != 0 || e != 0 {
		t.Fatalf("deadlines again: %d %d %v", r, e, err)
	}

	// The manager's exception, with reasons; the items back by a return.
	_, err = s.GrantReturnException(As(t, s, w.EmpX1), item.ID, item.Version, "Behövs")
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.GrantReturnException(As(t, s, w.ChefX), item.ID, item.Version, " ")
	WantCode(t, err, distans.EINVALID)
	_, err = s.CompleteReturnTask(it, item.ID, item.Version)
	WantCode(t, err, distans.EINVALID)
	ex, err := s.GrantReturnException(As(t, s, w.ChefX), item.ID, item.Version, "Datorn köps ut enligt beslut.")
	Must(t, err)
	if ex.State != distans.TaskExcepted || ex.Note == "" {
		t.Fatalf("exception: %+v", ex)
	}
	done, err := s.CompleteReturnTask(it, sub.ID, sub.Version)
	Must(t, err)
	if done.State != distans.TaskDone || done.DoneByID != w.IT.ID {
		t.Fatalf("subscription: %+v", done)
	}
	_, err = s.RecordEquipmentReturn(it, &distans.EquipmentReturnRequest{PersonID: w.EmpX1.ID,
		Items: []distans.ReturnedState{{ItemID: items[0].ID, Condition: distans.ConditionGood}}})
	Must(t, err)
	open, err := s.ListReturnTasks(As(t, s, w.EmpX1), distans.ReturnTaskFilter{Open: true})
	Must(t, err)
	if len(open) != 1 || open[0].ItemID != items[1].ID {
		t.Fatalf("open after the return: %+v", open)
	}
	ov, err := s.EquipmentOverview(it, now)
	Must(t, err)
	if ov.OutstandingReturns != 1 || ov.OverdueReturns != 0 {
		t.Fatalf("overview: %+v", ov)
	}

	// Past the day: escalated once, to the managers over the manager and IT.
	later := now.AddDate(0, 0, 10)
	if r, e, err := s.ReturnTaskDeadlines(sys, later); err != nil || r != 0 || e != 1 {
		t.Fatalf("escalation: %d %d %v", r, e, err)
	}
	if r, e, err := s.ReturnTaskDeadlines(sys, later); err != nil || r != 0 || e != 0 {
		t.Fatalf("escalation again: %d %d %v", r, e, err)
	}
	notes, err = s.ListNotifications(it, false, 20)
	Must(t, err)
	if countKind(notes, "equipment.return_task_overdue") != 1 {
		t.Fatalf("IT's notices: %+v", notes)
	}

	// The end date moved three weeks on: the open task follows it, and is
	// reminded and escalated again for the new day.
	moved := ends.AddDate(0, 0, 21)
	_, err = s.UpdateEmployment(System(w.A.ID), w.EmpX1Employment.ID, distans.EmploymentUpdate{SetEndsOn: true, EndsOn: &moved})
	Must(t, err)
	if _, err := s.CreateReturnTasks(sys, today, testReturnPlan); err != nil {
		t.Fatal(err)
	}
	open, err = s.ListReturnTasks(As(t, s, w.ChefX), distans.ReturnTaskFilter{Open: true})
	Must(t, err)
	if len(open) != 1 || !open[0].DueOn.Equal(moved) || open[0].RemindedAt != nil || open[0].EscalatedAt != nil {
		t.Fatalf("after the move: %+v", open)
	}
	if r, e, err := s.ReturnTaskDeadlines(sys, later); err != nil || r != 0 || e != 0 {
		t.Fatalf("deadlines before the new week: %d %d %v", r, e, err)
	}
	if r, e, err := s.ReturnTaskDeadlines(sys, later.AddDate(0, 0, 10)); err != nil || r != 1 || e != 0 {
		t.Fatalf("reminded for the new day: %d %d %v", r, e, err)
	}

	// The end date withdrawn: the open task is cancelled.
	_, err = s.UpdateEmployment(System(w.A.ID), w.EmpX1Employment.ID, distans.EmploymentUpdate{SetEndsOn: true})
	Must(t, err)
	if _, err := s.CreateReturnTasks(sys, today, testReturnPlan); err != nil {
		t.Fatal(err)
	}
	open, err = s.ListReturnTasks(As(t, s, w.ChefX), distans.ReturnTaskFilter{Open: true})
	Must(t, err)
	if len(open) != 0 {
		t.Fatalf("still open: %+v", open)
	}

	// A long leave in B makes its tasks, in B only.
	Must(t, s.CreateLeave(System(w.B.ID), &distans.Leave{PersonID: w.EmpB.ID, Kind: distans.LeaveParental, StartsOn: today.AddDate(0, 0, 20)}))
	_, err = s.IssueEquipment(As(t, s, w.ITB), &distans.EquipmentIssueRequest{PersonID: w.EmpB.ID, ItemIDs: []string{bItem.ID}})
	WantCode(t, err, distans.EINVALID) // B has no terms yet
	Must(t, s.PublishDocument(As(t, s, w.AdminB), &distans.PolicyDocument{Title: "Villkor", Body: "B"}))
	docs, err := s.ListDocuments(As(t, s, w.AdminB))
	Must(t, err)
	Must(t, s.SetEquipmentTermsDocument(As(t, s, w.AdminB), docs[0].ID))
	_, err = s.IssueEquipment(As(t, s, w.ITB), &distans.EquipmentIssueRequest{PersonID: w.EmpB.ID, ItemIDs: []string{bItem.ID}})
	Must(t, err)
	if n, err := s.CreateReturnTasks(sys, today, testReturnPlan); err != nil || n != 1 {
		t.Fatalf("B's leave: %d %v", n, err)
	}
	got, err := s.ListReturnTasks(As(t, s, w.ITB), distans.ReturnTaskFilter{})
	Must(t, err)
	if len(got) != 1 || got[0].Reason != distans.ReturnLongLeave {
		t.Fatalf("B's tasks: %+v", got)
	}
}

// EquipmentReturnRounds follows the return-task job over several days:
// a day the job did not run is caught up, an item issued after the tasks
// were made gets its own, a withdrawn end date cancels its person's tasks
// and no one else's, rounds run at once make each task once, and a long
// leave shortened below the pack's limit (Sorsele 004 §8.6) has its tasks
// cancelled, while one shortened to a length still over it keeps them.
// Every round's events keep the audit chains whole.
func EquipmentReturnRounds(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	w.setTerms(t)
	items := w.items(t, w.X.ID, "phone:P-1", "sim:S-1:0701112233", "computer:D-1", "computer:D-2")
	w.issueAccepted(t, w.EmpX1, items[:3]...)
	yItems := w.items(t, w.Y.ID, "computer:Y-1")
	w.issueAccepted(t, w.EmpY, yItems...)
	today := agrToday()
	sys := System("")
	open := func(p *distans.Person) []*distans.ReturnTask {
		t.Helper()
		got, err := s.ListReturnTasks(As(t, s, w.IT), distans.ReturnTaskFilter{PersonID: p.ID, Open: true})
		Must(t, err)
		return got
	}

	// The end is 35 days off, beyond the job's 30: nothing on the day.
	// The job then misses days; the round six days on makes the tasks.
	ends := today.AddDate(0, 0, 35)
	_, err := s.UpdateEmployment(System(w.A.ID), w.EmpX1Employment.ID, distans.EmploymentUpdate{SetEndsOn: true, EndsOn: &ends})
	Must(t, err)
	leave := &distans.Leave{PersonID: w.EmpY.ID, Kind: distans.LeaveParental, StartsOn: today.AddDate(0, 0, 40)}
	Must(t, s.CreateLeave(System(w.A.ID), leave))
	if n, err := s.CreateReturnTasks(sys, today, testReturnPlan); err != nil || n != 0 {
		t.Fatalf("a month and more ahead: %d %v", n, err)
	}
	later := today.AddDate(0, 0, 6)
	if n, err := s.CreateReturnTasks(sys, later, testReturnPlan); err != nil || n != 4 {
		t.Fatalf("after the missed days: %d tasks, %v; want three items and the subscription", n, err)
	}
	if got := open(w.EmpY); len(got) != 0 {
		t.Fatalf("EmpY's leave is 34 days off: %+v", got)
	}

	// A computer issued once the tasks exist: one task more, for it.
	w.issueAccepted(t, w.EmpX1, items[3])
	if n, err := s.CreateReturnTasks(sys, later, testReturnPlan); err != nil || n != 1 {
		t.Fatalf("the new computer: %d %v", n, err)
	}
	got := open(w.EmpX1)
	if len(got) != 5 || !slices.ContainsFunc(got, func(tk *distans.ReturnTask) bool { return tk.ItemID == items[3].ID }) {
		t.Fatalf("EmpX1's tasks: %+v", got)
	}

	// EmpY's leave comes within reach; rounds run at once, as several
	// instances would, make its tasks once.
	next := today.AddDate(0, 0, 12)
	var wg sync.WaitGroup
	made := make([]int, 4)
	errs := make([]error, 4)
	for i := range made {
		wg.Go(func() { made[i], errs[i] = s.CreateReturnTasks(sys, next, testReturnPlan) })
	}
	wg.Wait()
	total := 0
	for i := range made {
		Must(t, errs[i])
		total += made[i]
	}
	if total != 1 || len(open(w.EmpY)) != 1 {
		t.Fatalf("concurrent rounds made %d tasks, EmpY has %+v", total, open(w.EmpY))
	}

	// EmpX1's end withdrawn: EmpX1's tasks are cancelled, EmpY's stay.
	_, err = s.UpdateEmployment(System(w.A.ID), w.EmpX1Employment.ID, distans.EmploymentUpdate{SetEndsOn: true})
	Must(t, err)
	if n, err := s.CreateReturnTasks(sys, next, testReturnPlan); err != nil || n != 0 {
		t.Fatalf("after the withdrawal: %d %v", n, err)
	}
	if got := open(w.EmpX1); len(got) != 0 {
		t.Fatalf("EmpX1's tasks still open: %+v", got)
	}
	if got := open(w.EmpY); len(got) != 1 || got[0].State != distans.TaskOpen {
		t.Fatalf("EmpY's task: %+v", got)
	}

	// EmpY's leave given an end two years on: still long, the task stays.
	// Then shortened to two months, below the limit: it is cancelled.
	Must(t, s.EndLeave(System(w.A.ID), leave.ID, leave.StartsOn.AddDate(2, 0, 0)))
	if n, err := s.CreateReturnTasks(sys, next, testReturnPlan); err != nil || n != 0 {
		t.Fatalf("after the end two years on: %d %v", n, err)
	}
	if got := open(w.EmpY); len(got) != 1 {
		t.Fatalf("EmpY's task after the end two years on: %+v", got)
	}
	Must(t, s.EndLeave(System(w.A.ID), leave.ID, leave.StartsOn.AddDate(0, 2, 0)))
	if n, err := s.CreateReturnTasks(sys, next, testReturnPlan); err != nil || n != 0 {
		t.Fatalf("after the shortening: %d %v", n, err)
	}
	if got := open(w.EmpY); len(got) != 0 {
		t.Fatalf("EmpY's task still open after the leave was shortened to two months: %+v", got)
	}
	all, err := s.ListReturnTasks(As(t, s, w.IT), distans.ReturnTaskFilter{PersonID: w.EmpY.ID})
	Must(t, err)
	if len(all) != 1 || all[0].State != distans.TaskCancelled {
		t.Fatalf("EmpY's tasks: %+v", all)
	}
	events, err := s.ListAuditEvents(As(t, s, w.Admin), distans.AuditFilter{RecordID: all[0].ID})
	Must(t, err)
	if len(events) == 0 || events[0].Action != "equipment.task_cancel" || !strings.Contains(events[0].Summary, "shortened") {
		t.Fatalf("the cancellation's event: %+v", events)
	}
	if b, err := s.VerifyAuditChains(context.Background()); err != nil || b != nil {
		t.Fatalf("chains after the rounds: %v %v", b, err)
	}
}

func countKind(ns []*distans.Notification, kind distans.NotificationKind) int {
	n := 0
	for _, x := range ns {
		if x.Kind == kind {
			n++
		}
	}
	return n
}

func EquipmentHandoverReminders(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	w.setTerms(t)
	items := w.items(t, w.X.ID, "phone:P-1", "phone:P-2")
	_, err := s.IssueEquipment(As(t, s, w.IT), &distans.EquipmentIssueRequest{PersonID: w.EmpX1.ID, ItemIDs: itemIDs(items[0])})
	Must(t, err)
	w.issueAccepted(t, w.EmpY, items[1])
	sys := System("")
	if n, err := s.HandoverReminders(sys, distans.Now()); err != nil || n != 0 {
		t.Fatalf("too early: %d %v", n, err)
	}
	later := distans.Now().Add(4 * 24 * time.Hour)
	if n, err := s.HandoverReminders(sys, later); err != nil || n != 1 {
		t.Fatalf("reminders: %d %v", n, err)
	}
	if n, err := s.HandoverReminders(sys, later.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("reminders again: %d %v", n, err)
	}
	notes, err := s.ListNotifications(As(t, s, w.EmpX1), false, 10)
	Must(t, err)
	if countKind(notes, "equipment.handover_reminder") != 1 {
		t.Fatalf("the person's notices: %+v", notes)
	}
	notes, err = s.ListNotifications(As(t, s, w.IT), false, 10)
	Must(t, err)
	if countKind(notes, "equipment.handover_unaccepted") != 1 {
		t.Fatalf("IT's notices: %+v", notes)
	}
	_, err = s.HandoverReminders(As(t, s, w.IT), later)
	WantCode(t, err, distans.EFORBIDDEN)
}

func EquipmentIsolation(t *testing.T, s *sqlstore.Store) {
	w := newEquipmentWorld(t, s)
	w.setTerms(t)
	items := w.items(t, w.X.ID, "phone:P-1", "computer:D-1")
	h := w.issueAccepted(t, w.EmpX1, items...)
	l, err := s.CreateLoss(As(t, s, w.EmpX1), &distans.LossReport{Kind: distans.LossLost, ItemIDs: []string{items[0].ID},
		DiscoveredAt: discovered(), Place: "Bussen", Description: "Borta"}, testLossPlan, testClocks)
	Must(t, err)
	today := agrToday()
	tr, err := s.CreateTrip(As(t, s, w.EmpX1), &distans.TripRequest{Private: true, Abroad: true, Destination: "Rom",
		StartsOn: today.AddDate(0, 0, 5), EndsOn: today.AddDate(0, 0, 9), ItemIDs: []string{items[1].ID}}, testTripPlan)
	Must(t, err)
	for _, p := range []*distans.Person{w.AdminB, w.ITB, w.EmpB} {
		ctx := As(t, s, p)
		for name, err := range map[string]error{
			"item":     errOf(s.FindEquipmentItem(ctx, items[1].ID)),
			"handover": errOf(s.FindHandover(ctx, h.ID)),
			"loss":     errOf(s.FindLoss(ctx, l.ID)),
			"trip":     errOf(s.FindTrip(ctx, tr.ID)),
			"held":     errOf(s.HeldEquipment(ctx, w.EmpX1.ID)),
			"update":   errOf(s.UpdateEquipmentItem(ctx, items[1].ID, distans.EquipmentItemUpdate{Version: 1})),
			"step":     errOf(s.RecordLossStep(ctx, l.ID, distans.LossStepRecord{Step: distans.StepBlockSIM})),
		} {
			if distans.ErrorCode(err) != distans.ENOTFOUND {
				t.Errorf("%s reaches A's %s: %v", p.Name, name, err)
			}
		}
		lists := []int{}
		its, err := s.ListEquipmentItems(ctx, distans.EquipmentFilter{})
		Must(t, err)
		hs, err := s.ListHandovers(ctx, "", false)
		Must(t, err)
		ls, err := s.ListLosses(ctx, false)
		Must(t, err)
		ts, err := s.ListTrips(ctx, "", false)
		Must(t, err)
		tk, err := s.ListReturnTasks(ctx, distans.ReturnTaskFilter{})
		Must(t, err)
		lists = append(lists, len(its), len(hs), len(ls), len(ts), len(tk))
		for _, n := range lists {
			if n != 0 {
				t.Errorf("%s lists A's records: %v", p.Name, lists)
				break
			}
		}
		if _, err := s.IssueEquipment(ctx, &distans.EquipmentIssueRequest{PersonID: w.EmpB.ID, ItemIDs: []string{items[1].ID}}); err == nil {
			t.Errorf("%s issued A's item", p.Name)
		}
	}
	// Within A, a colleague in another unit sees none of it either.
	ctx := As(t, s, w.EmpY)
	its, err := s.ListEquipmentItems(ctx, distans.EquipmentFilter{})
	Must(t, err)
	hs, err := s.ListHandovers(ctx, "", false)
	Must(t, err)
	if len(its)+len(hs) != 0 {
		t.Fatalf("a colleague sees %d items and %d handovers", len(its), len(hs))
	}
	_, err = s.FindLoss(ctx, l.ID)
	WantCode(t, err, distans.ENOTFOUND)
	// The manager sees their people's, the person their own.
	mine, err := s.ListEquipmentItems(As(t, s, w.EmpX1), distans.EquipmentFilter{})
	Must(t, err)
	theirs, err := s.ListEquipmentItems(As(t, s, w.ChefX), distans.EquipmentFilter{})
	Must(t, err)
	if len(mine) != 1 || len(theirs) != 1 {
		t.Fatalf("the person sees %d, the manager %d (the lost phone is no longer held)", len(mine), len(theirs))
	}
}
