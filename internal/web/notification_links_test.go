package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/auth"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// allNotificationKinds is every kind of notification.go but
// NotifyIncidentClosed, which the incident journeys make (closing needs
// every clock recorded); the test below fails when one of them is not
// produced.
var allNotificationKinds = []distans.NotificationKind{distans.NotifyRequestWaiting, distans.NotifyDecisionMade,
	distans.NotifySignatureNeeded, distans.NotifyAgreementActive, distans.NotifyExpiring, distans.NotifyFollowUpDue,
	distans.NotifyFollowUpOverdue, distans.NotifyAgreementEnded, distans.NotifyNewManagerAssess, distans.NotifyBookingCancelled,
	distans.NotifyIncidentReported, distans.NotifyIncidentAssigned, distans.NotifyIncidentDeadlineNear,
	distans.NotifyIncidentDeadlinePassed}

// TestNotificationLinksOpenForRecipient makes every kind of notification
// in a real scenario on the Bjurholm demo (a request taken to signatures,
// the reminder and housekeeping jobs, an agreement ended by the manager,
// the employee moved to another unit, a desk taken out of use), then signs
// in as each recipient and follows the link of each of their notifications:
// every one opens a page (200), and its text fits its reader.
func TestNotificationLinksOpenForRecipient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "bjurholm"
	sys := e.system(slug)
	svc := e.svc
	loc, _ := time.LoadLocation("Europe/Stockholm")
	today := distans.DateOf(distans.Now().In(loc))
	emp := e.person(slug, account(slug, distans.RoleEmployee))
	chef := e.person(slug, account(slug, distans.RoleManager))
	empCtx, chefCtx := storetest.As(t, e.store, emp), storetest.As(t, e.store, chef)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// The employee's request, through to both signatures, the manager first.
	a, err := svc.Agreements.Request(empCtx, &distans.AgreementRequest{Weekdays: []string{"tue"}, Place: "Storgatan 1, Bjurholm",
		Start: today.AddDate(0, 0, 7), End: today.AddDate(0, 6, 0), Tasks: "Utredningar", Reasons: "Koncentrationskrävande arbete"})
	must(err)
	a, err = svc.Agreements.SaveAssessment(chefCtx, a.ID, a.Version, &distans.Assessment{Operation: "Fungerar", Individual: "Van",
		Extent: "En dag", Availability: "Telefon och Teams", Meetings: "APT på plats", CommonDays: "Måndagar"})
	must(err)
	answers := map[string]distans.RiskAnswer{}
	for _, k := range distans.RiskItems {
		answers[k] = distans.RiskAnswer{OK: true}
	}
	a, err = svc.Agreements.AnswerRisk(empCtx, a.ID, a.Version, answers)
	must(err)
	a, err = svc.Agreements.ReviewRisk(chefCtx, a.ID, a.Version, distans.RiskAcceptable, "")
	must(err)
	a, err = svc.Agreements.Decide(chefCtx, a.ID, a.Version, true, "Verksamheten tillåter det")
	must(err)
	terms := *a.Terms
	terms.Equipment, terms.Conditions, terms.TaxWorkplace = []string{"computer"}, "Eget arbetsrum", "main"
	terms.PhysicalMeetings = "Inga fysiska möten med brukare på distansarbetsplatsen."
	a, err = svc.Agreements.SaveTerms(chefCtx, a.ID, a.Version, &terms)
	must(err)
	terms.Comments = map[string]string{}
	for _, f := range a.Findings {
		terms.Comments[f.RuleID] = "Vi har talat om det."
	}
	a, err = svc.Agreements.SaveTerms(chefCtx, a.ID, a.Version, &terms)
	must(err)
	hash := func(ctx context.Context) string {
		t.Helper()
		got, err := svc.Agreements.FindAgreement(ctx, a.ID)
		must(err)
		_, place, err := svc.Agreements.RevealRemotePlace(ctx, a.ID)
		must(err)
		full := *got.Terms
		full.RemotePlace = place
		return full.Hash(got.ID, got.PersonID)
	}
	a, err = svc.Agreements.Sign(chefCtx, a.ID, a.Version, distans.SignerManager, hash(chefCtx), demo.Password)
	must(err)
	a, err = svc.Agreements.Sign(empCtx, a.ID, a.Version, distans.SignerEmployee, hash(empCtx), demo.Password)
	must(err)
	if a.State != distans.AgreementActive {
		t.Fatalf("state %s after both signatures", a.State)
	}

	// The reminder job over the demo's active agreements, today and in
	// two weeks (when a follow-up falls due).
	for _, d := range []time.Time{today, today.AddDate(0, 0, 14)} {
		_, err = e.store.QueueReminders(sys, d)
		must(err)
	}

	// The incident deadline job over the demo's incidents, a day and a
	// week after now: reminders before their deadlines, escalations after.
	for _, d := range []time.Duration{24 * time.Hour, 7 * 24 * time.Hour} {
		_, err = e.store.IncidentDeadlines(sys, distans.Now().Add(d), loc)
		must(err)
	}

	// The manager ends another person's agreement after a dialogue.
	var other *distans.Agreement
	for _, ag := range e.agreementsOf(slug, distans.AgreementFilter{}) {
		if ag.State == distans.AgreementActive && ag.UnitID == chef.UnitID && ag.PersonID != emp.ID {
			other = ag
			break
		}
	}
	if other == nil {
		t.Fatal("no active demo agreement in the chef's unit")
	}
	_, err = svc.Agreements.End(chefCtx, other.ID, other.Version, distans.EndByManager, "Vi har talat om det och är överens.", today)
	must(err)

	// The employee moves to another unit; the housekeeping job ends the
	// agreement and tells the new unit's managers.
	units, err := svc.Units.ListUnits(sys, distans.UnitFilter{})
	must(err)
	newUnit := ""
	for _, u := range units {
		if u.ID != emp.UnitID && u.ParentID != "" {
			newUnit = u.ID
			break
		}
	}
	emps, err := svc.People.ListEmployments(sys, emp.ID)
	must(err)
	must(svc.People.EndEmployment(sys, emps[0].ID, today.AddDate(0, 0, -1)))
	must(svc.People.CreateEmployment(sys, &distans.Employment{PersonID: emp.ID, UnitID: newUnit, Title: "Handläggare", StartsOn: today}))
	_, err = e.store.EndAgreements(sys, today)
	must(err)

	// A desk with a booking is taken out of use.
	sites, err := svc.Sites.ListSites(sys, false)
	must(err)
	booked := false
	for _, s := range sites {
		desks, err := svc.Office.ListDesks(sys, s.ID, false)
		must(err)
		day := today.AddDate(0, 0, 7)
		for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = day.AddDate(0, 0, 1)
		}
		for _, d := range desks {
			if err := svc.Office.Book(chefCtx, &distans.Booking{SiteID: s.ID, DeskID: d.ID, PersonID: chef.ID, Date: day, Part: distans.PartDay}); err != nil {
				continue
			}
			must(svc.Office.EndDesk(sys, d.ID, today))
			booked = true
			break
		}
		if booked {
			break
		}
	}
	if !booked {
		t.Fatal("no desk could be booked")
	}

	// Every recipient signs in and follows the link of each notification.
	seen := followNotifications(t, e, slug)
	t.Logf("followed: %v", seen)
	// The employee was asked to sign once, when the manager had signed:
	// not also for the draft terms of the approval.
	if n := countKind(t, e, empCtx, distans.NotifySignatureNeeded); n != 1 {
		t.Errorf("the employee was asked to sign %d times", n)
	}
	for _, k := range allNotificationKinds {
		if seen[k] == 0 {
			t.Errorf("no %s was made", k)
		}
	}
}

