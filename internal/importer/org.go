package importer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/distans/distans"
)

// unitRec is a unit as the files want it: u is the whole record to be,
// old the organisation's (nil for a new unit). t is nil for a unit that
// only a managers file names.
type unitRec struct {
	t    *table
	line int
	u    *distans.Unit
	old  *distans.Unit

	parent    string // the parent's code, when the file has the column
	setParent bool
	// manager is the manager's employee number from the units file;
	// setManager says the file has the column, where an empty cell
	// removes the manager.
	manager    string
	setManager bool
	// mgrDecided says the files name the unit's manager (or its lack).
	mgrDecided bool
	// inFile says the unit is a row of a units file (not only a managers
	// file's), for the counts.
	inFile bool
}

// codeAndName are the columns that hold the code and the name of a units
// or sites file: "Kod", else the unit (site) column, for the code; "Namn",
// else "Enhetsnamn" (named), else the unit (site) column itself ("Kod;Enhet":
// the unit column is the name).
func (t *table) codeAndName(ref, named field) (code, name field) {
	code, name = fCode, fName
	if !t.has(fCode) {
		code = ref
	}
	switch {
	case t.has(fName):
	case t.has(named):
		name = named
	default:
		name = ref
	}
	return code, name
}

func (c *checker) readUnits() {
	for _, t := range c.tables {
		if !t.kinds[kUnits] {
			continue
		}
		codeF, nameF := t.codeAndName(fUnit, fUnitName)
		cols := map[string]field{"name": nameF, "kind": fKind}
		for _, r := range t.rows {
			code := t.get(r, codeF)
			if code == "" {
				c.fail(t, r.line, codeF, "Enhetens kod saknas.", "The unit's code is missing.")
				continue
			}
			if prev := c.unitByCode[code]; prev != nil {
				sv, en := where(prev.t, prev.line, t)
				c.fail(t, r.line, codeF, fmt.Sprintf("Enheten %s finns redan på %s.", code, sv),
					fmt.Sprintf("The unit %s is already on %s.", code, en))
				continue
			}
			rec := &unitRec{t: t, line: r.line, old: c.snapUnit[code], inFile: true}
			if rec.old != nil {
				u := *rec.old
				rec.u = &u
			} else {
				rec.u = &distans.Unit{ID: newID(), Kind: distans.UnitSection}
			}
			u := rec.u
			u.OrganisationID, u.Code, u.Name = c.orgID, code, t.get(r, nameF)
			// A unit the HR system lists is in use, even if it was ended here.
			u.EndedOn = nil
			if v := t.get(r, fKind); v != "" {
				if k, ok := unitKinds[fold(v)]; ok {
					u.Kind = k
				} else {
					c.fail(t, r.line, fKind, fmt.Sprintf("Okänd typ av enhet %q: skriv förvaltning, avdelning eller enhet.", v),
						fmt.Sprintf("Unknown kind of unit %q: write förvaltning, avdelning or enhet.", v))
				}
			}
			if t.has(fParent) {
				rec.parent, rec.setParent = t.get(r, fParent), true
			}
			if t.has(fManager) {
				rec.manager, rec.setManager = t.get(r, fManager), true
			}
			if err := u.Validate(); err != nil {
				c.invalid(t, r.line, err, cols)
			}
			c.units = append(c.units, rec)
			c.unitByCode[code] = rec
			c.unitByID[u.ID] = rec
		}
	}
	for _, rec := range c.units {
		if !rec.setParent {
			continue // a new unit is a root; one that exists stays where it is
		}
		switch {
		case rec.parent == "":
			rec.u.ParentID = ""
		case rec.parent == rec.u.Code:
			c.fail(rec.t, rec.line, fParent, fmt.Sprintf("Enheten %s kan inte vara överordnad sig själv.", rec.parent),
				fmt.Sprintf("The unit %s cannot be its own parent.", rec.parent))
		case c.unitByCode[rec.parent] != nil:
			rec.u.ParentID = c.unitByCode[rec.parent].u.ID
		case c.snapUnit[rec.parent] != nil:
			rec.u.ParentID = c.snapUnit[rec.parent].ID
		case c.muted["unit:"+rec.parent]:
		default:
			c.fail(rec.t, rec.line, fParent, fmt.Sprintf("Den överordnade enheten %s finns inte, varken i filerna eller i organisationen.", rec.parent),
				fmt.Sprintf("The parent unit %s does not exist, neither in the files nor in the organisation.", rec.parent))
		}
	}
	c.checkCycles()
}

