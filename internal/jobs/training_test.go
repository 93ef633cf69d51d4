package jobs_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/jobs"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// kristianstad is an organisation with Kristianstad's pack: Åsa in Enhet A
// since 2020 without DISA (overdue), Kim in the administration managing
// A, and Nils who starts in A in five days.
type kristianstad struct {
	o              *distans.Organisation
	asa, kim, nils *distans.Person
	packs          jobs.PackOf
	stockholmToday time.Time
	trainingJob    jobs.Job
	checklistJob   jobs.Job
}

func newKristianstad(t *testing.T, s *sqlstore.Store) *kristianstad {
	t.Helper()
	k := &kristianstad{o: storetest.NewOrg(t, s, "kristianstad")}
	sys := storetest.System(k.o.ID)
	src, err := policy.SeedYAML("kristianstad")
	storetest.Must(t, err)
	storetest.Must(t, s.SavePolicyVersion(sys, 0, &distans.PolicyVersion{Source: string(src)}))
	root := storetest.NewUnit(t, s, k.o.ID, "", "Förvaltningen", distans.UnitAdministration)
	a := storetest.NewUnit(t, s, k.o.ID, root.ID, "Enhet A", distans.UnitSection)
	k.asa = storetest.NewPerson(t, s, k.o.ID, "Åsa Öberg", a.ID)
	k.kim = storetest.NewPerson(t, s, k.o.ID, "Kim Chef", root.ID)
	storetest.Assign(t, s, k.kim, distans.RoleManager, a.ID)
	k.stockholmToday = k.o.Today(distans.Now())
	k.nils = storetest.NewPerson(t, s, k.o.ID, "Nils Ny", "")
	storetest.Must(t, s.CreateEmployment(sys, &distans.Employment{PersonID: k.nils.ID, UnitID: a.ID, Title: "Handläggare",
		StartsOn: k.stockholmToday.AddDate(0, 0, 5)}))

	ps := policy.NewService(s, s)
	k.packs = func(ctx context.Context, orgID string) (*policy.Pack, error) {
		p, _, err := ps.Active(distans.NewContext(ctx, distans.SystemActor(orgID)))
		return p, err
	}
	paths := func(ctx context.Context, orgID string, codes []string) (map[string]string, error) {
		return s.UnitPathsByCode(distans.NewContext(ctx, distans.SystemActor(orgID)), codes)
	}
	list := jobs.Jobs(jobs.Config{Orgs: s, Training: s, UnitPaths: paths, Checklists: s, Packs: k.packs})
	for _, j := range list {
		switch j.Name {
		case "training":
			k.trainingJob = j
		case "checklists":
			k.checklistJob = j
		}
	}
	if k.trainingJob.Fn == nil || k.checklistJob.Fn == nil {
		t.Fatalf("jobs %v", list)
	}
	return k
}

// noon is the instant at noon in Stockholm on the day n days from today.
func (k *kristianstad) noon(n int) time.Time {
	d := k.stockholmToday.AddDate(0, 0, n)
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, k.o.Location())
}

func notes(t *testing.T, s *sqlstore.Store, p *distans.Person, kind distans.NotificationKind) []*distans.Notification {
	t.Helper()
	ns, err := s.ListNotifications(storetest.As(t, s, p), false, 200)
	storetest.Must(t, err)
	var out []*distans.Notification
	for _, n := range ns {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// TestTrainingJob: the manager is told once that Åsa is overdue with DISA
// (Kristianstad 003 Utbildning: the unit manager sees to it), and not of
// Nils, whose employment has not begun.
func TestTrainingJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKristianstad(t, s)
		n, err := k.trainingJob.Fn(context.Background(), k.noon(0))
		storetest.Must(t, err)
		got := notes(t, s, k.kim, distans.NotifyTrainingOverdue)
		if n != 1 || len(got) != 1 {
			t.Fatalf("first round: %d records, Kim has %d notices", n, len(got))
		}
		if len(notes(t, s, k.asa, distans.NotifyTrainingOverdue)) != 0 {
			t.Fatal("Åsa was told of her own overdue course as a manager")
		}
		for _, at := range []time.Time{k.noon(0), k.noon(1), k.noon(30)} {
			n, err = k.trainingJob.Fn(context.Background(), at)
			storetest.Must(t, err)
			if n != 0 || len(notes(t, s, k.kim, distans.NotifyTrainingOverdue)) != 1 {
				t.Fatalf("round on %s: %d records, Kim has %d notices", at.Format(time.DateOnly), n,
					len(notes(t, s, k.kim, distans.NotifyTrainingOverdue)))
			}
		}
	})
}

