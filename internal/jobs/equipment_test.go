package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/equipment"
	"github.com/distans/distans/internal/jobs"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestEquipmentReturns runs the equipment_returns job on both databases
// with Sorsele's pack (004 §8.6): an employment that ends in five days
// gets a return task per item the person holds, for the nearest manager,
// citing the clause; a leave longer than a year gets the phone and
// computer back and the subscription ended; two instances running the
// round at once make each task and notice once, and a second round makes
// nothing more and reminds of nothing twice.
func TestEquipmentReturns(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := storetest.NewWorld(t, s)
		a := w.A.ID
		it := storetest.NewPerson(t, s, a, "Ivar IT", w.Root.ID)
		storetest.Assign(t, s, it, distans.RoleIT, "")
		chefY := storetest.NewPerson(t, s, a, "Yvonne Chef", w.Y.ID)
		_, err := s.UpdateUnit(storetest.System(a), w.Y.ID, distans.UnitUpdate{ManagerID: &chefY.ID})
		storetest.Must(t, err)
		packs := policy.NewService(s, s)
		src, err := policy.SeedYAML("sorsele")
		storetest.Must(t, err)
		_, err = packs.Save(storetest.As(t, s, w.Admin), 0, bytes.Replace(src, []byte("slug: sorsele"), []byte("slug: alfa"), 1), "Sorseles regler")
		storetest.Must(t, err)
		terms := &distans.PolicyDocument{Title: "Villkor för IT-utrustning", Body: "Förvara utrustningen säkert."}
		storetest.Must(t, s.PublishDocument(storetest.As(t, s, w.Admin), terms))
		itCtx := storetest.As(t, s, it)
		storetest.Must(t, s.SetEquipmentTermsDocument(itCtx, terms.ID))
		issue := func(p *distans.Person, specs ...string) {
			t.Helper()
			var items []*distans.EquipmentItem
			for _, spec := range specs {
				cat, tag, _ := strings.Cut(spec, ":")
				item := &distans.EquipmentItem{Category: distans.EquipmentCategory(cat), AssetTag: tag, UnitID: w.Root.ID}
				if item.Category == distans.EquipmentSIM {
					item.PhoneNumber = "070" + tag[len(tag)-1:] + "112233"
				}
				items = append(items, item)
			}
			storetest.Must(t, s.CreateEquipmentItems(itCtx, items))
			var ids []string
			for _, x := range items {
				ids = append(ids, x.ID)
			}
			h, err := s.IssueEquipment(itCtx, &distans.EquipmentIssueRequest{PersonID: p.ID, ItemIDs: ids})
			storetest.Must(t, err)
			_, err = s.AcceptHandover(storetest.As(t, s, p), h.ID, h.TermsVersion, h.AcceptanceHash(), "password")
			storetest.Must(t, err)
		}
		issue(w.EmpX1, "phone:P-1", "sim:S-1", "computer:D-1", "headset:H-1")
		issue(w.EmpY, "phone:P-2", "computer:D-2")

		today := distans.DateOf(distans.Now())
		ends := today.AddDate(0, 0, 5)
		_, err = s.UpdateEmployment(storetest.System(a), w.EmpX1Employment.ID, distans.EmploymentUpdate{SetEndsOn: true, EndsOn: &ends})
		storetest.Must(t, err)
		leaveEnds := today.AddDate(1, 3, 0)
		storetest.Must(t, s.CreateLeave(storetest.System(a), &distans.Leave{PersonID: w.EmpY.ID, Kind: distans.LeaveStudy,
			StartsOn: today.AddDate(0, 0, 10), EndsOn: &leaveEnds}))

		svc := equipment.New(equipment.Config{Store: s, Packs: packs, Organisations: s, Units: s})
		cfg := jobs.Config{Orgs: s, Equipment: s, ReturnPlans: svc.ReturnPlan, Now: distans.Now}
		list := jobs.Jobs(cfg)
		if i := slices.IndexFunc(list, func(j jobs.Job) bool { return j.Name == "equipment_returns" }); i < 0 {
			t.Fatalf("no equipment_returns job in %v", list)
		} else {
			list = list[i : i+1]
		}
		// The first round runs on two instances at once, as two servers
		// on one database do: between them they make each task, reminder
		// and notice once.
		twin := storetest.Twin(t, s)
		twinSvc := equipment.New(equipment.Config{Store: twin, Packs: policy.NewService(twin, twin), Organisations: twin, Units: twin})
		twinJob := jobs.Jobs(jobs.Config{Orgs: twin, Equipment: twin, ReturnPlans: twinSvc.ReturnPlan, Now: distans.Now})
		i := slices.IndexFunc(twinJob, func(j jobs.Job) bool { return j.Name == "equipment_returns" })
		at := distans.Now()
		var counts [2]int
		var errs [2]error
		var wg sync.WaitGroup
		for k, fn := range []func(context.Context, time.Time) (int, error){list[0].Fn, twinJob[i].Fn} {
			wg.Go(func() { counts[k], errs[k] = fn(context.Background(), at) })
		}
		wg.Wait()
		storetest.Must(t, errors.Join(errs[:]...))
		// EmpX1: four items; EmpY: phone and computer and the subscription;
		// each reminded at once when due within a week (EmpX1's).
		if n := counts[0] + counts[1]; n < 7 {
			t.Fatalf("the first round touched %d records", n)
		}
		notes, err := s.ListNotifications(storetest.As(t, s, w.ChefX), false, 50)
		storetest.Must(t, err)
		byKind := map[distans.NotificationKind]int{}
		for _, n := range notes {
			byKind[n.Kind]++
		}
		if byKind["equipment.return_task"] != 1 || byKind["equipment.return_task_near"] != 1 {
			t.Fatalf("X's manager was told %v, want each once", byKind)
		}
		tasks, err := s.ListReturnTasks(storetest.As(t, s, w.ChefX), distans.ReturnTaskFilter{Open: true})
		storetest.Must(t, err)
		if len(tasks) != 4 {
			t.Fatalf("X's manager's tasks: %+v", tasks)
		}
		for _, tk := range tasks {
			if tk.Kind != distans.TaskReturnItem || tk.Reason != distans.ReturnEmploymentEnd || tk.RuleID != "sorsele-8.6-employment-end" ||
				!strings.Contains(tk.Citation, "8.6 Återlämnande av mobil teknisk utrustning") || !tk.DueOn.Equal(ends) || tk.ManagerID != w.ChefX.ID {
				t.Errorf("task: %+v", tk)
			}
		}
		tasks, err = s.ListReturnTasks(storetest.As(t, s, chefY), distans.ReturnTaskFilter{Open: true})
		storetest.Must(t, err)
		var kinds []string
		for _, tk := range tasks {
			kinds = append(kinds, string(tk.Kind))
			if tk.Reason != distans.ReturnLongLeave || tk.RuleID != "sorsele-8.6-leave-return" || !tk.DueOn.Equal(today.AddDate(0, 0, 10)) {
				t.Errorf("leave task: %+v", tk)
			}
		}
		slices.Sort(kinds)
		if !slices.Equal(kinds, []string{"end_subscription", "return_item", "return_item"}) {
			t.Fatalf("Y's manager's tasks: %v", kinds)
		}

		n, err := list[0].Fn(context.Background(), distans.Now().Add(time.Minute))
		storetest.Must(t, err)
		if n != 0 {
			t.Fatalf("the second round touched %d records", n)
		}
	})
}
