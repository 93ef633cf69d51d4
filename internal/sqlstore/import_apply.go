package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/distans/distans"
)

// applyProgress is how far the applies this instance runs have come. An
// apply's writes are invisible until it commits, and on SQLite nothing else
// may write while it runs, so FindImport and ListImports show Done and Rows
// of a running apply from here.
type applyProgress struct{ m sync.Map } // organisation/import ID → [2]int{done, total}

func applyKey(imp *distans.Import) string { return imp.OrganisationID + "/" + imp.ID }

func (p *applyProgress) set(imp *distans.Import, done, total int) {
	p.m.Store(applyKey(imp), [2]int{done, total})
}
func (p *applyProgress) end(imp *distans.Import) { p.m.Delete(applyKey(imp)) }

// show puts the progress of a running apply of imp on it.
func (p *applyProgress) show(imp *distans.Import) {
	if v, ok := p.m.Load(applyKey(imp)); ok && !imp.Status.Finished() {
		c := v.([2]int)
		imp.Done, imp.Rows = c[0], c[1]
	}
}

// ApplyImport writes what plan makes of the organisation's records, all of
// it in one transaction (see distans.ImportStore). It holds the
// organisation's write lock (lockTree) from the start, reads the snapshot
// and asks plan for the changes inside the transaction, checks the plan as
// the one-record methods check their input, and writes it in multi-row
// statements: the derived columns (a person's placement and search terms,
// unit paths, chef roles) are computed here with the same functions the
// one-record methods use. progress is called inside the transaction after
// every batch, with how many of the plan's records are written; it must not
// write through the store (on SQLite the transaction holds the one writer):
// FindImport shows the apply's progress meanwhile.
func (s *Store) ApplyImport(ctx context.Context, imp *distans.Import, plan func(*distans.ImportSnapshot) (*distans.ImportPlan, error), progress func(done int)) error {
	if _, err := importer(ctx, imp.OrganisationID); err != nil {
		return err
	}
	a := distans.ActorFrom(ctx)
	defer s.applying.end(imp)
	var out, was *distans.Import // was: the import as the apply found it
	err := s.writeAccess(ctx, func(tx *sql.Tx) error {
		orgID := imp.OrganisationID
		if err := s.lockTree(ctx, tx, orgID); err != nil {
			return err
		}
		cur, err := s.findImport(ctx, tx, orgID, imp.ID)
		if err != nil {
			return err
		}
		if cur.Status.Finished() {
			return errImportFinished()
		}
		if was == nil {
			was = cur
		}
		snap, err := readSnapshot(ctx, tx, orgID)
		if err != nil {
			return err
		}
		p, err := plan(snap)
		if err != nil {
			return err
		}
		today, err := s.today(ctx, tx, orgID)
		if err != nil {
			return err
		}
		w := &applier{s: s, ctx: ctx, tx: tx, a: a, orgID: orgID, imp: cur, snap: snap, p: p, today: today, at: now(ctx),
			total: p.Changes(), progress: progress}
		if err := w.prepare(); err != nil {
			return err
		}
		if err := w.write(); err != nil {
			return err
		}
		out, err = w.finish()
		return err
	})
	if err != nil {
		if was != nil && s.dialect.sideWrites {
			// Undo the progress written beside the transaction: nothing
			// of the apply stays.
			if _, uerr := s.wdb.ExecContext(context.WithoutCancel(ctx), `UPDATE imports SET done = $1, rows = $2
				WHERE organisation_id = $3 AND id = $4`, was.Done, was.Rows, imp.OrganisationID, imp.ID); uerr != nil {
				err = errors.Join(err, uerr)
			}
		}
		return err
	}
	*imp = *out
	return nil
}

// applier is one apply: the plan, checked and completed by prepare, and
// written by write.
type applier struct {
	s        *Store
	ctx      context.Context
	tx       *sql.Tx
	a        *distans.Actor
	orgID    string
	imp      *distans.Import
	snap     *distans.ImportSnapshot
	p        *distans.ImportPlan
	today    time.Time
	at       time.Time
	total    int
	done     int
	progress func(int)
	chain    *auditChain

	oldUnits  map[string]*distans.Unit
	units     map[string]*distans.Unit // every unit as it will be
	paths     map[string]string        // every unit's path as it will be
	moves     [][2]string              // subtrees to move, from → to, in order
	oldSites  map[string]*distans.Site
	sites     map[string]bool
	oldPeople map[string]*distans.Person
	people    map[string]*distans.Person // every person as they will be
	// placed are the people whose rows are written (created, updated, or
	// with employments created or updated), as they will be; placements
	// are their placements.
	placed      []*distans.Person
	placements  map[string]placement
	oldEmps     map[string]*distans.Employment
	emps        map[string][]*distans.Employment // every person's employments as they will be
	oldLeaves   map[string]*distans.Leave
	oldRoles    map[string]*distans.RoleAssignment
	chefs       []*distans.RoleAssignment // chef roles that managers bring (chefGrant)
	newRoles    []*distans.RoleAssignment // the plan's and the chefs'
	termsPeople []*distans.Person         // people whose search words are indexed (writeTerms)
}

