package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// World is two organisations with units, people and roles, the setting of
// most tests:
//
//	A: Root (förvaltning)
//	   ├── X (avdelning, manager ChefX) ── X1 (enhet)
//	   └── Y (avdelning)
//	   people: Admin (administrator, org-wide), HRX (hr in X), ChefX,
//	   Switchboard (vaxel, org-wide), EmpX1 (in X1), EmpY (in Y)
//	B: RootB; AdminB (administrator, org-wide), EmpB (in RootB)
type World struct {
	S                                           *sqlstore.Store
	A, B                                        *distans.Organisation
	Root, X, X1, Y, RootB                       *distans.Unit
	Site, SiteB                                 *distans.Site
	Admin, HRX, ChefX, Switchboard, EmpX1, EmpY *distans.Person
	AdminB, EmpB                                *distans.Person
	EmpX1Employment, EmpBEmployment             *distans.Employment
}

// Day returns a date at midnight UTC.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// ptr returns a pointer to v, for the optional fields of updates.
func ptr[T any](v T) *T { return &v }

// Must fails the test on an error.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// As returns a context acting as the person, with the grants the store
// gives them.
func As(t testing.TB, s *sqlstore.Store, p *distans.Person) context.Context {
	t.Helper()
	grants, err := s.Grants(context.Background(), p.OrganisationID, p.ID)
	Must(t, err)
	return distans.NewContext(context.Background(), &distans.Actor{
		OrganisationID: p.OrganisationID, PersonID: p.ID, Name: p.Name, Grants: grants,
	})
}

// System returns a context acting as the system in the organisation.
func System(orgID string) context.Context {
	return distans.NewContext(context.Background(), distans.SystemActor(orgID))
}

// NewOrg creates an organisation as the system.
func NewOrg(t testing.TB, s *sqlstore.Store, slug string) *distans.Organisation {
	t.Helper()
	o := &distans.Organisation{Slug: slug, Name: "Org " + slug, TimeZone: "Europe/Stockholm", Language: "sv"}
	Must(t, s.CreateOrganisation(System(""), o))
	return o
}

// NewUnit creates a unit as the system.
func NewUnit(t testing.TB, s *sqlstore.Store, orgID, parentID, name string, kind distans.UnitKind) *distans.Unit {
	t.Helper()
	u := &distans.Unit{Name: name, Kind: kind, ParentID: parentID}
	Must(t, s.CreateUnit(System(orgID), u))
	return u
}

// NewPerson creates a person as the system, employed in unitID (if set)
// since 2020.
func NewPerson(t testing.TB, s *sqlstore.Store, orgID, name, unitID string) *distans.Person {
	t.Helper()
	p := &distans.Person{Name: name, Email: fmt.Sprintf("%s.%s@example.se", slugify(name), orgID[len(orgID)-6:])}
	Must(t, s.CreatePerson(System(orgID), p))
	if unitID != "" {
		e := &distans.Employment{PersonID: p.ID, UnitID: unitID, Title: "Handläggare", StartsOn: Day(2020, 1, 1)}
		Must(t, s.CreateEmployment(System(orgID), e))
	}
	p, err := s.FindPerson(System(orgID), p.ID)
	Must(t, err)
	return p
}

func slugify(s string) string {
	b := []rune{}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b = append(b, r)
		case r >= 'A' && r <= 'Z':
			b = append(b, r+'a'-'A')
		}
	}
	return string(b)
}

// Assign gives the person a role as the system.
func Assign(t testing.TB, s *sqlstore.Store, p *distans.Person, role distans.Role, unitID string) *distans.RoleAssignment {
	t.Helper()
	r := &distans.RoleAssignment{PersonID: p.ID, Role: role, UnitID: unitID}
	Must(t, s.AssignRole(System(p.OrganisationID), r))
	return r
}

// NewWorld builds the World.
func NewWorld(t testing.TB, s *sqlstore.Store) *World {
	t.Helper()
	w := &World{S: s}
	w.A = NewOrg(t, s, "alfa")
	w.B = NewOrg(t, s, "beta")
	a, b := w.A.ID, w.B.ID
	w.Root = NewUnit(t, s, a, "", "Förvaltningen", distans.UnitAdministration)
	w.X = NewUnit(t, s, a, w.Root.ID, "Avdelning X", distans.UnitDepartment)
	w.X1 = NewUnit(t, s, a, w.X.ID, "Enhet X1", distans.UnitSection)
	w.Y = NewUnit(t, s, a, w.Root.ID, "Avdelning Y", distans.UnitDepartment)
	w.RootB = NewUnit(t, s, b, "", "Beta förvaltning", distans.UnitAdministration)
	w.Site = &distans.Site{Name: "Stadshuset", Kind: distans.SiteMain, City: "Bjurholm", PostalCode: "916 31"}
	Must(t, s.CreateSite(System(a), w.Site))
	w.SiteB = &distans.Site{Name: "Betahuset", Kind: distans.SiteMain}
	Must(t, s.CreateSite(System(b), w.SiteB))

	w.Admin = NewPerson(t, s, a, "Ada Admin", w.Root.ID)
	w.HRX = NewPerson(t, s, a, "Hugo HR", w.X.ID)
	w.ChefX = NewPerson(t, s, a, "Cecilia Chef", w.X.ID)
	w.Switchboard = NewPerson(t, s, a, "Sven Växel", w.Root.ID)
	w.EmpX1 = NewPerson(t, s, a, "Åsa Öberg", w.X1.ID)
	w.EmpY = NewPerson(t, s, a, "Yngve Ystad", w.Y.ID)
	w.AdminB = NewPerson(t, s, b, "Bodil Admin", w.RootB.ID)
	w.EmpB = NewPerson(t, s, b, "Bertil Beta", w.RootB.ID)

	Assign(t, s, w.Admin, distans.RoleAdmin, "")
	Assign(t, s, w.HRX, distans.RoleHR, w.X.ID)
	Assign(t, s, w.Switchboard, distans.RoleSwitchboard, "")
	Assign(t, s, w.AdminB, distans.RoleAdmin, "")
	x, err := s.UpdateUnit(System(a), w.X.ID, distans.UnitUpdate{ManagerID: &w.ChefX.ID})
	Must(t, err)
	w.X = x

	emps, err := s.ListEmployments(System(a), w.EmpX1.ID)
	Must(t, err)
	w.EmpX1Employment = emps[0]
	emps, err = s.ListEmployments(System(b), w.EmpB.ID)
	Must(t, err)
	w.EmpBEmployment = emps[0]
	return w
}
