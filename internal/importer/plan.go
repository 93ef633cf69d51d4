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
		switch {
		case !rec.inFile:
		case changed:
			s.Units.Update++
		default:
			s.Units.Unchanged++
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
		sortOut(rec.s, rec.old, &p.CreateSites, &p.UpdateSites, &s.Sites, func(x, old *distans.Site) bool {
			return x.Name != old.Name || x.Kind != old.Kind || x.Street != old.Street || x.PostalCode != old.PostalCode ||
				x.City != old.City || !eqDate(x.EndedOn, old.EndedOn)
		})
	}
	for _, rec := range c.people {
		sortOut(rec.p, rec.old, &p.CreatePeople, &p.UpdatePeople, &s.People, func(x, old *distans.Person) bool {
			return x.Name != old.Name || x.Email != distans.NormalizeEmail(old.Email) || x.Phone != old.Phone ||
				x.EmployeeNumber != old.EmployeeNumber || x.PersonalNumber != old.PersonalNumber || x.Language != old.Language
		})
	}
	for _, rec := range c.emps {
		sortOut(rec.e, rec.old, &p.CreateEmployments, &p.UpdateEmployments, &s.Employments, func(x, old *distans.Employment) bool {
			return x.UnitID != old.UnitID || x.Title != old.Title || x.SiteID != old.SiteID || !eqDate(x.EndsOn, old.EndsOn)
		})
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
		sortOut(rec.l, rec.old, &p.CreateLeaves, &p.UpdateLeaves, &s.Leaves, func(x, old *distans.Leave) bool {
			return !eqDate(x.EndsOn, old.EndsOn)
		})
	}
	p.Summary = *s
	return p
}

// sortOut puts a record the files want where the plan needs it: new (old is
// nil) to create, different from old to update, the same to count as
// unchanged.
func sortOut[T any](x, old *T, create, update *[]*T, n *distans.ImportCount, changed func(x, old *T) bool) {
	switch {
	case old == nil:
		*create = append(*create, x)
		n.Create++
	case changed(x, old):
		*update = append(*update, x)
		n.Update++
	default:
		n.Unchanged++
	}
}
