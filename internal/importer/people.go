package importer

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

// personRec is a person as the files want them.
type personRec struct {
	t    *table
	line int
	p    *distans.Person
	old  *distans.Person
}

func (c *checker) readPeople() {
	matched := make(map[string]*personRec, min(c.rows[kPeople], len(c.snap.People))) // by the organisation's person ID
	for _, t := range c.tables {
		if !t.kinds[kPeople] {
			continue
		}
		nameF := fName
		if !t.has(fName) {
			nameF = fFirstName
		}
		cols := map[string]field{"name": nameF, "email": fEmail, "phone": fPhone, "employee_number": fEmpNo,
			"personal_number": fPNR, "language": fLanguage}
		for _, r := range t.rows {
			empNo, email := t.get(r, fEmpNo), distans.NormalizeEmail(t.get(r, fEmail))
			name := t.get(r, fName)
			if !t.has(fName) {
				name = strings.TrimSpace(t.get(r, fFirstName) + " " + t.get(r, fLastName))
			}
			// The fields as this row gives them, before they meet the organisation's.
			p := &distans.Person{Name: name, Email: email, Phone: t.get(r, fPhone), EmployeeNumber: empNo}
			if v := t.get(r, fPNR); v != "" {
				p.PersonalNumber = v
				if n, ok := distans.NormalizePersonalNumber(v); ok {
					p.PersonalNumber = n
				}
			}
			if v := t.get(r, fLanguage); v != "" {
				p.Language = v
				if l, ok := languages[fold(v)]; ok {
					p.Language = l
				}
			}

			prev, keyF := c.personByEmpNo[empNo], fEmpNo
			if empNo == "" || prev == nil {
				prev, keyF = c.personByEmail[email], fEmail
				if email == "" {
					prev = nil
				}
			}
			if prev != nil {
				// A file of people and employments lists a person once per
				// employment: the same person, if the rows agree.
				if t.kinds[kEmployments] && prev.t == t && samePerson(prev, p, t) {
					continue
				}
				sv, en := where(prev.t, prev.line, t)
				what, whatEn := "Anställningsnumret "+empNo, "The employee number "+empNo
				if keyF == fEmail {
					what, whatEn = "E-postadressen "+email, "The e-mail address "+email
				}
				c.fail(t, r.line, keyF, fmt.Sprintf("%s finns redan på %s.", what, sv), fmt.Sprintf("%s is already on %s.", whatEn, en))
				continue
			}

			rec := &personRec{t: t, line: r.line}
			if empNo != "" {
				rec.old = c.snapPersonByEmpNo[empNo]
			}
			if o := c.snapPersonByEmail[email]; rec.old == nil && email != "" && o != nil &&
				(o.EmployeeNumber == "" || empNo == "" || o.EmployeeNumber == empNo) {
				rec.old = o
			}
			if rec.old != nil && matched[rec.old.ID] != nil {
				other := matched[rec.old.ID]
				sv, en := where(other.t, other.line, t)
				c.fail(t, r.line, fEmail, fmt.Sprintf("Raden gäller samma person som %s.", sv), fmt.Sprintf("The row is the same person as %s.", en))
				continue
			}
			if rec.old != nil {
				x := *rec.old
				rec.p = &x
				matched[x.ID] = rec
				c.present[x.ID] = true
			} else {
				rec.p = &distans.Person{ID: newID(), Language: "sv"}
			}
			q := rec.p
			q.OrganisationID, q.Name, q.Email = c.orgID, p.Name, p.Email
			if t.has(fPhone) {
				q.Phone = p.Phone
			}
			// An empty cell never takes away an employee number, a personal
			// number (the store keeps it) or a language.
			if p.EmployeeNumber != "" {
				q.EmployeeNumber = p.EmployeeNumber
			}
			if p.PersonalNumber != "" {
				q.PersonalNumber = p.PersonalNumber
			}
			if p.Language != "" {
				q.Language = p.Language
			}
			if err := q.Validate(); err != nil {
				c.invalid(t, r.line, err, cols)
			}
			c.people = append(c.people, rec)
			c.personByID[q.ID] = rec
			if empNo != "" {
				c.personByEmpNo[empNo] = rec
			}
			if email != "" {
				c.personByEmail[email] = rec
			}
		}
	}
	// An e-mail address is one person's in an organisation (another
	// organisation's people are not in the snapshot: sharing with them is
	// fine).
	for _, rec := range c.people {
		owner := c.snapPersonByEmail[rec.p.Email]
		if owner == nil || owner.ID == rec.p.ID || matched[owner.ID] != nil {
			continue
		}
		who := owner.Name
		if owner.EmployeeNumber != "" {
			who += ", anställningsnummer " + owner.EmployeeNumber
		}
		c.fail(rec.t, rec.line, fEmail, fmt.Sprintf("E-postadressen %s används redan av en annan person i organisationen (%s).", rec.p.Email, who),
			fmt.Sprintf("The e-mail address %s is already used by another person in the organisation (%s).", rec.p.Email, strings.Replace(who, "anställningsnummer", "employee number", 1)))
	}
}

