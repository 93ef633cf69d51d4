package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// The equipment pages share these: the words for categories, statuses
// and states, one row per record for the lists, and the answer to a form
// the service refused.

// eqLayout is the layout of an equipment page with its title and tabs.
func (web *Web) eqLayout(w http.ResponseWriter, r *http.Request, a *distans.Actor, title string, args ...any) (view.Layout, view.EquipmentTabs) {
	l := web.layout(w, r)
	l.Title = l.T(title, args...)
	return l, equipmentTabs(r, &l, a)
}

func catLabel(p locale.Printer, c distans.EquipmentCategory) string {
	return label(p, "eq.cat.", string(c))
}

func statusLabel(p locale.Printer, s distans.EquipmentStatus) string {
	return label(p, "eq.status.", string(s))
}

// categoryOptions are the categories for a select, after first.
func categoryOptions(p locale.Printer, first ...view.Option) []view.Option {
	out := append([]view.Option{}, first...)
	for _, c := range distans.EquipmentCategories {
		out = append(out, view.Option{Value: string(c), Label: catLabel(p, c)})
	}
	return out
}

// itemRow is an item in a list.
func itemRow(p locale.Printer, it *distans.EquipmentItem) view.ItemRow {
	serial := it.Serial
	if serial == "" {
		serial = it.AssetTag
	}
	return view.ItemRow{ID: it.ID, Label: itemLabel(p, it), Category: catLabel(p, it.Category), Serial: serial,
		AssetTag: it.AssetTag, Number: it.PhoneNumber, Unit: it.UnitName, Status: statusLabel(p, it.Status), Holder: it.HolderName}
}

// itemLabel is the item as people name it: model (or category) and asset
// tag or serial.
func itemLabel(p locale.Printer, it *distans.EquipmentItem) string {
	return handoverLabel(p, distans.HandoverItem{Category: it.Category, ModelName: it.ModelName, Serial: it.Serial,
		AssetTag: it.AssetTag})
}

func handoverLabel(p locale.Printer, hi distans.HandoverItem) string {
	name := hi.ModelName
	if name == "" {
		name = catLabel(p, hi.Category)
	}
	switch {
	case hi.AssetTag != "":
		return name + " (" + hi.AssetTag + ")"
	case hi.Serial != "":
		return name + " (" + hi.Serial + ")"
	}
	return name
}

// itemsText is the items of a handover, loss or trip in one line.
func itemsText(p locale.Printer, items []distans.HandoverItem) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = handoverLabel(p, it)
	}
	return strings.Join(out, ", ")
}

func handoverItemRows(p locale.Printer, items []distans.HandoverItem) []view.HandoverItemRow {
	out := make([]view.HandoverItemRow, len(items))
	for i, it := range items {
		out[i] = view.HandoverItemRow{ItemID: it.ItemID, Category: catLabel(p, it.Category), Label: handoverLabel(p, it),
			Serial: it.Serial, AssetTag: it.AssetTag, Number: it.Number}
	}
	return out
}

func handoverRow(l *view.Layout, h *distans.EquipmentHandover) view.HandoverRow {
	row := view.HandoverRow{ID: h.ID, Person: h.PersonName, Items: itemsText(l.P, h.Items), IssuedAt: l.DateTime(h.IssuedAt),
		State: l.T("eq.handover." + string(h.State))}
	if h.State == distans.HandoverAccepted {
		row.PDF = "/equipment/handovers/" + h.ID + "/pdf"
	}
	return row
}

func returnRow(l *view.Layout, rt *distans.EquipmentReturn) view.ReturnRow {
	items := make([]distans.HandoverItem, len(rt.Items))
	for i, it := range rt.Items {
		items[i] = it.HandoverItem
	}
	row := view.ReturnRow{ID: rt.ID, Person: rt.PersonName, Items: itemsText(l.P, items), RecordedAt: l.DateTime(rt.RecordedAt),
		Signed: l.T("eq.not_signed"), PDF: "/equipment/returns/" + rt.ID + "/pdf"}
	if rt.Signature != nil {
		row.Signed = l.T("eq.signed_by", rt.Signature.Name, l.DateTime(rt.Signature.At))
	}
	return row
}

