package storetest

import (
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

func init() {
	Suite = append(Suite,
		Test{"ChecklistOpening", ChecklistOpening},
		Test{"ChecklistTicks", ChecklistTicks},
		Test{"ChecklistAutoTicks", ChecklistAutoTicks},
		Test{"ChecklistDeadlines", ChecklistDeadlines},
	)
}

func tmplTask(id string, owner distans.TaskOwner, due int, done distans.DoneWhen) distans.TemplateTask {
	return distans.TemplateTask{ID: id, Title: distans.PolicyText{Sv: "Uppgift " + id, En: "Task " + id}, Owner: owner, DueDays: due,
		DoneWhen: done, Citation: "003"}
}

// testTemplates are a pack's three templates; organisation B has none.
func testTemplates(w *World) func(string) ([]distans.ChecklistTemplate, int, error) {
	ts := []distans.ChecklistTemplate{
		{ID: "onboarding", Event: distans.EventEmploymentStart, Title: distans.PolicyText{Sv: "Ny medarbetare"}, LeadDays: 7,
			Tasks: []distans.TemplateTask{
				tmplTask("account", distans.OwnerIT, -1, ""),
				tmplTask("disa", distans.OwnerPerson, 30, "training:disa"),
				tmplTask("ack", distans.OwnerPerson, 14, distans.DoneAcknowledged),
				tmplTask("phone", distans.OwnerPerson, 7, distans.DonePhoneRegistered),
				tmplTask("keywords", distans.OwnerPerson, 7, distans.DoneKeywords),
				tmplTask("equipment", distans.OwnerIT, 0, distans.DoneEquipmentIssued),
				tmplTask("intro", distans.OwnerManager, 0, ""),
			}},
		{ID: "offboarding", Event: distans.EventEmploymentEnd, Title: distans.PolicyText{Sv: "Avslut"}, LeadDays: 14,
			Tasks: []distans.TemplateTask{
				tmplTask("account", distans.OwnerIT, 0, distans.DoneAccountClosed),
				tmplTask("return", distans.OwnerManager, 0, distans.DoneEquipmentBack),
				tmplTask("agreements", distans.OwnerManager, 0, distans.DoneAgreementsEnded),
				tmplTask("material", distans.OwnerManager, -1, ""),
			}},
		{ID: "leave", Event: distans.EventLongLeave, Title: distans.PolicyText{Sv: "Lång ledighet"}, LeadDays: 30, LeaveDays: 365,
			Tasks: []distans.TemplateTask{tmplTask("return", distans.OwnerManager, 0, distans.DoneEquipmentBack)}},
	}
	return func(org string) ([]distans.ChecklistTemplate, int, error) {
		if org == w.B.ID {
			return nil, 0, nil
		}
		return ts, 7, nil
	}
}

// checklistWorld is the equipment world with the events of a month: Nina
// began three days ago in X1, EmpX1's employment ends in ten days, EmpY
// begins an open-ended leave in five, and Olle, whose employment began
// twenty days ago (an organisation moving in), gets nothing.
type checklistWorld struct {
	*equipmentWorld
	Nina, Olle *distans.Person
	Leave      *distans.Leave
	Today      time.Time // the organisations' calendar day (Europe/Stockholm), as the store counts it
}

func newChecklistWorld(t *testing.T, s *sqlstore.Store) *checklistWorld {
	w := &checklistWorld{equipmentWorld: newEquipmentWorld(t, s), Today: agrToday()}
	a := w.A.ID
	w.Nina = NewPerson(t, s, a, "Nina Ny", "")
	Must(t, s.CreateEmployment(System(a), &distans.Employment{PersonID: w.Nina.ID, UnitID: w.X1.ID, Title: "T", StartsOn: w.Today.AddDate(0, 0, -3)}))
	w.Olle = NewPerson(t, s, a, "Olle Gammal", "")
	Must(t, s.CreateEmployment(System(a), &distans.Employment{PersonID: w.Olle.ID, UnitID: w.X1.ID, Title: "T", StartsOn: w.Today.AddDate(0, 0, -20)}))
	Must(t, s.EndEmployment(System(a), w.EmpX1Employment.ID, w.Today.AddDate(0, 0, 10)))
	w.Leave = &distans.Leave{PersonID: w.EmpY.ID, Kind: distans.LeaveOther, StartsOn: w.Today.AddDate(0, 0, 5)}
	Must(t, s.CreateLeave(System(a), w.Leave))
	return w
}

// checklistOf returns the person's checklist of the event, as the system.
func (w *checklistWorld) checklistOf(t *testing.T, p *distans.Person, ev distans.ChecklistEvent) *distans.Checklist {
	t.Helper()
	cs, err := w.S.ListChecklists(System(p.OrganisationID), distans.ChecklistFilter{PersonID: p.ID, Event: ev})
	Must(t, err)
	if len(cs) != 1 {
		t.Fatalf("%s has %d checklists of %s", p.Name, len(cs), ev)
	}
	return cs[0]
}

func taskOf(c *distans.Checklist, id string) *distans.ChecklistTask {
	for _, k := range c.Tasks {
		if k.TaskID == id {
			return k
		}
	}
	return nil
}

func ChecklistOpening(t *testing.T, s *sqlstore.Store) {
	w := newChecklistWorld(t, s)
	tpls := testTemplates(w.World)
	sys := System("")
	if _, err := s.OpenChecklists(As(t, s, w.Admin), w.Today, tpls); err == nil {
		t.Fatal("a person ran the job")
	}
	n, err := s.OpenChecklists(sys, w.Today, tpls)
	Must(t, err)
	if n != 3 {
		t.Fatalf("opened %d checklists, want 3", n)
	}
	n, err = s.OpenChecklists(sys, w.Today, tpls)
	Must(t, err)
	if n != 0 {
		t.Fatalf("the second run opened %d", n)
	}
	all, err := s.ListChecklists(System(w.A.ID), distans.ChecklistFilter{})
	Must(t, err)
	if len(all) != 3 {
		t.Fatalf("%d checklists", len(all))
	}
	nina := w.checklistOf(t, w.Nina, distans.EventEmploymentStart)
	if nina.PersonName != "Nina Ny" || nina.PersonUnitID != w.X1.ID || nina.PackVersion != 7 || nina.Version != 1 ||
		len(nina.Tasks) != 7 || !taskOf(nina, "account").DueOn.Equal(w.Today.AddDate(0, 0, -4)) || nina.State != distans.ChecklistOpen {
		t.Fatalf("Nina's checklist %+v", nina)
	}
	if cs, _ := s.ListChecklists(System(w.A.ID), distans.ChecklistFilter{PersonID: w.Olle.ID}); len(cs) != 0 {
		t.Fatal("an employment older than CatchUpDays opened a checklist")
	}
	if countNotes(t, s, w.Nina, distans.NotifyChecklistOpened) != 1 || countNotes(t, s, w.ChefX, distans.NotifyChecklistOpened) != 2 ||
		countNotes(t, s, w.IT, distans.NotifyChecklistOpened) != 2 || countNotes(t, s, w.ChefY, distans.NotifyChecklistOpened) != 1 {
		t.Fatalf("opened notices: Nina %d, ChefX %d, IT %d, ChefY %d", countNotes(t, s, w.Nina, distans.NotifyChecklistOpened),
			countNotes(t, s, w.ChefX, distans.NotifyChecklistOpened), countNotes(t, s, w.IT, distans.NotifyChecklistOpened),
			countNotes(t, s, w.ChefY, distans.NotifyChecklistOpened))
	}

	// Who sees Nina's checklist.
	for _, tc := range []struct {
		name string
		who  *distans.Person
		code string
	}{
		{"the person", w.Nina, ""},
		{"the manager of X", w.ChefX, ""},
		{"HR in X", w.HRX, ""},
		{"IT in X", w.ITX, ""},
		{"the manager of Y", w.ChefY, distans.ENOTFOUND},
		{"a colleague", w.EmpY, distans.ENOTFOUND},
		{"another organisation", w.AdminB, distans.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.FindChecklist(As(t, s, tc.who), nina.ID)
			WantCode(t, err, tc.code)
			cs, err := s.ListChecklists(As(t, s, tc.who), distans.ChecklistFilter{PersonID: w.Nina.ID})
			Must(t, err)
			if (len(cs) == 1) != (tc.code == "") {
				t.Fatalf("listed %d", len(cs))
			}
		})
	}

	// The end moves two days later: the checklist and its open tasks follow.
	end := w.checklistOf(t, w.EmpX1, distans.EventEmploymentEnd)
	_, err = s.UpdateEmployment(System(w.A.ID), w.EmpX1Employment.ID, distans.EmploymentUpdate{SetEndsOn: true,
		EndsOn: ptr(w.Today.AddDate(0, 0, 12))})
	Must(t, err)
	_, err = s.OpenChecklists(sys, w.Today, tpls)
	Must(t, err)
	moved := w.checklistOf(t, w.EmpX1, distans.EventEmploymentEnd)
	if !moved.EventOn.Equal(w.Today.AddDate(0, 0, 12)) || !taskOf(moved, "material").DueOn.Equal(taskOf(end, "material").DueOn.AddDate(0, 0, 2)) ||
		moved.Version != end.Version+1 {
		t.Fatalf("moved %+v", moved)
	}
	// The end date withdrawn: cancelled, with its open tasks.
	_, err = s.UpdateEmployment(System(w.A.ID), w.EmpX1Employment.ID, distans.EmploymentUpdate{SetEndsOn: true})
	Must(t, err)
	// The leave shortened to ten days: under the limit, cancelled.
	Must(t, s.EndLeave(System(w.A.ID), w.Leave.ID, w.Leave.StartsOn.AddDate(0, 0, 9)))
	_, err = s.OpenChecklists(sys, w.Today, tpls)
	Must(t, err)
	for _, c := range []*distans.Checklist{w.checklistOf(t, w.EmpX1, distans.EventEmploymentEnd), w.checklistOf(t, w.EmpY, distans.EventLongLeave)} {
		if c.State != distans.ChecklistCancelled || c.Tasks[0].State != distans.TaskStateCancelled {
			t.Fatalf("not cancelled: %+v", c)
		}
	}
	if e := lastEvent(t, s, w.A.ID); e.Action != "checklist.cancelled" {
		t.Fatalf("last event %+v", e)
	}
	if cs, _ := s.ListChecklists(System(w.B.ID), distans.ChecklistFilter{}); len(cs) != 0 {
		t.Fatal("B has checklists")
	}
}

