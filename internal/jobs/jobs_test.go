package jobs_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/checkpoint"
	"github.com/distans/distans/internal/incident"
	"github.com/distans/distans/internal/jobs"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/presence"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// fixture is an organisation with a site that requires check-in from
// midnight, a person with a booking for today, and a status for today.
type fixture struct {
	s       *sqlstore.Store
	svc     *presence.Service
	org     *distans.Organisation
	person  *distans.Person
	booking *distans.Booking
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := storetest.SQLite(t)
	f := &fixture{s: s, svc: presence.New(s, policy.NewService(s, s), nil)}
	f.org = storetest.NewOrg(t, s, "jobb")
	sys := storetest.System(f.org.ID)
	u := storetest.NewUnit(t, s, f.org.ID, "", "Förvaltningen", distans.UnitAdministration)
	f.person = storetest.NewPerson(t, s, f.org.ID, "Åsa Öberg", u.ID)
	site := &distans.Site{Name: "Stadshuset", Kind: distans.SiteMain}
	storetest.Must(t, s.CreateSite(sys, site))
	d := storetest.NewDesk(t, s, f.org.ID, storetest.NewZone(t, s, f.org.ID, site.ID, "Plan 2").ID, "P1")
	rules := distans.DefaultBookingRules
	rules.SiteID, rules.CheckInRequired, rules.ReleaseAt, rules.PMReleaseAt = site.ID, true, 0, 0
	storetest.Must(t, s.SetBookingRules(sys, &rules))

	today := distans.DateOf(time.Now().In(f.org.Location()))
	f.booking = &distans.Booking{DeskID: d.ID, PersonID: f.person.ID, Date: today, Part: distans.PartDay}
	storetest.Must(t, s.Book(sys, f.booking))
	st := &distans.DayStatus{PersonID: f.person.ID, Date: today, Kind: distans.StatusRemote}
	storetest.Must(t, f.svc.SetStatus(sys, st, time.Now()))
	return f
}

func (f *fixture) config(now time.Time, logger *slog.Logger) jobs.Config {
	return jobs.Config{Logger: logger, Orgs: f.s, Office: f.s, Availability: f.svc, Sessions: f.s,
		Every: time.Hour, Now: func() time.Time { return now }}
}

func (f *fixture) statuses(t *testing.T) int {
	t.Helper()
	today := distans.DateOf(time.Now().In(f.org.Location()))
	list, err := f.svc.ListStatuses(storetest.System(f.org.ID), f.person.ID, today.AddDate(0, 0, -1), today.AddDate(0, 0, 1))
	storetest.Must(t, err)
	return len(list)
}

func TestReleaseUnclaimed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// The release time (00:00) has passed: a round frees the desk and
	// keeps today's status, which is well within the history kept.
	jobs.Round(context.Background(), f.config(time.Now(), nil), jobs.Jobs(f.config(time.Now(), nil)))
	b, err := f.s.FindBooking(storetest.System(f.org.ID), f.booking.ID)
	storetest.Must(t, err)
	if b.Status != distans.BookingReleased {
		t.Errorf("booking status %s after a round, want released", b.Status)
	}
	if n := f.statuses(t); n != 1 {
		t.Errorf("%d statuses after a round today, want 1", n)
	}
	// A second round, as a second instance would, finds nothing to do.
	n, err := f.s.ReleaseUnclaimed(storetest.System(f.org.ID), time.Now())
	if err != nil || n != 0 {
		t.Errorf("second release: %d, %v; want 0", n, err)
	}
}

func TestPurgeStatusHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Past the retention, today's status is history and goes.
	later := time.Now().AddDate(0, 0, distans.DefaultStatusHistoryDays+2)
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := f.config(later, logger)
	jobs.Round(context.Background(), c, jobs.Jobs(c))
	if n := f.statuses(t); n != 0 {
		t.Errorf("%d statuses after the retention, want 0", n)
	}
	if !strings.Contains(buf.String(), "job=purge_status_history count=1") {
		t.Errorf("log does not report the purge:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "job failed") {
		t.Errorf("a job failed:\n%s", buf.String())
	}
}

func TestPanicDoesNotStopOthers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	c := f.config(time.Now(), logger)
	list := append([]jobs.Job{
		{Name: "explodes", Fn: func(context.Context, time.Time) (int, error) { panic("boom") }},
		{Name: "fails", Fn: func(context.Context, time.Time) (int, error) { return 0, errors.New("no database") }},
	}, jobs.Jobs(c)...)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		jobs.RunJobs(ctx, c, list)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := f.s.FindBooking(storetest.System(f.org.ID), f.booking.ID)
		storetest.Must(t, err)
		if b.Status == distans.BookingReleased {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the booking was not released after a panicking job")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunJobs did not stop when its context was cancelled")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"job=explodes", "panic: boom", "job=fails", "no database"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// recordingAgreements stands in for the store's agreement housekeeping
