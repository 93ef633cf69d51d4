// Package importer is the brain of an import: it reads the CSV files an HR
// system exports (units, sites, people, employments, managers, roles and
// leave), checks every row and compares the files with the organisation
// as it is, into a distans.ImportPlan. It touches no database: the store
// reads the snapshot and applies the plan, in one transaction.
//
// The columns it understands, in Swedish and English, are documented in
// examples/README.md beside a sample set of files.
package importer

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/google/uuid"
)

// Check reads files, validates them and compares them with snap. It returns every row error
// (the caller keeps the first 1,000) and, when there are none, the plan. err is only for
// internal failures. progress, when not nil, is called now and then with rows done and in all.
//
// today is the organisation's today (distans.Today): a full export ends the
// employments current on it or starting after it. Full without
// EndMissingOn is EINVALID, as the service refuses it before.
func Check(orgID string, files []distans.ImportFile, snap *distans.ImportSnapshot, opts distans.ImportOptions,
	today time.Time, progress func(done, total int)) (*distans.ImportPlan, []distans.ImportRowError, error) {
	if opts.Full && opts.EndMissingOn == nil {
		return nil, nil, distans.Errorf(distans.EINVALID, "Ange det datum då anställningen ska avslutas för den som saknas i filerna.",
			"Give the date on which the employment of anyone missing from the files ends.")
	}
	if snap == nil {
		snap = &distans.ImportSnapshot{}
	}
	c := newChecker(orgID, snap, opts, distans.DateOf(today))

	// The total is an estimate from the line count (a quoted field may
	// span lines, blank lines are skipped); the last call gives the truth.
	total, done := 0, 0
	for _, f := range files {
		total += max(bytes.Count(f.Content, []byte{'\n'}), 1)
	}
	tick := func() {
		done++
		if progress != nil && done%2000 == 0 {
			progress(min(done, total), total)
		}
	}
	for _, f := range files {
		t, errs := readTable(f, tick)
		c.errs = append(c.errs, errs...)
		if t == nil {
			c.sum.Files = append(c.sum.Files, distans.ImportFileSum{Name: f.Name, Kinds: []string{}})
			continue
		}
		c.errs = append(c.errs, t.missingColumns()...)
		c.tables = append(c.tables, t)
		c.sum.Rows += len(t.rows)
		c.sum.Files = append(c.sum.Files, distans.ImportFileSum{Name: f.Name, Kinds: t.kindList(), Rows: len(t.rows)})
	}

	c.presize()
	c.mute()
	c.readUnits()
	c.readSites()
	c.readPeople()
	c.readManagers()
	c.readEmployments()
	c.readRoles()
	c.readLeaves()
	c.endMissing()
	if progress != nil {
		progress(done, done)
	}
	if len(c.errs) > 0 {
		order := map[string]int{}
		for i, f := range files {
			if _, ok := order[f.Name]; !ok {
				order[f.Name] = i + 1
			}
		}
		slices.SortStableFunc(c.errs, func(a, b distans.ImportRowError) int {
			return cmp.Or(cmp.Compare(order[a.File], order[b.File]), cmp.Compare(a.Line, b.Line))
		})
		return nil, c.errs, nil
	}
	return c.buildPlan(), nil, nil
}

// checker holds one check: the snapshot's indexes, the records the files
// give, and the errors found.
type checker struct {
	orgID string
	snap  *distans.ImportSnapshot
	opts  distans.ImportOptions
	today time.Time

	errs   []distans.ImportRowError
	tables []*table
	sum    distans.ImportSummary

	snapUnit          map[string]*distans.Unit // by code
	snapSite          map[string]*distans.Site // by code
	snapPersonByEmpNo map[string]*distans.Person
	snapPersonByEmail map[string]*distans.Person
	snapEmps          map[string][]*distans.Employment // by person ID

	units      []*unitRec
	unitByCode map[string]*unitRec
	unitByID   map[string]*unitRec // file units and units whose manager changes
	mgrUnits   []*unitRec          // units not in a units file whose manager a managers file sets

	sites      []*siteRec
	siteByCode map[string]*siteRec

	people        []*personRec
	personByEmpNo map[string]*personRec
	personByEmail map[string]*personRec
	personByID    map[string]*personRec
	// present holds everyone the people or employment rows name: the
	// people a full export does not end.
	present map[string]bool

	emps       []*empRec
	endedEmps  []*distans.Employment // existing employments a new one or a full export ends
	rolesFile  bool
	roleKeys   []roleKey
	roleListed map[roleKey]bool
	leaves     []*leaveRec
	rows       [numKinds]int // rows of each kind, in all files
	// muted holds the codes and employee numbers (and e-mail addresses) of
	// files that lack a required column: a row that names one gets no
	// error of its own, since the file's error says it all.
	muted map[string]bool
}

