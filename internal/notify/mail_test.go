package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/notify/smtptest"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

const baseURL = "https://distans.example.se"

func newMailer(t *testing.T, url string, logger *slog.Logger) *notify.Mailer {
	t.Helper()
	m, err := notify.NewMailer(notify.SMTPConfig{URL: url, From: "Distans <distans@example.se>", BaseURL: baseURL + "/"}, logger)
	storetest.Must(t, err)
	return m
}

func notifyPerson(t *testing.T, s *sqlstore.Store, p *distans.Person, key string, kind distans.NotificationKind, params map[string]string) *distans.Notification {
	t.Helper()
	n := &distans.Notification{PersonID: p.ID, Key: key, Kind: kind, Params: params, Link: "/agreements/" + key}
	_, err := s.Notify(storetest.System(p.OrganisationID), n)
	storetest.Must(t, err)
	return n
}

func TestNewMailer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, from, base string }{
		{"http://user:hemligt@mail.example.se", "distans@example.se", baseURL},
		{"smtp://user:hemligt@", "distans@example.se", baseURL},
		{"smtp://user:hemligt@mail.example.se:port", "distans@example.se", baseURL},
		{"smtp://user:hemligt@mail.example.se", "inte en adress", baseURL},
		{"smtp://user:hemligt@mail.example.se", "distans@example.se", "distans.example.se"},
		{"smtp://user:hemligt@mail.example.se\x7f", "distans@example.se", baseURL},
	} {
		_, err := notify.NewMailer(notify.SMTPConfig{URL: tc.url, From: tc.from, BaseURL: tc.base}, nil)
		if err == nil {
			t.Errorf("NewMailer(%q, %q, %q) succeeded", tc.url, tc.from, tc.base)
		} else if strings.Contains(err.Error(), "hemligt") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
	for _, u := range []string{"smtp://mail.example.se", "smtps://u:p@mail.example.se:2465", "smtp://u@127.0.0.1:25"} {
		if _, err := notify.NewMailer(notify.SMTPConfig{URL: u, From: "Distans <distans@example.se>", BaseURL: baseURL}, nil); err != nil {
			t.Errorf("NewMailer(%q): %v", u, err)
		}
	}
}

// TestSendDue sends each notification to its person in their language,
// once, with an absolute link.
func TestSendDue(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := storetest.NewWorld(t, s)
		if _, err := storetest.Raw(t, s).Exec(`UPDATE people SET language = 'en' WHERE organisation_id = $1 AND id = $2`, w.A.ID, w.EmpX1.ID); err != nil {
			t.Fatal(err)
		}
		srv := smtptest.New(t)
		m := newMailer(t, srv.URL(), nil)
		en := notifyPerson(t, s, w.EmpX1, "a1/expiring/30", distans.NotifyExpiring, map[string]string{"number": "DIST 2026/0042", "days": "30", "date": "2026-06-30"})
		sv := notifyPerson(t, s, w.ChefX, "a1/waiting", distans.NotifyRequestWaiting, map[string]string{"name": "Åsa Öberg", "number": "DIST 2026/0042"})
		notifyPerson(t, s, w.EmpB, "b1/ended", distans.NotifyAgreementEnded, map[string]string{"number": "DIST 2026/0001", "reason": "unit_move"})

		n, err := m.SendDue(context.Background(), s, distans.Now())
		storetest.Must(t, err)
		if n != 3 {
			t.Fatalf("sent %d, want 3", n)
		}
		byTo := map[string]smtptest.Message{}
		for _, r := range srv.Received() {
			byTo[r.To] = r
		}
		if len(byTo) != 3 {
			t.Fatalf("received %d messages for %d recipients", len(srv.Received()), len(byTo))
		}
		r := byTo[w.EmpX1.Email]
		if r.From != "distans@example.se" || r.Subject != "Agreement DIST 2026/0042 ends in 30 days" ||
			!strings.HasPrefix(r.Body, "Hello Åsa Öberg,") || !strings.Contains(r.Body, "until 30 June 2026") ||
			!strings.Contains(r.Body, "Open in Distans: "+baseURL+en.Link+"\r\n") || !strings.Contains(r.Body, "Org alfa") ||
			r.Header.Get("Auto-Submitted") != "auto-generated" || r.Header.Get("Content-Language") != "en" {
			t.Errorf("English message: %+v\n%s", r, r.Body)
		}
		if to, err := netmail.ParseAddress(r.Header.Get("To")); err != nil || to.Name != "Åsa Öberg" || to.Address != w.EmpX1.Email {
			t.Errorf("To: %q %v", r.Header.Get("To"), err)
		}
		r = byTo[w.ChefX.Email]
		if r.Subject != "Ny ansökan om distansarbete väntar på ditt beslut" || !strings.HasPrefix(r.Body, "Hej Cecilia Chef!") ||
			!strings.Contains(r.Body, "Åsa Öberg har ansökt om distansarbete (DIST 2026/0042).") ||
			!strings.Contains(r.Body, "Öppna i Distans: "+baseURL+sv.Link) {
			t.Errorf("Swedish message: %+v\n%s", r, r.Body)
		}
		r = byTo[w.EmpB.Email]
		if r.Subject != "Överenskommelsen DIST 2026/0001 har upphört" || !strings.Contains(r.Body, "bytt enhet – ny bedömning krävs") {
			t.Errorf("message in beta: %+v\n%s", r, r.Body)
		}

		// Nothing is sent twice, and the person sees it was e-mailed.
		n, err = m.SendDue(context.Background(), s, distans.Now().Add(time.Hour))
		if err != nil || n != 0 {
			t.Fatalf("second round sent %d, %v", n, err)
		}
		list, err := s.ListNotifications(storetest.As(t, s, w.EmpX1), false, 0)
		storetest.Must(t, err)
		if len(list) != 1 || list[0].EmailedAt == nil {
			t.Fatalf("after sending: %+v", list)
		}
	})
}