// followNotifications signs in as every person of the organisation slug
// who has notifications, follows the link of each and checks that it
// opens a page whose text fits its reader; it returns how many of each
// kind it followed.
func followNotifications(t *testing.T, e *env, slug string) map[distans.NotificationKind]int {
	t.Helper()
	sys := e.system(slug)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	people, _, err := e.svc.People.ListPeople(sys, distans.PersonFilter{Limit: 500})
	must(err)
	hashed, err := auth.HashPassword(demo.Password)
	must(err)
	o, err := e.store.FindOrganisationBySlug(sys, slug)
	must(err)
	seen := map[distans.NotificationKind]int{}
	for _, p := range people {
		list, err := e.svc.Notifications.ListNotifications(storetest.As(t, e.store, p), false, 100)
		must(err)
		if len(list) == 0 {
			continue
		}
		// Most recipients are demo people without an account of their own.
		must(e.store.SetPasswordHash(sys, o.ID, p.ID, hashed))
		// Some recipients (the IT consultant) serve several organisations.
		c := e.client().signInTo(p.Email, slug)
		for _, n := range list {
			seen[n.Kind]++
			res := c.get(n.Link)
			if res.status != http.StatusOK || !strings.Contains(res.body, "<html") {
				t.Errorf("%s to %s: GET %s answers %d\n%.300s", n.Kind, p.Name, n.Link, res.status, text(res.body))
			}
			checkFits(t, e, sys, n, p)
		}
	}
	return seen
}

