package web

import (
	"context"
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/web/view"
)

// The start page shows a few of each list and links to the whole.
const (
	homeBookings     = 5
	homeBookingDays  = 14 // how far ahead the coming bookings reach
	homeNotification = 5
	homeQueue        = 10
)

// homeShow is the start page: what the person needs today. Everyone sees
// what waits for them (documents to acknowledge, their signature, risk
// questions, unread notifications), today's status and redirection, their
// remote-work case with its next follow-up, and their coming desk
// bookings; then their details and their organisation. The rest depends on
// the roles: the switchboard the directory search first, a manager the
// queue and their units with head counts, HR and administrators the
// administration links, security coordinators and data protection officers
// the audit trail, management and unions counts only.
func (web *Web) homeShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		l := web.layout(w, r)
		l.Title = l.T("home.title")
		page := &view.HomePage{
			Layout:      l,
			CanPeople:   a.Can(distans.PermViewPeople),
			CanManage:   a.Can(distans.PermManagePeople),
			CanUnits:    a.Can(distans.PermManageUnits),
			CanSites:    a.ManagesSites(),
			CanAudit:    a.SeesAudit(),
			Switchboard: a.HasRole(distans.RoleSwitchboard),
		}
		me, err := web.svc.People.FindPerson(ctx, a.PersonID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.Me = me
		if page.Org, err = web.svc.Organisations.FindOrganisationByID(ctx, a.OrganisationID); err != nil {
			web.fail(w, r, err)
			return
		}
		if me.UnitID != "" {
			if u, err := web.svc.Units.FindUnit(ctx, me.UnitID); err == nil {
				page.UnitName = u.Name
			}
		}
		seen := map[distans.Role]bool{}
		for _, g := range a.Grants {
			if !seen[g.Role] {
				seen[g.Role] = true
				page.Roles = append(page.Roles, g.Role.Label(l.Lang))
			}
			if g.Role == distans.RoleManager && g.UnitID != "" {
				u, err := web.svc.Units.FindUnit(ctx, g.UnitID)
				if err != nil {
					continue
				}
				_, n, err := web.svc.People.ListPeople(ctx, distans.PersonFilter{UnitID: u.ID, Limit: 1, ExactCount: true})
				if err != nil {
					web.log.WarnContext(ctx, "head count", "unit", u.ID, "err", err)
				}
				page.ManagedUnits = append(page.ManagedUnits, view.UnitCount{ID: u.ID, Name: u.Name, People: n.Total})
			}
		}
		if page.Pending, err = web.svc.Documents.Pending(ctx); err != nil {
			web.log.WarnContext(ctx, "pending documents", "err", err)
		}
		today := web.today(r, a)
		if err := web.homeToday(ctx, a, page, today, distans.NowFrom(ctx)); err != nil {
			web.fail(w, r, err)
			return
		}
		if a.Can(distans.PermDecideAgreements) {
			if err := web.homeQueue(ctx, page, today); err != nil {
				web.fail(w, r, err)
				return
			}
		}
		if a.HasRole(distans.RoleLeadership) || a.HasRole(distans.RoleUnion) {
			agg := &view.Aggregates{People: -1}
			if units, err := web.svc.Units.ListUnits(ctx, distans.UnitFilter{}); err == nil {
				agg.Units = len(units)
			}
			if sites, err := web.svc.Sites.ListSites(ctx, false); err == nil {
				agg.Sites = len(sites)
			}
			if a.Scope(distans.PermViewPeople).All {
				if _, n, err := web.svc.People.ListPeople(ctx, distans.PersonFilter{Limit: 1, ExactCount: true}); err == nil {
					agg.People = n.Total
				}
			}
			page.Aggregates = agg
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// homeToday fills what the person needs on the day today (at the instant
// now): their status and redirection, their remote-work case, their coming
// bookings and what waits for them.
func (web *Web) homeToday(ctx context.Context, a *distans.Actor, page *view.HomePage, today, now time.Time) error {
	l := &page.Layout
	page.Today = l.Date(today)
	_, siteNames, err := web.siteOptions(ctx)
	if err != nil {
		return err
	}

	// The presence service answers with the default from the agreement
	// when nothing is set, and not found when there is neither.
	switch st, err := web.svc.Availability.FindStatus(ctx, a.PersonID, today); {
	case err == nil:
		page.Status = &view.StatusRow{Date: l.Date(st.Date), Kind: st.Kind.Label(l.Lang), SiteName: siteNames[st.SiteID],
			BackAt: l.DateTimeP(st.BackAt), OneOff: st.OneOff, Default: st.Default}
	case distans.ErrorCode(err) != distans.ENOTFOUND:
		return err
	}
	switch red, err := web.svc.Availability.FindRedirect(ctx, a.PersonID, now); {
	case err == nil:
		page.Redirect = red
	case distans.ErrorCode(err) != distans.ENOTFOUND:
		return err
	}

	own, _, err := web.svc.Agreements.ListAgreements(ctx, distans.AgreementFilter{PersonID: a.PersonID, Limit: 100})
	if err != nil {
		return err
	}
	for _, ag := range own {
		switch {
		case ag.State.Open():
			row := agreementRow(l, ag, nil)
			page.OpenCase = &row
		case ag.State == distans.AgreementActive:
			row := agreementRow(l, ag, nil)
			page.Agreement = &row
		}
		link := "/agreements/" + ag.ID
		switch {
		case ag.State == distans.AgreementAwaitingSignature && ag.Signed(distans.SignerEmployee) == nil:
			page.Waiting = append(page.Waiting, view.WaitingItem{Text: l.T("home.wait_sign", ag.Number), Link: link})
		case (ag.State == distans.AgreementRequested || ag.State == distans.AgreementAssessed) &&
			(ag.Risk == nil || ag.Risk.AnsweredAt.IsZero()):
			page.Waiting = append(page.Waiting, view.WaitingItem{Text: l.T("home.wait_risk", ag.Number), Link: link})
		}
	}

	page.CanRequest = page.OpenCase == nil
	if page.Unread, err = web.svc.Notifications.CountUnread(ctx); err != nil {
		return err
	}
	if page.Unread > 0 {
		unread, err := web.svc.Notifications.ListNotifications(ctx, true, homeNotification)
		if err != nil {
			return err
		}
		listed := map[string]bool{}
		for _, w := range page.Waiting {
			listed[w.Link] = true
		}
		for _, n := range unread {
			// A notice about a case already listed ("waits for your
			// signature") would say the same thing twice.
			link := safeNext(n.Link)
			if listed[link] {
				continue
			}
			listed[link] = true
			subject, _ := notify.Text(n, l.Lang)
			page.Waiting = append(page.Waiting, view.WaitingItem{Text: subject, Link: link})
		}
	}

	bookings, err := web.svc.Office.ListBookings(ctx, distans.BookingFilter{From: today, To: today.AddDate(0, 0, homeBookingDays-1)})
	if err != nil {
		return err
	}
	desks := deskLabels{web: web, ctx: ctx}
	for _, b := range bookings {
		if len(page.Bookings) == homeBookings {
			page.MoreLater = true
			break
		}
		page.Bookings = append(page.Bookings, view.BookingRow{Booking: b, SiteName: siteNames[b.SiteID], DeskLabel: desks.label(b.DeskID),
			StatusLabel: label(l.P, "office.status.", string(b.Status))})
	}
	return nil
}

// homeQueue fills the manager's queue: the first cases, each with why it
// waits, and how many there are in all.
func (web *Web) homeQueue(ctx context.Context, page *view.HomePage, today time.Time) error {
	queue, total, err := web.svc.Agreements.ListAgreements(ctx, distans.AgreementFilter{Queue: true, Limit: homeQueue})
	if err != nil {
		return err
	}
	page.ShowQueue, page.QueueTotal = true, total
	for _, ag := range queue {
		page.Queue = append(page.Queue, agreementRow(&page.Layout, ag, queueReasons(&page.Layout, ag, today)))
	}
	return nil
}