// planError is a plan that cannot be applied: a record it names, what is
// wrong. The importer's checks find such mistakes in the files first; this
// is the store's own check, as every write checks its input.
func planError(kindSv, kindEn, name string, err error) error {
	var e *distans.Error
	if !errors.As(err, &e) {
		return err
	}
	sv, en := e.Sv, e.En
	for _, f := range e.Fields {
		sv += " " + f.Field + ": " + f.Sv
		en += " " + f.Field + ": " + f.En
	}
	return distans.Errorf(e.Code, kindSv+" "+name+": "+sv, kindEn+" "+name+": "+en)
}

func planInvalid(kindSv, kindEn, name, sv, en string) error {
	return planError(kindSv, kindEn, name, distans.Errorf(distans.EINVALID, sv, en))
}

// own makes a record of the plan the organisation's; a record of another
// organisation is refused.
func (w *applier) own(orgID *string, kindSv, kindEn, name string) error {
	if *orgID != "" && *orgID != w.orgID {
		return planInvalid(kindSv, kindEn, name, "Hör till en annan organisation.", "Belongs to another organisation.")
	}
	*orgID = w.orgID
	return nil
}

func byID[T any](xs []T, id func(T) string) map[string]T {
	m := make(map[string]T, len(xs))
	for _, x := range xs {
		m[id(x)] = x
	}
	return m
}

// prepare checks the plan against the snapshot and computes what follows
// from it, before anything is written.
func (w *applier) prepare() error {
	w.oldUnits = byID(w.snap.Units, func(u *distans.Unit) string { return u.ID })
	w.oldSites = byID(w.snap.Sites, func(x *distans.Site) string { return x.ID })
	w.oldPeople = byID(w.snap.People, func(p *distans.Person) string { return p.ID })
	w.oldEmps = byID(w.snap.Employments, func(e *distans.Employment) string { return e.ID })
	w.oldLeaves = byID(w.snap.Leaves, func(l *distans.Leave) string { return l.ID })
	w.oldRoles = byID(w.snap.Roles, func(r *distans.RoleAssignment) string { return r.ID })
	for _, step := range []func() error{w.prepareSites, w.preparePeople, w.prepareUnits, w.prepareEmployments,
		w.prepareUnitEnds, w.prepareLeaves, w.prepareRoles} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (w *applier) prepareSites() error {
	w.sites = map[string]bool{}
	for id := range w.oldSites {
		w.sites[id] = true
	}
	seen := map[string]bool{}
	for _, x := range w.p.UpdateSites {
		old, ok := w.oldSites[x.ID]
		if !ok || seen[x.ID] {
			return planInvalid("Arbetsplatsen", "Site", x.Name, "Finns inte.", "Does not exist.")
		}
		if err := w.own(&x.OrganisationID, "Arbetsplatsen", "Site", x.Name); err != nil {
			return err
		}
		if err := x.Validate(); err != nil {
			return planError("Arbetsplatsen", "Site", x.Name, err)
		}
		seen[x.ID] = true
		x.CreatedAt, x.UpdatedAt = old.CreatedAt, touched(w.ctx, old.UpdatedAt)
	}
	for _, x := range w.p.CreateSites {
		if err := w.own(&x.OrganisationID, "Arbetsplatsen", "Site", x.Name); err != nil {
			return err
		}
		if err := x.Validate(); err != nil {
			return planError("Arbetsplatsen", "Site", x.Name, err)
		}
		if x.ID == "" {
			x.ID = newID()
		}
		if w.sites[x.ID] {
			return planInvalid("Arbetsplatsen", "Site", x.Name, "Finns redan.", "Exists already.")
		}
		w.sites[x.ID] = true
		x.CreatedAt, x.UpdatedAt = w.at, w.at
	}
	return nil
}

// preparePeople checks the people and completes them as CreatePerson and
// UpdatePerson do; their placement comes with the employments.
func (w *applier) preparePeople() error {
	w.people = maps.Clone(w.oldPeople)
	norm := func(p *distans.Person) error {
		if err := w.own(&p.OrganisationID, "Personen", "Person", p.Name); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return planError("Personen", "Person", p.Name, err)
		}
		p.Email = distans.NormalizeEmail(p.Email)
		if p.PersonalNumber != "" {
			p.PersonalNumber, _ = distans.NormalizePersonalNumber(p.PersonalNumber)
		}
		p.PersonalNumberMasked = distans.MaskPersonalNumber(p.PersonalNumber)
		return nil
	}
	for _, p := range w.p.UpdatePeople {
		old, ok := w.oldPeople[p.ID]
		if !ok || w.people[p.ID] != old {
			return planInvalid("Personen", "Person", p.Name, "Finns inte.", "Does not exist.")
		}
		if err := norm(p); err != nil {
			return err
		}
		if p.Language == "" {
			p.Language = old.Language
		}
		p.CreatedAt, p.UpdatedAt = old.CreatedAt, touched(w.ctx, old.UpdatedAt)
		w.people[p.ID] = p
	}
	for _, p := range w.p.CreatePeople {
		if err := norm(p); err != nil {
			return err
		}
		if p.ID == "" {
			p.ID = newID()
		}
		if _, ok := w.people[p.ID]; ok {
			return planInvalid("Personen", "Person", p.Name, "Finns redan.", "Exists already.")
		}
		if p.Language == "" {
			p.Language = "sv"
		}
		p.CreatedAt, p.UpdatedAt = w.at, w.at
		w.people[p.ID] = p
	}
	return nil
}

