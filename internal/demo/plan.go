package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/distans/distans"
)

// A plan is everything one demo organisation should hold, worked out from
// its spec and a random source seeded by its slug, without touching a store.
// The same spec always gives the same plan, so every installation shows the
// same people; Load then creates whatever of the plan is missing.
type plan struct {
	spec   *orgSpec
	units  []plannedUnit // parents before children
	people []plannedPerson
}

type plannedUnit struct {
	Name         string
	Kind         distans.UnitKind
	Parent       int // index in plan.units, -1 for a förvaltning
	Site         string
	Titles       []string
	ManagerTitle string
	Manager      int // index in plan.people
	Leaf         bool
}

type plannedPerson struct {
	Name           string
	Email          string
	Phone          string
	EmployeeNumber string
	PersonalNumber string
	Language       string
	Unit           int // index in plan.units
	Title          string
	Site           string
	StartsOn       time.Time
	Leave          *plannedLeave
	Role           distans.Role // the demo account's role; "" for everyone else
	Account        bool         // a demo account: gets the demo password
}

// plannedLeave is a period of leave in whole months from the first of the
// month in which Load runs, so that the demo always shows people who are
// away today.
type plannedLeave struct {
	Kind       distans.LeaveKind
	FromMonths int // negative: started that many months ago
	ToMonths   int // months from now; 0 for an open end
}

const seed = 20260101 // changing it changes every demo person

