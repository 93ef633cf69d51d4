package web

import (
	"net/http"
	"time"

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

// canKeepOnCall reports whether the actor may keep some unit's on-call
// phones; the service decides for each unit.
func canKeepOnCall(a *distans.Actor) bool {
	return a.HasRole(distans.RoleManager) || a.Can(distans.PermManageUnits)
}

func (web *Web) renderOnCall(w http.ResponseWriter, r *http.Request, a *distans.Actor, status int, phoneForm, dutyForm *view.Form) {
	ctx := r.Context()
	now := time.Now()
	phones, err := web.svc.Availability.CurrentOnCall(ctx, now)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("oncall.title")
	page := &view.OnCallPage{Layout: l, CanEdit: canKeepOnCall(a), PhoneForm: phoneForm, DutyForm: dutyForm}
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
		}
		page.Phones = append(page.Phones, row)
	}
	if page.CanEdit {
		t, err := web.unitTree(ctx, false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.Units = t.options(view.Option{Value: "", Label: l.T("form.choose")})
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
