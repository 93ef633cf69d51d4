package api

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Equipment on a.svc.Equipment, everything under /api/v1/equipment: the
// registry (models, items, the CSV import), the terms every acceptance
// signs, handovers and their acceptance, returns and their signature,
// loss cases with their steps (the police report's copy as a multipart
// upload) and the negligence assessment, trips and the manager's decision,
// return tasks, IT's overview, and the acceptance and return PDFs. The
// service decides who sees what (ENOTFOUND outside the caller's reach) and
// who may change what (EFORBIDDEN). Days (purchased_on, starts_on,
// ends_on, due_on, reported_on) are "YYYY-MM-DD"; instants RFC 3339 in the
// organisation's time zone.
// Lists of items and return tasks page by after= with next_after.
//
// Without an equipment service the routes answer 404.

// equipmentService returns the equipment service, or writes 404 and
// returns nil when none is wired.
func (a *API) equipmentService(w http.ResponseWriter, r *http.Request) distans.EquipmentService {
	if a.svc.Equipment == nil {
		a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
		return nil
	}
	return a.svc.Equipment
}

// equipmentDo is the handler of an equipment operation: do answers the
// status and value to write, or an error.
func (a *API) equipmentDo(do func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.equipmentService(w, r)
		if svc == nil {
			return
		}
		status, v, err := do(r.Context(), svc, w, r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		loc, err := a.orgLocation(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, status, inZone(v, loc))
	})
}

// inZone returns v with every instant in it (each step's due_at above
// all) in loc, the organisation's time zone, as the incidents' answers
// have them: "2026-03-31T10:00:00+02:00" reads as the local time it is.
// Days are Date values, which it leaves alone. The records are the
// request's own, read for this answer.
func inZone(v any, loc *time.Location) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return v
	}
	p := reflect.New(rv.Type())
	p.Elem().Set(rv)
	zone(p.Elem(), loc, map[uintptr]bool{})
	return p.Elem().Interface()
}

var timeType = reflect.TypeFor[time.Time]()

func zone(v reflect.Value, loc *time.Location, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		zone(v.Elem(), loc, seen)
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanSet() && !v.Interface().(time.Time).IsZero() {
				v.Set(reflect.ValueOf(v.Interface().(time.Time).In(loc)))
			}
			return
		}
		for i := range v.NumField() {
			if f := v.Field(i); v.Type().Field(i).IsExported() {
				zone(f, loc, seen)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			zone(v.Index(i), loc, seen)
		}
	}
}

// The JSON views: days as "YYYY-MM-DD", lists never null.

type itemJSON struct {
	*distans.EquipmentItem
	PurchasedOn *Date `json:"purchased_on,omitempty"`
}

func itemView(it *distans.EquipmentItem) itemJSON {
	return itemJSON{EquipmentItem: it, PurchasedOn: datePtr(it.PurchasedOn)}
}

type handoverJSON struct {
	*distans.EquipmentHandover
	Items []distans.HandoverItem `json:"items"`
	// Hash is what an acceptance signs now: the items and the terms as
	// the handover holds them (EquipmentHandover.AcceptanceHash).
	Hash string `json:"hash"`
}

func handoverView(h *distans.EquipmentHandover) handoverJSON {
	return handoverJSON{EquipmentHandover: h, Items: nonNilSlice(h.Items), Hash: h.AcceptanceHash()}
}

type returnJSON struct {
	*distans.EquipmentReturn
	Items []distans.ReturnedItem `json:"items"`
}

func returnView(rt *distans.EquipmentReturn) returnJSON {
	return returnJSON{EquipmentReturn: rt, Items: nonNilSlice(rt.Items)}
}

type lossStepJSON struct {
	distans.LossStep
	ReportedOn *Date `json:"reported_on,omitempty"`
}

type lossJSON struct {
	*distans.EquipmentLoss
	Items []distans.HandoverItem `json:"items"`
	Steps []lossStepJSON         `json:"steps"`
}

