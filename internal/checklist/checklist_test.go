package checklist_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/checklist"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

var (
	stockholm, _ = time.LoadLocation("Europe/Stockholm")
	today        = distans.DateOf(distans.Now().In(stockholm))
)

func day(n int) time.Time { return today.AddDate(0, 0, n) }

func code(err error) string {
	if e, ok := err.(*distans.Error); ok {
		return e.Code
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func taskIDs(ts []*distans.ChecklistTask) []string {
	var out []string
	for _, k := range ts {
		out = append(out, k.TaskID)
	}
	slices.Sort(out)
	return out
}

// TestChecklistService runs Kristianstad's onboarding template for Nils,
// who starts in five days in Enhet A: Ivar (IT in A) owns the account,
// Nils his acknowledgements and DISA; Kim manages A, Hedda is HR.
func TestChecklistService(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		o := storetest.NewOrg(t, s, "kristianstad")
		sys := storetest.System(o.ID)
		src, err := policy.SeedYAML("kristianstad")
		storetest.Must(t, err)
		storetest.Must(t, s.SavePolicyVersion(sys, 0, &distans.PolicyVersion{Source: string(src)}))
		root := storetest.NewUnit(t, s, o.ID, "", "Förvaltningen", distans.UnitAdministration)
		a := storetest.NewUnit(t, s, o.ID, root.ID, "Enhet A", distans.UnitSection)
		nils := storetest.NewPerson(t, s, o.ID, "Nils Ny", "")
		storetest.Must(t, s.CreateEmployment(sys, &distans.Employment{PersonID: nils.ID, UnitID: a.ID, Title: "Handläggare", StartsOn: day(5)}))
		kim := storetest.NewPerson(t, s, o.ID, "Kim Chef", root.ID)
		ivar := storetest.NewPerson(t, s, o.ID, "Ivar IT", root.ID)
		hedda := storetest.NewPerson(t, s, o.ID, "Hedda HR", root.ID)
		storetest.Assign(t, s, kim, distans.RoleManager, a.ID)
		storetest.Assign(t, s, ivar, distans.RoleIT, a.ID)
		storetest.Assign(t, s, hedda, distans.RoleHR, "")
		as := func(p *distans.Person) context.Context { return storetest.As(t, s, p) }
		packs := policy.NewService(s, s)
		svc := checklist.New(checklist.Config{Store: s, Packs: packs, Organisations: s})

		tpls, err := svc.Templates(as(nils))
		storetest.Must(t, err)
		var ids []string
		for _, tp := range tpls {
			ids = append(ids, tp.ID+":"+string(tp.Event))
		}
		if !slices.Equal(ids, []string{"onboarding:employment_start", "offboarding:employment_end"}) {
			t.Fatalf("templates %v", ids)
		}
		if !strings.HasPrefix(tpls[1].Citation, "Kristianstads kommun, Instruktion för digital kommunikation") ||
			!strings.Contains(tpls[1].Citation, "När anställningen upphör") || len(tpls[0].Tasks) != 3 {
			t.Fatalf("offboarding %+v", tpls[1])
		}

		n, err := s.OpenChecklists(storetest.System(""), today, func(orgID string) ([]distans.ChecklistTemplate, int, error) {
			p, _, err := packs.Active(storetest.System(orgID))
			if err != nil {
				return nil, 0, err
			}
			return p.Checklists, p.Version, nil
		})
		storetest.Must(t, err)
		if n != 1 {
			t.Fatalf("opened %d", n)
		}
		cs, err := svc.ListChecklists(as(kim), distans.ChecklistFilter{PersonID: nils.ID})
		storetest.Must(t, err)
		if len(cs) != 1 || cs[0].TemplateID != "onboarding" || !cs[0].EventOn.Equal(day(5)) {
			t.Fatalf("Kim's list %+v", cs)
		}
		c := cs[0]

		mine, err := svc.MyTasks(as(nils))
		storetest.Must(t, err)
		if got := taskIDs(mine); !slices.Equal(got, []string{"acknowledgements", "disa"}) {
			t.Fatalf("Nils's tasks %v", got)
		}
		mine, err = svc.MyTasks(as(ivar))
		storetest.Must(t, err)
		if got := taskIDs(mine); !slices.Equal(got, []string{"account"}) {
			t.Fatalf("Ivar's tasks %v", got)
		}
		if mine, err := svc.MyTasks(as(kim)); err != nil || len(mine) != 0 {
			t.Fatalf("Kim's tasks %v %v", err, taskIDs(mine))
		}

		// Not the owner: the manager ticks neither Nils's task nor IT's.
		for _, task := range []string{"acknowledgements", "account"} {
			_, err := svc.TickTask(as(kim), c.ID, task, c.Version, "")
			if code(err) != distans.EFORBIDDEN {
				t.Fatalf("Kim ticked %s: %v", task, err)
			}
		}
		if _, err := svc.TickTask(as(ivar), c.ID, "account", c.Version, strings.Repeat("x", 2001)); code(err) != distans.EINVALID {
			t.Fatalf("a long note: %v", err)
		}
		got, err := svc.Checklist(as(nils), c.ID)
		storetest.Must(t, err)
		if got.Version != c.Version {
			t.Fatalf("a refused tick changed the checklist: version %d, was %d", got.Version, c.Version)
		}
		for _, k := range got.Tasks {
			if k.State != distans.TaskStateOpen {
				t.Fatalf("task %s is %s after refused ticks", k.TaskID, k.State)
			}
		}

		got, err = svc.TickTask(as(ivar), c.ID, "account", c.Version, "  Kontot skapat, lösenordet i rekommenderat brev.  ")
		storetest.Must(t, err)
		var account *distans.ChecklistTask
		for _, k := range got.Tasks {
			if k.TaskID == "account" {
				account = k
			}
		}
		if account == nil || account.State != distans.TaskStateDone || account.DoneByID != ivar.ID || account.Auto ||
			account.Note != "Kontot skapat, lösenordet i rekommenderat brev." {
			t.Fatalf("the account task %+v", account)
		}
		if _, err := svc.TickTask(as(ivar), c.ID, "account", got.Version, ""); code(err) != distans.ECONFLICT {
			t.Fatalf("ticked twice: %v", err)
		}
		if mine, err := svc.MyTasks(as(ivar)); err != nil || len(mine) != 0 {
			t.Fatalf("Ivar's tasks after the tick %v %v", err, taskIDs(mine))
		}

		ov, err := svc.Overview(as(hedda))
		storetest.Must(t, err)
		if ov.Open[distans.EventEmploymentStart] != 1 {
			t.Fatalf("overview %+v", ov)
		}
		if _, err := svc.Overview(as(kim)); code(err) != distans.EFORBIDDEN {
			t.Fatalf("Kim's overview: %v", err)
		}
	})
}
