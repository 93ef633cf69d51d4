package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// homeShow is the start page. Everyone sees their own details and their
// organisation; the rest depends on the roles: a manager their units with
// head counts, HR and administrators the administration links, security
// coordinators and data protection officers the audit trail, the
// switchboard a search box, management and unions counts only. Anyone
// with a required document still to acknowledge sees a notice first.
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
				_, n, err := web.svc.People.ListPeople(ctx, distans.PersonFilter{UnitID: u.ID, Limit: 1})
				if err != nil {
					web.log.WarnContext(ctx, "head count", "unit", u.ID, "err", err)
				}
				page.ManagedUnits = append(page.ManagedUnits, view.UnitCount{ID: u.ID, Name: u.Name, People: n})
			}
		}
		if page.Pending, err = web.svc.Documents.Pending(ctx); err != nil {
			web.log.WarnContext(ctx, "pending documents", "err", err)
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
				if _, n, err := web.svc.People.ListPeople(ctx, distans.PersonFilter{Limit: 1}); err == nil {
					agg.People = n
				}
			}
			page.Aggregates = agg
		}
		web.render(w, r, http.StatusOK, page)
	})
}
