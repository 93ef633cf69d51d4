package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
)

// BenchmarkSCIMProvision provisions, through the SCIM service as an
// identity system does at its first sync, 10,000 users (each employed in
// one of 40 departments) and 200 groups of 50 members (20 of them mapped
// to a role), from 16 clients at once; then it looks users up by userName
// from 16 clients, as an identity system does before every change. Issue
// 13 asks for 500 operations/s sustained and a lookup p99 under 10 ms on
// PostgreSQL. Run it with:
//
//	DISTANS_TEST_POSTGRES=postgres://… go test ./internal/sqlstore -run '^$' -bench SCIMProvision -benchtime 1x
func BenchmarkSCIMProvision(b *testing.B) {
	const users, groups, perGroup, clients, lookups = 10_000, 200, 50, 16, 20_000
	benchStores(b, func(b *testing.B, s *Store) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			sys := distans.NewContext(context.Background(), distans.SystemActor(""))
			o := &distans.Organisation{Slug: fmt.Sprintf("scim-%d", i), Name: "Kristianstad", TimeZone: "Europe/Stockholm", Language: "sv"}
			if err := s.CreateOrganisation(sys, o); err != nil {
				b.Fatal(err)
			}
			octx := distans.NewContext(context.Background(), distans.SystemActor(o.ID))
			root := &distans.Unit{Name: "Kommunen", Kind: distans.UnitAdministration}
			if err := s.CreateUnit(octx, root); err != nil {
				b.Fatal(err)
			}
			for d := range 40 {
				u := &distans.Unit{ParentID: root.ID, Code: fmt.Sprintf("F%02d", d), Name: fmt.Sprintf("Förvaltning %d", d), Kind: distans.UnitDepartment}
				if err := s.CreateUnit(octx, u); err != nil {
					b.Fatal(err)
				}
			}
			for g := range 20 {
				if err := s.SaveSCIMGroupMapping(octx, &distans.SCIMGroupMapping{DisplayName: fmt.Sprintf("Grupp %03d", g), Role: distans.RoleSwitchboard}); err != nil {
					b.Fatal(err)
				}
			}
			secret, _, err := s.CreateSCIMToken(octx, "bench")
			if err != nil {
				b.Fatal(err)
			}
			a, err := s.AuthenticateSCIM(context.Background(), secret)
			if err != nil {
				b.Fatal(err)
			}
			ctx := distans.NewContext(context.Background(), a)
			ids := make([]string, users)
			b.StartTimer()

			start := time.Now()
			parallel(b, clients, users, func(k int) error {
				u := &distans.SCIMUser{UserName: fmt.Sprintf("user%05d@kristianstad.example.se", k), ExternalID: fmt.Sprintf("ext-%05d", k),
					GivenName: "Anna", FamilyName: fmt.Sprintf("Andersson %d", k), Title: "Handläggare",
					EmployeeNumber: fmt.Sprint(100000 + k), Department: fmt.Sprintf("F%02d", k%40), Active: true}
				if err := s.CreateUser(ctx, u); err != nil {
					return err
				}
				ids[k] = u.ID
				return nil
			})
			usersTook := time.Since(start)
			start = time.Now()
			parallel(b, clients, groups, func(g int) error {
				members := slices.Clone(ids[g*perGroup : (g+1)*perGroup])
				return s.CreateGroup(ctx, &distans.SCIMGroup{DisplayName: fmt.Sprintf("Grupp %03d", g), Members: members})
			})
			groupsTook := time.Since(start)
			b.StopTimer()

			lat := make([]time.Duration, lookups)
			start = time.Now()
			parallel(b, clients, lookups, func(k int) error {
				t0 := time.Now()
				got, n, err := s.ListUsers(ctx, distans.SCIMFilter{{Attr: "userName", Value: fmt.Sprintf("USER%05d@kristianstad.example.se", k%users)}}, 1, 100)
				lat[k] = time.Since(t0)
				if err == nil && (n != 1 || len(got) != 1) {
					err = fmt.Errorf("lookup %d: %d users", k, n)
				}
				return err
			})
			lookupTook := time.Since(start)
			slices.Sort(lat)
			ops := users + groups
			b.ReportMetric(float64(users)/usersTook.Seconds(), "users/s")
			b.ReportMetric(float64(groups)/groupsTook.Seconds(), "groups/s")
			b.ReportMetric(float64(ops)/(usersTook+groupsTook).Seconds(), "ops/s")
			b.ReportMetric(float64(lookups)/lookupTook.Seconds(), "lookups/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50-lookup")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99-lookup")
			if _, n, err := s.ListUsers(ctx, nil, 1, 1); err != nil || n != users {
				b.Fatalf("%d users, %v", n, err)
			}
			var granted int
			if err := s.rdb.QueryRow(`SELECT COUNT(*) FROM role_assignments WHERE organisation_id = $1 AND source = 'scim' AND ended_at IS NULL`,
				o.ID).Scan(&granted); err != nil || granted != 20*perGroup {
				b.Fatalf("%d roles granted, %v", granted, err)
			}
		}
	})
}

// parallel runs fn(0) … fn(n-1) on the given number of goroutines and
// fails the benchmark on the first error.
func parallel(b *testing.B, workers, n int, fn func(k int) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var first atomic.Value
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				if err := fn(k); err != nil {
					first.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := first.Load().(error); err != nil {
		b.Fatal(err)
	}
}