func lossRow(l *view.Layout, loss *distans.EquipmentLoss) view.LossRow {
	row := view.LossRow{ID: loss.ID, Number: loss.Number, Kind: l.T("eq.loss." + string(loss.Kind)), Person: loss.PersonName,
		Items: itemsText(l.P, loss.Items), Reported: l.DateTime(loss.CreatedAt), State: l.T("eq.loss_state." + string(loss.State))}
	if loss.State == distans.LossOpen {
		for _, s := range loss.Steps {
			if s.Open() {
				row.Next = l.T("eq.next_step", stepLabel(l.P, s))
				break
			}
		}
		if row.Next == "" && loss.Assessment == nil {
			row.Next = l.T("eq.next_assessment")
		}
	}
	return row
}

func tripRow(l *view.Layout, t *distans.EquipmentTrip) view.TripRow {
	kind := "eq.trip.business"
	if t.Private {
		kind = "eq.trip.private"
	}
	if t.Abroad {
		kind += "_abroad"
	}
	return view.TripRow{ID: t.ID, Person: t.PersonName, Destination: t.Destination,
		Dates: l.Date(t.StartsOn) + " – " + l.Date(t.EndsOn), Kind: l.T(kind), State: l.T("eq.trip_state." + string(t.State))}
}

// taskRow is a return task; the manager of the person gets the exception
// form and may mark a subscription ended (the service decides again).
func taskRow(l *view.Layout, a *distans.Actor, t *distans.ReturnTask, today time.Time) view.TaskRow {
	what := l.T("eq.task.end_subscription")
	if t.Kind == distans.TaskReturnItem {
		what = l.T("eq.task.return_item", t.ItemLabel)
	}
	row := view.TaskRow{ID: t.ID, Person: t.PersonName, What: what, Reason: l.T("eq.reason." + string(t.Reason)),
		Due: l.Date(t.DueOn), State: l.T("eq.task_state." + string(t.State)), Citation: t.Citation, Version: t.Version,
		Overdue: t.State == distans.TaskOpen && t.DueOn.Before(today)}
	if t.Note != "" {
		row.State += ": " + t.Note
	}
	if t.State == distans.TaskOpen && a.ManagesEquipmentOf(t.PersonID, t.PersonUnitPath) {
		f := view.NewForm()
		f.Set("id", t.ID)
		f.Set("version", strconv.Itoa(t.Version))
		row.Form = f
	}
	row.CanComplete = t.State == distans.TaskOpen && t.Kind == distans.TaskEndSubscription &&
		(a.ManagesEquipmentOf(t.PersonID, t.PersonUnitPath) || a.EquipmentScope().Contains(t.PersonUnitPath))
	return row
}

// stepLabel is a loss step's label from the pack, or the catalog's.
func stepLabel(p locale.Printer, s distans.LossStep) string {
	if p.Lang() == "en" && s.Label.En != "" {
		return s.Label.En
	}
	if s.Label.Sv != "" {
		return s.Label.Sv
	}
	return label(p, "eq.step.", s.Step)
}

// eqFailed puts a user error the service answered on form (fields named
// prefix + field, or fallback) and reports the status to answer with; ok
// is false for anything that is not about the input, which the caller
// shows as an error page.
func eqFailed(r *http.Request, form *view.Form, err error, prefix, fallback string) (status int, conflict string, ok bool) {
	var e *distans.Error
	if !errors.As(err, &e) {
		return 0, "", false
	}
	switch e.Code {
	case distans.EINVALID, distans.ECONFLICT, distans.EUNAUTHORIZED, distans.ELOCKED:
	default:
		return 0, "", false
	}
	lang := httpx.Lang(r)
	form.Message = e.Message(lang)
	for _, fe := range e.Fields {
		msg := fe.Sv
		if lang == "en" {
			msg = fe.En
		}
		name := prefix + fe.Field
		if _, typed := form.Values[name]; !typed && fallback != "" {
			name = fallback
		}
		form.Fail(name, msg)
	}
	if len(e.Fields) == 0 && fallback != "" {
		form.Fail(fallback, form.Message)
	}
	status = http.StatusUnprocessableEntity
	if e.Code == distans.ECONFLICT {
		status = http.StatusConflict
		if len(e.Fields) == 0 {
			conflict = form.Message
		}
	}
	return status, conflict, true
}

// failedForm is the error of a form the page's own parsing refused.
func failedForm(r *http.Request, form *view.Form) error {
	if form.Message == "" {
		form.Message = printer(r).T("form.invalid")
	}
	return &distans.Error{Code: distans.EINVALID, Sv: form.Message, En: form.Message}
}
