package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// PendingInvitations: who still needs an invitation (a current
// employment, no password, no unused unexpired invitation), that a batch
// invites exactly them in one go with its audit events, that a link ended
// after a failed mail makes its person pending again, who may, and that
// one organisation's batch never touches another's people.
func PendingInvitations(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	a, b := w.A.ID, w.B.ID
	at := distans.Now().Truncate(time.Microsecond)
	ctx := distans.WithNow(context.Background(), at)
	sysA := distans.NewContext(ctx, distans.SystemActor(a))
	later := at.Add(2 * time.Hour)
	asAt := func(c context.Context, tm time.Time) context.Context { return distans.WithNow(c, tm) }
	admin := As(t, s, w.Admin)

	// ChefX has a password; EmpY's employment is over; Switchboard holds a
	// live invitation; EmpX1's invitation expires before later; Nobody has
	// never been employed. Admin and HRX are pending.
	Must(t, s.SetPasswordHash(sysA, a, w.ChefX.ID, "$argon2id$chef"))
	emps, err := s.ListEmployments(sysA, w.EmpY.ID)
	Must(t, err)
	Must(t, s.EndEmployment(sysA, emps[0].ID, time.Now().AddDate(0, 0, -1)))
	Must(t, s.CreateAccountLink(sysA, &distans.AccountLink{OrganisationID: a, PersonID: w.Switchboard.ID,
		Purpose: distans.LinkInvitation, TokenHash: "live", ExpiresAt: at.Add(14 * 24 * time.Hour)}))
	Must(t, s.CreateAccountLink(sysA, &distans.AccountLink{OrganisationID: a, PersonID: w.EmpX1.ID,
		Purpose: distans.LinkInvitation, TokenHash: "short", ExpiresAt: at.Add(time.Hour)}))
	// A reset link is no invitation: it keeps nobody from being pending.
	Must(t, s.CreateAccountLink(sysA, &distans.AccountLink{OrganisationID: a, PersonID: w.HRX.ID,
		Purpose: distans.LinkReset, TokenHash: "reset", ExpiresAt: at.Add(time.Hour)}))
	NewPerson(t, s, a, "Nils Ingenanställning", "")
	// Dora's identity system deactivated her today: her employment still
	// counts as current until midnight, but her account is disabled, and
	// a link to a disabled account would lead nowhere.
	dora := NewPerson(t, s, a, "Dora Deaktiverad", w.X1.ID)
	provisioning := scimClient(t, s, w.Admin)
	u := &distans.SCIMUser{UserName: dora.Email, Email: dora.Email, DisplayName: dora.Name, Active: true}
	Must(t, s.CreateUser(provisioning, u))
	if u.ID != dora.ID {
		t.Fatalf("SCIM made %s instead of linking Dora (%s)", u.ID, dora.ID)
	}
	Must(t, s.DeleteUser(provisioning, u.ID))

	count := func(c context.Context, orgID string) int {
		t.Helper()
		n, err := s.CountPendingInvitations(c, orgID)
		Must(t, err)
		return n
	}
	// Before EmpX1's invitation expires: Admin (for the system) and HRX.
	if n := count(sysA, a); n != 2 {
		t.Errorf("pending now, for the system: %d, want 2", n)
	}
	// Later, EmpX1 is pending again; the admin does not count themselves.
	if n := count(asAt(admin, later), a); n != 2 {
		t.Errorf("pending later, for the admin: %d, want 2 (HRX, EmpX1)", n)
	}
	if n := count(asAt(System(a), later), a); n != 3 {
		t.Errorf("pending later, for the system: %d, want 3", n)
	}
	if n := count(As(t, s, w.AdminB), b); n != 1 {
		t.Errorf("pending in B: %d, want 1 (EmpB)", n)
	}

	// Who may: the whole organisation's right, or the system of it.
	hash := func() (string, error) { return "h-" + distans.Now().String(), nil }
	for _, tc := range []struct {
		name string
		ctx  context.Context
		code string
	}{
		{"hr of one unit", As(t, s, w.HRX), distans.EFORBIDDEN},
		{"switchboard", As(t, s, w.Switchboard), distans.EFORBIDDEN},
		{"admin of another organisation", As(t, s, w.AdminB), distans.ENOTFOUND},
		{"system of another organisation", System(b), distans.ENOTFOUND},
		{"nobody", context.Background(), distans.EUNAUTHORIZED},
	} {
		_, err := s.CreatePendingInvitations(asAt(tc.ctx, later), a, later.Add(time.Hour), hash)
		if distans.ErrorCode(err) != tc.code {
			t.Errorf("%s: invite %v, want %s", tc.name, err, tc.code)
		}
		_, err = s.CountPendingInvitations(asAt(tc.ctx, later), a)
		if distans.ErrorCode(err) != tc.code {
			t.Errorf("%s: count %v, want %s", tc.name, err, tc.code)
		}
	}

	// The admin invites everyone pending: HRX and EmpX1, in Swedish name
	// order (Å after H), each with a link that works.
	n := 0
	links, err := s.CreatePendingInvitations(asAt(admin, later), a, later.Add(14*24*time.Hour), func() (string, error) {
		n++
		return fmt.Sprintf("batch-%d", n), nil
	})
	Must(t, err)
	var names []string
	for _, l := range links {
		names = append(names, l.Name)
		if l.OrganisationID != a || l.Purpose != distans.LinkInvitation || l.CreatedBy != w.Admin.ID || l.ID == "" ||
			!l.CreatedAt.Equal(later) || !l.ExpiresAt.Equal(later.Add(14*24*time.Hour)) || l.Email == "" {
			t.Errorf("link %+v", l)
		}
		got, err := s.FindAccountLink(ctx, a, l.TokenHash, later)
		Must(t, err)
		if got.PersonID != l.PersonID {
			t.Errorf("link %s is %s's, want %s's", l.TokenHash, got.PersonID, l.PersonID)
		}
	}
	if want := []string{w.HRX.Name, w.EmpX1.Name}; !slices.Equal(names, want) {
		t.Fatalf("invited %v, want %v", names, want)
	}
	if n := count(asAt(admin, later), a); n != 0 {
		t.Errorf("pending after the batch: %d, want 0", n)
	}
	// Nobody left: an empty batch, no error, nothing written.
	again, err := s.CreatePendingInvitations(asAt(admin, later), a, later.Add(time.Hour), hash)
	Must(t, err)
	if len(again) != 0 {
		t.Errorf("second batch invited %d", len(again))
	}

	// The audit trail: one link.create per person and one batch event,
	// and the chain still holds.
	events, err := s.ListAuditEvents(admin, distans.AuditFilter{Action: "link.create", From: later})
	Must(t, err)
	var batch int
	per := map[string]int{}
	for _, e := range events {
		switch e.Action {
		case "link.create_batch":
			batch++
			if !strings.Contains(e.Summary, "2 invitation(s)") || e.ActorID != w.Admin.ID {
				t.Errorf("batch event %+v", e)
			}
		case "link.create":
			per[e.RecordID]++
		}
	}
	if batch != 1 || len(per) != 2 || per[w.HRX.ID] != 1 || per[w.EmpX1.ID] != 1 {
		t.Errorf("audit: %d batch event(s), per person %v", batch, per)
	}
	brk, err := s.VerifyAuditChains(ctx)
	Must(t, err)
	if brk != nil {
		t.Fatalf("audit chain broken: %+v", brk)
	}

	// A mail that failed ends its link: the person is pending again, and
	// ending it twice changes nothing.
	Must(t, s.EndAccountLink(asAt(System(a), later), a, links[0].ID, "the mail bounced"))
	Must(t, s.EndAccountLink(asAt(System(a), later), a, links[0].ID, "the mail bounced"))
	_, err = s.FindAccountLink(ctx, a, links[0].TokenHash, later)
	WantCode(t, err, distans.ENOTFOUND)
	if n := count(asAt(admin, later), a); n != 1 {
		t.Errorf("pending after a failed mail: %d, want 1", n)
	}
	ended, err := s.ListAuditEvents(admin, distans.AuditFilter{Action: "link.end"})
	Must(t, err)
	if len(ended) != 1 || ended[0].RecordID != links[0].PersonID || !strings.Contains(ended[0].Summary, "bounced") {
		t.Errorf("link.end events: %+v", ended)
	}
	// Another organisation's id ends nothing.
	Must(t, s.EndAccountLink(asAt(System(b), later), b, links[1].ID, "wrong organisation"))
	if _, err := s.FindAccountLink(ctx, a, links[1].TokenHash, later); err != nil {
		t.Errorf("B ended A's link: %v", err)
	}

	// B was never touched.
	if n := count(As(t, s, w.AdminB), b); n != 1 {
		t.Errorf("pending in B after A's batch: %d, want 1", n)
	}
}

// PendingInvitationsRace: batches started at the same moment invite each
// pending person once between them.
func PendingInvitationsRace(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	at := distans.Now().Truncate(time.Microsecond)
	ctx := distans.WithNow(System(w.A.ID), at)
	want, err := s.CountPendingInvitations(ctx, w.A.ID)
	Must(t, err)
	const n = 6
	var seq atomic.Int64
	got := make(chan int, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			links, err := s.CreatePendingInvitations(ctx, w.A.ID, at.Add(time.Hour), func() (string, error) {
				return fmt.Sprintf("race-%d", seq.Add(1)), nil
			})
			errs <- err
			got <- len(links)
		}()
	}
	total := 0
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("batch: %v", err)
		}
		total += <-got
	}
	if want == 0 || total != want {
		t.Fatalf("%d invitations made by %d batches, want %d", total, n, want)
	}
}