// newPlan works out the plan of one organisation.
func newPlan(spec *orgSpec) *plan {
	h := fnv.New64a()
	h.Write([]byte(spec.Slug))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	p := &plan{spec: spec}

	var add func(u unitSpec, depth, parent int, site string, titles []string)
	add = func(u unitSpec, depth, parent int, site string, titles []string) {
		if u.Site != "" {
			site = u.Site
		}
		if len(u.Titles) > 0 {
			titles = u.Titles
		}
		kinds := []distans.UnitKind{distans.UnitAdministration, distans.UnitDepartment, distans.UnitSection}
		mt := u.ManagerTitle
		if mt == "" {
			mt = []string{"Förvaltningschef", "Avdelningschef", "Enhetschef"}[depth]
		}
		p.units = append(p.units, plannedUnit{Name: u.Name, Kind: kinds[depth], Parent: parent, Site: site,
			Titles: titles, ManagerTitle: mt, Manager: -1, Leaf: len(u.Children) == 0})
		me := len(p.units) - 1
		for _, c := range u.Children {
			add(c, depth+1, me, site, titles)
		}
	}
	for _, u := range spec.Units {
		add(u, 0, -1, spec.Sites[0].Name, defaultTitles)
	}

	emails := map[string]bool{}
	newPerson := func(name, email string, unit int, title string) *plannedPerson {
		emails[email] = true
		p.people = append(p.people, plannedPerson{
			Name: name, Email: email, Language: "sv", Unit: unit, Title: title,
			Site: p.units[unit].Site,
		})
		return &p.people[len(p.people)-1]
	}
	generated := func(unit int, title string) *plannedPerson {
		name := PersonName(r)
		local := emailLocal(name)
		email := local + "@" + spec.Slug + ".example"
		for i := 2; emails[email]; i++ {
			email = fmt.Sprintf("%s%d@%s.example", local, i, spec.Slug)
		}
		return newPerson(name, email, unit, title)
	}

	// The demo accounts first, one per role.
	chefUnit := p.unitIndex(spec.ChefUnit)
	for _, role := range distans.Roles {
		unit, title := p.unitIndex(spec.StaffUnit), accountTitles[role]
		switch role {
		case distans.RoleManager:
			unit, title = chefUnit, p.units[chefUnit].ManagerTitle
		case distans.RoleEmployee:
			unit = chefUnit
			title = p.units[chefUnit].Titles[0]
		default:
			if name, ok := spec.AccountUnits[role]; ok {
				unit = p.unitIndex(name)
			}
		}
		a := newPerson(PersonName(r), AccountEmail(spec.Slug, role), unit, title)
		a.Role, a.Account = role, true
		if role == distans.RoleManager {
			p.units[unit].Manager = len(p.people) - 1
		}
	}
	if name, ok := shared.Units[spec.Slug]; ok {
		a := newPerson(shared.Name, shared.Email, p.unitIndex(name), shared.Title)
		a.Role, a.Account = distans.RoleIT, true
	}

	// A manager for every unit, then staff spread over the units, most of
	// them in the enheter.
	for i := range p.units {
		if p.units[i].Manager < 0 {
			generated(i, p.units[i].ManagerTitle)
			p.units[i].Manager = len(p.people) - 1
		}
	}
	var weights []int
	total := 0
	for _, u := range p.units {
		w := 1
		if u.Leaf {
			w = 4
		}
		weights = append(weights, w)
		total += w
	}
	for len(p.people) < spec.People {
		n := r.IntN(total)
		unit := 0
		for n >= weights[unit] {
			n -= weights[unit]
			unit++
		}
		t := p.units[unit].Titles
		generated(unit, t[r.IntN(len(t))])
	}

	// Details: a start date after the 21st birthday, phone numbers, employee
	// numbers, personal identity numbers, English as the language of a few,
	// and leave for some.
	for i := range p.people {
		q := &p.people[i]
		born := 1960 + r.IntN(42)
		first := max(born+21, 1995)
		q.StartsOn = time.Date(first+r.IntN(2026-first), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		if r.IntN(10) < 8 {
			q.Phone = fictionalPhone(r)
		}
		if r.IntN(10) < 7 {
			q.EmployeeNumber = fmt.Sprintf("%05d", 10000+i*3+r.IntN(3))
		}
		if r.IntN(10) < 6 {
			q.PersonalNumber = personalNumber(r, born)
		}
		if r.IntN(30) == 0 {
			q.Language = "en"
		}
		if !q.Account && q.Title != p.units[q.Unit].ManagerTitle && r.IntN(20) == 0 {
			q.Leave = randomLeave(r)
		}
	}
	return p
}

// unitIndex returns the index of the unit named name; the names in a spec
// are unique (a test checks), and a missing name is a bug in the spec.
func (p *plan) unitIndex(name string) int {
	for i, u := range p.units {
		if u.Name == name {
			return i
		}
	}
	panic("demo: no unit " + name + " in " + p.spec.Slug)
}

var accountTitles = map[distans.Role]string{
	distans.RoleHR:          "HR-specialist",
	distans.RoleIT:          "IT-samordnare",
	distans.RoleSecurity:    "Informationssäkerhetssamordnare",
	distans.RoleDPO:         "Dataskyddsombud",
	distans.RoleSwitchboard: "Växeltelefonist",
	distans.RoleRegistrar:   "Registrator",
	distans.RoleLeadership:  "Biträdande förvaltningschef",
	distans.RoleUnion:       "Huvudskyddsombud",
	distans.RoleAdmin:       "Systemförvaltare",
}

// fictionalPhone returns a number in the series 070-174 06 05 … 070-174 06 99
// that the Swedish Post and Telecom Authority keeps for use in fiction, so
// that no demo number reaches a real subscriber.
func fictionalPhone(r *rand.Rand) string {
	return fmt.Sprintf("070-174 06 %02d", 5+r.IntN(95))
}

// personalNumber returns a made-up personnummer, YYYYMMDD-NNNC, of someone
// born in year y, with a valid check digit.
func personalNumber(r *rand.Rand, y int) string {
	m, d := 1+r.IntN(12), 1+r.IntN(28)
	nine := fmt.Sprintf("%02d%02d%02d%03d", y%100, m, d, r.IntN(1000))
	return fmt.Sprintf("%d%02d%02d-%s%d", y, m, d, nine[6:], luhnCheck(nine))
}

// luhnCheck returns the check digit that completes digits (the nine digits
// YYMMDDNNN) under the Luhn algorithm that personnummer use.
func luhnCheck(digits string) int {
	sum := 0
	for i, c := range digits {
		d := int(c - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

func randomLeave(r *rand.Rand) *plannedLeave {
	switch r.IntN(5) {
	case 0, 1:
		return &plannedLeave{Kind: distans.LeaveParental, FromMonths: -1 - r.IntN(5), ToMonths: 2 + r.IntN(7)}
	case 2:
		return &plannedLeave{Kind: distans.LeaveStudy, FromMonths: -r.IntN(3), ToMonths: 3 + r.IntN(4)}
	case 3:
		// Longer than a year: Sorsele's policy (004) asks for equipment back.
		return &plannedLeave{Kind: distans.LeaveUnpaid, FromMonths: -2, ToMonths: 12 + r.IntN(4)}
	default:
		return &plannedLeave{Kind: distans.LeaveOther, FromMonths: 1 + r.IntN(2), ToMonths: 3 + r.IntN(2)}
	}
}
