package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// phoneHoursExtraRows is how many empty session rows the form offers
// beyond those already saved; phoneHoursMinRows the fewest rows shown.
const (
	phoneHoursExtraRows = 3
	phoneHoursMinRows   = 5
)

// phoneOwner is whose phone hours a page or a save is for: a person, or a
// unit (Sorsele 004 §3 sets phone hours per person or per unit). Exactly
// one of PersonID and UnitID is set.
type phoneOwner struct {
	PersonID string
	UnitID   string
	UnitName string
}

func (o phoneOwner) id() string { return o.PersonID + o.UnitID }

// query is the query that keeps the page on the owner.
func (o phoneOwner) query(a *distans.Actor) string {
	if o.UnitID != "" {
		return "?unit=" + url.QueryEscape(o.UnitID)
	}
	return personQuery(a, o.PersonID)
}

// phoneHoursOwner resolves the owner a page or save names: a unit when
// unitID is given, else the person (the actor when personID is empty). A
// unit must be one whose hours the actor may keep (EFORBIDDEN otherwise,
// for the unit tree is public in the organisation; ENOTFOUND for an
// unknown unit); the page for someone else is for those who may see their
// statuses, and no one else learns they exist. The store checks again on
// save.
func (web *Web) phoneHoursOwner(r *http.Request, a *distans.Actor, t *unitTree, personID, unitID string) (phoneOwner, error) {
	if unitID != "" {
		u, ok := t.byID[unitID]
		if !ok {
			return phoneOwner{}, distans.NotFound("Enheten finns inte.", "The unit does not exist.")
		}
		if !mayKeepUnitHours(a, u) {
			return phoneOwner{}, distans.Forbidden()
		}
		return phoneOwner{UnitID: u.ID, UnitName: u.Name}, nil
	}
	personID = presencePerson(a, personID)
	if personID != a.PersonID {
		today := web.today(r, a)
		if _, err := web.svc.Availability.ListStatuses(r.Context(), personID, today, today); err != nil {
			return phoneOwner{}, err
		}
	}
	return phoneOwner{PersonID: personID}, nil
}

// mayKeepUnitHours is whether the page offers the hours of unit u: to
// whoever could save them, with a decision if they may record one.
func mayKeepUnitHours(a *distans.Actor, u *distans.Unit) bool {
	return u != nil && a.KeepsUnitPhoneHours(u.Path, a.DecidesPhoneHoursExceptions())
}

// phoneHoursEdit is /phone-hours: the person's weekly phone hours, which
// the policy pack checks when they are saved. ?person=ID opens those of
// someone the actor acts for, ?unit=ID those of a unit the actor keeps.
func (web *Web) phoneHoursEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		t, err := web.unitTree(r.Context(), false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		owner, err := web.phoneHoursOwner(r, a, t, r.URL.Query().Get("person"), r.URL.Query().Get("unit"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := view.NewForm()
		h, err := web.svc.Availability.FindPhoneHours(r.Context(), owner.id())
		switch {
		case err == nil:
			for i, s := range h.Sessions {
				setSession(form, i, s)
			}
		case distans.ErrorCode(err) == distans.ENOTFOUND:
			h = nil
		default:
			web.fail(w, r, err)
			return
		}
		n := 0
		if h != nil {
			n = len(h.Sessions)
		}
		web.renderPhoneHours(w, r, a, t, owner, http.StatusOK, form, max(n+phoneHoursExtraRows, phoneHoursMinRows), h, nil)
	})
}

func sessionField(i int, part string) string { return fmt.Sprintf("sessions[%d].%s", i, part) }

func setSession(f *view.Form, i int, s distans.PhoneSession) {
	f.Set(sessionField(i, "weekday"), s.Weekday)
	f.Set(sessionField(i, "start"), s.Start)
	f.Set(sessionField(i, "end"), s.End)
}

// renderPhoneHours renders the form with rows session rows; saved is the
// owner's stored hours (nil when none), notices what the pack said. A
// person without hours of their own sees those of their unit, or of the
// nearest unit above it that has some.
func (web *Web) renderPhoneHours(w http.ResponseWriter, r *http.Request, a *distans.Actor, t *unitTree, owner phoneOwner,
	status int, form *view.Form, rows int, saved *distans.PhoneHours, notices []distans.Notice) {
	ctx := r.Context()
	l := web.layout(w, r)
	l.Title = l.T("phonehours.title")
	if owner.UnitID != "" {
		l.Title = l.T("phonehours.title_unit", owner.UnitName)
	}
	if len(notices) > 0 {
		l.Flash, l.FlashErr = l.T("phonehours.saved"), false
	}
	page := &view.PhoneHoursPage{Layout: l, Query: owner.query(a), PersonID: owner.PersonID, UnitID: owner.UnitID,
		UnitName: owner.UnitName, Form: form, Approver: a.DecidesPhoneHoursExceptions(),
		Notices: web.noticeRows(r, notices), Saved: saved != nil}
	if saved != nil {
		page.Exception = saved.Exception
	}
	page.Weekdays = []view.Option{{Value: "", Label: l.T("form.none")}}
	for _, d := range distans.Weekdays {
		page.Weekdays = append(page.Weekdays, view.Option{Value: d, Label: l.T("weekday." + d)})
	}
	for i := range rows {
		page.Rows = append(page.Rows, view.PhoneHoursRow{N: i + 1, Weekday: sessionField(i, "weekday"),
			Start: sessionField(i, "start"), End: sessionField(i, "end")})
	}
	for _, o := range t.options() {
		if u := t.byID[o.Value]; mayKeepUnitHours(a, u) {
			page.Units = append(page.Units, o)
		}
	}
	if page.Units != nil {
		page.Units = append([]view.Option{{Value: "", Label: l.T("phonehours.own")}}, page.Units...)
	}
	if owner.PersonID != "" {
		inh, err := web.inheritedHours(ctx, &l, t, owner.PersonID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.Inherited = inh
	}
	web.render(w, r, status, page)
}

// inheritedHours returns the hours a person without their own has: those
// of their unit or of the nearest unit above it with some; nil when the
// person has hours of their own, or nobody above them has any.
func (web *Web) inheritedHours(ctx context.Context, l *view.Layout, t *unitTree, personID string) (*view.InheritedHours, error) {
	av := web.svc.Availability
	if _, err := av.FindPhoneHours(ctx, personID); err == nil {
		return nil, nil
	} else if distans.ErrorCode(err) != distans.ENOTFOUND {
		return nil, err
	}
	p, err := web.svc.People.FindPerson(ctx, personID)
	if err != nil {
		return nil, nil // someone whose record the actor may not read: their unit is not shown either
	}
	for u := t.byID[p.UnitID]; u != nil; u = t.byID[u.ParentID] {
		h, err := av.FindPhoneHours(ctx, u.ID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		inh := &view.InheritedHours{UnitName: u.Name}
		for _, s := range h.Sessions {
			inh.Sessions = append(inh.Sessions, l.T("weekday."+s.Weekday)+" "+s.Start+"–"+s.End)
		}
		return inh, nil
	}
	return nil, nil
}
