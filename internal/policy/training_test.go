package policy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// trainingParams and trainingExtra make minimal a pack with a course and
// checklists (trainingPack); the cases below break one thing each.
const trainingParams = `  - name: course_days
    type: int
    unit: days
    default: 30
    label: {sv: Frist, en: Deadline}
  - name: course_renew
    type: int
    unit: months
    default: 24
    label: {sv: Förnyas, en: Renewed}
  - name: leave_limit
    type: int
    unit: days
    default: 365
    label: {sv: Lång ledighet, en: Long leave}
`

const trainingExtra = `courses:
  - id: safety
    title: {sv: Säkerhet, en: Safety}
    url: https://example.org/safety
    audience: {roles: [chef]}
    deadline_days: course_days
    renew_months: course_renew
    source: {document: test.txt, section: "4", quote: "alla chefer"}
checklists:
  - id: start
    event: employment_start
    title: {sv: Början, en: Start}
    lead_days: 7
    source: {document: test.txt, section: "5", quote: "vid början"}
    tasks:
      - id: course
        title: {sv: Kursen gjord, en: Course done}
        owner: person
        due_days: 30
        done_when: "training:safety"
        source: {document: test.txt, section: "5", quote: "vid början"}
  - id: leave
    event: long_leave
    title: {sv: Ledighet, en: Leave}
    leave_days: leave_limit
    source: {document: test.txt, section: "6", quote: "ledighet"}
    tasks:
      - id: back
        title: {sv: Tillbaka, en: Back}
        owner: manager
        due_days: 0
        done_when: equipment_returned
        source: {document: test.txt, section: "6", quote: "ledighet"}
`

func trainingPack() string {
	return strings.Replace(minimal, "rules:", trainingParams+"rules:", 1) + trainingExtra
}

func TestParseTraining(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(trainingPack()))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := p.Course("safety")
	if !ok || c.DeadlineDays != 30 || c.RenewMonths != 24 || c.Citation != "Testkommun, Test, 4" || c.Audience.Roles[0] != distans.RoleManager {
		t.Errorf("course = %+v", c)
	}
	// The generic catalogue's DISA is there, required of no one.
	if d, ok := p.Course("disa"); !ok || d.Audience.Everyone || d.URL == "" {
		t.Errorf("generic DISA = %+v, %v", d, ok)
	}
	ids := map[string]distans.ChecklistTemplate{}
	for _, x := range p.Checklists {
		ids[x.ID] = x
	}
	if ids["start"].Tasks[0].DoneWhen != "training:safety" || ids["leave"].LeaveDays != 365 {
		t.Errorf("templates = %+v", p.Checklists)
	}
	// The generic offboarding stays; the pack gave no template of that id.
	if _, ok := ids["offboarding"]; !ok {
		t.Error("the generic offboarding template is missing")
	}
}

