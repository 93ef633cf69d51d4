package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

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
