package sqlstore

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
)

// importPlan50k builds, in memory, the plan of a first import of a large
// municipality into organisation orgID: 50,000 people, each employed in one
// of 2,041 units (a root, 40 departments of 50 sections), with a manager in
// every unit, 40 sites, 3,000 roles and 2,000 leaves.
func importPlan50k(orgID string) *distans.ImportPlan { return importPlan(orgID, 50_000) }

// importPlan is importPlan50k with the given number of people.
func importPlan(orgID string, people int) *distans.ImportPlan {
	const depts, sections, sites = 40, 50, 40
	roles, leaves := people*3/50, people/25
	p := &distans.ImportPlan{}
	for i := range sites {
		p.CreateSites = append(p.CreateSites, &distans.Site{ID: fmt.Sprintf("site-%03d", i), OrganisationID: orgID,
			Code: fmt.Sprintf("AP%03d", i), Name: fmt.Sprintf("Arbetsplats %d", i), Kind: distans.SiteMain,
			Street: fmt.Sprintf("Storgatan %d", i+1), PostalCode: "291 31", City: "Kristianstad"})
	}
	root := &distans.Unit{ID: "unit-root", OrganisationID: orgID, Code: "1", Name: "Kommunen", Kind: distans.UnitAdministration}
	p.CreateUnits = append(p.CreateUnits, root)
	var leavesUnits []*distans.Unit
	for d := range depts {
		dept := &distans.Unit{ID: fmt.Sprintf("unit-%02d", d), OrganisationID: orgID, Code: fmt.Sprintf("1%02d", d),
			Name: fmt.Sprintf("Förvaltning %d", d), Kind: distans.UnitDepartment, ParentID: root.ID}
		p.CreateUnits = append(p.CreateUnits, dept)
		for s := range sections {
			u := &distans.Unit{ID: fmt.Sprintf("unit-%02d-%02d", d, s), OrganisationID: orgID, Code: fmt.Sprintf("1%02d%02d", d, s),
				Name: fmt.Sprintf("Enhet %d.%d", d, s), Kind: distans.UnitSection, ParentID: dept.ID}
			p.CreateUnits = append(p.CreateUnits, u)
			leavesUnits = append(leavesUnits, u)
		}
	}
	first := []string{"Anna", "Åsa", "Erik", "Örjan", "Karin", "Lars", "Märta", "Nils", "Eva", "Björn", "Sofia", "Johan", "Maja", "Ali", "Fatima"}
	last := []string{"Andersson", "Öberg", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Ström", "Åberg", "Lindqvist", "Hassan"}
	titles := []string{"Undersköterska", "Lärare", "Förskollärare", "Socialsekreterare", "Handläggare", "Vårdbiträde", "Ekonom", "Elevassistent"}
	for i := range people {
		pr := &distans.Person{ID: fmt.Sprintf("person-%05d", i), OrganisationID: orgID,
			Name:           first[i%len(first)] + " " + last[(i/len(first))%len(last)] + " " + strconv.Itoa(i),
			Email:          fmt.Sprintf("person.%05d@kristianstad.example.se", i),
			EmployeeNumber: strconv.Itoa(100000 + i), Language: "sv"}
		if i%2 == 0 {
			pr.PersonalNumber = personalNumber(i)
		}
		p.CreatePeople = append(p.CreatePeople, pr)
		u := leavesUnits[i%len(leavesUnits)]
		e := &distans.Employment{ID: fmt.Sprintf("emp-%05d", i), OrganisationID: orgID, PersonID: pr.ID, UnitID: u.ID,
			Title: titles[i%len(titles)], SiteID: p.CreateSites[i%sites].ID, StartsOn: time.Date(2000+i%25, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC)}
		if i%50 == 49 { // some have left
			e.EndsOn = ptrTime(e.StartsOn.AddDate(1, 0, 0))
		}
		p.CreateEmployments = append(p.CreateEmployments, e)
	}
	// A manager in every unit: a person employed there, or anyone for the
	// root and the departments.
	for i, u := range p.CreateUnits {
		u.ManagerID = p.CreatePeople[(i*7919)%people].ID
	}
	kinds := []distans.Role{distans.RoleHR, distans.RoleIT, distans.RoleRegistrar, distans.RoleUnion, distans.RoleSwitchboard}
	for i := range roles {
		r := &distans.RoleAssignment{ID: fmt.Sprintf("role-%04d", i), OrganisationID: orgID, PersonID: p.CreatePeople[(i*31)%people].ID,
			Role: kinds[i%len(kinds)], Source: distans.RoleSourceImport}
		if r.Role != distans.RoleSwitchboard {
			r.UnitID = p.CreateUnits[1+i%(len(p.CreateUnits)-1)].ID
		}
		p.CreateRoles = append(p.CreateRoles, r)
	}
	for i := range leaves {
		p.CreateLeaves = append(p.CreateLeaves, &distans.Leave{ID: fmt.Sprintf("leave-%04d", i), OrganisationID: orgID,
			PersonID: p.CreatePeople[i*13].ID, Kind: distans.LeaveParental, StartsOn: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)})
	}
	p.Summary = distans.ImportSummary{Rows: people*2 + len(p.CreateUnits) + sites + roles + leaves}
	return p
}

