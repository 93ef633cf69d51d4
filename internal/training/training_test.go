package training_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
	"github.com/distans/distans/internal/training"
)

// The store and the service read the clock (distans.NowFrom), so the
// tests count days from today in Stockholm, the organisations' time zone,
// or set the day with distans.WithNow.
var (
	stockholm, _ = time.LoadLocation("Europe/Stockholm")
	today        = distans.DateOf(distans.Now().In(stockholm))
)

func day(n int) time.Time { return today.AddDate(0, 0, n) }

var orgs atomic.Int64

// org is Kristianstad's pack (DISA for everyone within 30 days) over
//
//	Förvaltningen: Hedda (HR everywhere), Lena (ledning)
//	├── Enhet A: Åsa, Bo (both since 2020), Nils (since ten days), Kim (manager of A)
//	└── Enhet B: Berit, Olle (manager of B)
type org struct {
	s                                      *sqlstore.Store
	o                                      *distans.Organisation
	svc                                    *training.Service
	asa, bo, nils, kim, berit, olle, hedda *distans.Person
	lena                                   *distans.Person
	nilsStart                              time.Time
}

func setup(t *testing.T, s *sqlstore.Store) *org {
	t.Helper()
	o := &org{s: s, o: storetest.NewOrg(t, s, fmt.Sprintf("kristianstad-%d", orgs.Add(1))), nilsStart: day(-10)}
	id := o.o.ID
	sys := storetest.System(id)
	src, err := policy.SeedYAML("kristianstad")
	storetest.Must(t, err)
	storetest.Must(t, s.SavePolicyVersion(sys, 0, &distans.PolicyVersion{Source: string(src)}))
	root := storetest.NewUnit(t, s, id, "", "Förvaltningen", distans.UnitAdministration)
	a := storetest.NewUnit(t, s, id, root.ID, "Enhet A", distans.UnitSection)
	b := storetest.NewUnit(t, s, id, root.ID, "Enhet B", distans.UnitSection)
	o.asa = storetest.NewPerson(t, s, id, "Åsa Öberg", a.ID)
	o.bo = storetest.NewPerson(t, s, id, "Bo Berg", a.ID)
	o.nils = storetest.NewPerson(t, s, id, "Nils Ny", "")
	storetest.Must(t, s.CreateEmployment(sys, &distans.Employment{PersonID: o.nils.ID, UnitID: a.ID, Title: "Handläggare", StartsOn: o.nilsStart}))
	o.kim = storetest.NewPerson(t, s, id, "Kim Chef", a.ID)
	o.berit = storetest.NewPerson(t, s, id, "Berit Bäck", b.ID)
	o.olle = storetest.NewPerson(t, s, id, "Olle Chef", b.ID)
	o.hedda = storetest.NewPerson(t, s, id, "Hedda HR", root.ID)
	o.lena = storetest.NewPerson(t, s, id, "Lena Ledning", root.ID)
	storetest.Assign(t, s, o.kim, distans.RoleManager, a.ID)
	storetest.Assign(t, s, o.olle, distans.RoleManager, b.ID)
	storetest.Assign(t, s, o.hedda, distans.RoleHR, "")
	storetest.Assign(t, s, o.lena, distans.RoleLeadership, "")
	o.svc = training.New(training.Config{Store: s, Packs: policy.NewService(s, s), Organisations: s, Documents: s})
	return o
}

func (o *org) as(t *testing.T, p *distans.Person) context.Context { return storetest.As(t, o.s, p) }

func (o *org) completions(t *testing.T, p *distans.Person) []*distans.TrainingCompletion {
	t.Helper()
	cs, err := o.svc.ListCompletions(storetest.System(o.o.ID), p.ID)
	storetest.Must(t, err)
	return cs
}

