package storetest

import (
	"fmt"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// ReportWorld is an organisation with small groups, for the reports and
// the attack on the union's suppression: a kommun with two förvaltningar,
// three units below them of 1, 3 and 7 people, a few people placed
// directly in each level, active agreements in some units with
// follow-ups rated and not, and a second organisation whose data must
// never be counted.
type ReportWorld struct {
	Org, Other       *distans.Organisation
	Top, A, B        *distans.Unit
	A1, A2, B1       *distans.Unit
	HR, ChefA, Union *distans.Person
	People           map[string][]*distans.Person // by unit ID
	Active           map[string]int               // active agreements by unit ID
	OtherActive      int
}

// NewReportWorld builds it.
func NewReportWorld(t testing.TB, s *sqlstore.Store) *ReportWorld {
	t.Helper()
	w := &ReportWorld{People: map[string][]*distans.Person{}, Active: map[string]int{}}
	w.Org = NewOrg(t, s, "rapport")
	w.Other = NewOrg(t, s, "annan")
	o := w.Org.ID
	w.Top = NewUnit(t, s, o, "", "Kommunen", distans.UnitAdministration)
	w.A = NewUnit(t, s, o, w.Top.ID, "Förvaltning A", distans.UnitDepartment)
	w.B = NewUnit(t, s, o, w.Top.ID, "Förvaltning B", distans.UnitDepartment)
	w.A1 = NewUnit(t, s, o, w.A.ID, "Enhet A1", distans.UnitSection)
	w.A2 = NewUnit(t, s, o, w.A.ID, "Enhet A2", distans.UnitSection)
	w.B1 = NewUnit(t, s, o, w.B.ID, "Enhet B1", distans.UnitSection)
	w.HR = NewPerson(t, s, o, "Hanna HR", w.Top.ID)
	Assign(t, s, w.HR, distans.RoleHR, "")
	w.ChefA = NewPerson(t, s, o, "Carl Chef", w.A.ID)
	Assign(t, s, w.ChefA, distans.RoleManager, w.A.ID)
	w.Union = NewPerson(t, s, o, "Ulla Facklig", w.Top.ID)
	Assign(t, s, w.Union, distans.RoleUnion, "")
	w.People[w.Top.ID] = []*distans.Person{w.HR, w.Union}
	w.People[w.A.ID] = []*distans.Person{w.ChefA}
	sizes := []struct {
		u      *distans.Unit
		n, act int
	}{{w.Top, 2, 1}, {w.A, 2, 1}, {w.A1, 1, 1}, {w.A2, 3, 2}, {w.B, 1, 0}, {w.B1, 7, 4}}
	today := agrToday()
	for _, sz := range sizes {
		for i := range sz.n {
			p := NewPerson(t, s, o, fmt.Sprintf("Person %s %d", sz.u.Name, i), sz.u.ID)
			w.People[sz.u.ID] = append(w.People[sz.u.ID], p)
			if i < sz.act {
				importActive(t, s, p, w.ChefA, today.AddDate(0, -2, 0), today.AddDate(0, 0, 20+i*30), today.AddDate(0, 0, -1+i))
				w.Active[sz.u.ID]++
			}
		}
	}
	// The other organisation: agreements that must never be counted.
	ou := NewUnit(t, s, w.Other.ID, "", "Annan kommun", distans.UnitAdministration)
	for i := range 6 {
		p := NewPerson(t, s, w.Other.ID, fmt.Sprintf("Annan %d", i), ou.ID)
		importActive(t, s, p, p, today.AddDate(0, -1, 0), today.AddDate(0, 3, 0), today.AddDate(0, 1, 0))
		w.OtherActive++
	}
	return w
}