func TestParseRefusesTraining(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new string
		field, sv      string
	}{
		{"deadline not a parameter", "deadline_days: course_days", "deadline_days: thirty", "courses[safety].deadline_days", "heltalsparameter"},
		{"deadline of wrong unit", "deadline_days: course_days", "deadline_days: course_renew", "courses[safety].deadline_days", "enheten days"},
		{"required without deadline", "    deadline_days: course_days\n", "", "courses[safety].deadline_days", "behöver en frist"},
		{"renewal of wrong unit", "renew_months: course_renew", "renew_months: course_days", "courses[safety].renew_months", "enheten months"},
		{"unknown role", "roles: [chef]", "roles: [boss]", "courses[safety].audience.roles", "Okänd roll"},
		{"no English title", "title: {sv: Säkerhet, en: Safety}", "title: {sv: Säkerhet}", "courses[safety].title", "svenska och engelska"},
		{"not https", "url: https://example.org/safety", "url: ftp://example.org/safety", "courses[safety].url", "https://"},
		{"course without source", `source: {document: test.txt, section: "4", quote: "alla chefer"}`, `source: {document: test.txt, section: "4"}`, "courses[safety].source", "citat"},
		{"done_when names an unknown course", `done_when: "training:safety"`, `done_when: "training:first-aid"`, "checklists[start].tasks[course].done_when", "kurskatalog"},
		{"unknown condition", `done_when: "training:safety"`, `done_when: "coffee"`, "checklists[start].tasks[course].done_when", "Okänt villkor"},
		{"unknown owner", "owner: person", "owner: janitor", "checklists[start].tasks[course].owner", "Okänd ansvarig"},
		{"unknown event", "event: employment_start", "event: birthday", "checklists[start].event", "Okänd händelse"},
		{"template without tasks", "    tasks:\n      - id: course\n        title: {sv: Kursen gjord, en: Course done}\n        owner: person\n        due_days: 30\n        done_when: \"training:safety\"\n        source: {document: test.txt, section: \"5\", quote: \"vid början\"}\n", "    tasks: []\n", "checklists[start].tasks", "minst en uppgift"},
		{"leave without length", "leave_days: leave_limit", "leave_days: ''", "checklists[leave].leave_days", "hur lång"},
		{"leave length not a parameter", "leave_days: leave_limit", "leave_days: year", "checklists[leave].leave_days", "heltalsparameter"},
		{"task without source", `        source: {document: test.txt, section: "6", quote: "ledighet"}`, ``, "checklists[leave].tasks[back].source", "källa"},
		{"template id twice", "  - id: leave\n", "  - id: start\n", "checklists[start].id", "unikt id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := trainingPack()
			src := strings.Replace(base, tt.old, tt.new, 1)
			if src == base {
				t.Fatalf("the case changes nothing: %q not in the pack", tt.old)
			}
			p, err := Parse([]byte(src))
			if p != nil || err == nil {
				t.Fatal("Parse accepted the pack")
			}
			var e *distans.Error
			if !errors.As(err, &e) || e.Code != distans.EINVALID || e.Sv == "" || e.En == "" {
				t.Fatalf("err = %v, want *distans.Error EINVALID in both languages", err)
			}
			for _, f := range e.Fields {
				if f.Field == tt.field && strings.Contains(f.Sv, tt.sv) && f.En != "" {
					return
				}
			}
			t.Errorf("no field %q with %q in %+v", tt.field, tt.sv, e.Fields)
		})
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestTrainingDeadlinesPerPack is the training rule over each seed pack's
// catalogue: Kristianstad asks DISA of everyone within its
// training_deadline_days (30) of the first day and never renews it; the
// other four documents ask no course, so their DISA, offered by the
// generic catalogue, applies to no one.
func TestTrainingDeadlinesPerPack(t *testing.T) {
	t.Parallel()
	packs := seeds(t)
	start := day("2025-03-03")
	tests := []struct {
		pack, course string
		completed    string // empty: not completed
		today        string
		applies      bool
		state        distans.TrainingState
		due          string
		overdue      int
	}{
		{"kristianstad", "disa", "", "2025-03-03", true, distans.TrainingDue, "2025-04-02", 0},
		{"kristianstad", "disa", "", "2025-04-02", true, distans.TrainingDue, "2025-04-02", 0},
		{"kristianstad", "disa", "", "2025-04-03", true, distans.TrainingOverdue, "2025-04-02", 1},
		{"kristianstad", "disa", "", "2025-05-02", true, distans.TrainingOverdue, "2025-04-02", 30},
		{"kristianstad", "disa", "2025-03-20", "2030-01-01", true, distans.TrainingDone, "2025-04-02", 0},
		// Taken in an earlier job in the municipality: it counts.
		{"kristianstad", "disa", "2019-01-01", "2025-03-03", true, distans.TrainingDone, "2025-04-02", 0},
		{"stockholm", "disa", "", "2026-01-01", false, "", "", 0},
		{"vara", "disa", "", "2026-01-01", false, "", "", 0},
		{"bjurholm", "disa", "", "2026-01-01", false, "", "", 0},
		{"sorsele", "disa", "", "2026-01-01", false, "", "", 0},
	}
	for _, tt := range tests {
		c, ok := packs[tt.pack].Course(tt.course)
		if !ok {
			t.Errorf("%s: no course %s", tt.pack, tt.course)
			continue
		}
		s := &distans.TrainingSubject{PersonID: "p", EmployedFrom: start, Roles: []distans.Role{distans.RoleEmployee}}
		if tt.completed != "" {
			s.Completed = map[string]time.Time{tt.course: day(tt.completed)}
		}
		st, applies := distans.TrainingStatusOf(c, s, nil, day(tt.today))
		if applies != tt.applies {
			t.Errorf("%s %s on %s: applies = %v", tt.pack, tt.course, tt.today, applies)
			continue
		}
		if !applies {
			continue
		}
		if st.State != tt.state || st.DueOn.Format(time.DateOnly) != tt.due || st.DaysOverdue != tt.overdue {
			t.Errorf("%s %s completed %q on %s: %s due %s overdue %d, want %s due %s overdue %d", tt.pack, tt.course, tt.completed,
				tt.today, st.State, st.DueOn.Format(time.DateOnly), st.DaysOverdue, tt.state, tt.due, tt.overdue)
		}
		if st.Citation == "" || strings.Contains(st.Citation, ".txt") {
			t.Errorf("%s: citation %q", tt.pack, st.Citation)
		}
	}
}