// samePerson reports whether p, as a row of t gives them, agrees with the
// person rec has from an earlier row.
func samePerson(rec *personRec, p *distans.Person, t *table) bool {
	q := rec.p
	return q.Name == p.Name && q.Email == p.Email && (!t.has(fPhone) || q.Phone == p.Phone) &&
		(p.PersonalNumber == "" || q.PersonalNumber == p.PersonalNumber) &&
		(p.Language == "" || q.Language == p.Language) && (p.EmployeeNumber == "" || q.EmployeeNumber == p.EmployeeNumber)
}

// empRec is an employment as the files want it.
type empRec struct {
	t    *table
	line int
	e    *distans.Employment
	old  *distans.Employment
}

var empCols = map[string]field{"unit_id": fUnit, "title": fTitle, "starts_on": fStart, "ends_on": fEnd}

func (c *checker) readEmployments() {
	type key struct {
		person string
		start  time.Time
	}
	existing := make(map[key]*distans.Employment, len(c.snap.Employments))
	for _, e := range c.snap.Employments {
		existing[key{e.PersonID, e.StartsOn}] = e
	}
	byKey := make(map[key]*empRec, c.rows[kEmployments])
	byPerson := make(map[string][]*empRec, c.rows[kEmployments])
	var order []string // people in the order the files name them
	for _, t := range c.tables {
		if !t.kinds[kEmployments] {
			continue
		}
		for _, r := range t.rows {
			pid, ok := c.personOf(t, r, fEmpNo)
			var unitID, siteID string
			okUnit := false
			if code := t.get(r, fUnit); code == "" {
				c.fail(t, r.line, fUnit, "Enhetens kod saknas.", "The unit's code is missing.")
			} else {
				unitID, okUnit = c.unitOf(t, r, fUnit, code)
			}
			ok = ok && okUnit
			if code := t.get(r, fSite); code != "" {
				var okSite bool
				siteID, okSite = c.siteOf(t, r, fSite, code)
				ok = ok && okSite
			}
			start, okStart := c.date(t, r, fStart)
			end, okEnd := c.date(t, r, fEnd)
			if start == nil && okStart {
				c.fail(t, r.line, fStart, "Startdatum saknas.", "The start date is missing.")
				okStart = false
			}
			if pid != "" {
				c.present[pid] = true
			}
			if !ok || !okStart || !okEnd {
				continue
			}
			k := key{pid, *start}
			if prev := byKey[k]; prev != nil {
				sv, en := where(prev.t, prev.line, t)
				c.fail(t, r.line, fStart, fmt.Sprintf("Personen har redan en anställning som börjar %s, på %s.", start.Format(time.DateOnly), sv),
					fmt.Sprintf("The person already has an employment starting %s, on %s.", start.Format(time.DateOnly), en))
				continue
			}
			rec := &empRec{t: t, line: r.line, old: existing[k]}
			if rec.old != nil {
				x := *rec.old
				rec.e = &x
			} else {
				rec.e = &distans.Employment{ID: newID(), PersonID: pid, StartsOn: *start}
			}
			e := rec.e
			e.OrganisationID, e.UnitID, e.Title = c.orgID, unitID, t.get(r, fTitle)
			if t.has(fSite) {
				e.SiteID = siteID
			}
			if t.has(fEnd) {
				e.EndsOn = end
			}
			if err := e.Validate(); err != nil {
				c.invalid(t, r.line, err, empCols)
				continue
			}
			byKey[k] = rec
			if byPerson[pid] == nil {
				order = append(order, pid)
			}
			byPerson[pid] = append(byPerson[pid], rec)
			c.emps = append(c.emps, rec)
		}
	}
	for _, pid := range order {
		recs := byPerson[pid]
		slices.SortFunc(recs, func(a, b *empRec) int { return a.e.StartsOn.Compare(b.e.StartsOn) })
		// Sorted by start, a period overlaps an earlier one exactly when
		// it starts on or before the latest end so far.
		var last *empRec
		for _, r := range recs {
			if last != nil && (last.e.EndsOn == nil || !r.e.StartsOn.After(*last.e.EndsOn)) {
				sv, en := where(last.t, last.line, r.t)
				c.fail(r.t, r.line, fStart, fmt.Sprintf("Anställningen överlappar personens anställning på %s.", sv),
					fmt.Sprintf("The employment overlaps the person's employment on %s.", en))
			}
			if last == nil || last.e.EndsOn != nil && (r.e.EndsOn == nil || r.e.EndsOn.After(*last.e.EndsOn)) {
				last = r
			}
		}
		c.endOverlapped(pid, recs)
	}
}