// TestChecklistJob: Nils's onboarding opens within the template's lead
// time (14 days), his DISA task ticks itself once he has recorded the
// course, and another round changes nothing more.
func TestChecklistJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKristianstad(t, s)
		sys := storetest.System(k.o.ID)
		onboarding := func() *distans.Checklist {
			t.Helper()
			cs, err := s.ListChecklists(sys, distans.ChecklistFilter{PersonID: k.nils.ID})
			storetest.Must(t, err)
			if len(cs) != 1 {
				t.Fatalf("Nils has %d checklists", len(cs))
			}
			return cs[0]
		}
		state := func(c *distans.Checklist, id string) (distans.TaskState, bool) {
			i := slices.IndexFunc(c.Tasks, func(x *distans.ChecklistTask) bool { return x.TaskID == id })
			if i < 0 {
				t.Fatalf("no task %s", id)
			}
			return c.Tasks[i].State, c.Tasks[i].Auto
		}

		// Twenty days before the start is outside the lead time (14 days).
		n, err := k.checklistJob.Fn(context.Background(), k.noon(-15))
		storetest.Must(t, err)
		if cs, _ := s.ListChecklists(sys, distans.ChecklistFilter{PersonID: k.nils.ID}); n != 0 || len(cs) != 0 {
			t.Fatalf("opened %d records twenty days ahead", n)
		}

		n, err = k.checklistJob.Fn(context.Background(), k.noon(0))
		storetest.Must(t, err)
		c := onboarding()
		if n < 1 || c.TemplateID != "onboarding" || c.Event != distans.EventEmploymentStart || c.State != distans.ChecklistOpen {
			t.Fatalf("first round (%d): %+v", n, c)
		}
		if st, _ := state(c, "disa"); st != distans.TaskStateOpen {
			t.Fatalf("disa before the course: %s", st)
		}
		if len(notes(t, s, k.nils, distans.NotifyChecklistOpened)) != 1 {
			t.Fatal("Nils was not told of his checklist")
		}

		// On his sixth day Nils records DISA.
		at := k.noon(6)
		err = s.CreateTrainingCompletions(distans.WithNow(storetest.As(t, s, k.nils), at), []*distans.TrainingCompletion{
			{PersonID: k.nils.ID, CourseID: "disa", CompletedOn: k.stockholmToday.AddDate(0, 0, 6)}})
		storetest.Must(t, err)
		_, err = k.checklistJob.Fn(context.Background(), at)
		storetest.Must(t, err)
		if st, auto := state(onboarding(), "disa"); st != distans.TaskStateDone || !auto {
			t.Fatalf("disa after the course: %s, auto %v", st, auto)
		}
		before := onboarding()
		n, err = k.checklistJob.Fn(context.Background(), at)
		storetest.Must(t, err)
		if after := onboarding(); n != 0 || after.Version != before.Version {
			t.Fatalf("the second round on the same day: %d records, version %d, was %d", n, after.Version, before.Version)
		}
		if len(notes(t, s, k.nils, distans.NotifyChecklistOpened)) != 1 {
			t.Fatal("Nils was told twice")
		}
	})
}
