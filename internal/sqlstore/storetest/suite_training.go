package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

func init() {
	Suite = append(Suite,
		Test{"TrainingCompletions", TrainingCompletions},
		Test{"TrainingValidation", TrainingValidation},
		Test{"TrainingSubjects", TrainingSubjects},
		Test{"TrainingOverdueNotices", TrainingOverdueNotices},
		Test{"TrainingAcknowledgementReminders", TrainingAcknowledgementReminders},
	)
}

// completion records one completion as the actor in ctx.
func completion(personID, course string, on time.Time) *distans.TrainingCompletion {
	return &distans.TrainingCompletion{PersonID: personID, CourseID: course, CompletedOn: on}
}

// countNotes counts the notifications of a kind to the person.
func countNotes(t testing.TB, s *sqlstore.Store, p *distans.Person, kind distans.NotificationKind) int {
	t.Helper()
	ns, err := s.ListNotifications(As(t, s, p), false, 200)
	Must(t, err)
	n := 0
	for _, x := range ns {
		if x.Kind == kind {
			n++
		}
	}
	return n
}

func TrainingCompletions(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := As(t, s, w.EmpX1)
	pdf := &distans.Attachment{Name: "disa.pdf", ContentType: "application/pdf", Content: []byte("%PDF-1.7 intyg")}
	own := completion("", "disa", Day(2024, 3, 1))
	own.Certificate = pdf
	Must(t, s.CreateTrainingCompletions(ctx, []*distans.TrainingCompletion{own}))
	if own.ID == "" || own.Source != distans.CompletionSelf || own.RecordedByID != w.EmpX1.ID {
		t.Fatalf("recorded %+v", own)
	}
	wantLastAction(t, s, w.A.ID, "training.completion_recorded", own.ID)
	// The manager of X records one for the person in X1.
	byChef := completion(w.EmpX1.ID, "gdpr", Day(2024, 4, 1))
	Must(t, s.CreateTrainingCompletions(As(t, s, w.ChefX), []*distans.TrainingCompletion{byChef}))
	if byChef.Source != distans.CompletionOther {
		t.Fatalf("source %s", byChef.Source)
	}

	// Who sees the completion and its certificate.
	for _, tc := range []struct {
		name string
		who  *distans.Person
		code string
	}{
		{"the person", w.EmpX1, ""},
		{"a manager of the unit", w.ChefX, ""},
		{"HR over the unit", w.HRX, ""},
		{"the administrator", w.Admin, ""},
		{"a colleague in another unit", w.EmpY, distans.ENOTFOUND},
		{"the switchboard", w.Switchboard, distans.ENOTFOUND},
		{"another organisation", w.AdminB, distans.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := As(t, s, tc.who)
			_, err := s.FindTrainingCompletion(c, own.ID)
			WantCode(t, err, tc.code)
			f, err := s.TrainingCertificate(c, own.ID)
			WantCode(t, err, tc.code)
			if tc.code == "" && !bytes.Equal(f.Content, pdf.Content) {
				t.Fatalf("certificate %q", f.Content)
			}
			_, err = s.ListTrainingCompletions(c, w.EmpX1.ID)
			WantCode(t, err, tc.code)
			// Recording for the person: theirs, their managers' and HR's.
			err = s.CreateTrainingCompletions(c, []*distans.TrainingCompletion{completion(w.EmpX1.ID, "x", Day(2024, 5, 1))})
			if tc.who == w.Admin {
				WantCode(t, err, distans.EFORBIDDEN) // follows, but does not record
			} else {
				WantCode(t, err, tc.code)
			}
		})
	}
	_, err := s.TrainingCertificate(ctx, byChef.ID)
	WantCode(t, err, distans.ENOTFOUND)

	list, err := s.ListTrainingCompletions(ctx, "")
	Must(t, err)
	if len(list) < 3 || list[0].CompletedOn.Before(list[1].CompletedOn) || list[len(list)-1].ID != own.ID {
		t.Fatalf("list not newest first: %+v", list)
	}
	if list[len(list)-1].Certificate == nil || list[len(list)-1].Certificate.Content != nil {
		t.Fatalf("list certificate %+v", list[len(list)-1].Certificate)
	}

	// Removal: a reason is needed, the colleague cannot, the manager can.
	WantCode(t, s.RemoveTrainingCompletion(As(t, s, w.ChefX), own.ID, " "), distans.EINVALID)
	WantCode(t, s.RemoveTrainingCompletion(As(t, s, w.EmpY), own.ID, "fel"), distans.ENOTFOUND)
	WantCode(t, s.RemoveTrainingCompletion(As(t, s, w.AdminB), own.ID, "fel"), distans.ENOTFOUND)
	Must(t, s.RemoveTrainingCompletion(As(t, s, w.ChefX), own.ID, "Fel person"))
	wantLastAction(t, s, w.A.ID, "training.completion_removed", own.ID)
	_, err = s.FindTrainingCompletion(ctx, own.ID)
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.RemoveTrainingCompletion(As(t, s, w.ChefX), own.ID, "igen"), distans.ENOTFOUND)
	subs, err := s.TrainingSubjects(ctx, "", "")
	Must(t, err)
	if len(subs) != 1 || !subs[0].Completed["gdpr"].Equal(Day(2024, 4, 1)) {
		t.Fatalf("subjects after removal: %+v", subs)
	}
	if _, ok := subs[0].Completed["disa"]; ok {
		t.Fatal("a removed completion still counts")
	}

	// An import needs the importer's right.
	imp := completion(w.EmpX1.ID, "disa", Day(2023, 1, 1))
	imp.Source = distans.CompletionImport
	WantCode(t, s.CreateTrainingCompletions(As(t, s, w.HRX), []*distans.TrainingCompletion{imp}), distans.EFORBIDDEN)
	Must(t, s.CreateTrainingCompletions(As(t, s, w.Admin), []*distans.TrainingCompletion{imp}))
}