func lossView(l *distans.EquipmentLoss) lossJSON {
	v := lossJSON{EquipmentLoss: l, Items: nonNilSlice(l.Items), Steps: []lossStepJSON{}}
	for _, s := range l.Steps {
		v.Steps = append(v.Steps, lossStepJSON{LossStep: s, ReportedOn: datePtr(s.ReportedOn)})
	}
	return v
}

type tripJSON struct {
	*distans.EquipmentTrip
	StartsOn Date                       `json:"starts_on"`
	EndsOn   Date                       `json:"ends_on"`
	Items    []distans.HandoverItem     `json:"items"`
	Findings []distans.AgreementFinding `json:"findings"`
}

func tripView(t *distans.EquipmentTrip) tripJSON {
	return tripJSON{EquipmentTrip: t, StartsOn: NewDate(t.StartsOn), EndsOn: NewDate(t.EndsOn), Items: nonNilSlice(t.Items),
		Findings: nonNilSlice(t.Findings)}
}

type taskJSON struct {
	*distans.ReturnTask
	DueOn Date `json:"due_on"`
}

func taskView(t *distans.ReturnTask) taskJSON {
	return taskJSON{ReturnTask: t, DueOn: NewDate(t.DueOn)}
}

// taskCursor is what ReturnTaskFilter.After takes for the tasks after t.
func taskCursor(t *distans.ReturnTask) string { return t.DueOn.Format(time.DateOnly) + "|" + t.ID }

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// equipmentPage is a page of a keyset list: NextAfter, when set, is the
// after= of the next page.
type equipmentPage[T any] struct {
	Items     []T    `json:"items"`
	NextAfter string `json:"next_after,omitempty"`
}

// Overview and terms.

func (a *API) equipmentOverview() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, _ *http.Request) (int, any, error) {
		o, err := svc.Overview(ctx)
		if err == nil && o.PerUnit == nil {
			o.PerUnit = []distans.UnitEquipment{}
		}
		return http.StatusOK, o, err
	})
}

func (a *API) equipmentTermsGet() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, _ *http.Request) (int, any, error) {
		d, err := svc.Terms(ctx)
		return http.StatusOK, d, err
	})
}

// equipmentTermsBody is PUT /equipment/terms.
type equipmentTermsBody struct {
	DocumentID string `json:"document_id"`
}

func (a *API) equipmentTermsPut() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentTermsBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		v.Required("document_id", b.DocumentID)
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		if err := svc.SetTermsDocument(ctx, b.DocumentID); err != nil {
			return 0, nil, err
		}
		d, err := svc.Terms(ctx)
		return http.StatusOK, d, err
	})
}

// Models.

func (a *API) equipmentModelList() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, _ *http.Request) (int, any, error) {
		ms, err := svc.ListModels(ctx)
		return http.StatusOK, newList(ms), err
	})
}

// equipmentModelBody is POST /equipment/models and PUT /equipment/models/{id}.
type equipmentModelBody struct {
	Category     string `json:"category"`
	Name         string `json:"name"`
	Manufacturer string `json:"manufacturer"`
	Retired      bool   `json:"retired"`
}

func (a *API) equipmentModelSave(create bool) http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentModelBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		m := &distans.EquipmentModel{Category: distans.EquipmentCategory(b.Category), Name: b.Name, Manufacturer: b.Manufacturer, Retired: b.Retired}
		status := http.StatusCreated
		if !create {
			m.ID, status = r.PathValue("id"), http.StatusOK
		}
		if err := m.Validate(); err != nil {
			return 0, nil, err
		}
		if err := svc.SaveModel(ctx, m); err != nil {
			return 0, nil, err
		}
		return status, m, nil
	})
}

func (a *API) equipmentModelCreate() http.Handler { return a.equipmentModelSave(true) }
func (a *API) equipmentModelUpdate() http.Handler { return a.equipmentModelSave(false) }

// Items.

