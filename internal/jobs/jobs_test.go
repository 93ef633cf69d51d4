package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
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
	z := &distans.Zone{SiteID: site.ID, Name: "Plan 2"}
	storetest.Must(t, s.CreateZone(sys, z))
	d := &distans.Desk{ZoneID: z.ID, Label: "P1"}
	storetest.Must(t, s.CreateDesk(sys, d))
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
		{"explodes", func(context.Context, time.Time) (int, error) { panic("boom") }},
		{"fails", func(context.Context, time.Time) (int, error) { return 0, errors.New("no database") }},
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