// TestSendDueFailure: a refused message and an unreachable server leave
// the notifications to their lease, and they go out after it; the log
// names the failure but never the password.
func TestSendDueFailure(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	w := storetest.NewWorld(t, s)
	srv := smtptest.New(t)
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	m := newMailer(t, srv.URL(), logger)
	m.Lease = time.Minute
	notifyPerson(t, s, w.EmpX1, "k1", distans.NotifyFollowUpDue, nil)
	notifyPerson(t, s, w.EmpY, "k2", distans.NotifyFollowUpDue, nil)
	srv.Refuse(w.EmpX1.Email, true)

	t0 := distans.Now()
	n, err := m.SendDue(context.Background(), s, t0)
	if err != nil || n != 1 {
		t.Fatalf("sent %d, %v; want 1", n, err)
	}
	mu.Lock()
	if !strings.Contains(logs.String(), "e-mail not sent") || strings.Contains(logs.String(), "secret") {
		t.Errorf("log:\n%s", logs.String())
	}
	mu.Unlock()
	// During the lease nobody tries again; after it, it goes out.
	if n, _ := m.SendDue(context.Background(), s, t0.Add(30*time.Second)); n != 0 {
		t.Fatalf("sent %d during the lease", n)
	}
	srv.Refuse(w.EmpX1.Email, false)
	if n, err := m.SendDue(context.Background(), s, t0.Add(time.Minute+time.Second)); err != nil || n != 1 {
		t.Fatalf("after the lease: %d, %v", n, err)
	}

	// A server that does not answer: the round fails, nothing is lost.
	notifyPerson(t, s, w.EmpX1, "k3", distans.NotifyFollowUpOverdue, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	storetest.Must(t, err)
	dead := "smtp://user:secret@" + ln.Addr().String()
	ln.Close()
	down := newMailer(t, dead, logger)
	down.Lease = time.Minute
	if n, err := down.SendDue(context.Background(), s, t0); err == nil || n != 0 || strings.Contains(err.Error(), "secret") {
		t.Fatalf("unreachable server: %d, %v", n, err)
	}
	if n, err := m.SendDue(context.Background(), s, t0.Add(time.Minute+time.Second)); err != nil || n != 1 {
		t.Fatalf("after the server came back: %d, %v", n, err)
	}
	if got := len(srv.Received()); got != 3 {
		t.Fatalf("received %d, want 3", got)
	}
}

// TestSendDueConcurrent: two Mailers, as in two instances of Distans,
// send from one database at once; each notification arrives once.
func TestSendDueConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := storetest.NewWorld(t, s)
		srv := smtptest.New(t)
		people := []*distans.Person{w.EmpX1, w.EmpY, w.ChefX, w.Admin, w.EmpB}
		const count = 60
		for i := range count {
			notifyPerson(t, s, people[i%len(people)], fmt.Sprintf("race-%02d", i), distans.NotifyFollowUpDue, nil)
		}
		var wg sync.WaitGroup
		sent := make([]int, 2)
		for i := range sent {
			m := newMailer(t, srv.URL(), nil)
			m.Batch = 4
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := m.SendDue(context.Background(), s, distans.Now())
				if err != nil {
					t.Errorf("mailer %d: %v", i, err)
				}
				sent[i] = n
			}()
		}
		wg.Wait()
		seen := map[string]int{}
		for _, r := range srv.Received() {
			i := strings.Index(r.Body, baseURL+"/agreements/race-")
			if i < 0 {
				t.Fatalf("no link in %s", r.Body)
			}
			seen[r.Body[i:i+len(baseURL+"/agreements/race-00")]]++
		}
		if len(seen) != count || sent[0]+sent[1] != count {
			t.Fatalf("%d distinct of %d received, mailers sent %v", len(seen), len(srv.Received()), sent)
		}
		for link, n := range seen {
			if n != 1 {
				t.Errorf("%s arrived %d times", link, n)
			}
		}
		t.Logf("sent per mailer: %v", sent)
	})
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
