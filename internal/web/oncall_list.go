package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// oncallList is /on-call: every on-call phone with who is on duty now,
// for everyone signed in; managers and PermManageUnits also get the
// coming duties and the forms to keep the list.
func (web *Web) oncallList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		web.renderOnCall(w, r, a, http.StatusOK, nil, nil)
	})
}

// keepsUnit is the actor's right to keep a unit's phone hours and on-call
// phones (distans.Actor.KeepsUnit), false for an unknown unit.
func keepsUnit(a *distans.Actor, u *distans.Unit) bool { return u != nil && a.KeepsUnit(u.Path) }

// onCallForms are the forms of /on-call as a failed post left them; nil
// means fresh ones. Edit is the form of the phone EditID.
type onCallForms struct {
	Phone, Duty *view.Form
	EditID      string
	Edit        *view.Form
}

// oncallEditPrefix prefixes the fields of a phone's edit form, so that
// each phone's form has ids of its own.
func oncallEditPrefix(id string) string { return "edit[" + id + "]." }

func (web *Web) renderOnCall(w http.ResponseWriter, r *http.Request, a *distans.Actor, status int, phoneForm, dutyForm *view.Form) {
	web.renderOnCallPage(w, r, a, status, onCallForms{Phone: phoneForm, Duty: dutyForm})
}

func (web *Web) renderOnCallPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, status int, forms onCallForms) {
	ctx := r.Context()
	now := distans.NowFrom(ctx)
	phones, err := web.svc.Availability.CurrentOnCall(ctx, now)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("oncall.title")
	page := &view.OnCallPage{Layout: l, CanEdit: a.KeepsAnyUnit(), PhoneForm: forms.Phone, DutyForm: forms.Duty}
	var t *unitTree
	if page.CanEdit {
		if t, err = web.unitTree(ctx, false); err != nil {
			web.fail(w, r, err)
			return
		}
	}
	for _, p := range phones {
		row := view.OnCallRow{Phone: p}
		if d := p.OnDuty; d != nil {
			row.OnDuty = l.T("oncall.until", d.PersonName, l.DateTime(d.Ends))
		}
		if page.CanEdit {
			duties, err := web.svc.Availability.ListOnCallDuties(ctx, p.ID, now, now.AddDate(0, 0, 31))
			if err != nil {
				web.fail(w, r, err)
				return
			}
			for _, d := range duties {
				row.Duties = append(row.Duties, view.DutyRow{ID: d.ID, PersonName: d.PersonName,
					Starts: l.DateTime(d.Starts), Ends: l.DateTime(d.Ends)})
			}
			page.PhoneOpts = append(page.PhoneOpts, view.Option{Value: p.ID, Label: p.Name + " (" + p.UnitName + ")"})
			if keepsUnit(a, t.byID[p.UnitID]) {
				row.EditPrefix = oncallEditPrefix(p.ID)
				if forms.EditID == p.ID && forms.Edit != nil {
					row.Edit = forms.Edit
				} else {
					row.Edit = view.NewForm()
					row.Edit.Set(row.EditPrefix+"unit_id", p.UnitID)
					row.Edit.Set(row.EditPrefix+"name", p.Name)
					row.Edit.Set(row.EditPrefix+"number", p.Number)
				}
			}
		}
		page.Phones = append(page.Phones, row)
	}
	if page.CanEdit {
		page.Units = t.options(view.Option{Value: "", Label: l.T("form.choose")})
		for _, o := range t.options() {
			if keepsUnit(a, t.byID[o.Value]) {
				page.KeptUnits = append(page.KeptUnits, o)
			}
		}
		page.People = []view.Option{{Value: "", Label: l.T("form.choose")}}
		if hits, _, err := web.svc.Availability.SearchDirectory(ctx, distans.DirectoryFilter{Limit: 200}, now); err == nil {
			for _, h := range hits {
				page.People = append(page.People, view.Option{Value: h.PersonID, Label: h.Name})
			}
		}
		page.PhoneOpts = append([]view.Option{{Value: "", Label: l.T("form.choose")}}, page.PhoneOpts...)
		if page.PhoneForm == nil {
			page.PhoneForm = view.NewForm()
		}
		if page.DutyForm == nil {
			page.DutyForm = view.NewForm()
		}
	}
	web.render(w, r, status, page)
}