func (a *API) equipmentItemList() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := newQuery(r)
		f := distans.EquipmentFilter{UnitID: q.str("unit_id"), HolderID: q.str("holder_id"), Query: q.search(),
			After: q.cursor("after"), Limit: int(q.integer("limit", 50, 1, 200))}
		if c := distans.EquipmentCategory(q.str("category")); c != "" {
			if !c.Valid() {
				q.v.Add("category", "Okänd typ av utrustning "+string(c)+".", "Unknown kind of equipment "+string(c)+".")
			}
			f.Category = c
		}
		if s := distans.EquipmentStatus(q.str("status")); s != "" {
			if !s.Valid() {
				q.v.Add("status", "Okänd status "+string(s)+".", "Unknown status "+string(s)+".")
			}
			f.Status = s
		}
		if err := q.err(); err != nil {
			return 0, nil, err
		}
		items, err := svc.ListItems(ctx, f)
		if err != nil {
			return 0, nil, err
		}
		page := equipmentPage[itemJSON]{Items: views(items, itemView)}
		if len(items) == f.Limit {
			page.NextAfter = items[len(items)-1].Cursor()
		}
		return http.StatusOK, page, nil
	})
}

// equipmentItemBody is POST /equipment/items.
type equipmentItemBody struct {
	Category    string `json:"category"`
	ModelID     string `json:"model_id"`
	Serial      string `json:"serial"`
	AssetTag    string `json:"asset_tag"`
	PhoneNumber string `json:"phone_number"`
	InPhoneID   string `json:"in_phone_id"`
	UnitID      string `json:"unit_id"`
	PurchasedOn Date   `json:"purchased_on"`
	Status      string `json:"status"`
	Note        string `json:"note"`
}

func (a *API) equipmentItemCreate() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentItemBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		it := &distans.EquipmentItem{Category: distans.EquipmentCategory(b.Category), ModelID: b.ModelID, Serial: b.Serial,
			AssetTag: b.AssetTag, PhoneNumber: b.PhoneNumber, InPhoneID: b.InPhoneID, UnitID: b.UnitID,
			PurchasedOn: b.PurchasedOn.Ptr(), Status: distans.EquipmentStatus(b.Status), Note: b.Note}
		var v distans.Validation
		b.PurchasedOn.check(&v, "purchased_on", false)
		if err := validate(&v, it.Validate()); err != nil {
			return 0, nil, err
		}
		if err := svc.RegisterItem(ctx, it); err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", prefix+"/equipment/items/"+it.ID)
		return http.StatusCreated, itemView(it), nil
	})
}

func (a *API) equipmentItemGet() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		it, err := svc.Item(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, itemView(it), nil
	})
}

// equipmentItemHistory is GET /equipment/items/{id}/history: who held
// the item, how it came back, what was reported lost, oldest first.
func (a *API) equipmentItemHistory() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		evs, err := svc.ItemHistory(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, map[string]any{"events": evs}, nil
	})
}

// equipmentItemPatch is PATCH /equipment/items/{id}: the fields given
// replace the item's; version is the item's version as read.
type equipmentItemPatch struct {
	Version     *int    `json:"version"`
	ModelID     *string `json:"model_id"`
	Serial      *string `json:"serial"`
	AssetTag    *string `json:"asset_tag"`
	PhoneNumber *string `json:"phone_number"`
	InPhoneID   *string `json:"in_phone_id"`
	UnitID      *string `json:"unit_id"`
	PurchasedOn Date    `json:"purchased_on"`
	Status      *string `json:"status"`
	Note        *string `json:"note"`
}

func (a *API) equipmentItemUpdate() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentItemPatch
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		upd := distans.EquipmentItemUpdate{Version: checkVersion(&v, b.Version), ModelID: b.ModelID, Serial: b.Serial,
			AssetTag: b.AssetTag, PhoneNumber: b.PhoneNumber, InPhoneID: b.InPhoneID, UnitID: b.UnitID, Note: b.Note}
		b.PurchasedOn.check(&v, "purchased_on", false)
		if b.PurchasedOn.Present() {
			p := b.PurchasedOn.Ptr()
			upd.PurchasedOn = &p
		}
		if b.Status != nil {
			s := distans.EquipmentStatus(*b.Status)
			if !slices.Contains([]distans.EquipmentStatus{distans.EquipmentInStock, distans.EquipmentInRepair, distans.EquipmentRetired}, s) {
				v.Add("status", "Status kan bara ändras till in_stock, in_repair eller retired här.", "Status can only be set to in_stock, in_repair or retired here.")
			}
			upd.Status = &s
		}
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		it, err := svc.UpdateItem(ctx, r.PathValue("id"), upd)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, itemView(it), nil
	})
}