// prepareUnits checks the units and computes every unit's path from its
// parents, as placeUnit does for one, and the subtrees that move.
func (w *applier) prepareUnits() error {
	w.units = maps.Clone(w.oldUnits)
	check := func(u *distans.Unit) error {
		if err := w.own(&u.OrganisationID, "Enheten", "Unit", u.Name); err != nil {
			return err
		}
		if err := u.Validate(); err != nil {
			return planError("Enheten", "Unit", u.Name, err)
		}
		if u.ManagerID != "" && w.people[u.ManagerID] == nil {
			return planInvalid("Enheten", "Unit", u.Name, "Chefen finns inte i organisationen.", "The manager is not in the organisation.")
		}
		return nil
	}
	for _, u := range w.p.UpdateUnits {
		old, ok := w.oldUnits[u.ID]
		if !ok || w.units[u.ID] != old {
			return planInvalid("Enheten", "Unit", u.Name, "Finns inte.", "Does not exist.")
		}
		if err := check(u); err != nil {
			return err
		}
		u.CreatedAt, u.UpdatedAt = old.CreatedAt, touched(w.ctx, old.UpdatedAt)
		w.units[u.ID] = u
	}
	for _, u := range w.p.CreateUnits {
		if err := check(u); err != nil {
			return err
		}
		if u.ID == "" {
			u.ID = newID()
		}
		if _, ok := w.units[u.ID]; ok {
			return planInvalid("Enheten", "Unit", u.Name, "Finns redan.", "Exists already.")
		}
		u.CreatedAt, u.UpdatedAt = w.at, w.at
		w.units[u.ID] = u
	}
	w.paths = make(map[string]string, len(w.units))
	var pathOf func(u *distans.Unit, depth int) (string, error)
	pathOf = func(u *distans.Unit, depth int) (string, error) {
		if p, ok := w.paths[u.ID]; ok {
			return p, nil
		}
		if depth > len(w.units) {
			return "", planInvalid("Enheten", "Unit", u.Name, "En enhet kan inte flyttas in under sig själv.", "A unit cannot be moved below itself.")
		}
		p := "/" + u.ID + "/"
		if u.ParentID != "" {
			parent := w.units[u.ParentID]
			if parent == nil {
				return "", planInvalid("Enheten", "Unit", u.Name, "Den överordnade enheten finns inte.", "The parent unit does not exist.")
			}
			pp, err := pathOf(parent, depth+1)
			if err != nil {
				return "", err
			}
			p = pp + u.ID + "/"
		}
		w.paths[u.ID] = p
		return p, nil
	}
	for _, u := range w.units {
		path, err := pathOf(u, 0)
		if err != nil {
			return err
		}
		if w.oldUnits[u.ID] != u { // a copy of the plan's, not the snapshot's
			u.Path = path
		}
	}
	// The subtrees that move, each as movePaths rewrites it: units in the
	// order of their depth in the tree as it will be, so that a unit's
	// parent has its final path when the unit's own subtree moves, and a
	// move never touches a subtree that has moved already.
	existing := slices.Collect(maps.Keys(w.oldUnits))
	slices.SortFunc(existing, func(a, b string) int {
		return strings.Count(w.paths[a], "/") - strings.Count(w.paths[b], "/")
	})
	cur := make(map[string]string, len(w.oldUnits))
	for id, u := range w.oldUnits {
		cur[id] = u.Path
	}
	for _, id := range existing {
		from, to := cur[id], w.paths[id]
		if from == to {
			continue
		}
		w.moves = append(w.moves, [2]string{from, to})
		for v, p := range cur {
			if strings.HasPrefix(p, from) {
				cur[v] = to + p[len(from):]
			}
		}
	}
	return nil
}