func TrainingValidation(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ctx := As(t, s, w.ChefX)
	today := agrToday()
	big := &distans.Attachment{Name: "x.pdf", ContentType: "application/pdf", Content: make([]byte, distans.MaxAttachment+1)}
	exe := &distans.Attachment{Name: "x.exe", ContentType: "application/octet-stream", Content: []byte("MZ")}
	for _, tc := range []struct {
		name  string
		rows  []*distans.TrainingCompletion
		field string
	}{
		{"in the future", []*distans.TrainingCompletion{completion(w.EmpX1.ID, "disa", today.AddDate(0, 0, 1))}, "completed_on"},
		{"before the employment", []*distans.TrainingCompletion{completion(w.EmpX1.ID, "disa", Day(2019, 12, 31))}, "completed_on"},
		{"no date", []*distans.TrainingCompletion{completion(w.EmpX1.ID, "disa", time.Time{})}, "completed_on"},
		{"no course", []*distans.TrainingCompletion{completion(w.EmpX1.ID, "", Day(2024, 1, 1))}, "course_id"},
		{"wrong type", []*distans.TrainingCompletion{{PersonID: w.EmpX1.ID, CourseID: "disa", CompletedOn: Day(2024, 1, 1), Certificate: exe}}, "certificate"},
		{"too large", []*distans.TrainingCompletion{{PersonID: w.EmpX1.ID, CourseID: "disa", CompletedOn: Day(2024, 1, 1), Certificate: big}}, "certificate"},
		{"one bad row of two", []*distans.TrainingCompletion{completion(w.EmpX1.ID, "disa", Day(2024, 1, 1)),
			completion(w.ChefX.ID, "disa", today.AddDate(0, 1, 0))}, "rows[1].completed_on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CreateTrainingCompletions(ctx, tc.rows)
			WantCode(t, err, distans.EINVALID)
			var e *distans.Error
			if !errorAs(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != tc.field || e.Fields[0].Sv == "" {
				t.Fatalf("fields %+v, want %s", e, tc.field)
			}
		})
	}
	for _, p := range []*distans.Person{w.EmpX1, w.ChefX} {
		list, err := s.ListTrainingCompletions(ctx, p.ID)
		Must(t, err)
		if len(list) != 0 {
			t.Fatalf("a refused row was saved: %+v", list)
		}
	}
}