// equipmentImport is POST /equipment/items/import: multipart/form-data
// with the CSV in "file" and "dry_run" (true: check only). Nothing is
// saved unless every row is valid; the row errors are in the answer (422
// when there are any).
func (a *API) equipmentImport() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		f, dry, err := csvUpload(r)
		if err != nil {
			return 0, nil, err
		}
		defer f.Close()
		res, err := svc.ImportItems(ctx, f, dry)
		if err != nil {
			return 0, nil, err
		}
		res.Errors = nonNilSlice(res.Errors)
		return importStatus(res.Errors), res, nil
	})
}

// Handovers.

func (a *API) equipmentHandoverList() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := newQuery(r)
		personID, pending := q.str("person_id"), q.boolean("pending")
		if personID == "" && !pending {
			personID = distans.ActorFrom(ctx).PersonID
		}
		if err := q.err(); err != nil {
			return 0, nil, err
		}
		hs, err := svc.ListHandovers(ctx, personID, pending)
		return http.StatusOK, newList(views(hs, handoverView)), err
	})
}

// equipmentIssueBody is POST /equipment/handovers.
type equipmentIssueBody struct {
	PersonID string   `json:"person_id"`
	ItemIDs  []string `json:"item_ids"`
	Note     string   `json:"note"`
}

func (a *API) equipmentIssue() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentIssueBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		req := &distans.EquipmentIssueRequest{PersonID: b.PersonID, ItemIDs: b.ItemIDs, Note: b.Note}
		if err := req.Validate(); err != nil {
			return 0, nil, err
		}
		h, err := svc.Issue(ctx, req)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", prefix+"/equipment/handovers/"+h.ID)
		return http.StatusCreated, handoverView(h), nil
	})
}

func (a *API) equipmentHandoverGet() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		h, err := svc.Handover(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, handoverView(h), nil
	})
}

// equipmentAcceptBody is POST /equipment/handovers/{id}/accept: the terms
// version and hash as read (GET gives both), and the password again.
type equipmentAcceptBody struct {
	TermsVersion int    `json:"terms_version"`
	Hash         string `json:"hash"`
	Password     string `json:"password"`
}

func (a *API) equipmentAccept() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentAcceptBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		if b.TermsVersion < 1 {
			v.Add("terms_version", "Ange vilken version av villkoren du har läst.", "Give the version of the terms you have read.")
		}
		v.Required("hash", b.Hash)
		v.Required("password", b.Password)
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		h, err := svc.Accept(ctx, r.PathValue("id"), distans.EquipmentAcceptance{TermsVersion: b.TermsVersion, Hash: b.Hash, Password: b.Password})
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, handoverView(h), nil
	})
}

// equipmentVersionBody is the body of a change that names only the
// record's version (a cancel, a completed task).
type equipmentVersionBody struct {
	Version *int `json:"version"`
}

func (b *equipmentVersionBody) version() (int, error) {
	var v distans.Validation
	n := checkVersion(&v, b.Version)
	return n, v.Err()
}

func (a *API) equipmentHandoverCancel() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentVersionBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		n, err := b.version()
		if err != nil {
			return 0, nil, err
		}
		h, err := svc.CancelHandover(ctx, r.PathValue("id"), n)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, handoverView(h), nil
	})
}