// where the test needs what the store cannot show: which day each
// organisation got, and a failure. It records who called which with what
// day. TestAgreementsJobOnStore runs the job on the real store.
type recordingAgreements struct {
	mu    sync.Mutex
	calls []string
	fail  string // an organisation whose EndAgreements fails
}

func (r *recordingAgreements) record(ctx context.Context, what string, today time.Time) error {
	a := distans.ActorFrom(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprintf("%s %s system=%v %s", a.OrganisationID, what, a.System, today.Format(time.RFC3339)))
	if what == "end" && a.OrganisationID == r.fail {
		return errors.New("database on fire")
	}
	return nil
}

func (r *recordingAgreements) EndAgreements(ctx context.Context, today time.Time) (int, error) {
	return 2, r.record(ctx, "end", today)
}

func (r *recordingAgreements) QueueReminders(ctx context.Context, today time.Time) (int, error) {
	return 3, r.record(ctx, "remind", today)
}

// TestAgreementsJob: every organisation's agreements are ended and their
// reminders queued, as the system actor of the organisation, on the
// organisation's own calendar day.
func TestAgreementsJob(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	sthlm := storetest.NewOrg(t, s, "alfa")
	ny := &distans.Organisation{Slug: "beta", Name: "Beta", TimeZone: "America/New_York", Language: "en"}
	storetest.Must(t, s.CreateOrganisation(storetest.System(""), ny))
	// 23:30 UTC is already tomorrow in Stockholm, still today in New York.
	now := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	rec := &recordingAgreements{fail: ny.ID}
	var buf bytes.Buffer
	c := jobs.Config{Logger: slog.New(slog.NewTextHandler(&buf, nil)), Orgs: s, Agreements: rec, Now: func() time.Time { return now }}
	list := jobs.Jobs(c)
	if len(list) != 1 || list[0].Name != "agreements" {
		t.Fatalf("jobs: %+v", list)
	}
	jobs.Round(context.Background(), c, list)
	want := []string{
		sthlm.ID + " end system=true 2026-03-02T00:00:00Z",
		sthlm.ID + " remind system=true 2026-03-02T00:00:00Z",
		ny.ID + " end system=true 2026-03-01T00:00:00Z",
		ny.ID + " remind system=true 2026-03-01T00:00:00Z",
	}
	if !sameSet(rec.calls, want) {
		t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(rec.calls, "\n"), strings.Join(want, "\n"))
	}
	// Agreements are ended before their reminders are queued.
	for i := 0; i < len(want); i += 2 {
		if slices.Index(rec.calls, want[i]) > slices.Index(rec.calls, want[i+1]) {
			t.Errorf("reminders queued before agreements ended:\n%s", strings.Join(rec.calls, "\n"))
		}
	}
	// The failure in beta is logged with its organisation; the reminders
	// there were queued all the same.
	for _, w := range []string{"job failed", "job=agreements", "beta: end agreements: database on fire"} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, buf.String())
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// countingMailer counts rounds of e-mail and checks the queue it gets.
type countingMailer struct {
	mu    sync.Mutex
	calls int
	queue distans.MailQueue
}

func (m *countingMailer) SendDue(_ context.Context, q distans.MailQueue, _ time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.queue = q
	return 1, nil
}

func (m *countingMailer) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