func ChecklistTicks(t *testing.T, s *sqlstore.Store) {
	w := newChecklistWorld(t, s)
	_, err := s.OpenChecklists(System(""), w.Today, testTemplates(w.World))
	Must(t, err)
	nina := w.checklistOf(t, w.Nina, distans.EventEmploymentStart)

	owned := func(p *distans.Person) map[string]bool {
		ks, err := s.ListOwnedTasks(As(t, s, p))
		Must(t, err)
		out := map[string]bool{}
		for _, k := range ks {
			out[k.PersonName+"/"+k.TaskID] = true
		}
		return out
	}
	if got := owned(w.Nina); len(got) != 4 || !got["Nina Ny/disa"] {
		t.Fatalf("Nina owns %v", got)
	}
	if got := owned(w.ChefX); len(got) != 4 || !got["Nina Ny/intro"] || !got["Åsa Öberg/material"] || got["Yngve Ystad/return"] {
		t.Fatalf("ChefX owns %v", got)
	}
	if got := owned(w.ITX); len(got) != 3 || !got["Nina Ny/account"] || !got["Åsa Öberg/account"] {
		t.Fatalf("ITX owns %v", got)
	}
	if got := owned(w.HRX); len(got) != 0 {
		t.Fatalf("HRX owns %v", got)
	}

	// Refused: not the owner, another organisation, a stale version.
	_, err = s.TickChecklistTask(As(t, s, w.HRX), nina.ID, "intro", nina.Version, "")
	wantMessage(t, err, distans.EFORBIDDEN, "Uppgiften är inte din att bocka av.")
	_, err = s.TickChecklistTask(As(t, s, w.ChefX), nina.ID, "disa", nina.Version, "")
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.TickChecklistTask(As(t, s, w.AdminB), nina.ID, "intro", nina.Version, "")
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.TickChecklistTask(As(t, s, w.ChefX), nina.ID, "intro", nina.Version+1, "")
	WantCode(t, err, distans.ECONFLICT)
	if again := w.checklistOf(t, w.Nina, distans.EventEmploymentStart); again.Version != nina.Version || taskOf(again, "intro").State != distans.TaskStateOpen {
		t.Fatalf("a refused tick changed the checklist: %+v", again)
	}

	c, err := s.TickChecklistTask(As(t, s, w.ChefX), nina.ID, "intro", nina.Version, "Introduktion hållen")
	Must(t, err)
	k := taskOf(c, "intro")
	if k.State != distans.TaskStateDone || k.DoneByID != w.ChefX.ID || k.DoneByName != "Cecilia Chef" || k.Note != "Introduktion hållen" ||
		k.Auto || c.Version != nina.Version+1 {
		t.Fatalf("ticked %+v, version %d", k, c.Version)
	}
	wantLastAction(t, s, w.A.ID, "checklist.task_done", nina.ID)
	_, err = s.TickChecklistTask(As(t, s, w.ChefX), nina.ID, "intro", c.Version, "")
	WantCode(t, err, distans.ECONFLICT)

	// Ticking every task closes the checklist.
	for _, k := range c.Tasks {
		if k.State != distans.TaskStateOpen {
			continue
		}
		who := map[distans.TaskOwner]*distans.Person{distans.OwnerPerson: w.Nina, distans.OwnerIT: w.ITX}[k.Owner]
		c, err = s.TickChecklistTask(As(t, s, who), nina.ID, k.ID, c.Version, "")
		Must(t, err)
	}
	if c.State != distans.ChecklistDone || c.ClosedAt == nil {
		t.Fatalf("not done: %+v", c)
	}

	// A manager never ticks a manager's task of their own checklist.
	Must(t, s.EndEmployment(System(w.A.ID), mustEmployment(t, s, w.ChefX).ID, w.Today.AddDate(0, 0, 3)))
	_, err = s.OpenChecklists(System(""), w.Today, testTemplates(w.World))
	Must(t, err)
	own := w.checklistOf(t, w.ChefX, distans.EventEmploymentEnd)
	_, err = s.TickChecklistTask(As(t, s, w.ChefX), own.ID, "material", own.Version, "")
	WantCode(t, err, distans.EFORBIDDEN)

	ov, err := s.ChecklistOverview(As(t, s, w.Admin), w.Today.AddDate(0, 0, 1))
	Must(t, err)
	if ov.Open[distans.EventEmploymentEnd] != 2 || ov.Open[distans.EventLongLeave] != 1 || ov.Open[distans.EventEmploymentStart] != 0 ||
		ov.OverdueTasks[distans.EventEmploymentEnd] != 0 {
		t.Fatalf("overview %+v", ov)
	}
	ov, err = s.ChecklistOverview(As(t, s, w.Admin), w.Today.AddDate(0, 0, 20))
	Must(t, err)
	if ov.OverdueTasks[distans.EventEmploymentEnd] != 8 || ov.OverdueByOwner[distans.OwnerManager] != 7 {
		t.Fatalf("overview later %+v", ov)
	}
	_, err = s.ChecklistOverview(As(t, s, w.ChefX), w.Today)
	WantCode(t, err, distans.EFORBIDDEN)
}