func code(err error) string {
	if e, ok := err.(*distans.Error); ok {
		return e.Code
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func fieldSv(err error, field string) string {
	if e, ok := err.(*distans.Error); ok {
		for _, f := range e.Fields {
			if f.Field == field {
				return f.Sv
			}
		}
	}
	return ""
}

func TestRecordCompletion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		o := setup(t, s)
		// The person, and the manager of the person's unit.
		c, err := o.svc.RecordCompletion(o.as(t, o.asa), &distans.CompletionRequest{PersonID: o.asa.ID, CourseID: "disa", CompletedOn: day(-1)})
		storetest.Must(t, err)
		if c.ID == "" || c.PersonID != o.asa.ID || c.Source != distans.CompletionSelf {
			t.Fatalf("Åsa's own completion %+v", c)
		}
		c, err = o.svc.RecordCompletion(o.as(t, o.kim), &distans.CompletionRequest{PersonID: o.bo.ID, CourseID: "disa", CompletedOn: day(-2)})
		storetest.Must(t, err)
		if c.Source != distans.CompletionOther || c.RecordedByID != o.kim.ID {
			t.Fatalf("Kim's completion for Bo %+v", c)
		}

		for _, tc := range []struct {
			name  string
			who   *distans.Person
			r     distans.CompletionRequest
			codes []string
			field string
			sv    string
		}{
			{"another unit's manager", o.olle, distans.CompletionRequest{PersonID: o.nils.ID, CourseID: "disa", CompletedOn: day(-1)},
				[]string{distans.EFORBIDDEN, distans.ENOTFOUND}, "", ""},
			{"a colleague", o.bo, distans.CompletionRequest{PersonID: o.nils.ID, CourseID: "disa", CompletedOn: day(-1)},
				[]string{distans.EFORBIDDEN, distans.ENOTFOUND}, "", ""},
			{"tomorrow", o.nils, distans.CompletionRequest{PersonID: o.nils.ID, CourseID: "disa", CompletedOn: day(1)},
				[]string{distans.EINVALID}, "completed_on", "Datumet kan inte ligga i framtiden."},
			{"before the employment", o.nils, distans.CompletionRequest{PersonID: o.nils.ID, CourseID: "disa", CompletedOn: day(-11)},
				[]string{distans.EINVALID}, "completed_on", "Datumet kan inte vara före anställningens början (" + o.nilsStart.Format(time.DateOnly) + ")."},
			{"a course not in the catalogue", o.nils, distans.CompletionRequest{PersonID: o.nils.ID, CourseID: "körkort", CompletedOn: day(-1)},
				[]string{distans.EINVALID}, "course_id", "Kursen finns inte i organisationens kurskatalog."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.r
				_, err := o.svc.RecordCompletion(o.as(t, tc.who), &r)
				if !slices.Contains(tc.codes, code(err)) {
					t.Fatalf("err = %v, want one of %v", err, tc.codes)
				}
				if tc.field != "" && fieldSv(err, tc.field) != tc.sv {
					t.Fatalf("%s: %q, want %q", tc.field, fieldSv(err, tc.field), tc.sv)
				}
				if cs := o.completions(t, o.nils); len(cs) != 0 {
					t.Fatalf("saved %d completions for Nils", len(cs))
				}
			})
		}
		// The first day of the employment is allowed.
		_, err = o.svc.RecordCompletion(o.as(t, o.nils), &distans.CompletionRequest{CourseID: "disa", CompletedOn: o.nilsStart})
		storetest.Must(t, err)
		if cs := o.completions(t, o.nils); len(cs) != 1 || !cs[0].CompletedOn.Equal(o.nilsStart) {
			t.Fatalf("Nils's completions %+v", cs)
		}
	})
}