// equipmentPDF answers a PDF that write makes, written in full before
// the first byte so that a failure is still JSON.
func (a *API) equipmentPDF(name string, write func(svc distans.EquipmentService, ctx context.Context, id string, w io.Writer) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.equipmentService(w, r)
		if svc == nil {
			return
		}
		var buf bytes.Buffer
		if err := write(svc, r.Context(), r.PathValue("id"), &buf); err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+"-"+pdfFileName(r.PathValue("id"))+`"`)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
	})
}

func (a *API) equipmentHandoverPDF() http.Handler {
	return a.equipmentPDF("utlamning", func(svc distans.EquipmentService, ctx context.Context, id string, w io.Writer) error {
		return svc.WriteAcceptancePDF(ctx, id, w)
	})
}

func (a *API) equipmentReturnPDF() http.Handler {
	return a.equipmentPDF("aterlamning", func(svc distans.EquipmentService, ctx context.Context, id string, w io.Writer) error {
		return svc.WriteReturnPDF(ctx, id, w)
	})
}

// Returns.

func (a *API) equipmentReturnList() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		personID := newQuery(r).str("person_id")
		if personID == "" {
			personID = distans.ActorFrom(ctx).PersonID
		}
		rs, err := svc.ListReturns(ctx, personID)
		return http.StatusOK, newList(views(rs, returnView)), err
	})
}

// equipmentReturnBody is POST /equipment/returns.
type equipmentReturnBody struct {
	PersonID string                    `json:"person_id"`
	Items    []equipmentReturnItemBody `json:"items"`
}

type equipmentReturnItemBody struct {
	ItemID    string `json:"item_id"`
	Condition string `json:"condition"`
	Note      string `json:"note"`
}

func (a *API) equipmentReturnCreate() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentReturnBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		req := &distans.EquipmentReturnRequest{PersonID: b.PersonID}
		for _, it := range b.Items {
			req.Items = append(req.Items, distans.ReturnedState{ItemID: it.ItemID, Condition: distans.ItemCondition(it.Condition), Note: it.Note})
		}
		if err := req.Validate(); err != nil {
			return 0, nil, err
		}
		rt, err := svc.RecordReturn(ctx, req)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", prefix+"/equipment/returns/"+rt.ID)
		return http.StatusCreated, returnView(rt), nil
	})
}

func (a *API) equipmentReturnGet() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		rt, err := svc.Return(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, returnView(rt), nil
	})
}

// equipmentSignBody is POST /equipment/returns/{id}/sign.
type equipmentSignBody struct {
	Password string `json:"password"`
}

func (a *API) equipmentReturnSign() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentSignBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		v.Required("password", b.Password)
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		rt, err := svc.SignReturn(ctx, r.PathValue("id"), b.Password)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, returnView(rt), nil
	})
}

// Losses.

func (a *API) equipmentLossList() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := newQuery(r)
		open := q.boolean("open")
		if err := q.err(); err != nil {
			return 0, nil, err
		}
		ls, err := svc.ListLosses(ctx, open)
		return http.StatusOK, newList(views(ls, lossView)), err
	})
}

// equipmentLossBody is POST /equipment/losses: the written report.
type equipmentLossBody struct {
	Kind            string     `json:"kind"`
	ItemIDs         []string   `json:"item_ids"`
	PersonID        string     `json:"person_id"`
	OccurredAt      *time.Time `json:"occurred_at"`
	DiscoveredAt    *time.Time `json:"discovered_at"`
	Place           string     `json:"place"`
	OutsidePremises bool       `json:"outside_premises"`
	Description     string     `json:"description"`
}

func (a *API) equipmentLossCreate() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentLossBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		rep := &distans.LossReport{Kind: distans.LossKind(b.Kind), ItemIDs: b.ItemIDs, PersonID: b.PersonID, OccurredAt: b.OccurredAt,
			Place: b.Place, OutsidePremises: b.OutsidePremises, Description: b.Description}
		if b.DiscoveredAt != nil {
			rep.DiscoveredAt = *b.DiscoveredAt
		}
		if err := rep.Validate(distans.NowFrom(ctx)); err != nil {
			return 0, nil, err
		}
		l, err := svc.ReportLoss(ctx, rep)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", prefix+"/equipment/losses/"+l.ID)
		return http.StatusCreated, lossView(l), nil
	})
}

