package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// AgreementNumberRace: two instances take requests at once, from
// employees and from the managers their requests notify. Every request is
// answered without an error (a deadlock or serialization failure is retried
// inside the store) and the registration numbers are unique and
// consecutive.
func AgreementNumberRace(t *testing.T, s *sqlstore.Store) {
	org := NewOrg(t, s, "nummer")
	o := org.ID
	root := NewUnit(t, s, o, "", "Förvaltningen", distans.UnitAdministration)
	var people []*distans.Person
	for u := range 4 {
		unit := NewUnit(t, s, o, root.ID, fmt.Sprintf("Enhet %d", u), distans.UnitSection)
		chef := NewPerson(t, s, o, fmt.Sprintf("Chef %d", u), unit.ID)
		Assign(t, s, chef, distans.RoleManager, unit.ID)
		people = append(people, chef)
		for e := range 8 {
			people = append(people, NewPerson(t, s, o, fmt.Sprintf("Medarbetare %d %d", u, e), unit.ID))
		}
	}
	boss := NewPerson(t, s, o, "Bo Direktör", root.ID)
	Assign(t, s, boss, distans.RoleManager, root.ID)
	people = append(people, boss)

	stores := []*sqlstore.Store{s, Twin(t, s)}
	ctxs := make([]context.Context, len(people))
	for i, p := range people {
		ctxs[i] = As(t, s, p)
	}
	numbers := make([]string, len(people))
	errs := make([]error, len(people))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range people {
		wg.Go(func() {
			<-start
			a := &distans.Agreement{Request: *agrRequest(agrToday())}
			errs[i] = stores[i%2].CreateAgreement(ctxs[i], a)
			numbers[i] = a.Number
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request of %s: %v", people[i].Name, err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	year := agrToday().Year()
	var want []string
	for n := 1; n <= len(people); n++ {
		want = append(want, fmt.Sprintf("DIST %d/%04d", year, n))
	}
	slices.Sort(numbers)
	if !slices.Equal(numbers, want) {
		t.Fatalf("numbers = %v, want %v", numbers, want)
	}
}

// updateRace is one resource of UpdateRaces: two changes of different
// fields of one record, made at once, and the check that both stand.
type updateRace struct {
	name  string
	a, b  func(round int) error
	check func(round int) error
}

// UpdateRaces: two changes of different fields of one record, made at
// once, both stand: each update reads the record in the transaction that
// writes it. A change made on an older read (UpdatedAt, Version) is
// refused, never saved over the other.
func UpdateRaces(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	a := w.A.ID
	admin := As(t, s, w.Admin)
	doc := &distans.PolicyDocument{Title: "Riktlinjer", Body: "Version 1."}
	Must(t, s.PublishDocument(admin, doc))

	mismatch := func(what string, got, want any) error {
		if got != want {
			return fmt.Errorf("%s = %v, want %v: a change was lost", what, got, want)
		}
		return nil
	}
	kinds := []distans.UnitKind{distans.UnitDepartment, distans.UnitSection}
	sites := []string{w.Site.ID, ""}
	zones := []string{"Europe/Helsinki", "Europe/Stockholm"}
	races := []updateRace{
		{"site",
			func(i int) error {
				_, err := s.UpdateSite(admin, w.Site.ID, distans.SiteUpdate{Name: ptr(fmt.Sprintf("Plats %d", i))})
				return err
			},
			func(i int) error {
				_, err := s.UpdateSite(admin, w.Site.ID, distans.SiteUpdate{City: ptr(fmt.Sprintf("Stad %d", i))})
				return err
			},
			func(i int) error {
				x, err := s.FindSite(admin, w.Site.ID)
				if err != nil {
					return err
				}
				return errors.Join(mismatch("name", x.Name, fmt.Sprintf("Plats %d", i)), mismatch("city", x.City, fmt.Sprintf("Stad %d", i)))
			}},
		{"unit",
			func(i int) error {
				_, err := s.UpdateUnit(admin, w.Y.ID, distans.UnitUpdate{Name: ptr(fmt.Sprintf("Avdelning %d", i))})
				return err
			},
			func(i int) error {
				_, err := s.UpdateUnit(admin, w.Y.ID, distans.UnitUpdate{Kind: &kinds[i%2]})
				return err
			},
			func(i int) error {
				x, err := s.FindUnit(admin, w.Y.ID)
				if err != nil {
					return err
				}
				return errors.Join(mismatch("name", x.Name, fmt.Sprintf("Avdelning %d", i)), mismatch("kind", x.Kind, kinds[i%2]))
			}},
		{"person",
			func(i int) error {
				_, err := s.UpdatePerson(admin, w.EmpY.ID, distans.PersonUpdate{Phone: ptr(fmt.Sprintf("0932-%d", 10000+i))})
				return err
			},
			func(i int) error {
				_, err := s.UpdatePerson(admin, w.EmpY.ID, distans.PersonUpdate{EmployeeNumber: ptr(fmt.Sprintf("A-%d", i))})
				return err
			},
			func(i int) error {
				x, err := s.FindPerson(admin, w.EmpY.ID)
				if err != nil {
					return err
				}
				return errors.Join(mismatch("phone", x.Phone, fmt.Sprintf("0932-%d", 10000+i)),
					mismatch("employee number", x.EmployeeNumber, fmt.Sprintf("A-%d", i)))
			}},
		{"employment",
			func(i int) error {
				_, err := s.UpdateEmployment(admin, w.EmpX1Employment.ID, distans.EmploymentUpdate{Title: ptr(fmt.Sprintf("Titel %d", i))})
				return err
			},
			func(i int) error {
				_, err := s.UpdateEmployment(admin, w.EmpX1Employment.ID, distans.EmploymentUpdate{SiteID: &sites[i%2]})
				return err
			},
			func(i int) error {
				x, err := s.FindEmployment(admin, w.EmpX1Employment.ID)
				if err != nil {
					return err
				}
				return errors.Join(mismatch("title", x.Title, fmt.Sprintf("Titel %d", i)), mismatch("site", x.SiteID, sites[i%2]))
			}},
		{"organisation",
			func(i int) error {
				_, err := s.UpdateOrganisation(admin, a, distans.OrganisationUpdate{Name: ptr(fmt.Sprintf("Kommun %d", i))})
				return err
			},
			func(i int) error {
				_, err := s.UpdateOrganisation(admin, a, distans.OrganisationUpdate{TimeZone: ptr(zones[i%2])})
				return err
			},
			func(i int) error {
				x, err := s.FindOrganisationByID(admin, a)
				if err != nil {
					return err
				}
				return errors.Join(mismatch("name", x.Name, fmt.Sprintf("Kommun %d", i)), mismatch("time zone", x.TimeZone, zones[i%2]))
			}},
		{"document",
			func(i int) error {
				_, err := s.PublishDocumentVersion(admin, doc.ID, distans.DocumentUpdate{Title: ptr(fmt.Sprintf("Riktlinjer %d", i)), Body: "Ny titel."})
				return err
			},
			func(i int) error {
				_, err := s.PublishDocumentVersion(admin, doc.ID, distans.DocumentUpdate{Required: ptr(i%2 == 0), Body: "Nytt krav."})
				return err
			},
			func(i int) error {
				x, err := s.FindDocument(admin, doc.ID, 0)
				if err != nil {
					return err
				}
				return errors.Join(mismatch("title", x.Title, fmt.Sprintf("Riktlinjer %d", i)), mismatch("required", x.Required, i%2 == 0),
					mismatch("version", x.Version, 1+2*(i+1)))
			}},
	}
	for _, r := range races {
		t.Run(r.name, func(t *testing.T) {
			for i := range 10 {
				var errA, errB error
				start := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() { <-start; errA = r.a(i) })
				wg.Go(func() { <-start; errB = r.b(i) })
				close(start)
				wg.Wait()
				Must(t, errors.Join(errA, errB))
				if err := r.check(i); err != nil {
					t.Fatalf("round %d: %v", i, err)
				}
			}
		})
	}

	// Every change above moved the records on: a change made on what the
	// World read at the start is refused and changes nothing.
	old := func(t time.Time) *time.Time { return &t }
	stale := map[string]error{}
	_, stale["site"] = s.UpdateSite(admin, w.Site.ID, distans.SiteUpdate{Name: ptr("Gammal"), UpdatedAt: old(w.Site.UpdatedAt)})
	_, stale["unit"] = s.UpdateUnit(admin, w.Y.ID, distans.UnitUpdate{Name: ptr("Gammal"), UpdatedAt: old(w.Y.UpdatedAt)})
	_, stale["person"] = s.UpdatePerson(admin, w.EmpY.ID, distans.PersonUpdate{Name: ptr("Gammal"), UpdatedAt: old(w.EmpY.UpdatedAt)})
	_, stale["employment"] = s.UpdateEmployment(admin, w.EmpX1Employment.ID, distans.EmploymentUpdate{Title: ptr("Gammal"),
		UpdatedAt: old(w.EmpX1Employment.UpdatedAt)})
	_, stale["organisation"] = s.UpdateOrganisation(admin, a, distans.OrganisationUpdate{Name: ptr("Gammal"), UpdatedAt: old(w.A.UpdatedAt)})
	_, stale["document"] = s.PublishDocumentVersion(admin, doc.ID, distans.DocumentUpdate{Title: ptr("Gammal"), Body: "B", Version: 1})
	for name, err := range stale {
		if distans.ErrorCode(err) != distans.ECONFLICT {
			t.Errorf("%s changed on an older read: %v, want conflict", name, err)
		}
	}
	for _, r := range races {
		if err := r.check(9); err != nil {
			t.Errorf("%s after the refused changes: %v", r.name, err)
		}
	}
}