func TestCoverage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		o := setup(t, s)
		for _, p := range []*distans.Person{o.asa, o.bo} {
			_, err := o.svc.RecordCompletion(o.as(t, o.hedda), &distans.CompletionRequest{PersonID: p.ID, CourseID: "disa", CompletedOn: day(-3)})
			storetest.Must(t, err)
		}

		// Kim sees unit A with names: Kim himself overdue since 2020, Nils
		// due within his first 30 days, Åsa and Bo done.
		cov, err := o.svc.Coverage(o.as(t, o.kim), "disa", "")
		storetest.Must(t, err)
		if cov.Required != 4 || cov.Done != 2 || cov.Overdue != 1 || len(cov.PerUnit) != 1 || cov.PerUnit[0].UnitName != "Enhet A" {
			t.Fatalf("Kim's coverage %+v", cov)
		}
		var names []string
		for _, m := range cov.Missing {
			names = append(names, m.PersonName+":"+string(m.State))
		}
		if want := []string{"Kim Chef:overdue", "Nils Ny:due"}; !slices.Equal(names, want) {
			t.Fatalf("missing %v, want %v", names, want)
		}
		if cov.Missing[0].DaysOverdue < 365 || !strings.Contains(cov.Missing[0].Citation, "Utbildning") {
			t.Fatalf("Kim's standing %+v", cov.Missing[0])
		}

		// Lena in ledning sees the organisation in counts, without names.
		cov, err = o.svc.Coverage(o.as(t, o.lena), "disa", "")
		storetest.Must(t, err)
		if cov.Required != 8 || cov.Done != 2 || cov.Overdue != 5 || len(cov.Missing) != 0 || len(cov.PerUnit) != 3 {
			t.Fatalf("Lena's coverage %+v", cov)
		}
		js, err := json.Marshal(cov)
		storetest.Must(t, err)
		for _, p := range []*distans.Person{o.asa, o.bo, o.nils, o.kim, o.berit, o.olle, o.hedda, o.lena} {
			if strings.Contains(string(js), p.Name) || strings.Contains(string(js), p.ID) {
				t.Fatalf("ledning's coverage names %s: %s", p.Name, js)
			}
		}

		// Hedda (HR) sees everyone's names.
		cov, err = o.svc.Coverage(o.as(t, o.hedda), "disa", "")
		storetest.Must(t, err)
		if cov.Required != 8 || len(cov.Missing) != 6 {
			t.Fatalf("Hedda's coverage %+v", cov)
		}

		// An employee follows no one; an unknown course is not found.
		if _, err := o.svc.Coverage(o.as(t, o.asa), "disa", ""); code(err) != distans.EFORBIDDEN {
			t.Fatalf("Åsa: %v", err)
		}
		if _, err := o.svc.Coverage(o.as(t, o.kim), "körkort", ""); code(err) != distans.ENOTFOUND {
			t.Fatalf("unknown course: %v", err)
		}
	})
}

func TestPersonTraining(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		o := setup(t, s)
		at := func(d time.Time) context.Context {
			// Noon in Stockholm, so that the day is d whatever the offset.
			return distans.WithNow(o.as(t, o.nils), time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, stockholm))
		}
		due := o.nilsStart.AddDate(0, 0, 30)
		for _, tc := range []struct {
			name    string
			on      time.Time
			state   distans.TrainingState
			overdue int
		}{
			{"the first day", o.nilsStart, distans.TrainingDue, 0},
			{"the last day of the deadline", due, distans.TrainingDue, 0},
			{"the day after", due.AddDate(0, 0, 1), distans.TrainingOverdue, 1},
			{"a week after", due.AddDate(0, 0, 7), distans.TrainingOverdue, 7},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, err := o.svc.PersonTraining(at(tc.on), "")
				storetest.Must(t, err)
				if len(st) != 1 || st[0].CourseID != "disa" || st[0].State != tc.state || st[0].DaysOverdue != tc.overdue ||
					!st[0].DueOn.Equal(due) || !strings.Contains(st[0].Citation, "Kristianstad") {
					t.Fatalf("Nils on %s: %+v", tc.on.Format(time.DateOnly), st)
				}
			})
		}
		_, err := o.svc.RecordCompletion(o.as(t, o.nils), &distans.CompletionRequest{CourseID: "disa", CompletedOn: day(0)})
		storetest.Must(t, err)
		// DISA is not renewed in Kristianstad's pack: done holds years on.
		st, err := o.svc.PersonTraining(at(day(800)), "")
		storetest.Must(t, err)
		if len(st) != 1 || st[0].State != distans.TrainingDone || st[0].CompletedOn == nil || !st[0].CompletedOn.Equal(day(0)) {
			t.Fatalf("after the completion %+v", st)
		}
		// Kim follows Nils; Olle, the manager of another unit, does not.
		if st, err := o.svc.PersonTraining(o.as(t, o.kim), o.nils.ID); err != nil || len(st) != 1 {
			t.Fatalf("Kim on Nils: %v %+v", err, st)
		}
		if _, err := o.svc.PersonTraining(o.as(t, o.olle), o.nils.ID); code(err) != distans.ENOTFOUND {
			t.Fatalf("Olle on Nils: %v", err)
		}
	})
}

