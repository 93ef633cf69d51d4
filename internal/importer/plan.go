package importer

import (
	"github.com/distans/distans"
)

// buildPlan compares what the files want with the organisation: what is
// new is created, what differs is updated, and what is the same is counted
// as unchanged, so that the same files give a plan with nothing to do.
func (c *checker) buildPlan() *distans.ImportPlan {
	p := &distans.ImportPlan{}
	s := &c.sum

	// Units: parents before their children.
	emitted := map[string]bool{}
	var emit func(rec *unitRec)
	emit = func(rec *unitRec) {
		if emitted[rec.u.ID] {
			return
		}
		emitted[rec.u.ID] = true
		if parent := c.unitByID[rec.u.ParentID]; parent != nil && parent.old == nil {
			emit(parent)
		}
		p.CreateUnits = append(p.CreateUnits, rec.u)
	}
	for _, rec := range append(c.units, c.mgrUnits...) {
		u, old := rec.u, rec.old
		if old == nil {
			emit(rec)
			s.Units.Create++
			if u.ManagerID != "" {
				s.Managers.Create++
			}
			continue
		}
		changed := u.Name != old.Name || u.Kind != old.Kind || u.ParentID != old.ParentID || !eqDate(u.EndedOn, old.EndedOn)
		if rec.inFile {
			count(&s.Units, false, changed)
		}
		managed := u.ManagerID != old.ManagerID
		switch {
		case !managed:
			if rec.mgrDecided && u.ManagerID != "" {
				s.Managers.Unchanged++
			}
		case old.ManagerID == "":
			s.Managers.Create++
		case u.ManagerID == "":
			s.Managers.End++
		default:
			s.Managers.Update++
		}
		if changed || managed {
			p.UpdateUnits = append(p.UpdateUnits, u)
		}
	}

	for _, rec := range c.sites {
		x, old := rec.s, rec.old
		if old == nil {
			p.CreateSites = append(p.CreateSites, x)
			s.Sites.Create++
			continue
		}
		changed := x.Name != old.Name || x.Kind != old.Kind || x.Street != old.Street || x.PostalCode != old.PostalCode ||
			x.City != old.City || !eqDate(x.EndedOn, old.EndedOn)
		count(&s.Sites, false, changed)
		if changed {
			p.UpdateSites = append(p.UpdateSites, x)
		}
	}

	for _, rec := range c.people {
		x, old := rec.p, rec.old
		if old == nil {
			p.CreatePeople = append(p.CreatePeople, x)
			s.People.Create++
			continue
		}
		changed := x.Name != old.Name || x.Email != distans.NormalizeEmail(old.Email) || x.Phone != old.Phone ||
			x.EmployeeNumber != old.EmployeeNumber || x.PersonalNumber != old.PersonalNumber || x.Language != old.Language
		count(&s.People, false, changed)
		if changed {
			p.UpdatePeople = append(p.UpdatePeople, x)
		}
	}

	for _, rec := range c.emps {
		x, old := rec.e, rec.old
		if old == nil {
			p.CreateEmployments = append(p.CreateEmployments, x)
			s.Employments.Create++
			continue
		}
		changed := x.UnitID != old.UnitID || x.Title != old.Title || x.SiteID != old.SiteID || !eqDate(x.EndsOn, old.EndsOn)
		count(&s.Employments, false, changed)
		if changed {
			p.UpdateEmployments = append(p.UpdateEmployments, x)
		}
	}
	p.UpdateEmployments = append(p.UpdateEmployments, c.endedEmps...)
	s.Employments.End += len(c.endedEmps)

	current := map[roleKey]bool{}
	for _, r := range c.snap.Roles {
		if r.EndedAt == nil {
			current[roleKey{r.PersonID, r.Role, r.UnitID}] = true
		}
	}
	for _, k := range c.roleKeys {
		if current[k] {
			s.Roles.Unchanged++
			continue
		}
		p.CreateRoles = append(p.CreateRoles, &distans.RoleAssignment{ID: newID(), OrganisationID: c.orgID,
			PersonID: k.person, Role: k.role, UnitID: k.unit, Source: distans.RoleSourceImport})
		s.Roles.Create++
	}
	if c.rolesFile {
		// Only what an import granted goes when the file no longer lists
		// it; a role granted by hand is the administrator's.
		for _, r := range c.snap.Roles {
			if r.EndedAt == nil && r.Source == distans.RoleSourceImport && !c.roleListed[roleKey{r.PersonID, r.Role, r.UnitID}] {
				p.EndRoles = append(p.EndRoles, r.ID)
				s.Roles.End++
			}
		}
	}

	for _, rec := range c.leaves {
		x, old := rec.l, rec.old
		if old == nil {
			p.CreateLeaves = append(p.CreateLeaves, x)
			s.Leaves.Create++
			continue
		}
		changed := !eqDate(x.EndsOn, old.EndsOn)
		count(&s.Leaves, false, changed)
		if changed {
			p.UpdateLeaves = append(p.UpdateLeaves, x)
		}
	}
	p.Summary = *s
	return p
}