func newChecker(orgID string, snap *distans.ImportSnapshot, opts distans.ImportOptions, today time.Time) *checker {
	c := &checker{orgID: orgID, snap: snap, opts: opts, today: today,
		snapUnit: make(map[string]*distans.Unit, len(snap.Units)), snapSite: make(map[string]*distans.Site, len(snap.Sites)),
		snapPersonByEmpNo: make(map[string]*distans.Person, len(snap.People)), snapPersonByEmail: make(map[string]*distans.Person, len(snap.People)),
		snapEmps:   make(map[string][]*distans.Employment, len(snap.People)),
		unitByCode: map[string]*unitRec{}, unitByID: map[string]*unitRec{}, siteByCode: map[string]*siteRec{},
		personByEmpNo: map[string]*personRec{}, personByEmail: map[string]*personRec{}, personByID: map[string]*personRec{},
		present: map[string]bool{}, roleListed: map[roleKey]bool{},
	}
	for _, u := range snap.Units {
		if u.Code != "" {
			c.snapUnit[u.Code] = u
		}
	}
	for _, s := range snap.Sites {
		if s.Code != "" {
			c.snapSite[s.Code] = s
		}
	}
	for _, p := range snap.People {
		if p.EmployeeNumber != "" {
			if _, dup := c.snapPersonByEmpNo[p.EmployeeNumber]; !dup {
				c.snapPersonByEmpNo[p.EmployeeNumber] = p
			}
		}
		c.snapPersonByEmail[distans.NormalizeEmail(p.Email)] = p
	}
	for _, e := range snap.Employments {
		c.snapEmps[e.PersonID] = append(c.snapEmps[e.PersonID], e)
	}
	return c
}

// presize makes the maps of the files' records as large as the files need,
// which a 50,000-person import notices.
func (c *checker) presize() {
	var n [numKinds]int
	for _, t := range c.tables {
		for k, on := range t.kinds {
			if on {
				n[k] += len(t.rows)
			}
		}
	}
	c.unitByCode, c.unitByID = make(map[string]*unitRec, n[kUnits]), make(map[string]*unitRec, n[kUnits])
	c.personByEmpNo, c.personByEmail = make(map[string]*personRec, n[kPeople]), make(map[string]*personRec, n[kPeople])
	c.personByID = make(map[string]*personRec, n[kPeople])
	c.present = make(map[string]bool, n[kPeople]+n[kEmployments])
	c.people, c.emps = make([]*personRec, 0, n[kPeople]), make([]*empRec, 0, n[kEmployments])
	c.units = make([]*unitRec, 0, n[kUnits])
	c.rows = n
}

// mute collects the codes and person keys of the rows of files that
// cannot be read for want of a column.
func (c *checker) mute() {
	c.muted = map[string]bool{}
	add := func(t *table, prefix string, fs ...field) {
		for _, f := range fs {
			if t.has(f) {
				for _, r := range t.rows {
					if v := t.get(r, f); v != "" {
						c.muted[prefix+v] = true
					}
				}
			}
		}
	}
	for _, t := range c.tables {
		if t.unread[kUnits] {
			add(t, "unit:", fCode, fUnit)
		}
		if t.unread[kSites] {
			add(t, "site:", fCode, fSite)
		}
		if t.unread[kPeople] {
			add(t, "person:", fEmpNo)
			for _, r := range t.rows {
				if v := distans.NormalizeEmail(t.get(r, fEmail)); v != "" {
					c.muted["person:"+v] = true
				}
			}
		}
	}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// fail records an error in f's column of the row on line.
func (c *checker) fail(t *table, line int, f field, sv, en string) {
	c.errs = append(c.errs, distans.ImportRowError{File: t.name, Line: line, Column: t.column(f), Sv: sv, En: en})
}

// invalid records a Validate error, each field's message on its column.
func (c *checker) invalid(t *table, line int, err error, cols map[string]field) {
	var e *distans.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		c.errs = append(c.errs, distans.ImportRowError{File: t.name, Line: line, Sv: "Raden är inte giltig.", En: "The row is not valid."})
		return
	}
	for _, fe := range e.Fields {
		col := fe.Field
		if f, ok := cols[fe.Field]; ok {
			col = t.column(f)
		}
		c.errs = append(c.errs, distans.ImportRowError{File: t.name, Line: line, Column: col, Sv: fe.Sv, En: fe.En})
	}
}

