package jobs_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/jobs"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestRoundClock runs a round at an instant sixty days from now: the
// agreement job ends an agreement that is over by then, and everything the
// round writes (the agreement's change, its audit event, the notices to
// the parties) carries the round's instant, not the wall clock's.
func TestRoundClock(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	w := storetest.NewWorld(t, s)
	today := w.A.Today(time.Now())
	a := importActive(t, s, w.EmpX1, w.ChefX, today.AddDate(0, -6, 0), today.AddDate(0, 0, 20))
	at := today.AddDate(0, 0, 60).Add(10 * time.Hour) // 10:00 UTC, the same day in Stockholm

	var buf bytes.Buffer
	c := jobs.Config{Logger: slog.New(slog.NewTextHandler(&buf, nil)), Orgs: s, Agreements: s, Now: func() time.Time { return at }}
	jobs.Round(context.Background(), c, jobs.Jobs(c))
	if strings.Contains(buf.String(), "job failed") {
		t.Fatalf("a job failed:\n%s", buf.String())
	}
	sys := storetest.System(w.A.ID)
	got, err := s.FindAgreement(sys, a.ID)
	storetest.Must(t, err)
	if got.State != distans.AgreementEnded {
		t.Fatalf("the agreement over by the round's day: %s", got.State)
	}
	if !got.UpdatedAt.Equal(at) {
		t.Errorf("the ended agreement was changed at %s, want the round's %s", got.UpdatedAt, at)
	}
	events, err := s.ListAuditEvents(sys, distans.AuditFilter{RecordID: a.ID, Limit: 10})
	storetest.Must(t, err)
	if len(events) == 0 {
		t.Fatal("no audit event of the ending")
	}
	if ev := events[0]; !ev.At.Equal(at) {
		t.Errorf("audit event %s at %s, want the round's %s", ev.Action, ev.At, at)
	}
	notes, err := s.ListNotifications(storetest.As(t, s, w.EmpX1), false, 0)
	storetest.Must(t, err)
	if len(notes) == 0 {
		t.Fatal("the employee was told nothing of the ending")
	}
	for _, n := range notes {
		if !n.CreatedAt.Equal(at) {
			t.Errorf("notice %s created at %s, want the round's %s", n.Kind, n.CreatedAt, at)
		}
	}
}