// checkCycles reports every cycle in the tree the units would make (the
// files' units over the organisation's), once, on the line of its first
// unit in the files, naming its units.
func (c *checker) checkCycles() {
	parent := make(map[string]string, len(c.snap.Units)+len(c.units))
	label := make(map[string]string, len(c.snap.Units)+len(c.units))
	for _, u := range c.snap.Units {
		parent[u.ID], label[u.ID] = u.ParentID, orElse(u.Code, u.Name)
	}
	for _, rec := range c.units {
		parent[rec.u.ID], label[rec.u.ID] = rec.u.ParentID, rec.u.Code
	}
	const (
		onPath = 1
		done   = 2
	)
	state := make(map[string]int, len(parent))
	var path []string
	for _, rec := range c.units {
		path = path[:0]
		id := rec.u.ID
		for id != "" && state[id] == 0 {
			state[id] = onPath
			path = append(path, id)
			id = parent[id]
		}
		if id != "" && state[id] == onPath {
			cycle := path[slices.Index(path, id):]
			var first *unitRec // a snapshot unit has no line: name the first file unit
			for _, cid := range slices.Backward(cycle) {
				if r := c.unitByID[cid]; r != nil && r.inFile {
					first = r
				}
			}
			names := make([]string, 0, len(cycle)+1)
			for _, cid := range cycle {
				names = append(names, label[cid])
			}
			names = append(names, label[cycle[0]])
			loop := strings.Join(names, " → ")
			c.fail(first.t, first.line, fParent, fmt.Sprintf("Enheterna bildar en slinga i trädet: %s.", loop),
				fmt.Sprintf("The units make a cycle in the tree: %s.", loop))
		}
		for _, p := range path {
			state[p] = done
		}
	}
}

// orElse returns a, or b when a is empty.
func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// siteRec is a site as the files want it.
type siteRec struct {
	t    *table
	line int
	s    *distans.Site
	old  *distans.Site
}

func (c *checker) readSites() {
	for _, t := range c.tables {
		if !t.kinds[kSites] {
			continue
		}
		codeF, nameF := t.codeAndName(fSite, fSiteName)
		cols := map[string]field{"name": nameF, "kind": fKind, "street": fStreet, "postal_code": fPostal, "city": fCity}
		for _, r := range t.rows {
			code := t.get(r, codeF)
			if code == "" {
				c.fail(t, r.line, codeF, "Arbetsplatsens kod saknas.", "The site's code is missing.")
				continue
			}
			if prev := c.siteByCode[code]; prev != nil {
				sv, en := where(prev.t, prev.line, t)
				c.fail(t, r.line, codeF, fmt.Sprintf("Arbetsplatsen %s finns redan på %s.", code, sv),
					fmt.Sprintf("The site %s is already on %s.", code, en))
				continue
			}
			rec := &siteRec{t: t, line: r.line, old: c.snapSite[code]}
			if rec.old != nil {
				s := *rec.old
				rec.s = &s
			} else {
				rec.s = &distans.Site{ID: newID(), Kind: distans.SiteMain}
			}
			s := rec.s
			s.OrganisationID, s.Code, s.Name, s.EndedOn = c.orgID, code, t.get(r, nameF), nil
			if v := t.get(r, fKind); v != "" {
				if k, ok := siteKinds[fold(v)]; ok {
					s.Kind = k
				} else {
					c.fail(t, r.line, fKind, fmt.Sprintf("Okänd typ av arbetsplats %q: skriv huvudarbetsplats eller satellitkontor.", v),
						fmt.Sprintf("Unknown kind of site %q: write huvudarbetsplats (main) or satellitkontor (satellite).", v))
				}
			}
			if t.has(fStreet) {
				s.Street = t.get(r, fStreet)
			}
			if t.has(fPostal) {
				s.PostalCode = t.get(r, fPostal)
			}
			if t.has(fCity) {
				s.City = t.get(r, fCity)
			}
			if err := s.Validate(); err != nil {
				c.invalid(t, r.line, err, cols)
			}
			c.sites = append(c.sites, rec)
			c.siteByCode[code] = rec
		}
	}
}