func ptrTime(t time.Time) *time.Time { return &t }

// personalNumber is a valid personnummer (check digit included) for i.
func personalNumber(i int) string {
	nine := fmt.Sprintf("%02d%02d%02d%03d", 50+i%50, 1+i%12, 1+i%28, i%1000)
	sum := 0
	for k, r := range nine {
		d := int(r - '0')
		if k%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return "19" + nine[:6] + "-" + nine[6:] + strconv.Itoa((10-sum%10)%10)
}

// peakHeap samples the heap in use until stopped and returns the largest.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// peakRSS is the process's peak resident memory (VmHWM), in bytes; 0 where
// /proc does not tell.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// BenchmarkApplyImport50k applies importPlan50k into a fresh organisation,
// then applies an empty plan to it, as a re-import of the same files does
// (it reads the snapshot and writes only the import's own row and event).
// Run one at a time:
//
//	go test ./internal/sqlstore/ -run '^$' -bench ApplyImport50k -benchtime 1x -benchmem
//
// with DISTANS_TEST_POSTGRES set for PostgreSQL too. Metrics: the first
// apply's time (ns/op, s/apply), the empty re-apply's (s/reapply), the Go
// heap's peak during the apply (MB-heap), the process's peak resident
// memory (MB-rss, SQLite's page cache included when it runs in-process),
// and the records and audit events written.
// benchImport makes a new organisation and an import in it waiting to be
// applied, with the context of the organisation's system.
func benchImport(b *testing.B, s *Store, slug string) (*distans.Organisation, context.Context, *distans.Import) {
	b.Helper()
	sys := distans.NewContext(context.Background(), distans.SystemActor(""))
	o := &distans.Organisation{Slug: slug, Name: "Kristianstad", TimeZone: "Europe/Stockholm", Language: "sv"}
	if err := s.CreateOrganisation(sys, o); err != nil {
		b.Fatal(err)
	}
	ctx := distans.NewContext(context.Background(), distans.SystemActor(o.ID))
	imp := &distans.Import{Status: distans.ImportQueued}
	if err := s.CreateImport(ctx, imp, []distans.ImportFile{{Name: "personal.csv", Content: []byte("x")}}); err != nil {
		b.Fatal(err)
	}
	return o, ctx, imp
}

func BenchmarkApplyImport50k(b *testing.B) {
	benchStores(b, func(b *testing.B, s *Store) {
		var apply, reapply time.Duration
		var heap uint64
		var records int
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			o, ctx, imp := benchImport(b, s, fmt.Sprintf("import-%d", i))
			plan := importPlan50k(o.ID)
			records = plan.Changes()
			runtime.GC()
			stop := peakHeap()
			b.StartTimer()
			start := time.Now()
			if err := s.ApplyImport(ctx, imp, func(*distans.ImportSnapshot) (*distans.ImportPlan, error) { return plan, nil }, nil); err != nil {
				b.Fatal(err)
			}
			apply += time.Since(start)
			b.StopTimer()
			heap = max(heap, stop())
			plan = nil

			again := &distans.Import{Status: distans.ImportQueued}
			if err := s.CreateImport(ctx, again, []distans.ImportFile{{Name: "personal.csv", Content: []byte("x")}}); err != nil {
				b.Fatal(err)
			}
			start = time.Now()
			var people int
			if err := s.ApplyImport(ctx, again, func(snap *distans.ImportSnapshot) (*distans.ImportPlan, error) {
				people = len(snap.People)
				return &distans.ImportPlan{}, nil
			}, nil); err != nil {
				b.Fatal(err)
			}
			reapply += time.Since(start)
			if people != 50_000 {
				b.Fatalf("snapshot of %d people", people)
			}
			if brk, err := s.VerifyAuditChains(ctx); err != nil || brk != nil {
				b.Fatalf("audit chain: %v %v", brk, err)
			}
		}
		b.ReportMetric(apply.Seconds()/float64(b.N), "s/apply")
		b.ReportMetric(reapply.Seconds()/float64(b.N), "s/reapply")
		b.ReportMetric(float64(heap)/(1<<20), "MB-heap")
		b.ReportMetric(float64(peakRSS())/(1<<20), "MB-rss")
		b.ReportMetric(float64(records), "records")
	})
}