func (a *API) equipmentLossGet() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		l, err := svc.Loss(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, lossView(l), nil
	})
}

// equipmentLossStep is POST /equipment/losses/{id}/steps:
// multipart/form-data (or application/x-www-form-urlencoded without a
// file) with step, evidence, reported_on (YYYY-MM-DD), skipped,
// skip_reason, and the police report's copy in "attachment".
func (a *API) equipmentLossStep() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		var v distans.Validation
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "multipart/form-data" && ct != "application/x-www-form-urlencoded" {
			v.Add("step", "Skicka steget som multipart/form-data (med kopian i fältet attachment).",
				"Send the step as multipart/form-data (with the copy in the field attachment).")
			return 0, nil, v.Err()
		}
		val := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
		rec := distans.LossStepRecord{Step: val("step"), Evidence: val("evidence"), SkipReason: val("skip_reason")}
		v.Required("step", rec.Step)
		switch strings.ToLower(val("skipped")) {
		case "", "0", "false", "off":
		case "1", "true", "on":
			rec.Skipped = true
		default:
			v.Add("skipped", "Ange true eller false.", "Give true or false.")
		}
		if s := val("reported_on"); s != "" {
			d, err := ParseDate(s)
			if err != nil {
				v.Add("reported_on", errDateSv, errDateEn)
			}
			rec.ReportedOn = d.Ptr()
		}
		if r.MultipartForm != nil {
			if fhs := r.MultipartForm.File["attachment"]; len(fhs) > 0 && fhs[0].Size > 0 {
				fh := fhs[0]
				if fh.Size > distans.MaxAttachment {
					v.Add("attachment", "Filen är större än 10 MB.", "The file is larger than 10 MB.")
				} else {
					f, err := fh.Open()
					if err != nil {
						return 0, nil, err
					}
					var buf bytes.Buffer
					_, err = buf.ReadFrom(f)
					f.Close()
					if err != nil {
						return 0, nil, err
					}
					b := buf.Bytes()
					typ, _, _ := mime.ParseMediaType(http.DetectContentType(b))
					if !slices.Contains(distans.AttachmentTypes, typ) {
						v.Add("attachment", "Bifoga kopian som PDF, JPEG eller PNG.", "Attach the copy as a PDF, JPEG or PNG.")
					}
					rec.Attachment = &distans.Attachment{Name: fh.Filename, ContentType: typ, Size: int64(len(b)), Content: b}
				}
			}
		}
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		l, err := svc.RecordLossStep(ctx, r.PathValue("id"), rec)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, lossView(l), nil
	})
}

// equipmentAssessmentBody is POST /equipment/losses/{id}/assessment.
type equipmentAssessmentBody struct {
	GrossNegligence *bool  `json:"gross_negligence"`
	Reasons         string `json:"reasons"`
}

func (a *API) equipmentLossAssess() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentAssessmentBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		if b.GrossNegligence == nil {
			v.Add("gross_negligence", "Ange om det var grov vårdslöshet (true eller false).", "Say whether it was gross negligence (true or false).")
		}
		as := distans.NegligenceAssessment{GrossNegligence: b.GrossNegligence != nil && *b.GrossNegligence, Reasons: b.Reasons}
		if err := validate(&v, as.Validate()); err != nil {
			return 0, nil, err
		}
		l, err := svc.AssessNegligence(ctx, r.PathValue("id"), as)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, lossView(l), nil
	})
}

func (a *API) equipmentLossAttachment() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.equipmentService(w, r)
		if svc == nil {
			return
		}
		att, err := svc.LossAttachment(r.Context(), r.PathValue("id"), r.PathValue("attachment_id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", att.ContentType)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(att.Content)
	})
}

// Trips.