func TestImportCompletions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		o := setup(t, s)
		hr := o.as(t, o.hedda)
		good := "E-post;Kurs;Datum\n" + o.asa.Email + ";disa;2021-03-04\n" + strings.ToUpper(o.berit.Email) + ";disa;2022-05-06\n"

		if _, err := o.svc.ImportCompletions(o.as(t, o.kim), strings.NewReader(good), true); code(err) != distans.EFORBIDDEN {
			t.Fatalf("a manager imported: %v", err)
		}

		res, err := o.svc.ImportCompletions(hr, strings.NewReader(good), true)
		storetest.Must(t, err)
		if !res.DryRun || res.Rows != 2 || res.Recorded != 0 || len(res.Errors) != 0 {
			t.Fatalf("dry run %+v", res)
		}
		if len(o.completions(t, o.asa)) != 0 {
			t.Fatal("the dry run saved")
		}

		type rowErr struct {
			line   int
			column string
			sv     string
		}
		for _, tc := range []struct {
			name string
			csv  string
			want []rowErr
		}{
			{"a bad row of each kind", "E-post;Kurs;Datum\n" +
				o.asa.Email + ";disa;2021-03-04\n" +
				"ingen@example.se;disa;2021-03-04\n" +
				o.bo.Email + ";disa;4 mars 2021\n" +
				o.berit.Email + ";körkort;2021-03-04\n",
				[]rowErr{{3, "E-post", "Rad 3, kolumnen E-post: ingen person har e-postadressen \"ingen@example.se\"."},
					{4, "Datum", "Rad 4, kolumnen Datum: \"4 mars 2021\" är inget datum; ange ÅÅÅÅ-MM-DD."},
					{5, "Kurs", "Rad 5, kolumnen Kurs: kursen \"körkort\" finns inte i kurskatalogen."}}},
			{"the store refuses a date before the employment", "E-post;Kurs;Datum\n" +
				o.asa.Email + ";disa;2021-03-04\n" +
				o.nils.Email + ";disa;2021-03-04\n",
				[]rowErr{{3, "Datum", "Rad 3, kolumnen Datum: Datumet kan inte vara före anställningens början (" + o.nilsStart.Format(time.DateOnly) + ")."}}},
			{"no course column", "E-post;Datum\n" + o.asa.Email + ";2021-03-04\n",
				[]rowErr{{1, "Kurs", "Kolumnen Kurs saknas; den behövs i en fil med genomförda utbildningar."}}},
		} {
			// A dry run finds what the import finds.
			for _, dry := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s, dry run %v", tc.name, dry), func(t *testing.T) {
					res, err := o.svc.ImportCompletions(hr, strings.NewReader(tc.csv), dry)
					storetest.Must(t, err)
					var got []rowErr
					for _, e := range res.Errors {
						got = append(got, rowErr{e.Line, e.Column, e.Sv})
					}
					if !slices.Equal(got, tc.want) || res.Recorded != 0 {
						t.Fatalf("errors %+v, recorded %d\nwant %+v", got, res.Recorded, tc.want)
					}
					if len(o.completions(t, o.asa)) != 0 {
						t.Fatal("the good row was saved beside a bad one")
					}
				})
			}
		}

		res, err = o.svc.ImportCompletions(hr, strings.NewReader(good), false)
		storetest.Must(t, err)
		if res.DryRun || res.Rows != 2 || res.Recorded != 2 || len(res.Errors) != 0 {
			t.Fatalf("import %+v", res)
		}
		cs := o.completions(t, o.berit)
		if len(cs) != 1 || cs[0].Source != distans.CompletionImport || !cs[0].CompletedOn.Equal(storetest.Day(2022, 5, 6)) ||
			cs[0].RecordedByID != o.hedda.ID {
			t.Fatalf("Berit's completions %+v", cs)
		}
	})
}
