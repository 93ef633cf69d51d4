package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// BenchmarkTrainingSubjects times what a coverage page reads: the
// subjects of a manager's unit (a few hundred people) and of the whole
// organisation, in one organisation of DISTANS_BENCH_TRAINING_PEOPLE
// people (the figure is 50,000) in sections of 250, each with
// three courses' completions and a checklist.
//
//	DISTANS_BENCH_TRAINING_PEOPLE=50000 go test ./internal/sqlstore -run '^$' -bench TrainingSubjects
func BenchmarkTrainingSubjects(b *testing.B) {
	people := benchEnv("DISTANS_BENCH_TRAINING_PEOPLE", 5000)
	freshBenchStores(b, func(b *testing.B, s *Store) {
		today := distans.DateOf(distans.Now())
		orgs := seedTraining(b, s, 1, people, max(people/250, 1), today)
		org := orgs[0]
		manager := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: org.id, PersonID: org.chefs[0],
			Grants: []distans.Grant{{Role: distans.RoleManager, UnitID: org.sections[0].ID, UnitPath: org.sections[0].Path}}})
		hr := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: org.id, PersonID: org.chefs[1],
			Grants: []distans.Grant{{Role: distans.RoleHR}}})
		for _, tc := range []struct {
			name    string
			ctx     context.Context
			want    int
			courses []string
		}{
			{"manager's unit", manager, people / len(org.sections), nil},
			{"organisation", hr, people, nil},
			// What the coverage page of one course asks.
			{"organisation, one course", hr, people, []string{"disa"}},
		} {
			b.Run(tc.name, func(b *testing.B) {
				for b.Loop() {
					subs, err := s.TrainingSubjects(tc.ctx, "", "", tc.courses...)
					if err != nil {
						b.Fatal(err)
					}
					if len(subs) < tc.want {
						b.Fatalf("%d subjects, want at least %d", len(subs), tc.want)
					}
				}
			})
		}
	})
}

