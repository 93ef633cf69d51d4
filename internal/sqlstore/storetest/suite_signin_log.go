package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

func init() {
	Suite = append(Suite, Test{"SignInLog", SignInLog})
}

// SignInLog: sign-ins and failed attempts are logged with where they came
// from, outside the audit trail; the organisation's log is read by those
// who see the audit trail, one's own by everyone, another organisation's
// by nobody; it pages back in time by cursor.
func SignInLog(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	sec := NewPerson(t, s, w.A.ID, "Sara Säkerhet", w.Root.ID)
	Assign(t, s, sec, distans.RoleSecurity, "")
	a, p := w.A.ID, w.EmpX1.ID
	long := strings.Repeat("å", 400)
	start := time.Now().UTC().Truncate(time.Second)
	client := distans.WithClient(System(a), distans.Client{Address: "192.0.2.7", UserAgent: "Firefox " + long})
	for i := range 3 {
		ctx := distans.WithNow(client, start.Add(time.Duration(i)*time.Minute))
		_, err := s.RecordSignInFailure(ctx, a, p, 10, start, start.Add(time.Hour))
		Must(t, err)
	}
	Must(t, s.RecordSignInSuccess(distans.WithNow(client, start.Add(5*time.Minute)), a, p, distans.SignInSSO))
	Must(t, s.RecordSignInSuccess(distans.WithNow(System(w.B.ID), start), w.B.ID, w.EmpB.ID, distans.SignInPassword))

	// No sign-in goes into the audit trail any more.
	events, err := s.ListAuditEvents(As(t, s, w.Admin), distans.AuditFilter{Action: "signin."})
	Must(t, err)
	if len(events) != 0 {
		t.Errorf("sign-ins in the audit trail: %d", len(events))
	}

	got, next, err := s.ListSignInEvents(As(t, s, sec), distans.SignInFilter{})
	Must(t, err)
	if len(got) != 4 || next != "" {
		t.Fatalf("the organisation's log: %d events, next %q", len(got), next)
	}
	first := got[0]
	if first.Outcome != distans.SignInSucceeded || first.Method != distans.SignInSSO || first.PersonID != p ||
		first.PersonName != w.EmpX1.Name || first.Address != "192.0.2.7" || !first.At.Equal(start.Add(5*time.Minute)) {
		t.Errorf("newest: %+v", first)
	}
	if len(first.UserAgent) > 300 || !strings.HasPrefix(first.UserAgent, "Firefox å") || !strings.HasSuffix(first.UserAgent, "å") {
		t.Errorf("user agent not cut to 300 bytes of whole characters: %d %q", len(first.UserAgent), first.UserAgent[len(first.UserAgent)-4:])
	}
	for _, e := range got[1:] {
		if e.Outcome != distans.SignInFailed || e.Method != "" || e.OrganisationID != a {
			t.Errorf("failure: %+v", e)
		}
	}

	// Filters, and paging by cursor back in time.
	failed, _, err := s.ListSignInEvents(As(t, s, w.Admin), distans.SignInFilter{Outcome: distans.SignInFailed,
		From: start.Add(time.Minute), To: start.Add(3 * time.Minute)})
	Must(t, err)
	if len(failed) != 2 || !failed[0].At.Equal(start.Add(2*time.Minute)) {
		t.Errorf("failures from minute 1 to 3: %+v", failed)
	}
	var paged []*distans.SignInEvent
	after := ""
	for range 5 {
		page, n, err := s.ListSignInEvents(As(t, s, sec), distans.SignInFilter{PersonID: p, Limit: 3, After: after})
		Must(t, err)
		paged = append(paged, page...)
		if after = n; after == "" {
			break
		}
	}
	if len(paged) != 4 || paged[3].ID != got[3].ID {
		t.Errorf("paged: %d events", len(paged))
	}
	_, _, err = s.ListSignInEvents(As(t, s, sec), distans.SignInFilter{After: "inte-en-markör"})
	WantCode(t, err, distans.EINVALID)
	_, _, err = s.ListSignInEvents(As(t, s, sec), distans.SignInFilter{Outcome: "maybe"})
	WantCode(t, err, distans.EINVALID)

	// One's own, and nobody else's.
	own, _, err := s.ListSignInEvents(As(t, s, w.EmpX1), distans.SignInFilter{PersonID: p})
	Must(t, err)
	if len(own) != 4 {
		t.Errorf("one's own: %d", len(own))
	}
	for name, f := range map[string]distans.SignInFilter{"the whole log": {}, "a colleague's": {PersonID: w.EmpY.ID}} {
		_, _, err := s.ListSignInEvents(As(t, s, w.EmpX1), f)
		if distans.ErrorCode(err) != distans.EFORBIDDEN {
			t.Errorf("an employee reads %s: %v", name, err)
		}
	}
	_, _, err = s.ListSignInEvents(As(t, s, w.ChefX), distans.SignInFilter{PersonID: p})
	WantCode(t, err, distans.EFORBIDDEN)

	// Another organisation's administrator sees only their own.
	theirs, _, err := s.ListSignInEvents(As(t, s, w.AdminB), distans.SignInFilter{})
	Must(t, err)
	if len(theirs) != 1 || theirs[0].PersonID != w.EmpB.ID {
		t.Errorf("organisation B's log: %+v", theirs)
	}
	none, _, err := s.ListSignInEvents(As(t, s, w.AdminB), distans.SignInFilter{PersonID: p})
	Must(t, err)
	if len(none) != 0 {
		t.Errorf("organisation B reads A's person: %d", len(none))
	}
}