func TrainingSubjects(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	a := w.A.ID
	gone := NewPerson(t, s, a, "Greta Gått", w.X1.ID)
	emps, err := s.ListEmployments(System(a), gone.ID)
	Must(t, err)
	Must(t, s.EndEmployment(System(a), emps[0].ID, Day(2021, 1, 1)))
	future := NewPerson(t, s, a, "Frans Framtid", "")
	Must(t, s.CreateEmployment(System(a), &distans.Employment{PersonID: future.ID, UnitID: w.X1.ID, Title: "T",
		StartsOn: agrToday().AddDate(0, 1, 0)}))
	Assign(t, s, w.EmpX1, distans.RoleIT, w.X1.ID)
	hr := As(t, s, w.HRX)
	Must(t, s.CreateTrainingCompletions(hr, []*distans.TrainingCompletion{
		completion(w.EmpX1.ID, "disa", Day(2021, 1, 1)), completion(w.EmpX1.ID, "disa", Day(2023, 6, 1)),
		completion(w.EmpX1.ID, "gdpr", Day(2022, 1, 1)), completion(w.ChefX.ID, "disa", Day(2020, 5, 5))}))

	subs, err := s.TrainingSubjects(hr, w.X.ID, "")
	Must(t, err)
	got := map[string]*distans.TrainingSubject{}
	for _, x := range subs {
		got[x.PersonID] = x
	}
	if len(subs) != 3 || got[gone.ID] != nil || got[future.ID] != nil {
		t.Fatalf("subjects of X: %d, %+v", len(subs), subs)
	}
	e := got[w.EmpX1.ID]
	if e == nil || e.UnitID != w.X1.ID || e.UnitName != "Enhet X1" || e.UnitPath == "" || !e.EmployedFrom.Equal(Day(2020, 1, 1)) ||
		len(e.Roles) != 1 || e.Roles[0] != distans.RoleIT || !e.Completed["disa"].Equal(Day(2023, 6, 1)) ||
		!e.Completed["gdpr"].Equal(Day(2022, 1, 1)) {
		t.Fatalf("EmpX1's subject %+v", e)
	}
	if !got[w.ChefX.ID].Completed["disa"].Equal(Day(2020, 5, 5)) {
		t.Fatalf("ChefX %+v", got[w.ChefX.ID])
	}
	// One course's completions only, for its coverage page, over a unit
	// and over the whole organisation.
	for _, unit := range []string{w.X.ID, ""} {
		subs, err = s.TrainingSubjects(As(t, s, w.Admin), unit, "", "gdpr")
		Must(t, err)
		for _, x := range subs {
			if x.PersonID == w.EmpX1.ID && (len(x.Completed) != 1 || !x.Completed["gdpr"].Equal(Day(2022, 1, 1))) ||
				x.PersonID != w.EmpX1.ID && len(x.Completed) != 0 {
				t.Fatalf("gdpr only, unit %q: %s %+v", unit, x.PersonName, x.Completed)
			}
		}
	}

	for _, tc := range []struct {
		name string
		who  *distans.Person
		unit string
		want int
	}{
		{"the manager of X, their scope", w.ChefX, "", 3},
		{"HR in X", w.HRX, "", 3},
		{"the administrator, everyone", w.Admin, "", 6},
		{"a person, themselves", w.EmpY, "", 1},
		{"another organisation", w.AdminB, "", 2},
		{"the manager of X asks for Y", w.ChefX, w.Y.ID, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subs, err := s.TrainingSubjects(As(t, s, tc.who), tc.unit, "")
			Must(t, err)
			if len(subs) != tc.want {
				t.Fatalf("%d subjects, want %d", len(subs), tc.want)
			}
			for _, x := range subs {
				if tc.who == w.AdminB && (x.PersonID == w.EmpX1.ID || x.PersonID == w.EmpY.ID) {
					t.Fatal("B sees A's people")
				}
			}
		})
	}
	one, err := s.TrainingSubjects(As(t, s, w.EmpX1), "", w.EmpX1.ID)
	Must(t, err)
	if len(one) != 1 || one[0].PersonID != w.EmpX1.ID {
		t.Fatalf("own subject %+v", one)
	}
	_, err = s.TrainingSubjects(As(t, s, w.EmpY), "", w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.TrainingSubjects(As(t, s, w.AdminB), "", w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.TrainingSubjects(As(t, s, w.AdminB), w.X.ID, "")
	WantCode(t, err, distans.ENOTFOUND)
}

func TrainingOverdueNotices(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	today := Day(2020, 3, 1) // everyone began on 2020-01-01
	disa := &distans.Course{ID: "disa", Audience: distans.CourseAudience{Everyone: true}, DeadlineDays: 30, Citation: "003 Utbildning"}
	renewed := &distans.Course{ID: "gdpr", Audience: distans.CourseAudience{Roles: []distans.Role{distans.RoleHR}}, DeadlineDays: 30, RenewMonths: 1}
	Must(t, s.CreateTrainingCompletions(As(t, s, w.HRX), []*distans.TrainingCompletion{
		completion(w.HRX.ID, "disa", Day(2020, 1, 2)), completion(w.ChefX.ID, "disa", Day(2020, 1, 3)),
		completion(w.HRX.ID, "gdpr", Day(2020, 1, 2))}))
	cat := func(org string) ([]*distans.Course, map[string]string, error) {
		if org == w.B.ID {
			return nil, nil, nil
		}
		return []*distans.Course{disa, renewed}, map[string]string{}, nil
	}
	// Overdue with DISA in X's subtree: EmpX1 only (HRX and ChefX are
	// done); HRX's gdpr has expired. ChefX is told of both, once each.
	sys := System("")
	if _, err := s.TrainingOverdueNotices(As(t, s, w.EmpX1), today, cat); err == nil {
		t.Fatal("a person ran the job")
	}
	n, err := s.TrainingOverdueNotices(sys, today, cat)
	Must(t, err)
	if n == 0 {
		t.Fatal("no notices")
	}
	if got := countNotes(t, s, w.ChefX, distans.NotifyTrainingOverdue); got != 2 {
		t.Fatalf("ChefX has %d notices, want 2 (EmpX1's disa, HRX's gdpr)", got)
	}
	if got := countNotes(t, s, w.EmpX1, distans.NotifyTrainingOverdue); got != 0 {
		t.Fatalf("EmpX1 was told %d times", got)
	}
	again, err := s.TrainingOverdueNotices(sys, today.AddDate(0, 0, 1), cat)
	Must(t, err)
	if again != 0 || countNotes(t, s, w.ChefX, distans.NotifyTrainingOverdue) != 2 {
		t.Fatalf("a second run made %d notices", again)
	}
	// Recording the course ends it: nothing new for EmpX1 the day after.
	Must(t, s.CreateTrainingCompletions(As(t, s, w.EmpX1), []*distans.TrainingCompletion{completion("", "disa", Day(2020, 3, 1))}))
	ns, err := s.ListNotifications(As(t, s, w.EmpB), false, 50)
	Must(t, err)
	if len(ns) != 0 {
		t.Fatalf("B without a catalogue was notified: %+v", ns)
	}
}

func TrainingAcknowledgementReminders(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	doc := &distans.PolicyDocument{Title: "Informationssäkerhetsinstruktion", Body: "Läs den.", Required: true}
	Must(t, s.PublishDocument(admin, doc))
	xdoc := &distans.PolicyDocument{Title: "X:s rutin", Body: "Bara X.", Required: true, UnitID: w.X.ID}
	Must(t, s.PublishDocument(admin, xdoc))
	_, err := s.Acknowledge(As(t, s, w.EmpY), doc.ID, 0)
	Must(t, err)
	published := agrToday()
	deadlines := func(string) (int, int, error) { return 30, 7, nil }
	sys := System("")

	n, err := s.AcknowledgementReminders(sys, published.AddDate(0, 0, 22), deadlines)
	Must(t, err)
	if n != 0 {
		t.Fatalf("%d reminders eight days before the deadline", n)
	}
	n, err = s.AcknowledgementReminders(sys, published.AddDate(0, 0, 23), deadlines)
	Must(t, err)
	// doc: everyone in A but EmpY (5); xdoc: HRX, ChefX, EmpX1.
	if n != 8 {
		t.Fatalf("%d reminders, want 8", n)
	}
	if countNotes(t, s, w.EmpX1, distans.NotifyAcknowledgeReminder) != 2 || countNotes(t, s, w.EmpY, distans.NotifyAcknowledgeReminder) != 0 ||
		countNotes(t, s, w.EmpB, distans.NotifyAcknowledgeReminder) != 0 {
		t.Fatal("reminders went to the wrong people")
	}
	n, err = s.AcknowledgementReminders(sys, published.AddDate(0, 0, 40), deadlines)
	Must(t, err)
	if n != 0 {
		t.Fatalf("reminded again: %d", n)
	}
	// A new version asks again.
	_, err = s.PublishDocumentVersion(admin, doc.ID, distans.DocumentUpdate{Version: doc.Version, Body: "Läs den igen."})
	Must(t, err)
	n, err = s.AcknowledgementReminders(sys, published.AddDate(0, 0, 23), deadlines)
	Must(t, err)
	if n != 6 || countNotes(t, s, w.EmpY, distans.NotifyAcknowledgeReminder) != 1 {
		t.Fatalf("%d reminders of the new version, want 6", n)
	}
}