// TestTrainingRenewal: a course with a renewal interval, as an
// organisation may set one, expires that many calendar months after the
// completion, and is due again at once.
func TestTrainingRenewal(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(trainingPack()))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.Course("safety")
	s := &distans.TrainingSubject{PersonID: "p", EmployedFrom: day("2024-01-15"), Roles: []distans.Role{distans.RoleManager},
		Completed: map[string]time.Time{"safety": day("2024-02-29")}}
	for _, tt := range []struct {
		today   string
		state   distans.TrainingState
		due     string
		overdue int
	}{
		{"2026-02-28", distans.TrainingDone, "2026-03-01", 0},
		{"2026-03-01", distans.TrainingExpired, "2026-03-01", 0},
		{"2026-03-11", distans.TrainingExpired, "2026-03-01", 10},
	} {
		st, ok := distans.TrainingStatusOf(c, s, nil, day(tt.today))
		if !ok || st.State != tt.state || st.DueOn.Format(time.DateOnly) != tt.due || st.DaysOverdue != tt.overdue {
			t.Errorf("on %s: %+v, want %s due %s overdue %d", tt.today, st, tt.state, tt.due, tt.overdue)
		}
	}
	// Not a manager: the course asks nothing of them.
	if _, ok := distans.TrainingStatusOf(c, &distans.TrainingSubject{Roles: []distans.Role{distans.RoleEmployee}}, nil, day("2026-01-01")); ok {
		t.Error("the course applies to an employee")
	}
}

// TestSeedChecklists holds the seed packs' templates to what the issue asks
// and the documents support.
func TestSeedChecklists(t *testing.T) {
	t.Parallel()
	packs := seeds(t)
	want := map[string]map[string][]string{
		"kristianstad": {
			"onboarding":  {"account", "acknowledgements", "disa"},
			"offboarding": {"work_material", "equipment_returned", "no_external_forwarding", "agreements_ended", "account_closed"},
		},
		"sorsele": {
			"onboarding":  {"account", "phone_number", "keywords", "acknowledgements"},
			"offboarding": {"equipment_returned", "no_external_forwarding", "agreements_ended", "account_closed"},
			"long-leave":  {"equipment_returned", "subscription_ended"},
		},
		"stockholm": {"onboarding": {"account", "acknowledgements"}, "offboarding": {"equipment_returned", "agreements_ended", "account_closed"}},
	}
	for slug, templates := range want {
		got := map[string]distans.ChecklistTemplate{}
		for _, x := range packs[slug].Checklists {
			got[x.ID] = x
		}
		for id, tasks := range templates {
			var ids []string
			for _, k := range got[id].Tasks {
				ids = append(ids, k.ID)
				if k.Citation == "" || strings.Contains(k.Citation, ".txt") {
					t.Errorf("%s/%s/%s: citation %q", slug, id, k.ID, k.Citation)
				}
			}
			if strings.Join(ids, ",") != strings.Join(tasks, ",") {
				t.Errorf("%s/%s: tasks %v, want %v", slug, id, ids, tasks)
			}
		}
	}
	var leave distans.ChecklistTemplate
	for _, x := range packs["sorsele"].Checklists {
		if x.ID == "long-leave" {
			leave = x
		}
	}
	if leave.LeaveDays != 365 || leave.Event != distans.EventLongLeave {
		t.Errorf("Sorsele's long leave: %+v", leave)
	}
	for _, x := range packs["kristianstad"].Checklists {
		if x.ID == "offboarding" && !strings.HasPrefix(x.Citation, "Kristianstads kommun, Instruktion för digital kommunikation") {
			t.Errorf("Kristianstad's offboarding cites %q", x.Citation)
		}
	}
}

// TestPreconditionRules: Kristianstad's rules block an agreement while
// DISA is missing or the instruction is not acknowledged; the other packs
// have none.
func TestPreconditionRules(t *testing.T) {
	t.Parallel()
	packs := seeds(t)
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		pack string
		in   Precondition
		want []string
	}{
		{"kristianstad", Precondition{}, nil},
		{"kristianstad", Precondition{TrainingMissing: []string{"disa"}}, []string{"kristianstad-precondition-disa"}},
		{"kristianstad", Precondition{DocumentsUnacknowledged: []string{"Instruktion för digital kommunikation"}}, []string{"kristianstad-precondition-instruction"}},
		{"kristianstad", Precondition{TrainingMissing: []string{"disa"}, DocumentsUnacknowledged: []string{"Instruktion för digital kommunikation – version 2"}},
			[]string{"kristianstad-precondition-disa", "kristianstad-precondition-instruction"}},
		{"kristianstad", Precondition{DocumentsUnacknowledged: []string{"Semesterregler"}}, nil},
		{"sorsele", Precondition{TrainingMissing: []string{"disa"}, DocumentsUnacknowledged: []string{"Policy"}}, nil},
		{"bjurholm", Precondition{TrainingMissing: []string{"disa"}}, nil},
	} {
		fs, err := packs[tt.pack].Check(KindPrecondition, tt.in, now)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, f.RuleID)
			if f.Severity != SeverityBlock || !strings.HasPrefix(f.Citation, "Kristianstads kommun") {
				t.Errorf("%s: %+v", f.RuleID, f)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s %+v: %v, want %v", tt.pack, tt.in, got, tt.want)
		}
	}
}