// prepareEmployments checks the employments as checkEmployment does and
// computes the placement of every person whose row is written.
func (w *applier) prepareEmployments() error {
	byPerson := map[string][]*distans.Employment{}
	for _, e := range w.snap.Employments {
		byPerson[e.PersonID] = append(byPerson[e.PersonID], e)
	}
	changed := map[string][]*distans.Employment{} // person → the employments the plan writes
	check := func(e *distans.Employment) error {
		p := w.people[e.PersonID]
		if p == nil {
			return planInvalid("Anställningen", "Employment", e.Title, "Personen finns inte i organisationen.", "The person is not in the organisation.")
		}
		name := e.Title + " (" + p.Name + ")"
		if err := w.own(&e.OrganisationID, "Anställningen", "Employment", name); err != nil {
			return err
		}
		if err := e.Validate(); err != nil {
			return planError("Anställningen", "Employment", name, err)
		}
		if w.units[e.UnitID] == nil {
			return planInvalid("Anställningen", "Employment", name, "Enheten finns inte i organisationen.",
				"The unit is not in the organisation.")
		}
		if e.SiteID != "" && !w.sites[e.SiteID] {
			return planInvalid("Anställningen", "Employment", name, "Arbetsplatsen finns inte i organisationen.",
				"The site is not in the organisation.")
		}
		changed[e.PersonID] = append(changed[e.PersonID], e)
		return nil
	}
	seen := map[string]bool{}
	for _, e := range w.p.UpdateEmployments {
		old, ok := w.oldEmps[e.ID]
		if !ok || old.PersonID != e.PersonID || seen[e.ID] {
			return planInvalid("Anställningen", "Employment", e.Title, "Finns inte.", "Does not exist.")
		}
		if err := check(e); err != nil {
			return err
		}
		seen[e.ID] = true
		e.CreatedAt, e.UpdatedAt = old.CreatedAt, touched(w.ctx, old.UpdatedAt)
		list := byPerson[e.PersonID]
		list[slices.Index(list, old)] = e
	}
	for _, e := range w.p.CreateEmployments {
		if e.ID == "" {
			e.ID = newID()
		}
		if _, ok := w.oldEmps[e.ID]; ok {
			return planInvalid("Anställningen", "Employment", e.Title, "Finns redan.", "Exists already.")
		}
		if err := check(e); err != nil {
			return err
		}
		e.CreatedAt, e.UpdatedAt = w.at, w.at
		byPerson[e.PersonID] = append(byPerson[e.PersonID], e)
	}
	w.emps = byPerson
	for personID, writes := range changed {
		if err := noOverlap(byPerson[personID], writes, func(x *distans.Employment) period { return period{x.ID, x.StartsOn, x.EndsOn} }); err != nil {
			return planInvalid("Personen", "Person", w.people[personID].Name,
				"Anställningen överlappar en annan anställning för samma person.", "The employment overlaps another employment of the same person.")
		}
	}
	// Placement: the people the plan creates or updates, and those whose
	// employments it writes.
	ids := map[string]bool{}
	for _, p := range w.p.CreatePeople {
		ids[p.ID] = true
	}
	for _, p := range w.p.UpdatePeople {
		ids[p.ID] = true
	}
	for id := range changed {
		ids[id] = true
	}
	w.placements = make(map[string]placement, len(ids))
	path := func(unitID string) string { return w.paths[unitID] }
	for id := range ids {
		p := *w.people[id] // the snapshot's is compared with below
		pl := placementOf(byPerson[id], path, w.today)
		p.UnitID, p.UnitPath, p.Title, p.SiteID = pl.unitID, pl.unitPath, pl.title, pl.siteID
		w.placements[id] = pl
		w.people[id] = &p
		w.placed = append(w.placed, &p)
		// Every person placed is indexed: whether they are employed, which
		// the directory's index follows (ftsDir), may change with no word.
		// Indexing writes only what changed.
		w.termsPeople = append(w.termsPeople, &p)
	}
	// Created people first, each group in the plan's order, for a
	// predictable audit trail.
	order := map[string]int{}
	for i, p := range w.p.CreatePeople {
		order[p.ID] = i - len(w.p.CreatePeople)
	}
	for i, p := range w.p.UpdatePeople {
		order[p.ID] = i + 1
	}
	slices.SortFunc(w.placed, func(a, b *distans.Person) int {
		return cmpOrder(order, a.ID, b.ID)
	})
	slices.SortFunc(w.termsPeople, func(a, b *distans.Person) int { return cmpOrder(order, a.ID, b.ID) })
	return nil
}

// prepareUnitEnds holds the units the plan ends, or ends on another day,
// to the rule of EndUnit (unitEndRefused), in the organisation as the plan
// leaves it.
func (w *applier) prepareUnitEnds() error {
	for _, list := range [][]*distans.Unit{w.p.CreateUnits, w.p.UpdateUnits} {
		for _, u := range list {
			old := w.oldUnits[u.ID]
			if u.EndedOn == nil || old != nil && old.EndedOn != nil && old.EndedOn.Equal(*u.EndedOn) {
				continue
			}
			children, emps := 0, 0
			for _, c := range w.units {
				if c.ParentID == u.ID && goesOnAfter(c.EndedOn, *u.EndedOn) {
					children++
				}
			}
			for _, list := range w.emps {
				for _, e := range list {
					if e.UnitID == u.ID && goesOnAfter(e.EndsOn, *u.EndedOn) {
						emps++
					}
				}
			}
			if err := unitEndRefused(children, emps); err != nil {
				return planError("Enheten", "Unit", u.Name, err)
			}
		}
	}
	return nil
}

// cmpOrder orders IDs by order, then those not in it by ID.
func cmpOrder(order map[string]int, a, b string) int {
	oa, ina := order[a]
	ob, inb := order[b]
	switch {
	case ina && inb:
		return oa - ob
	case ina:
		return -1
	case inb:
		return 1
	}
	return strings.Compare(a, b)
}

// noOverlap reports an error when one of writes shares a day with another
// period of all (which holds writes too), as checkNoOverlap does for one.
func noOverlap[T any](all, writes []T, per func(T) period) error {
	for _, x := range writes {
		a := per(x)
		for _, y := range all {
			b := per(y)
			if a.id != b.id && overlaps(a.starts, a.ends, b.starts, b.ends) {
				return fmt.Errorf("%s overlaps %s", a.id, b.id)
			}
		}
	}
	return nil
}