// readManagers sets the units' managers from a units file's manager column
// and from managers files; a managers file names the manager of the units
// it lists and leaves the others as they are.
func (c *checker) readManagers() {
	type setBy struct {
		t        *table
		line     int
		personID string
	}
	byFile := map[string]setBy{}
	for _, t := range c.tables {
		if !t.kinds[kManagers] {
			continue
		}
		unitF, personF := fUnit, fManager
		if !t.has(fUnit) {
			unitF = fCode
		}
		if !t.has(fManager) {
			personF = fEmpNo
		}
		for _, r := range t.rows {
			code := t.get(r, unitF)
			if code == "" {
				c.fail(t, r.line, unitF, "Enhetens kod saknas.", "The unit's code is missing.")
				continue
			}
			unitID, okUnit := c.unitOf(t, r, unitF, code)
			pid, okPerson := c.managerOf(t, r, personF)
			if !okUnit || !okPerson {
				continue
			}
			if prev, dup := byFile[unitID]; dup {
				if prev.personID != pid {
					sv, en := where(prev.t, prev.line, t)
					c.fail(t, r.line, personF, fmt.Sprintf("Enheten %s har redan en annan chef på %s.", code, sv),
						fmt.Sprintf("The unit %s already has another manager on %s.", code, en))
				}
				continue
			}
			byFile[unitID] = setBy{t, r.line, pid}
			rec := c.unitByID[unitID]
			if rec == nil {
				old := c.snapUnit[code]
				u := *old
				rec = &unitRec{line: r.line, u: &u, old: old}
				c.unitByID[unitID] = rec
				c.mgrUnits = append(c.mgrUnits, rec)
			} else if rec.setManager && rec.manager != "" && c.findPerson(rec.manager, false) != pid {
				sv, en := where(rec.t, rec.line, t)
				c.fail(t, r.line, personF, fmt.Sprintf("Enheten %s har en annan chef i enhetsfilen (%s).", code, sv),
					fmt.Sprintf("The unit %s has another manager in the units file (%s).", code, en))
				continue
			}
			rec.u.ManagerID, rec.mgrDecided = pid, true
			rec.setManager = false // the managers file has decided
		}
	}
	for _, rec := range c.units {
		if !rec.setManager {
			continue
		}
		rec.mgrDecided = true
		if rec.manager == "" {
			rec.u.ManagerID = ""
			continue
		}
		pid := c.findPerson(rec.manager, false)
		if pid == "" && c.muted["person:"+rec.manager] {
			continue
		}
		if pid == "" {
			c.fail(rec.t, rec.line, fManager, fmt.Sprintf("Chefen %s finns inte, varken i filerna eller i organisationen.", rec.manager),
				fmt.Sprintf("The manager %s does not exist, neither in the files nor in the organisation.", rec.manager))
			continue
		}
		rec.u.ManagerID = pid
	}
}

// managerOf is personOf for a manager, with the message a manager's row
// needs.
func (c *checker) managerOf(t *table, r row, f field) (string, bool) {
	v := t.get(r, f)
	if v == "" {
		c.fail(t, r.line, f, "Chefens anställningsnummer saknas.", "The manager's employee number is missing.")
		return "", false
	}
	pid := c.findPerson(v, false)
	if pid == "" && c.muted["person:"+v] {
		return "", false
	}
	if pid == "" {
		c.fail(t, r.line, f, fmt.Sprintf("Chefen %s finns inte, varken i filerna eller i organisationen.", v),
			fmt.Sprintf("The manager %s does not exist, neither in the files nor in the organisation.", v))
		return "", false
	}
	return pid, true
}
