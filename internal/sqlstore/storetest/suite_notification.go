package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// notifyAs records a notification for p as the system, failing the test
// on an error, and reports whether it made one.
func notifyAs(t testing.TB, s *sqlstore.Store, p *distans.Person, key string, kind distans.NotificationKind, params map[string]string) *distans.Notification {
	t.Helper()
	n := &distans.Notification{PersonID: p.ID, Key: key, Kind: kind, Params: params, Link: "/agreements/" + key}
	made, err := s.Notify(System(p.OrganisationID), n)
	Must(t, err)
	if !made {
		t.Fatalf("notification %s was not made", key)
	}
	return n
}

// Notifications: a person reads and marks only their own notifications;
// nobody else, in the organisation or outside it, sees or marks them; a
// key notifies once.
func Notifications(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	me, chef := As(t, s, w.EmpX1), As(t, s, w.ChefX)

	first := notifyAs(t, s, w.EmpX1, "a1/decision", distans.NotifyDecisionMade, map[string]string{"number": "DIST 2026/0001", "approved": "true"})
	time.Sleep(2 * time.Millisecond) // newest first needs two instants
	second := notifyAs(t, s, w.EmpX1, "a1/expiring/30", distans.NotifyExpiring, map[string]string{"days": "30"})
	notifyAs(t, s, w.ChefX, "a1/waiting", distans.NotifyRequestWaiting, nil)
	notifyAs(t, s, w.EmpB, "b1/waiting", distans.NotifyRequestWaiting, nil)

	// The same key again, with other content, makes nothing.
	again := &distans.Notification{PersonID: w.EmpX1.ID, Key: "a1/expiring/30", Kind: distans.NotifyExpiring, Params: map[string]string{"days": "7"}}
	made, err := s.Notify(System(w.A.ID), again)
	Must(t, err)
	if made {
		t.Fatal("a second notification with the same key was made")
	}
	// Another organisation may use the same key.
	made, err = s.Notify(System(w.B.ID), &distans.Notification{PersonID: w.EmpB.ID, Key: "a1/expiring/30", Kind: distans.NotifyExpiring})
	if err != nil || !made {
		t.Fatalf("same key in another organisation: %v %v", made, err)
	}

	// Only the system notifies, and only its own organisation's people.
	_, err = s.Notify(chef, &distans.Notification{PersonID: w.EmpX1.ID, Key: "k", Kind: distans.NotifyFollowUpDue})
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.Notify(System(w.B.ID), &distans.Notification{PersonID: w.EmpX1.ID, Key: "k", Kind: distans.NotifyFollowUpDue})
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.Notify(System(w.A.ID), &distans.Notification{PersonID: w.EmpX1.ID, Kind: distans.NotifyFollowUpDue})
	WantCode(t, err, distans.EINVALID)
	_, err = s.Notify(context.Background(), first)
	WantCode(t, err, distans.EUNAUTHORIZED)

	list, err := s.ListNotifications(me, false, 0)
	Must(t, err)
	if got := ids(list, func(n *distans.Notification) string { return n.Key }); !slices.Equal(got, []string{"a1/expiring/30", "a1/decision"}) {
		t.Fatalf("my notifications: %v", got)
	}
	n := list[1]
	if n.ID != first.ID || n.OrganisationID != w.A.ID || n.PersonID != w.EmpX1.ID || n.Kind != distans.NotifyDecisionMade ||
		n.Params["number"] != "DIST 2026/0001" || n.Params["approved"] != "true" || n.Link != "/agreements/a1/decision" ||
		!n.CreatedAt.Equal(first.CreatedAt) || n.ReadAt != nil || n.EmailedAt != nil {
		t.Fatalf("notification read back: %+v", n)
	}
	if list[0].Params["days"] != "30" {
		t.Fatalf("the first notification under a key was replaced: %+v", list[0])
	}
	for name, tc := range map[string]struct {
		ctx  context.Context
		want int
	}{
		"chef": {chef, 1}, "admin": {As(t, s, w.Admin), 0}, "beta admin": {As(t, s, w.AdminB), 0},
		"beta employee": {As(t, s, w.EmpB), 2}, "system": {System(w.A.ID), 0},
	} {
		list, err := s.ListNotifications(tc.ctx, false, 0)
		Must(t, err)
		if len(list) != tc.want {
			t.Errorf("%s sees %d notifications, want %d", name, len(list), tc.want)
		}
	}
	_, err = s.ListNotifications(context.Background(), false, 0)
	WantCode(t, err, distans.EUNAUTHORIZED)
	if list, _ := s.ListNotifications(me, false, 1); len(list) != 1 || list[0].ID != second.ID {
		t.Fatalf("limit 1: %+v", list)
	}

	// Marking read: only one's own; the first time stays.
	for name, ctx := range map[string]context.Context{"chef": chef, "admin": As(t, s, w.Admin), "beta": As(t, s, w.AdminB), "system": System(w.A.ID)} {
		if err := s.MarkRead(ctx, first.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("%s marked someone else's notification read: %v", name, err)
		}
	}
	WantCode(t, s.MarkRead(me, "no such id"), distans.ENOTFOUND)
	Must(t, s.MarkRead(me, first.ID))
	c, err := s.CountUnread(me)
	Must(t, err)
	if c != 1 {
		t.Fatalf("unread after one read: %d", c)
	}
	list, _ = s.ListNotifications(me, false, 0)
	readAt := list[1].ReadAt
	if readAt == nil {
		t.Fatal("read_at not set")
	}
	time.Sleep(2 * time.Millisecond)
	Must(t, s.MarkRead(me, first.ID))
	list, _ = s.ListNotifications(me, false, 0)
	if !list[1].ReadAt.Equal(*readAt) {
		t.Fatalf("marking read again moved read_at from %v to %v", readAt, list[1].ReadAt)
	}
	unread, err := s.ListNotifications(me, true, 0)
	Must(t, err)
	if len(unread) != 1 || unread[0].ID != second.ID {
		t.Fatalf("unread: %+v", unread)
	}

	Must(t, s.MarkAllRead(me))
	for name, tc := range map[string]struct {
		ctx  context.Context
		want int
	}{"me": {me, 0}, "chef": {chef, 1}, "beta employee": {As(t, s, w.EmpB), 2}} {
		c, err := s.CountUnread(tc.ctx)
		Must(t, err)
		if c != tc.want {
			t.Errorf("%s: %d unread after my mark-all, want %d", name, c, tc.want)
		}
	}
}