func (w *applier) prepareLeaves() error {
	byPerson := map[string][]*distans.Leave{}
	for _, l := range w.snap.Leaves {
		byPerson[l.PersonID] = append(byPerson[l.PersonID], l)
	}
	changed := map[string][]*distans.Leave{}
	check := func(l *distans.Leave) error {
		p := w.people[l.PersonID]
		if p == nil {
			return planInvalid("Ledigheten", "Leave", string(l.Kind), "Personen finns inte i organisationen.", "The person is not in the organisation.")
		}
		if err := w.own(&l.OrganisationID, "Ledigheten", "Leave", p.Name); err != nil {
			return err
		}
		if err := l.Validate(); err != nil {
			return planError("Ledigheten", "Leave", p.Name, err)
		}
		changed[l.PersonID] = append(changed[l.PersonID], l)
		return nil
	}
	seen := map[string]bool{}
	for _, l := range w.p.UpdateLeaves {
		old, ok := w.oldLeaves[l.ID]
		if !ok || old.PersonID != l.PersonID || seen[l.ID] {
			return planInvalid("Ledigheten", "Leave", string(l.Kind), "Finns inte.", "Does not exist.")
		}
		if err := check(l); err != nil {
			return err
		}
		seen[l.ID] = true
		l.CreatedAt = old.CreatedAt
		list := byPerson[l.PersonID]
		list[slices.Index(list, old)] = l
	}
	for _, l := range w.p.CreateLeaves {
		if l.ID == "" {
			l.ID = newID()
		}
		if _, ok := w.oldLeaves[l.ID]; ok {
			return planInvalid("Ledigheten", "Leave", string(l.Kind), "Finns redan.", "Exists already.")
		}
		if err := check(l); err != nil {
			return err
		}
		l.CreatedAt = w.at
		byPerson[l.PersonID] = append(byPerson[l.PersonID], l)
	}
	for personID, writes := range changed {
		if err := noOverlap(byPerson[personID], writes, func(x *distans.Leave) period { return period{x.ID, x.StartsOn, x.EndsOn} }); err != nil {
			return planInvalid("Personen", "Person", w.people[personID].Name, leaveOverlapSv, leaveOverlapEn)
		}
	}
	return nil
}

// roleKey is what a person may hold only once at a time: a role in a unit
// ("" for the whole organisation).
type roleKey struct {
	person string
	role   distans.Role
	unit   string
}

// prepareRoles checks the roles to grant and to end, and adds the chef
// roles that the units' managers bring (chefGrant).
func (w *applier) prepareRoles() error {
	ending := map[string]bool{}
	for _, id := range w.p.EndRoles {
		r, ok := w.oldRoles[id]
		if !ok || ending[id] {
			return planInvalid("Rollen", "Role", id, "Finns inte, eller är redan avslutad.", "Does not exist, or has ended already.")
		}
		if r.Source != distans.RoleSourceImport {
			return planInvalid("Rollen", "Role", string(r.Role), "En import avslutar bara roller som en import har gett.",
				"An import ends only roles that an import granted.")
		}
		ending[id] = true
	}
	held := map[roleKey]bool{}
	for _, r := range w.snap.Roles {
		if !ending[r.ID] {
			held[roleKey{r.PersonID, r.Role, r.UnitID}] = true
		}
	}
	for _, r := range w.p.CreateRoles {
		p := w.people[r.PersonID]
		if p == nil {
			return planInvalid("Rollen", "Role", string(r.Role), "Personen finns inte i organisationen.", "The person is not in the organisation.")
		}
		if err := w.own(&r.OrganisationID, "Rollen", "Role", string(r.Role)+" ("+p.Name+")"); err != nil {
			return err
		}
		if err := r.Validate(); err != nil {
			return planError("Rollen", "Role", string(r.Role)+" ("+p.Name+")", err)
		}
		if r.UnitID != "" && w.units[r.UnitID] == nil {
			return planInvalid("Rollen", "Role", string(r.Role)+" ("+p.Name+")", "Enheten finns inte i organisationen.", "The unit is not in the organisation.")
		}
		k := roleKey{r.PersonID, r.Role, r.UnitID}
		if held[k] {
			return distans.Errorf(distans.ECONFLICT, "Rollen "+string(r.Role)+" ("+p.Name+"): Personen har redan den rollen i enheten.",
				"Role "+string(r.Role)+" ("+p.Name+"): The person already holds that role in the unit.")
		}
		held[k] = true
		if r.ID == "" {
			r.ID = newID()
		}
		if r.Source == "" {
			r.Source = distans.RoleSourceImport
		}
		r.EndedAt, r.CreatedAt = nil, w.at
		w.newRoles = append(w.newRoles, r)
	}
	heldChef := func(personID, unitID string) (bool, error) {
		return held[roleKey{personID, distans.RoleManager, unitID}], nil
	}
	for _, units := range []struct {
		list []*distans.Unit
		old  map[string]*distans.Unit
	}{{w.p.CreateUnits, nil}, {w.p.UpdateUnits, w.oldUnits}} {
		for _, u := range units.list {
			r, _ := chefGrant(units.old[u.ID], u, heldChef)
			if r == nil {
				continue
			}
			r.ID, r.CreatedAt = newID(), w.at
			held[roleKey{r.PersonID, r.Role, r.UnitID}] = true
			w.chefs = append(w.chefs, r)
			w.newRoles = append(w.newRoles, r)
		}
	}
	return nil
}

