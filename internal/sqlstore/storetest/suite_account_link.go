package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// AccountLinks: a link is found only in its own organisation, only while
// unused and unexpired; a new one ends the person's earlier unused ones of
// its purpose; using it sets the password, ends sessions and clears a lock,
// once; only those who set passwords may make invitations; resets are
// limited per person and hour. Every step is audited without the secret.
func AccountLinks(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	a, b := w.A.ID, w.B.ID
	at := distans.Now().Truncate(time.Microsecond)
	ctx := distans.WithNow(context.Background(), at)
	sysA := distans.NewContext(ctx, distans.SystemActor(a))
	link := func(p *distans.Person, purpose distans.LinkPurpose, hash string) *distans.AccountLink {
		return &distans.AccountLink{OrganisationID: p.OrganisationID, PersonID: p.ID, Purpose: purpose, TokenHash: hash,
			ExpiresAt: at.Add(time.Hour)}
	}

	inv := link(w.EmpX1, distans.LinkInvitation, "hash-1")
	Must(t, s.CreateAccountLink(sysA, inv))
	if inv.ID == "" || !inv.CreatedAt.Equal(at) {
		t.Fatalf("created link: %+v", inv)
	}
	got, err := s.FindAccountLink(ctx, a, "hash-1", at)
	Must(t, err)
	if got.ID != inv.ID || got.PersonID != w.EmpX1.ID || got.Purpose != distans.LinkInvitation || got.UsedAt != nil ||
		!got.ExpiresAt.Equal(inv.ExpiresAt) {
		t.Fatalf("found %+v, want %+v", got, inv)
	}
	// Org A's token presented with org B's id finds nothing, and nothing of
	// B can be used up with it.
	_, err = s.FindAccountLink(ctx, b, "hash-1", at)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.UseAccountLink(ctx, b, "hash-1", at, "$argon2id$x")
	WantCode(t, err, distans.ENOTFOUND)
	// A link of A for a person of B cannot be made.
	err = s.CreateAccountLink(sysA, &distans.AccountLink{OrganisationID: a, PersonID: w.EmpB.ID, Purpose: distans.LinkInvitation,
		TokenHash: "hash-x", ExpiresAt: at.Add(time.Hour)})
	WantCode(t, err, distans.ENOTFOUND)

	// Expired is not found, a microsecond after.
	_, err = s.FindAccountLink(ctx, a, "hash-1", inv.ExpiresAt)
	WantCode(t, err, distans.ENOTFOUND)

	// A new invitation ends the earlier one; a reset link does not end it.
	inv2 := link(w.EmpX1, distans.LinkInvitation, "hash-2")
	Must(t, s.CreateAccountLink(sysA, inv2))
	_, err = s.FindAccountLink(ctx, a, "hash-1", at)
	WantCode(t, err, distans.ENOTFOUND)
	Must(t, s.CreateAccountLink(sysA, link(w.EmpX1, distans.LinkReset, "hash-r")))
	_, err = s.FindAccountLink(ctx, a, "hash-2", at)
	Must(t, err)

	// Who may make invitations: the system of the organisation, and those
	// who set passwords where the person works.
	for _, tc := range []struct {
		name string
		ctx  context.Context
		p    *distans.Person
		code string
	}{
		{"hr of the unit", As(t, s, w.HRX), w.EmpX1, ""},
		{"admin", As(t, s, w.Admin), w.EmpY, ""},
		{"hr outside the unit", As(t, s, w.HRX), w.EmpY, distans.ENOTFOUND},
		{"switchboard sees but may not", As(t, s, w.Switchboard), w.EmpX1, distans.EFORBIDDEN},
		{"oneself", As(t, s, w.EmpX1), w.EmpX1, distans.EFORBIDDEN},
		{"admin of another organisation", As(t, s, w.AdminB), w.EmpX1, distans.ENOTFOUND},
		{"system of another organisation", System(b), w.EmpX1, distans.ENOTFOUND},
	} {
		l := link(tc.p, distans.LinkInvitation, "hash-"+tc.name)
		err := s.CreateAccountLink(distans.WithNow(tc.ctx, at), l)
		if tc.code == "" {
			Must(t, err)
		} else if distans.ErrorCode(err) != tc.code {
			t.Errorf("%s: error %v, want %s", tc.name, err, tc.code)
		}
	}

	// Using the link: the password is set, sessions end, a lock is cleared.
	Must(t, s.CreateSession(ctx, &distans.Session{TokenHash: "sess", OrganisationID: a, PersonID: w.EmpX1.ID, CSRFToken: "c",
		CreatedAt: at, ExpiresAt: at.Add(time.Hour), LastSeenAt: at}))
	_, err = s.RecordSignInFailure(ctx, a, w.EmpX1.ID, 1, at, at.Add(time.Hour))
	Must(t, err)
	used, err := s.UseAccountLink(ctx, a, "hash-hr of the unit", at, "$argon2id$new")
	Must(t, err)
	if used.PersonID != w.EmpX1.ID || used.Purpose != distans.LinkInvitation {
		t.Fatalf("used %+v", used)
	}
	acc, err := s.FindAccount(ctx, a, w.EmpX1.ID)
	Must(t, err)
	if acc.PasswordHash != "$argon2id$new" || acc.LockedUntil != nil || acc.FailedCount != 0 {
		t.Fatalf("account after the link: %+v", acc)
	}
	_, err = s.FindSession(ctx, "sess")
	WantCode(t, err, distans.ENOTFOUND)
	// Once only.
	_, err = s.UseAccountLink(ctx, a, "hash-hr of the unit", at, "$argon2id$again")
	WantCode(t, err, distans.ENOTFOUND)
	// An expired link cannot be used.
	_, err = s.UseAccountLink(ctx, a, "hash-admin", at.Add(2*time.Hour), "$argon2id$late")
	WantCode(t, err, distans.ENOTFOUND)

	// Resets: at most max within the window, counted per person.
	since := at.Add(-time.Hour)
	for i := range 4 {
		made, err := s.RequestPasswordReset(ctx, link(w.EmpY, distans.LinkReset, "reset-"+string(rune('a'+i))), 3, since)
		Must(t, err)
		if made != (i < 3) {
			t.Fatalf("reset %d made = %v", i+1, made)
		}
	}
	made, err := s.RequestPasswordReset(ctx, link(w.EmpY, distans.LinkReset, "reset-later"), 3, at)
	Must(t, err)
	if !made {
		t.Fatal("a reset after the window was refused")
	}
	// Only the newest reset link works.
	_, err = s.FindAccountLink(ctx, a, "reset-a", at)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.FindAccountLink(ctx, a, "reset-later", at)
	Must(t, err)

	events, err := s.ListAuditEvents(sysA, distans.AuditFilter{Limit: 1000})
	Must(t, err)
	count := map[string]int{}
	for _, e := range events {
		count[e.Action]++
		if strings.Contains(e.Summary, "hash-") || strings.Contains(e.Summary, "reset-") {
			t.Errorf("the audit event %s names the link's hash: %s", e.Action, e.Summary)
		}
	}
	// 2 invitations + 1 reset + 2 allowed above, 4 resets made; 1 use; 5 requests.
	if count["link.create"] != 9 || count["link.use"] != 1 || count["password.reset_request"] != 5 {
		t.Errorf("audit events: %v", count)
	}
	// The sweep keeps links for a day after they expire, then removes them.
	n, err := s.DeleteExpiredAccountLinks(ctx, at.Add(time.Hour+23*time.Hour))
	Must(t, err)
	if n != 0 {
		t.Errorf("the sweep removed %d links less than a day after they expired", n)
	}
	n, err = s.DeleteExpiredAccountLinks(ctx, at.Add(time.Hour+25*time.Hour))
	Must(t, err)
	// Three at the start, two allowed in the table, four resets.
	if n != 9 {
		t.Errorf("the sweep removed %d links, want all 9", n)
	}
	evB, err := s.ListAuditEvents(System(b), distans.AuditFilter{Action: "link.", Limit: 1000})
	Must(t, err)
	if len(evB) != 0 {
		t.Errorf("organisation B has %d link events", len(evB))
	}
}

// AccountLinkRace: requests that use the same link at the same moment set
// one password between them; the others find the link used.
func AccountLinkRace(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	at := distans.Now().Truncate(time.Microsecond)
	ctx := distans.WithNow(context.Background(), at)
	Must(t, s.CreateAccountLink(distans.NewContext(ctx, distans.SystemActor(w.A.ID)), &distans.AccountLink{
		OrganisationID: w.A.ID, PersonID: w.EmpX1.ID, Purpose: distans.LinkReset, TokenHash: "race", ExpiresAt: at.Add(time.Hour)}))
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := s.UseAccountLink(ctx, w.A.ID, "race", at, "$argon2id$"+string(rune('a'+i)))
			errs <- err
		}()
	}
	ok := 0
	for range n {
		switch err := <-errs; distans.ErrorCode(err) {
		case "":
			ok++
		case distans.ENOTFOUND:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d requests used the link, want 1", ok, n)
	}
	hist, err := s.PasswordHistory(ctx, w.A.ID, w.EmpX1.ID, 10)
	Must(t, err)
	if len(hist) != 1 {
		t.Fatalf("%d passwords set, want 1", len(hist))
	}
}