// NotificationEmails: the mail queue claims unsent notifications across
// organisations with their recipient, leases them, gives them out again
// when the lease runs out, and never again once they are e-mailed.
func NotificationEmails(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	db := Raw(t, s)
	ctx := context.Background()
	// EmpX1 reads English; EmpB has no language of their own and their
	// organisation's is English.
	for _, q := range []string{
		`UPDATE people SET language = 'en' WHERE id = '` + w.EmpX1.ID + `'`,
		`UPDATE people SET language = '' WHERE id = '` + w.EmpB.ID + `'`,
		`UPDATE organisations SET language = 'en' WHERE id = '` + w.B.ID + `'`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	a1 := notifyAs(t, s, w.EmpX1, "a1", distans.NotifyDecisionMade, map[string]string{"approved": "true"})
	a2 := notifyAs(t, s, w.ChefX, "a2", distans.NotifyRequestWaiting, nil)
	b1 := notifyAs(t, s, w.EmpB, "b1", distans.NotifyAgreementActive, nil)

	_, err := s.ClaimEmails(As(t, s, w.Admin), distans.Now(), time.Minute, 10)
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.ClaimEmails(ctx, distans.Now(), time.Minute, 10)
	WantCode(t, err, distans.EUNAUTHORIZED)

	sys := System("")
	t0 := distans.Now()
	got, err := s.ClaimEmails(sys, t0, time.Minute, 10)
	Must(t, err)
	byKey := map[string]*distans.OutgoingEmail{}
	for _, e := range got {
		byKey[e.Key] = e
	}
	if len(got) != 3 || len(byKey) != 3 {
		t.Fatalf("claimed %d", len(got))
	}
	for _, tc := range []struct {
		n         *distans.Notification
		p         *distans.Person
		lang, org string
	}{{a1, w.EmpX1, "en", w.A.Name}, {a2, w.ChefX, "sv", w.A.Name}, {b1, w.EmpB, "en", w.B.Name}} {
		e := byKey[tc.n.Key]
		if e.ID != tc.n.ID || e.To != tc.p.Email || e.Name != tc.p.Name || e.Language != tc.lang || e.OrgName != tc.org ||
			e.Kind != tc.n.Kind || e.PersonID != tc.p.ID || e.EmailedAt != nil {
			t.Errorf("claimed %s: %+v", tc.n.Key, e)
		}
	}
	if byKey["a1"].Params["approved"] != "true" {
		t.Errorf("params: %+v", byKey["a1"].Params)
	}

	// Leased: nobody claims them until the lease runs out.
	if again, err := s.ClaimEmails(sys, t0.Add(59*time.Second), time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("claimed during the lease: %d %v", len(again), err)
	}
	// a1 was sent; the others' sending failed and their lease runs out.
	Must(t, s.MarkEmailed(System(w.A.ID), a1.ID, t0.Add(time.Second)))
	WantCode(t, s.MarkEmailed(System(w.B.ID), a2.ID, t0), distans.ENOTFOUND)
	WantCode(t, s.MarkEmailed(sys, "no such id", t0), distans.ENOTFOUND)
	WantCode(t, s.MarkEmailed(As(t, s, w.Admin), a2.ID, t0), distans.EFORBIDDEN)
	t1 := t0.Add(time.Minute + time.Second)
	again, err := s.ClaimEmails(sys, t1, time.Minute, 1)
	Must(t, err)
	if len(again) != 1 || again[0].ID != a2.ID {
		t.Fatalf("after the lease, limit 1: %+v", again)
	}
	// A claim for one organisation claims only there.
	onlyB, err := s.ClaimEmails(System(w.B.ID), t1, time.Minute, 10)
	Must(t, err)
	if len(onlyB) != 1 || onlyB[0].ID != b1.ID {
		t.Fatalf("claim in beta: %+v", onlyB)
	}
	if none, _ := s.ClaimEmails(System(w.A.ID), t1, time.Minute, 10); len(none) != 0 {
		t.Fatalf("claim in alfa during the lease: %+v", none)
	}
	// Marked e-mailed twice (a second instance after the lease): the
	// first time stays, and it shows in the person's list.
	Must(t, s.MarkEmailed(sys, a1.ID, t1))
	list, err := s.ListNotifications(As(t, s, w.EmpX1), false, 0)
	Must(t, err)
	if list[0].EmailedAt == nil || !list[0].EmailedAt.Equal(t0.Add(time.Second).Truncate(time.Microsecond)) {
		t.Fatalf("emailed_at: %v", list[0].EmailedAt)
	}

	// Each claim counted an attempt; past the last attempt it stays in
	// Distans only.
	var attempts int
	Must(t, db.QueryRowContext(ctx, `SELECT email_attempts FROM notifications WHERE id = $1`, a2.ID).Scan(&attempts))
	if attempts != 2 {
		t.Fatalf("attempts %d, want 2", attempts)
	}
	if _, err := db.ExecContext(ctx, `UPDATE notifications SET email_attempts = $1 WHERE id = $2`, sqlstore.MaxEmailAttempts, a2.ID); err != nil {
		t.Fatal(err)
	}
	late, err := s.ClaimEmails(sys, t1.Add(time.Hour), time.Minute, 10)
	Must(t, err)
	if len(late) != 1 || late[0].ID != b1.ID {
		t.Fatalf("claimed past the last attempt: %+v", late)
	}
}

// NotificationClaimRace: two instances on one database, each with two
// claimers, claim every notification exactly once while the leases run.
func NotificationClaimRace(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	v, _ := dsns.Load(s)
	other := open(t, v.(string)) // a second instance of Distans
	people := []*distans.Person{w.EmpX1, w.EmpY, w.ChefX, w.EmpB}
	want := map[string]bool{}
	for i := range 60 {
		n := notifyAs(t, s, people[i%len(people)], fmt.Sprintf("race/%d", i), distans.NotifyFollowUpDue, nil)
		want[n.ID] = true
	}

	now := distans.Now()
	var mu sync.Mutex
	claimedBy := map[string]int{}
	var wg sync.WaitGroup
	for i, st := range []*sqlstore.Store{s, other, s, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := st.ClaimEmails(System(""), now, time.Hour, 7)
				if err != nil {
					t.Errorf("claimer %d: %v", i, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, e := range got {
					if j, ok := claimedBy[e.ID]; ok {
						t.Errorf("claimers %d and %d both claimed %s", j, i, e.Key)
					}
					claimedBy[e.ID] = i
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(claimedBy) != len(want) {
		t.Fatalf("claimed %d of %d", len(claimedBy), len(want))
	}
	per := map[int]int{}
	for id, i := range claimedBy {
		if !want[id] {
			t.Fatalf("claimed an unknown notification %s", id)
		}
		per[i]++
	}
	t.Logf("claims per claimer: %v", per)
}