// endOverlapped ends the person's employments in the organisation that
// the files do not list and that a listed one overlaps: an HR system lists
// the employment someone moved to, not always the one they left. The old
// one ends the day before the new one starts. One that starts after the
// file's is not guessed at: it is an error.
func (c *checker) endOverlapped(pid string, recs []*empRec) {
	listed := map[string]bool{}
	for _, r := range recs {
		if r.old != nil {
			listed[r.old.ID] = true
		}
	}
	for _, s := range c.snapEmps[pid] {
		if listed[s.ID] {
			continue
		}
		i := slices.IndexFunc(recs, func(r *empRec) bool { return overlaps(s.StartsOn, s.EndsOn, r.e.StartsOn, r.e.EndsOn) })
		if i < 0 {
			continue
		}
		r := recs[i]
		if !s.StartsOn.Before(r.e.StartsOn) {
			to := "tills vidare"
			toEn := "open-ended"
			if s.EndsOn != nil {
				to, toEn = "till "+s.EndsOn.Format(time.DateOnly), "to "+s.EndsOn.Format(time.DateOnly)
			}
			c.fail(r.t, r.line, fStart, fmt.Sprintf("Anställningen överlappar personens anställning från %s %s, som finns i Distans men inte i filen.", s.StartsOn.Format(time.DateOnly), to),
				fmt.Sprintf("The employment overlaps the person's employment from %s %s, which is in Distans but not in the file.", s.StartsOn.Format(time.DateOnly), toEn))
			continue
		}
		x := *s
		end := r.e.StartsOn.AddDate(0, 0, -1)
		x.EndsOn = &end
		c.endedEmps = append(c.endedEmps, &x)
	}
}

// endMissing ends, for a full export, the current and future employments
// of everyone in the organisation whom no people or employment row names.
// Someone an employments file names is in the export even if a people file
// leaves them out: ending the employment the same files update would make
// no sense.
func (c *checker) endMissing() {
	if !c.opts.Full {
		return
	}
	hasPeople := false
	for _, t := range c.tables {
		hasPeople = hasPeople || t.kinds[kPeople]
	}
	if !hasPeople {
		c.errs = append(c.errs, distans.ImportRowError{
			Sv: "En fullständig export måste ha en fil med personer: annars skulle allas anställningar avslutas.",
			En: "A full export needs a file of people: otherwise everyone's employment would end."})
		return
	}
	on := distans.DateOf(*c.opts.EndMissingOn)
	for _, p := range c.snap.People {
		if c.present[p.ID] {
			continue
		}
		ends := false
		for _, e := range c.snapEmps[p.ID] {
			if !e.CurrentOn(c.today) && !e.StartsOn.After(c.today) {
				continue
			}
			end := on
			if end.Before(e.StartsOn) {
				// An employment cannot end before it starts, and an import
				// deletes nothing: one that starts after the end date ends
				// on its first day instead.
				end = e.StartsOn
			}
			if e.EndsOn != nil && !e.EndsOn.After(end) {
				continue // it ends by then anyway
			}
			x := *e
			x.EndsOn = &end
			c.endedEmps = append(c.endedEmps, &x)
			ends = true
		}
		if ends {
			c.sum.EndingTotal++
			c.sum.Ending = append(c.sum.Ending, distans.ImportEnding{PersonID: p.ID, Name: p.Name, EmployeeNumber: p.EmployeeNumber})
		}
	}
	// In Swedish order (Å, Ä, Ö after Z), as the administrator reads the list.
	slices.SortStableFunc(c.sum.Ending, func(a, b distans.ImportEnding) int {
		return strings.Compare(distans.SortKey(a.Name), distans.SortKey(b.Name))
	})
	if len(c.sum.Ending) > 1000 {
		c.sum.Ending = c.sum.Ending[:1000]
	}
}

