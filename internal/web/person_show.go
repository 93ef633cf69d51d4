package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// personShow is one person: details, employments, leave and roles, with the
// actions the actor's permissions allow in the person's unit.
func (web *Web) personShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.personPage(w, r, a, r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// personPage gathers the person page. The store decides what the actor
// may read (ENOTFOUND outside their scope); leave and roles are shown only
// to those who may see them.
func (web *Web) personPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, id string) (*view.PersonPage, error) {
	ctx := r.Context()
	p, err := web.svc.People.FindPerson(ctx, id)
	if err != nil {
		return nil, err
	}
	emps, err := web.svc.People.ListEmployments(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	tree, err := web.unitTree(ctx, true)
	if err != nil {
		return nil, err
	}
	_, siteNames, err := web.siteOptions(ctx)
	if err != nil {
		return nil, err
	}
	l := web.layout(w, r)
	l.Title = p.Name
	l.Path = "/people/" + p.ID
	page := &view.PersonPage{
		Layout:    l,
		Person:    p,
		UnitName:  tree.name(p.UnitID),
		SiteName:  siteNames[p.SiteID],
		CanManage: a.ManagesPerson(p.UnitPath),
		CanSecret: p.PersonalNumberMasked != "" && a.RevealsPersonalNumberOf(p.UnitPath),
		CanSignIn: a.SetsPasswordOf(p.ID, p.UnitPath),
		CanUnlock: a.UnlocksAccountOf(p.ID, p.UnitPath),
		CanRoles:  a.Can(distans.PermManageRoles),
	}
	if web.svc.OwnData != nil && p.ID != a.PersonID && a.RequestsDataOf(p.ID, p.UnitPath) {
		page.OwnDataHref = "/people/" + p.ID + "/data"
	}
	today := web.today(r, a)
	for _, e := range emps {
		page.Employments = append(page.Employments, view.EmploymentRow{Employment: e, UnitName: tree.name(e.UnitID),
			SiteName: siteNames[e.SiteID], Ended: e.EndsOn != nil && e.EndsOn.Before(today)})
	}
	// Leave is shown only to HR and the person's managers (and the person).
	if a.SeesLeaveOf(p.ID, p.UnitPath) {
		if leaves, err := web.svc.People.ListLeaves(ctx, p.ID); err == nil {
			page.ShowLeaves = true
			for _, lv := range leaves {
				page.Leaves = append(page.Leaves, view.LeaveRow{Leave: lv, KindLabel: label(l.P, "leave.", string(lv.Kind)),
					Ended: lv.EndsOn != nil && lv.EndsOn.Before(today)})
			}
		} else {
			web.log.WarnContext(ctx, "leave for person page", "err", err)
		}
	}
	if page.CanRoles || a.PersonID == p.ID {
		if roles, err := web.svc.Roles.ListRoleAssignments(ctx, distans.RoleFilter{PersonID: p.ID}); err == nil {
			page.ShowRoles = true
			for _, ra := range roles {
				page.Roles = append(page.Roles, view.RoleRow{RoleAssignment: ra, Label: ra.Role.Label(l.Lang), UnitName: tree.name(ra.UnitID)})
			}
		} else {
			web.log.WarnContext(ctx, "roles for person page", "err", err)
		}
	}
	return page, nil
}