// BenchmarkTrainingDailyJob times the daily job of issue 16 over every
// organisation: TrainingOverdueNotices, OpenChecklists, TickDoneTasks and
// ChecklistDeadlines, on DISTANS_BENCH_TRAINING_PEOPLE people over
// DISTANS_BENCH_TRAINING_ORGS organisations (the figure is 50,000
// over 290). A tenth of the people began five days ago and have an open
// checklist; a twentieth are overdue with a course. The first round makes
// the notices; the rounds after it are the job's ordinary day.
//
//	DISTANS_BENCH_TRAINING_PEOPLE=50000 DISTANS_BENCH_TRAINING_ORGS=290 \
//	  go test ./internal/sqlstore -run '^$' -bench TrainingDailyJob
func BenchmarkTrainingDailyJob(b *testing.B) {
	people, orgCount := benchEnv("DISTANS_BENCH_TRAINING_PEOPLE", 4000), benchEnv("DISTANS_BENCH_TRAINING_ORGS", 4)
	freshBenchStores(b, func(b *testing.B, s *Store) {
		today := distans.DateOf(distans.Now())
		seedTraining(b, s, orgCount, people, 10, today)
		courses := []*distans.Course{
			{ID: "disa", Audience: distans.CourseAudience{Everyone: true}, DeadlineDays: 30},
			{ID: "gdpr", Audience: distans.CourseAudience{Everyone: true}, DeadlineDays: 60, RenewMonths: 36},
			{ID: "it", Audience: distans.CourseAudience{Roles: []distans.Role{distans.RoleManager}}, DeadlineDays: 90},
		}
		catalogue := func(string) ([]*distans.Course, map[string]string, error) { return courses, map[string]string{}, nil }
		tpls := []distans.ChecklistTemplate{{ID: "onboarding", Event: distans.EventEmploymentStart, LeadDays: 7,
			Title: distans.PolicyText{Sv: "Ny"}, Tasks: []distans.TemplateTask{
				{ID: "account", Title: distans.PolicyText{Sv: "Konto"}, Owner: distans.OwnerIT, DueDays: -1},
				{ID: "disa", Title: distans.PolicyText{Sv: "DISA"}, Owner: distans.OwnerPerson, DueDays: 30, DoneWhen: "training:disa"},
				{ID: "phone", Title: distans.PolicyText{Sv: "Telefon"}, Owner: distans.OwnerPerson, DueDays: 7, DoneWhen: distans.DonePhoneRegistered},
			}}}
		templates := func(string) ([]distans.ChecklistTemplate, int, error) { return tpls, 1, nil }
		sys := distans.NewContext(context.Background(), distans.SystemActor(""))
		for b.Loop() {
			if _, err := s.TrainingOverdueNotices(sys, today, catalogue); err != nil {
				b.Fatal(err)
			}
			if _, err := s.OpenChecklists(sys, today, templates); err != nil {
				b.Fatal(err)
			}
			if _, err := s.TickDoneTasks(sys, today); err != nil {
				b.Fatal(err)
			}
			if _, _, err := s.ChecklistDeadlines(sys, today); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type benchTrainingOrg struct {
	id       string
	sections []*distans.Unit
	chefs    []string
}

// seedTraining makes orgs organisations of sections sections with a
// manager each and people people in all, with multi-row inserts: each
// person has three courses' completions (a twentieth lack DISA) and a
// checklist of three tasks, open for the tenth who began five days ago.
func seedTraining(b *testing.B, s *Store, orgs, people, sections int, today time.Time) []benchTrainingOrg {
	b.Helper()
	stamp := ts(now(context.Background()))
	sys := distans.NewContext(context.Background(), distans.SystemActor(""))
	perOrg := people / orgs
	var out []benchTrainingOrg
	for o := range orgs {
		org := &distans.Organisation{Slug: fmt.Sprintf("bench-%d", o), Name: "Bench", TimeZone: "Europe/Stockholm", Language: "sv"}
		if err := s.CreateOrganisation(sys, org); err != nil {
			b.Fatal(err)
		}
		bo := benchTrainingOrg{id: org.ID}
		ctx := distans.NewContext(context.Background(), distans.SystemActor(org.ID))
		root := &distans.Unit{Name: "Förvaltning", Kind: distans.UnitAdministration}
		if err := s.CreateUnit(ctx, root); err != nil {
			b.Fatal(err)
		}
		for j := range sections {
			u := &distans.Unit{Name: fmt.Sprintf("Enhet %d", j), Kind: distans.UnitSection, ParentID: root.ID}
			if err := s.CreateUnit(ctx, u); err != nil {
				b.Fatal(err)
			}
			bo.sections = append(bo.sections, u)
		}
		rows := map[string][][]any{}
		add := func(table string, vals ...any) { rows[table] = append(rows[table], vals) }
		for j, u := range bo.sections {
			chef := newID()
			bo.chefs = append(bo.chefs, chef)
			add("people", org.ID, chef, fmt.Sprintf("Chef %d", j), fmt.Sprintf("chef%d@example.se", j), u.ID, u.Path, "", stamp)
			add("employments", org.ID, newID(), chef, u.ID, "2020-01-01", stamp)
			add("role_assignments", org.ID, newID(), chef, string(distans.RoleManager), u.ID, stamp)
		}
		for i := range perOrg {
			u := bo.sections[i%len(bo.sections)]
			p, emp := newID(), newID()
			phone := ""
			if i%3 == 0 {
				phone = "070-1234567"
			}
			add("people", org.ID, p, fmt.Sprintf("Person %d", i), fmt.Sprintf("p%d@example.se", i), u.ID, u.Path, phone, stamp)
			start, state := "2020-01-01", "done"
			if i%10 == 0 {
				start, state = day(today.AddDate(0, 0, -5)), "open"
			}
			add("employments", org.ID, emp, p, u.ID, start, stamp)
			for _, c := range []string{"disa", "gdpr", "it"} {
				if c == "disa" && i%20 == 1 {
					continue
				}
				add("training_completions", org.ID, newID(), p, c, "2024-01-01", "import", stamp)
			}
			cl := newID()
			add("checklists", org.ID, cl, "onboarding", "employment_start", "Ny", p, emp, start, state, stamp)
			for k, t := range []struct{ id, owner, done string }{{"account", "it", ""}, {"disa", "person", "training:disa"},
				{"phone", "person", "phone_registered"}} {
				ev, _ := parseDay(start)
				add("checklist_tasks", org.ID, newID(), cl, k, t.id, t.id, t.owner, day(ev.AddDate(0, 0, 3*k-1)), t.done, state)
			}
		}
		err := s.write(context.Background(), func(tx *sql.Tx) error {
			for _, t := range []struct{ table, cols, extra string }{
				{"people", "organisation_id, id, name, email, unit_id, unit_path, phone, created_at, employee_number, personal_number, language, search, name_key, updated_at",
					", '', '', 'sv', '', ''"},
				{"employments", "organisation_id, id, person_id, unit_id, starts_on, created_at, title, updated_at", ", 'Handläggare'"},
				{"role_assignments", "organisation_id, id, person_id, role, unit_id, created_at", ""},
				{"training_completions", "organisation_id, id, person_id, course_id, completed_on, source, created_at", ""},
				{"checklists", "organisation_id, id, template_id, event, title_sv, person_id, source_id, event_on, state, opened_at, version", ""},
				{"checklist_tasks", "organisation_id, id, checklist_id, position, task_id, title_sv, owner, due_on, done_when, state", ""},
			} {
				all := rows[t.table]
				for start := 0; start < len(all); start += 500 {
					var a args
					var vals []string
					for _, r := range all[start:min(start+500, len(all))] {
						ph := make([]string, len(r))
						for c, v := range r {
							ph[c] = a.add(v)
						}
						switch t.table {
						case "people", "employments":
							vals = append(vals, "("+strings.Join(ph, ", ")+t.extra+", "+ph[len(ph)-1]+")")
						case "checklists":
							vals = append(vals, "("+strings.Join(ph, ", ")+", 1)")
						default:
							vals = append(vals, "("+strings.Join(ph, ", ")+")")
						}
					}
					if _, err := tx.Exec(`INSERT INTO `+t.table+` (`+t.cols+`) VALUES `+strings.Join(vals, ", "), a...); err != nil {
						return fmt.Errorf("%s: %w", t.table, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, bo)
	}
	if s.dialect.name == "postgres" {
		if _, err := s.wdb.Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	return out
}