// TestTrainingNotificationLinksOpen makes, on the Kristianstad demo three
// months on, the notices of training and checklists: the managers told of
// who is overdue with Disa, the people reminded of a required document,
// the owners reminded of a checklist's tasks and the managers told of
// those overdue; each opens a page for its reader.
func TestTrainingNotificationLinksOpen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "kristianstad"
	sys := e.system(slug)
	pack, _, err := policy.NewService(e.store, e.store).Active(sys)
	if err != nil {
		t.Fatal(err)
	}
	later := distans.DateOf(distans.Now()).AddDate(0, 3, 0)
	catalogue := func(string) ([]*distans.Course, map[string]string, error) {
		return pack.Courses, map[string]string{}, nil
	}
	if n, err := e.store.TrainingOverdueNotices(sys, later, catalogue); err != nil || n == 0 {
		t.Fatalf("overdue notices: %d %v", n, err)
	}
	if _, err := e.store.AcknowledgementReminders(sys, later, func(string) (int, int, error) { return 30, 7, nil }); err != nil {
		t.Fatal(err)
	}
	if r, x, err := e.store.ChecklistDeadlines(sys, later); err != nil || r+x == 0 {
		t.Fatalf("checklist deadlines: %d %d %v", r, x, err)
	}
	seen := followNotifications(t, e, slug)
	t.Logf("followed: %v", seen)
	for _, k := range []distans.NotificationKind{distans.NotifyTrainingOverdue, distans.NotifyChecklistOpened, distans.NotifyTaskOverdue} {
		if seen[k] == 0 {
			t.Errorf("no %s was made", k)
		}
	}
}

func countKind(t *testing.T, e *env, ctx context.Context, kind distans.NotificationKind) int {
	t.Helper()
	list, err := e.svc.Notifications.ListNotifications(ctx, false, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range list {
		if x.Kind == kind {
			n++
		}
	}
	return n
}

// checkFits: a notification about an agreement speaks to the employee as
// "du" and of the employee to anyone else.
func checkFits(t *testing.T, e *env, sys context.Context, n *distans.Notification, to *distans.Person) {
	t.Helper()
	if !strings.HasPrefix(n.Key, "agreement/") {
		return
	}
	id := strings.Split(n.Key, "/")[1]
	ag, err := e.store.FindAgreement(sys, id)
	if err != nil {
		t.Fatal(err)
	}
	_, body := notify.Text(n, "sv")
	forEmployee := []string{"du har bytt enhet", "ditt distansarbete", "din anställning"}
	forOthers := []string{"medarbetaren har bytt enhet", "Genomför uppföljningen", "Som ny chef"}
	wrong := forEmployee
	if ag.PersonID == to.ID {
		wrong = forOthers
	}
	for _, bad := range wrong {
		if strings.Contains(body, bad) {
			t.Errorf("%s to %s (the agreement's person: %v) reads %q:\n%s", n.Kind, to.Name, ag.PersonID == to.ID, bad, body)
		}
	}
}