// roleKey is a role as imports match it: who, what and where.
type roleKey struct {
	person string
	role   distans.Role
	unit   string
}

func (c *checker) readRoles() {
	for _, t := range c.tables {
		if !t.kinds[kRoles] {
			continue
		}
		c.rolesFile = true
		for _, r := range t.rows {
			pid, ok := c.personOf(t, r, fEmpNo)
			v := t.get(r, fRole)
			role, known := roleNames[fold(v)]
			if !known {
				c.fail(t, r.line, fRole, fmt.Sprintf("Okänd roll %q. Rollerna är: %s.", v, roleList("sv")),
					fmt.Sprintf("Unknown role %q. The roles are: %s.", v, roleList("en")))
				ok = false
			}
			var unitID string
			if code := t.get(r, fUnit); code != "" {
				var okUnit bool
				unitID, okUnit = c.unitOf(t, r, fUnit, code)
				ok = ok && okUnit
			}
			if !ok {
				continue
			}
			k := roleKey{pid, role, unitID}
			if !c.roleListed[k] {
				c.roleListed[k] = true
				c.roleKeys = append(c.roleKeys, k)
			}
		}
	}
}

func roleList(lang string) string {
	names := make([]string, len(distans.Roles))
	for i, r := range distans.Roles {
		names[i] = r.Label(lang)
	}
	return strings.Join(names, ", ")
}

// leaveRec is a leave as the files want it.
type leaveRec struct {
	t    *table
	line int
	l    *distans.Leave
	old  *distans.Leave
}

func (c *checker) readLeaves() {
	type key struct {
		person string
		kind   distans.LeaveKind
		start  time.Time
	}
	existing := map[key]*distans.Leave{}
	for _, l := range c.snap.Leaves {
		existing[key{l.PersonID, l.Kind, l.StartsOn}] = l
	}
	seen := map[key]*leaveRec{}
	cols := map[string]field{"kind": fKind, "starts_on": fStart, "ends_on": fEnd}
	for _, t := range c.tables {
		if !t.kinds[kLeave] {
			continue
		}
		for _, r := range t.rows {
			pid, ok := c.personOf(t, r, fEmpNo)
			v := t.get(r, fKind)
			lk, known := leaveKinds[fold(v)]
			if !known {
				c.fail(t, r.line, fKind, fmt.Sprintf("Okänd typ av ledighet %q: skriv föräldraledighet, studieledighet, tjänstledighet eller annan.", v),
					fmt.Sprintf("Unknown kind of leave %q: write föräldraledighet (parental), studieledighet (study), tjänstledighet (unpaid) or annan (other).", v))
				ok = false
			}
			start, okStart := c.date(t, r, fStart)
			end, okEnd := c.date(t, r, fEnd)
			if start == nil && okStart {
				c.fail(t, r.line, fStart, "Startdatum saknas.", "The start date is missing.")
				okStart = false
			}
			if !ok || !okStart || !okEnd {
				continue
			}
			k := key{pid, lk, *start}
			if prev := seen[k]; prev != nil {
				sv, en := where(prev.t, prev.line, t)
				c.fail(t, r.line, fStart, fmt.Sprintf("Samma ledighet finns redan på %s.", sv), fmt.Sprintf("The same leave is already on %s.", en))
				continue
			}
			rec := &leaveRec{t: t, line: r.line, old: existing[k]}
			if rec.old != nil {
				x := *rec.old
				rec.l = &x
			} else {
				rec.l = &distans.Leave{ID: newID(), PersonID: pid, Kind: lk, StartsOn: *start}
			}
			rec.l.OrganisationID = c.orgID
			if t.has(fEnd) {
				rec.l.EndsOn = end
			}
			if err := rec.l.Validate(); err != nil {
				c.invalid(t, r.line, err, cols)
				continue
			}
			seen[k] = rec
			c.leaves = append(c.leaves, rec)
		}
	}
}