// where names a row for a message about another row: "rad 7" in the same
// file, "personal.csv rad 7" in another.
func where(t *table, line int, from *table) (sv, en string) {
	if t == from {
		return fmt.Sprintf("rad %d", line), fmt.Sprintf("line %d", line)
	}
	return fmt.Sprintf("%s rad %d", t.name, line), fmt.Sprintf("%s line %d", t.name, line)
}

// date reads f of r as a date: nil when empty, ok false when it is not a
// date (reported).
func (c *checker) date(t *table, r row, f field) (d *time.Time, ok bool) {
	v := t.get(r, f)
	if v == "" {
		return nil, true
	}
	for _, layout := range []string{time.DateOnly, "20060102"} {
		if d, err := time.Parse(layout, v); err == nil {
			return &d, true
		}
	}
	c.fail(t, r.line, f, fmt.Sprintf("%q är inte ett datum: skriv ÅÅÅÅ-MM-DD, till exempel 2025-08-18.", v),
		fmt.Sprintf("%q is not a date: write YYYY-MM-DD, for example 2025-08-18.", v))
	return nil, false
}

// findPerson returns the ID of the person with employee number (or, with
// byEmail, e-mail address) v in the files or else the organisation; "" for
// nobody.
func (c *checker) findPerson(v string, byEmail bool) string {
	if byEmail || strings.Contains(v, "@") {
		e := distans.NormalizeEmail(v)
		if r := c.personByEmail[e]; r != nil {
			return r.p.ID
		}
		if p := c.snapPersonByEmail[e]; p != nil {
			return p.ID
		}
		return ""
	}
	if r := c.personByEmpNo[v]; r != nil {
		return r.p.ID
	}
	if p := c.snapPersonByEmpNo[v]; p != nil {
		return p.ID
	}
	return ""
}

// personOf returns the person a row names in f (the employee number, or
// the e-mail column when the number is empty); ok false when reported.
func (c *checker) personOf(t *table, r row, f field) (string, bool) {
	v, byEmail := t.get(r, f), false
	if v == "" && f == fEmpNo && t.has(fEmail) {
		v, byEmail, f = t.get(r, fEmail), true, fEmail
	}
	if v == "" {
		c.fail(t, r.line, f, "Anställningsnumret saknas.", "The employee number is missing.")
		return "", false
	}
	id := c.findPerson(v, byEmail)
	if id == "" && c.muted["person:"+v] || id == "" && byEmail && c.muted["person:"+distans.NormalizeEmail(v)] {
		return "", false
	}
	if id == "" {
		c.fail(t, r.line, f, fmt.Sprintf("Det finns ingen person med %s %s, varken i filerna eller i organisationen.", personKeyWord(v, byEmail), v),
			fmt.Sprintf("There is no person with %s %s, neither in the files nor in the organisation.", personKeyWordEn(v, byEmail), v))
		return "", false
	}
	return id, true
}

func personKeyWord(v string, byEmail bool) string {
	if byEmail || strings.Contains(v, "@") {
		return "e-postadressen"
	}
	return "anställningsnummer"
}

func personKeyWordEn(v string, byEmail bool) string {
	if byEmail || strings.Contains(v, "@") {
		return "the e-mail address"
	}
	return "employee number"
}

// unitOf returns the ID of the unit with code v in the files or else the
// organisation; ok false when there is none (reported).
func (c *checker) unitOf(t *table, r row, f field, v string) (string, bool) {
	if u := c.unitByCode[v]; u != nil {
		return u.u.ID, true
	}
	if u := c.snapUnit[v]; u != nil {
		return u.ID, true
	}
	if c.muted["unit:"+v] {
		return "", false
	}
	c.fail(t, r.line, f, fmt.Sprintf("Det finns ingen enhet med koden %s, varken i filerna eller i organisationen.", v),
		fmt.Sprintf("There is no unit with code %s, neither in the files nor in the organisation.", v))
	return "", false
}

// siteOf is unitOf for sites.
func (c *checker) siteOf(t *table, r row, f field, v string) (string, bool) {
	if s := c.siteByCode[v]; s != nil {
		return s.s.ID, true
	}
	if s := c.snapSite[v]; s != nil {
		return s.ID, true
	}
	if c.muted["site:"+v] {
		return "", false
	}
	c.fail(t, r.line, f, fmt.Sprintf("Det finns ingen arbetsplats med koden %s, varken i filerna eller i organisationen.", v),
		fmt.Sprintf("There is no site with code %s, neither in the files nor in the organisation.", v))
	return "", false
}

func eqDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// overlaps reports whether two periods of days share a day; a nil end is
// open.
func overlaps(aStart time.Time, aEnd *time.Time, bStart time.Time, bEnd *time.Time) bool {
	return (bEnd == nil || !aStart.After(*bEnd)) && (aEnd == nil || !bStart.After(*aEnd))
}