// step counts k more records of the plan written and reports it.
func (w *applier) step(k int) error {
	w.done += k
	w.s.applying.set(w.imp, w.done, w.total)
	if w.progress != nil {
		w.progress(w.done)
	}
	if w.s.dialect.sideWrites {
		// Other instances read the progress from the row, written beside
		// the transaction (which writes the row only as it ends).
		if _, err := w.s.wdb.ExecContext(w.ctx, `UPDATE imports SET done = $1, rows = $2 WHERE organisation_id = $3 AND id = $4`,
			w.done, w.total, w.orgID, w.imp.ID); err != nil {
			return err
		}
	}
	return nil
}

// event appends one audit event to the chain.
func (w *applier) event(action, recordType, recordID, summary string) error {
	return w.chain.add(w.ctx, newAuditEvent(w.at, w.a, w.orgID, action, recordType, recordID, summary))
}

// write writes the prepared plan, referenced records before those that
// refer to them, and its audit events.
func (w *applier) write() error {
	var err error
	if w.chain, err = w.s.openChain(w.ctx, w.tx, w.orgID); err != nil {
		return err
	}
	for _, step := range []func() error{w.writeSites, w.writePeople, w.writeUnits, w.writeEmployments, w.writePlacements,
		w.writeTerms, w.writeRoles, w.writeLeaves} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (w *applier) writeSites() error {
	cols := []string{"organisation_id", "id", "name", "code", "kind", "street", "postal_code", "city", "ended_on", "created_at", "updated_at"}
	xs := w.p.CreateSites
	if err := w.s.insertMany(w.ctx, w.tx, "sites", cols, len(xs), func(i int, q []any) []any {
		x := xs[i]
		return append(q, x.OrganisationID, x.ID, x.Name, x.Code, string(x.Kind), x.Street, x.PostalCode, x.City, nullDay(x.EndedOn),
			ts(x.CreatedAt), ts(x.UpdatedAt))
	}, w.step); err != nil {
		return errSiteCode(err)
	}
	for _, x := range xs {
		if err := w.event("site.create", "site", x.ID, "created site "+x.Name); err != nil {
			return err
		}
	}
	xs = w.p.UpdateSites
	// As UpdateSite: the layout that shows the site is read again.
	if err := w.s.updateMany(w.ctx, w.tx, "sites", w.orgID, []string{"name", "code", "kind", "street", "postal_code", "city",
		"ended_on", "updated_at"}, "layout_version = t.layout_version + 1",
		len(xs), func(i int, q []any) []any {
			x := xs[i]
			return append(q, x.ID, x.Name, x.Code, string(x.Kind), x.Street, x.PostalCode, x.City, nullDay(x.EndedOn), ts(x.UpdatedAt))
		}, w.step); err != nil {
		return errSiteCode(err)
	}
	for _, x := range xs {
		if err := w.event("site.update", "site", x.ID, "updated site "+x.Name); err != nil {
			return err
		}
	}
	return nil
}

// personCells are the values of a person's row in personRowCols.
func (w *applier) personCells(p *distans.Person, q []any) []any {
	return append(q, p.Name, p.Email, p.Phone, p.EmployeeNumber, p.PersonalNumber, p.Language, p.UnitID, p.UnitPath,
		p.Title, p.SiteID, nullDay(w.placements[p.ID].refreshOn), w.placements[p.ID].employed, searchText(p), nameKey(p.Name),
		ts(p.UpdatedAt))
}

var personRowCols = []string{"name", "email", "phone", "employee_number", "personal_number", "language", "unit_id",
	"unit_path", "title", "site_id", "refresh_on", "employed", "search", "name_key", "updated_at"}

// writePeople inserts the people the plan creates, placed already: their
// units may not exist yet, but people refer to units by copy, not by key.
func (w *applier) writePeople() error {
	var created []*distans.Person
	for _, p := range w.placed {
		if w.oldPeople[p.ID] == nil {
			created = append(created, p)
		}
	}
	cols := append([]string{"organisation_id", "id", "created_at"}, personRowCols...)
	if err := w.s.insertMany(w.ctx, w.tx, "people", cols, len(created), func(i int, q []any) []any {
		p := created[i]
		return w.personCells(p, append(q, p.OrganisationID, p.ID, ts(p.CreatedAt)))
	}, w.step); err != nil {
		return errEmailTaken(err)
	}
	for _, p := range created {
		if err := w.event("person.create", "person", p.ID, "created person "+p.Name); err != nil {
			return err
		}
	}
	return nil
}

func (w *applier) writeUnits() error {
	cols := []string{"organisation_id", "id", "parent_id", "code", "name", "kind", "manager_id", "path", "ended_on", "created_at", "updated_at"}
	us := w.p.CreateUnits // parents first: the key to the parent holds in the statement
	if err := w.s.insertMany(w.ctx, w.tx, "units", cols, len(us), func(i int, q []any) []any {
		u := us[i]
		return append(q, u.OrganisationID, u.ID, nullStr(u.ParentID), u.Code, u.Name, string(u.Kind), nullStr(u.ManagerID), u.Path,
			nullDay(u.EndedOn), ts(u.CreatedAt), ts(u.UpdatedAt))
	}, w.step); err != nil {
		return errUnitCode(err)
	}
	for _, u := range us {
		if err := w.event("unit.create", "unit", u.ID, "created unit "+u.Name); err != nil {
			return err
		}
	}
	us = w.p.UpdateUnits
	if err := w.s.updateMany(w.ctx, w.tx, "units", w.orgID, []string{"parent_id", "code", "name", "kind", "manager_id",
		"ended_on", "updated_at"}, "", len(us), func(i int, q []any) []any {
		u := us[i]
		return append(q, u.ID, nullStr(u.ParentID), u.Code, u.Name, string(u.Kind), nullStr(u.ManagerID), nullDay(u.EndedOn), ts(u.UpdatedAt))
	}, w.step); err != nil {
		return errUnitCode(err)
	}
	for _, m := range w.moves {
		if err := w.s.movePaths(w.ctx, w.tx, w.orgID, m[0], m[1]); err != nil {
			return err
		}
	}
	for _, u := range us {
		summary := "updated unit " + u.Name
		if w.paths[u.ID] != w.oldUnits[u.ID].Path {
			summary += " (moved)"
		}
		if err := w.event("unit.update", "unit", u.ID, summary); err != nil {
			return err
		}
	}
	return nil
}

func (w *applier) writeEmployments() error {
	es := w.p.CreateEmployments
	if err := w.s.insertMany(w.ctx, w.tx, "employments", strings.Split(employmentCols, ", "), len(es), func(i int, q []any) []any {
		e := es[i]
		return append(q, e.OrganisationID, e.ID, e.PersonID, e.UnitID, e.Title, nullStr(e.SiteID), day(e.StartsOn), nullDay(e.EndsOn),
			ts(e.CreatedAt), ts(e.UpdatedAt))
	}, w.step); err != nil {
		return err
	}
	for _, e := range es {
		if err := w.event("employment.create", "employment", e.ID,
			"added employment as "+e.Title+" for "+w.people[e.PersonID].Name+" from "+day(e.StartsOn)); err != nil {
			return err
		}
	}
	es = w.p.UpdateEmployments
	if err := w.s.updateMany(w.ctx, w.tx, "employments", w.orgID, []string{"unit_id", "title", "site_id", "starts_on",
		"ends_on", "updated_at"}, "", len(es), func(i int, q []any) []any {
		e := es[i]
		return append(q, e.ID, e.UnitID, e.Title, nullStr(e.SiteID), day(e.StartsOn), nullDay(e.EndsOn), ts(e.UpdatedAt))
	}, w.step); err != nil {
		return err
	}
	for _, e := range es {
		name := w.people[e.PersonID].Name
		action, summary := "employment.update", "updated employment as "+e.Title+" for "+name
		if old := w.oldEmps[e.ID]; old.EndsOn == nil && e.EndsOn != nil {
			action, summary = "employment.end", "ended employment as "+e.Title+" for "+name+" on "+day(*e.EndsOn)
		}
		if err := w.event(action, "employment", e.ID, summary); err != nil {
			return err
		}
	}
	return nil
}

// writePlacements writes the rows of the people who were there before and
// whose row the plan changes: their own fields, their placement, or both.
func (w *applier) writePlacements() error {
	var rows []*distans.Person
	for _, p := range w.placed {
		if w.oldPeople[p.ID] != nil {
			rows = append(rows, p)
		}
	}
	updated := map[string]bool{}
	for _, p := range w.p.UpdatePeople {
		updated[p.ID] = true
	}
	// Rows written only for their placement count as no record of the
	// plan, as a changed employment changes its person's row by hand too.
	if err := w.s.updateMany(w.ctx, w.tx, "people", w.orgID, personRowCols, "", len(rows), func(i int, q []any) []any {
		return w.personCells(rows[i], append(q, rows[i].ID))
	}, nil); err != nil {
		return errEmailTaken(err)
	}
	if err := w.step(len(w.p.UpdatePeople)); err != nil {
		return err
	}
	for _, p := range w.p.UpdatePeople {
		if err := w.event("person.update", "person", p.ID, "updated person "+p.Name); err != nil {
			return err
		}
	}
	return nil
}

// writeTerms indexes (indexPeople) the people whose search words may
// change: those the plan places, and those in a unit the plan renames.
func (w *applier) writeTerms() error {
	seen := map[string]bool{}
	var ids []string
	for _, p := range w.termsPeople {
		seen[p.ID] = true
		ids = append(ids, p.ID)
	}
	renamed := map[string]bool{}
	for _, u := range w.p.UpdateUnits {
		if old := w.oldUnits[u.ID]; old != nil && old.Name != u.Name {
			renamed[u.ID] = true
		}
	}
	var more []string
	for id, p := range w.people {
		if renamed[p.UnitID] && !seen[id] {
			more = append(more, id)
		}
	}
	slices.Sort(more)
	return w.s.indexPeople(w.ctx, w.tx, w.orgID, append(ids, more...))
}

func (w *applier) writeRoles() error {
	rs := w.newRoles
	inserted := 0
	cols := []string{"organisation_id", "id", "person_id", "role", "unit_id", "source", "ended_at", "created_at"}
	if err := w.s.insertMany(w.ctx, w.tx, "role_assignments", cols, len(rs), func(i int, q []any) []any {
		r := rs[i]
		return append(q, r.OrganisationID, r.ID, r.PersonID, string(r.Role), nullStr(r.UnitID), r.Source, nil, ts(r.CreatedAt))
	}, func(k int) error {
		// The plan's come first; the chefs' are no records of the plan.
		n := min(k, len(w.p.CreateRoles)-inserted)
		inserted += n
		return w.step(n)
	}); err != nil {
		return err
	}
	for _, r := range rs {
		if err := w.event("role.assign", "role_assignment", r.ID, roleSummary(r)); err != nil {
			return err
		}
	}
	ids := w.p.EndRoles
	if err := w.s.updateMany(w.ctx, w.tx, "role_assignments", w.orgID, []string{"ended_at"}, "", len(ids),
		func(i int, q []any) []any { return append(q, ids[i], ts(w.at)) }, w.step); err != nil {
		return err
	}
	for _, id := range ids {
		r := w.oldRoles[id]
		if err := w.event("role.end", "role_assignment", id, "ended the role "+string(r.Role)+" of person "+r.PersonID); err != nil {
			return err
		}
	}
	return nil
}

func (w *applier) writeLeaves() error {
	ls := w.p.CreateLeaves
	if err := w.s.insertMany(w.ctx, w.tx, "leaves", strings.Split(leaveCols, ", "), len(ls), func(i int, q []any) []any {
		l := ls[i]
		return append(q, l.OrganisationID, l.ID, l.PersonID, string(l.Kind), day(l.StartsOn), nullDay(l.EndsOn), ts(l.CreatedAt))
	}, w.step); err != nil {
		return err
	}
	for _, l := range ls {
		if err := w.event("leave.create", "leave", l.ID, "added leave for "+w.people[l.PersonID].Name+" from "+day(l.StartsOn)); err != nil {
			return err
		}
	}
	ls = w.p.UpdateLeaves
	if err := w.s.updateMany(w.ctx, w.tx, "leaves", w.orgID, []string{"kind", "starts_on", "ends_on"}, "",
		len(ls), func(i int, q []any) []any {
			l := ls[i]
			return append(q, l.ID, string(l.Kind), day(l.StartsOn), nullDay(l.EndsOn))
		}, w.step); err != nil {
		return err
	}
	for _, l := range ls {
		if err := w.event("leave.update", "leave", l.ID, "updated leave for "+w.people[l.PersonID].Name); err != nil {
			return err
		}
	}
	return nil
}

// finish writes the import event with the counts, closes the chain, and
// marks the import done with the plan's summary.
func (w *applier) finish() (*distans.Import, error) {
	p := w.p
	count := func(name string, create, update int) string {
		return fmt.Sprintf("%s %d created, %d updated", name, create, update)
	}
	summary := "applied import " + w.imp.ID + ": " + strings.Join([]string{
		count("units", len(p.CreateUnits), len(p.UpdateUnits)),
		count("sites", len(p.CreateSites), len(p.UpdateSites)),
		count("people", len(p.CreatePeople), len(p.UpdatePeople)),
		count("employments", len(p.CreateEmployments), len(p.UpdateEmployments)),
		fmt.Sprintf("roles %d granted (%d of them to managers), %d ended", len(w.newRoles), len(w.chefs), len(p.EndRoles)),
		count("leave", len(p.CreateLeaves), len(p.UpdateLeaves)),
	}, "; ")
	if err := w.event("import.apply", "import", w.imp.ID, summary); err != nil {
		return nil, err
	}
	if err := w.chain.close(w.ctx); err != nil {
		return nil, err
	}
	imp := *w.imp
	sum := p.Summary
	imp.Summary = &sum
	imp.Status, imp.Rows, imp.Done, imp.Failure = distans.ImportDone, w.total, w.total, ""
	imp.UpdatedAt, imp.FinishedAt = touched(w.ctx, imp.UpdatedAt), &w.at
	text, err := jsonText(imp.Summary)
	if err != nil {
		return nil, err
	}
	if _, err := w.tx.ExecContext(w.ctx, `UPDATE imports SET status = $1, rows = $2, done = $3, summary = $4, failure = '',
		updated_at = $5, finished_at = $6, lease_until = NULL WHERE organisation_id = $7 AND id = $8`,
		string(imp.Status), imp.Rows, imp.Done, text, ts(imp.UpdatedAt), ts(w.at), w.orgID, imp.ID); err != nil {
		return nil, err
	}
	if _, err := w.tx.ExecContext(w.ctx, `DELETE FROM import_files WHERE organisation_id = $1 AND import_id = $2`, w.orgID, imp.ID); err != nil {
		return nil, err
	}
	return &imp, nil
}