// TestMailJob: with a Mailer, e-mail goes out every MailEvery, beside the
// slower rounds; without one there is no e-mail job at all.
func TestMailJob(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	if got := jobs.MailJobs(jobs.Config{MailQueue: s}); len(got) != 0 {
		t.Fatalf("an e-mail job without a Mailer: %+v", got)
	}
	m := &countingMailer{}
	c := jobs.Config{Orgs: s, Sessions: s, Mailer: m, MailQueue: s, Every: time.Hour, MailEvery: 5 * time.Millisecond}
	for _, j := range jobs.Jobs(c) {
		if j.Name == "mail" {
			t.Fatal("e-mail is in the slow round")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		jobs.Run(ctx, c)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for m.count() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d rounds of e-mail in 10 s", m.count())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when its context was cancelled")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.queue != distans.MailQueue(s) {
		t.Fatalf("the mailer got the queue %v", m.queue)
	}
}

// importActive stores an active agreement of p, signed with manager, in
// force from start to end.
func importActive(t *testing.T, s *sqlstore.Store, p, manager *distans.Person, start, end time.Time) *distans.Agreement {
	t.Helper()
	next := end.AddDate(0, 1, 0)
	a := &distans.Agreement{PersonID: p.ID, State: distans.AgreementActive,
		Request: distans.AgreementRequest{Weekdays: []string{"mon", "fri"}, Start: start, End: end, Tasks: "Handläggning"},
		Terms: &distans.Terms{Start: start, End: end, Weekdays: []string{"mon", "fri"}, ShareRemote: 40, MainWorkplace: "Stadshuset",
			Tasks: "Handläggning", WorkingHours: "8–17", Availability: []string{"phone", "teams"}, ReturnMinutes: 60,
			Equipment: []string{"computer"}, Evaluation: "Efter sex månader"},
		NextFollowUpOn: &next,
		Signatures: []distans.Signature{{Role: distans.SignerEmployee, PersonID: p.ID, Name: p.Name, At: start},
			{Role: distans.SignerManager, PersonID: manager.ID, Name: manager.Name, At: start}}}
	storetest.Must(t, s.ImportAgreement(storetest.System(p.OrganisationID), a, "Storgatan 1", "Storgatan 1", nil))
	return a
}

// TestAgreementsJobOnStore runs the agreement job on the real store: an
// agreement past its last day ends, one that ends in 20 days reminds both
// parties, and a second round, as a second instance would, does nothing.
func TestAgreementsJobOnStore(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	w := storetest.NewWorld(t, s)
	now := time.Now()
	today := distans.DateOf(now.In(w.A.Location()))
	over := importActive(t, s, w.EmpX1, w.ChefX, today.AddDate(0, -6, 0), today.AddDate(0, 0, -1))
	ending := importActive(t, s, w.EmpX1, w.ChefX, today.AddDate(0, -6, 0), today.AddDate(0, 0, 20))
	var buf bytes.Buffer
	c := jobs.Config{Logger: slog.New(slog.NewTextHandler(&buf, nil)), Orgs: s, Agreements: s, Now: func() time.Time { return now }}
	jobs.Round(context.Background(), c, jobs.Jobs(c))
	if strings.Contains(buf.String(), "job failed") {
		t.Fatalf("a job failed:\n%s", buf.String())
	}
	sys := storetest.System(w.A.ID)
	a, err := s.FindAgreement(sys, over.ID)
	storetest.Must(t, err)
	if a.State != distans.AgreementEnded || a.EndReason != distans.EndExpired {
		t.Fatalf("the agreement past its last day: %s %s", a.State, a.EndReason)
	}
	if a, _ := s.FindAgreement(sys, ending.ID); a.State != distans.AgreementActive {
		t.Fatalf("the agreement in force: %s", a.State)
	}
	for _, p := range []*distans.Person{w.EmpX1, w.ChefX} {
		list, err := s.ListNotifications(storetest.As(t, s, p), false, 0)
		storetest.Must(t, err)
		found := false
		for _, n := range list {
			if n.Kind == distans.NotifyExpiring && n.Params["days"] == "30" && n.Link == "/agreements/"+ending.ID {
				found = true
			}
		}
		if !found {
			t.Errorf("%s has no reminder of the expiry: %+v", p.Name, list)
		}
	}
	// A second round finds nothing left to do.
	buf.Reset()
	c.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	jobs.Round(context.Background(), c, jobs.Jobs(c))
	if !strings.Contains(buf.String(), "job=agreements count=0") {
		t.Fatalf("second round:\n%s", buf.String())
	}
}

// TestAuditJob: a booking's pending audit event (PostgreSQL writes one)
// is sealed into the chain by the job, which runs on its own, often.
func TestAuditJob(t *testing.T) {
	t.Parallel()
	if got := jobs.AuditJobs(jobs.Config{}); len(got) != 0 {
		t.Fatalf("a sealing job without a sealer: %+v", got)
	}
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		org := storetest.NewOrg(t, s, "sigill")
		sys := storetest.System(org.ID)
		u := storetest.NewUnit(t, s, org.ID, "", "Förvaltningen", distans.UnitAdministration)
		p := storetest.NewPerson(t, s, org.ID, "Åsa Öberg", u.ID)
		site := &distans.Site{Name: "Stadshuset", Kind: distans.SiteMain}
		storetest.Must(t, s.CreateSite(sys, site))
		d := storetest.NewDesk(t, s, org.ID, storetest.NewZone(t, s, org.ID, site.ID, "Plan 2").ID, "P1")
		tomorrow := distans.DateOf(time.Now().In(org.Location())).AddDate(0, 0, 1)
		storetest.Must(t, s.Book(sys, &distans.Booking{DeskID: d.ID, PersonID: p.ID, Date: tomorrow, Part: distans.PartDay}))

		c := jobs.Config{Orgs: s, Audit: s, Every: time.Hour, AuditEvery: 5 * time.Millisecond}
		for _, j := range jobs.Jobs(c) {
			if j.Name == "chain_audit" {
				t.Fatal("sealing is in the slow round")
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go jobs.Run(ctx, c)
		raw := storetest.Raw(t, s)
		deadline := time.Now().Add(10 * time.Second)
		for {
			var pending, chained int
			storetest.Must(t, raw.QueryRow(`SELECT COUNT(*) FROM audit_pending`).Scan(&pending))
			storetest.Must(t, raw.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'booking.create'`).Scan(&chained))
			if pending == 0 && chained == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 10 s: %d pending, %d chained", pending, chained)
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// TestCheckpointJob: with a key, the job writes a signed checkpoint of
// each chain, on its own timer, beside the other jobs.
func TestCheckpointJob(t *testing.T) {
	t.Parallel()
	if got := jobs.CheckpointJobs(jobs.Config{}); len(got) != 0 {
		t.Fatalf("a checkpoint job without a key: %+v", got)
	}
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		storetest.NewOrg(t, s, "kontroll")
		priv, pub, err := checkpoint.GenerateKey()
		storetest.Must(t, err)
		key, err := checkpoint.ParsePrivateKey(priv)
		storetest.Must(t, err)
		path := filepath.Join(t.TempDir(), "checkpoints.jsonl")
		w, err := checkpoint.NewWriter(key, s, path, nil)
		storetest.Must(t, err)
		c := jobs.Config{Orgs: s, Checkpoints: w, Every: time.Hour, CheckpointEvery: 5 * time.Millisecond}
		for _, j := range jobs.Jobs(c) {
			if j.Name == "audit_checkpoint" {
				t.Fatal("checkpoints are in the slow round")
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go jobs.Run(ctx, c)
		deadline := time.Now().Add(10 * time.Second)
		for {
			// A line being written does not parse yet: read again.
			cps, err := checkpoint.ReadFile(path)
			if err == nil && len(cps) == 1 {
				pk, err := checkpoint.ParsePublicKey(pub)
				storetest.Must(t, err)
				storetest.Must(t, cps[0].Verify([]ed25519.PublicKey{pk}))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 10 s: %d checkpoints", len(cps))
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// TestIncidentDeadlinesJob: a round reminds of and escalates an incident's
// passed deadline as the organisation's system actor, with the deadline in
// the organisation's local time, and a second round sends nothing more.
func TestIncidentDeadlinesJob(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	o := storetest.NewOrg(t, s, "alfa")
	u := storetest.NewUnit(t, s, o.ID, "", "Förvaltningen", distans.UnitAdministration)
	emp := storetest.NewPerson(t, s, o.ID, "Åsa Öberg", u.ID)
	sec := storetest.NewPerson(t, s, o.ID, "Siri Säkerhet", u.ID)
	storetest.Assign(t, s, sec, distans.RoleSecurity, "")
	svc := incident.New(incident.Config{Store: s, Packs: policy.NewService(s, s), Organisations: s})
	disc := time.Now().Add(-80 * time.Hour).Truncate(time.Minute)
	inc, err := svc.ReportIncident(storetest.As(t, s, emp), &distans.IncidentReport{Kind: distans.IncidentPersonalData,
		Title: "Fel mottagare", Description: "Elevlista till fel adress", DiscoveredAt: disc})
	storetest.Must(t, err)
	c := jobs.Config{Orgs: s, Incidents: s}
	list := jobs.Jobs(c)
	if len(list) != 1 || list[0].Name != "incident_deadlines" {
		t.Fatalf("jobs: %+v", list)
	}
	jobs.Round(context.Background(), c, list)
	jobs.Round(context.Background(), c, list)
	ns, err := s.ListNotifications(storetest.As(t, s, sec), false, 50)
	storetest.Must(t, err)
	var got []string
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	due := disc.Add(72 * time.Hour).In(stockholm).Format("2006-01-02 15:04")
	for _, n := range ns {
		if n.Link != "/incidents/"+inc.ID {
			continue
		}
		got = append(got, string(n.Kind)+" "+n.Params["duty"])
		if n.Kind != distans.NotifyIncidentReported && n.Params["due"] != due {
			t.Errorf("%s: due %q, want %q", n.Kind, n.Params["due"], due)
		}
	}
	slices.Sort(got)
	want := []string{"incident.deadline_near data_subjects", "incident.deadline_near imy_notification",
		"incident.deadline_passed data_subjects", "incident.deadline_passed imy_notification", "incident.reported "}
	if !slices.Equal(got, want) {
		t.Fatalf("notifications %v, want %v", got, want)
	}
}