func mustEmployment(t *testing.T, s *sqlstore.Store, p *distans.Person) *distans.Employment {
	t.Helper()
	es, err := s.ListEmployments(System(p.OrganisationID), p.ID)
	Must(t, err)
	return es[0]
}

func ChecklistAutoTicks(t *testing.T, s *sqlstore.Store) {
	w := newChecklistWorld(t, s)
	sys := System("")
	_, err := s.OpenChecklists(sys, w.Today, testTemplates(w.World))
	Must(t, err)
	doc := &distans.PolicyDocument{Title: "Ansvarsförbindelse", Body: "Jag lovar.", Required: true}
	Must(t, s.PublishDocument(As(t, s, w.Admin), doc))
	w.setTerms(t)
	laptop := w.items(t, w.X.ID, "computer:D-1", "computer:D-2")
	w.issueAccepted(t, w.EmpX1, laptop[0])

	state := func(p *distans.Person, ev distans.ChecklistEvent, task string) distans.TaskState {
		return taskOf(w.checklistOf(t, p, ev), task).State
	}
	_, err = s.TickDoneTasks(sys, w.Today)
	Must(t, err)
	for _, tc := range []struct {
		p    *distans.Person
		ev   distans.ChecklistEvent
		task string
		want distans.TaskState
	}{
		{w.Nina, distans.EventEmploymentStart, "disa", distans.TaskStateOpen},
		{w.Nina, distans.EventEmploymentStart, "ack", distans.TaskStateOpen},
		{w.Nina, distans.EventEmploymentStart, "phone", distans.TaskStateOpen},
		{w.Nina, distans.EventEmploymentStart, "keywords", distans.TaskStateOpen},
		{w.Nina, distans.EventEmploymentStart, "equipment", distans.TaskStateOpen},
		{w.EmpX1, distans.EventEmploymentEnd, "return", distans.TaskStateOpen}, // holds a laptop
		{w.EmpX1, distans.EventEmploymentEnd, "agreements", distans.TaskStateDone},
		{w.EmpX1, distans.EventEmploymentEnd, "account", distans.TaskStateOpen}, // not ended yet
		{w.EmpY, distans.EventLongLeave, "return", distans.TaskStateDone},       // holds nothing
	} {
		if got := state(tc.p, tc.ev, tc.task); got != tc.want {
			t.Errorf("before: %s %s: %s, want %s", tc.p.Name, tc.task, got, tc.want)
		}
	}
	leave := w.checklistOf(t, w.EmpY, distans.EventLongLeave)
	if leave.State != distans.ChecklistDone || !leave.Tasks[0].Auto || leave.Tasks[0].DoneByID != "" {
		t.Fatalf("the leave's checklist %+v", leave)
	}

	// Done elsewhere in Distans.
	nina := As(t, s, w.Nina)
	Must(t, s.CreateTrainingCompletions(nina, []*distans.TrainingCompletion{completion("", "disa", w.Today)}))
	_, err = s.Acknowledge(nina, doc.ID, 0)
	Must(t, err)
	_, err = s.UpdatePerson(System(w.A.ID), w.Nina.ID, distans.PersonUpdate{Phone: ptr("+46 70 123 45 67")})
	Must(t, err)
	Must(t, s.SaveDirectoryProfile(nina, &distans.DirectoryProfile{PersonID: w.Nina.ID, Keywords: []string{"bygglov"}}))
	w.issueAccepted(t, w.Nina, laptop[1])
	_, err = s.RecordEquipmentReturn(As(t, s, w.IT), &distans.EquipmentReturnRequest{PersonID: w.EmpX1.ID,
		Items: []distans.ReturnedState{{ItemID: laptop[0].ID, Condition: distans.ConditionGood}}})
	Must(t, err)
	n, err := s.TickDoneTasks(sys, w.Today.AddDate(0, 0, 11))
	Must(t, err)
	if n != 7 {
		t.Errorf("ticked %d, want 7", n)
	}
	for _, task := range []string{"disa", "ack", "phone", "keywords", "equipment"} {
		if got := state(w.Nina, distans.EventEmploymentStart, task); got != distans.TaskStateDone {
			t.Errorf("Nina's %s: %s", task, got)
		}
	}
	for _, task := range []string{"return", "account"} {
		if got := state(w.EmpX1, distans.EventEmploymentEnd, task); got != distans.TaskStateDone {
			t.Errorf("EmpX1's %s: %s", task, got)
		}
	}
	if n, err := s.TickDoneTasks(sys, w.Today.AddDate(0, 0, 11)); err != nil || n != 0 {
		t.Fatalf("ticked again: %d, %v", n, err)
	}
}