func (a *API) equipmentTripList() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := newQuery(r)
		personID, requested := q.str("person_id"), q.boolean("requested")
		if personID == "" && !requested {
			personID = distans.ActorFrom(ctx).PersonID
		}
		if err := q.err(); err != nil {
			return 0, nil, err
		}
		ts, err := svc.ListTrips(ctx, personID, requested)
		return http.StatusOK, newList(views(ts, tripView)), err
	})
}

// equipmentTripBody is POST /equipment/trips.
type equipmentTripBody struct {
	Private     bool     `json:"private"`
	Abroad      bool     `json:"abroad"`
	Destination string   `json:"destination"`
	StartsOn    Date     `json:"starts_on"`
	EndsOn      Date     `json:"ends_on"`
	ItemIDs     []string `json:"item_ids"`
	Reasons     string   `json:"reasons"`
}

func (a *API) equipmentTripCreate() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentTripBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		b.StartsOn.check(&v, "starts_on", true)
		b.EndsOn.check(&v, "ends_on", true)
		req := &distans.TripRequest{Private: b.Private, Abroad: b.Abroad, Destination: b.Destination, StartsOn: b.StartsOn.Time(),
			EndsOn: b.EndsOn.Time(), ItemIDs: b.ItemIDs, Reasons: b.Reasons}
		today, _, err := distans.TodayIn(ctx, a.svc.Organisations, distans.ActorFrom(ctx).OrganisationID)
		if err != nil {
			return 0, nil, err
		}
		if err := validate(&v, req.Validate(today)); err != nil {
			return 0, nil, err
		}
		t, err := svc.RegisterTrip(ctx, req)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", prefix+"/equipment/trips/"+t.ID)
		return http.StatusCreated, tripView(t), nil
	})
}

func (a *API) equipmentTripGet() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		t, err := svc.Trip(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, tripView(t), nil
	})
}

// equipmentTripDecisionBody is POST /equipment/trips/{id}/decision.
type equipmentTripDecisionBody struct {
	Version  *int   `json:"version"`
	Approved *bool  `json:"approved"`
	Note     string `json:"note"`
}

func (a *API) equipmentTripDecide() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentTripDecisionBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		d := distans.TripDecision{Version: checkVersion(&v, b.Version), Approved: b.Approved != nil && *b.Approved, Note: b.Note}
		if b.Approved == nil {
			v.Add("approved", "Ange om resan godkänns (true) eller avslås (false).", "Say whether the trip is approved (true) or declined (false).")
		}
		v.Required("note", b.Note)
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		t, err := svc.DecideTrip(ctx, r.PathValue("id"), d)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, tripView(t), nil
	})
}

// Return tasks.

func (a *API) equipmentTaskList() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := newQuery(r)
		f := distans.ReturnTaskFilter{PersonID: q.str("person_id"), Open: q.boolean("open"), After: q.str("after"),
			Limit: int(q.integer("limit", 50, 1, 200))}
		if err := q.err(); err != nil {
			return 0, nil, err
		}
		ts, err := svc.ListReturnTasks(ctx, f)
		if err != nil {
			return 0, nil, err
		}
		page := equipmentPage[taskJSON]{Items: views(ts, taskView)}
		if len(ts) == f.Limit {
			page.NextAfter = taskCursor(ts[len(ts)-1])
		}
		return http.StatusOK, page, nil
	})
}

func (a *API) equipmentTaskComplete() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentVersionBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		n, err := b.version()
		if err != nil {
			return 0, nil, err
		}
		t, err := svc.CompleteReturnTask(ctx, r.PathValue("id"), n)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, taskView(t), nil
	})
}

// equipmentExceptionBody is POST /equipment/return-tasks/{id}/exception.
type equipmentExceptionBody struct {
	Version *int   `json:"version"`
	Reasons string `json:"reasons"`
}

func (a *API) equipmentTaskException() http.Handler {
	return a.equipmentDo(func(ctx context.Context, svc distans.EquipmentService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b equipmentExceptionBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		n := checkVersion(&v, b.Version)
		v.Required("reasons", b.Reasons)
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		t, err := svc.GrantReturnException(ctx, r.PathValue("id"), n, b.Reasons)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, taskView(t), nil
	})
}