func ChecklistDeadlines(t *testing.T, s *sqlstore.Store) {
	w := newChecklistWorld(t, s)
	sys := System("")
	_, err := s.OpenChecklists(sys, w.Today, testTemplates(w.World))
	Must(t, err)
	// Nina's account (IT, due four days ago), equipment (IT) and intro
	// (manager, due three days ago) are past due: escalated to ChefX, and
	// the manager's task to HR; nothing is due tomorrow.
	r, e, err := s.ChecklistDeadlines(sys, w.Today)
	Must(t, err)
	if r != 0 || e != 3 {
		t.Fatalf("reminded %d, escalated %d", r, e)
	}
	if countNotes(t, s, w.ChefX, distans.NotifyTaskOverdue) != 2 || countNotes(t, s, w.HRX, distans.NotifyTaskOverdue) != 1 {
		t.Fatal("escalations went to the wrong people")
	}
	r, e, err = s.ChecklistDeadlines(sys, w.Today)
	Must(t, err)
	if r != 0 || e != 0 {
		t.Fatalf("again: reminded %d, escalated %d", r, e)
	}
	// EmpX1's material task (manager, due in nine days): reminded the day
	// before, to the managers over X1, once.
	r, _, err = s.ChecklistDeadlines(sys, w.Today.AddDate(0, 0, 8))
	Must(t, err)
	if r == 0 || countNotes(t, s, w.ChefX, distans.NotifyTaskDueSoon) != 1 {
		t.Fatalf("reminded %d; ChefX has %d", r, countNotes(t, s, w.ChefX, distans.NotifyTaskDueSoon))
	}
	// Two instances at once: each task claimed once.
	twin := Twin(t, s)
	day := w.Today.AddDate(0, 0, 40)
	type res struct{ r, e int }
	out := make(chan res, 2)
	for _, st := range []*sqlstore.Store{s, twin} {
		go func() {
			r, e, err := st.ChecklistDeadlines(sys, day)
			if err != nil {
				t.Error(err)
			}
			out <- res{r, e}
		}()
	}
	a, b := <-out, <-out
	c := w.checklistOf(t, w.Nina, distans.EventEmploymentStart)
	open := 0
	for _, k := range c.Tasks {
		if k.State == distans.TaskStateOpen && k.EscalatedAt == nil {
			open++
		}
	}
	if open != 0 || a.e+b.e == 0 {
		t.Fatalf("escalations %d + %d, %d left", a.e, b.e, open)
	}
	r2, e2, err := s.ChecklistDeadlines(sys, day)
	Must(t, err)
	if r2 != 0 || e2 != 0 {
		t.Fatalf("after the race: %d %d", r2, e2)
	}
}
