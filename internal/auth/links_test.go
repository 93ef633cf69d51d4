package auth

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/notify/smtptest"
	"github.com/distans/distans/internal/secret"
)

// tokenOf returns the token at the end of a link's URL.
func tokenOf(t *testing.T, url string) string {
	t.Helper()
	token, ok := strings.CutPrefix(url, testBaseURL+"/link/")
	if !ok || token == "" {
		t.Fatalf("link %q is not under %s/link/", url, testBaseURL)
	}
	return token
}

// linkWorld is an organisation whose pack asks for twelve characters,
// three failures and no reuse of the last two, with HR in one unit and a
// person there who has a password.
type linkWorld struct {
	f         *fixture
	org       *distans.Organisation
	root, sub *distans.Unit
	hr, emp   *distans.Person
	other     *distans.Person // outside HR's unit
	hrToken   string
}

func newLinkWorld(t *testing.T) *linkWorld {
	f := newFixture(t)
	w := &linkWorld{f: f}
	w.org, w.root = f.org("vara", distans.PasswordPolicy{MinLength: 12, HistoryCount: 2, MaxFailures: 3, LockoutMinutes: 30})
	w.sub = f.unit(w.org, w.root, "Socialförvaltningen")
	w.hr = f.person(w.org, w.sub, "Hanna Hansson", "hanna@vara.se", "hanna-gamla-lösen-1")
	f.grant(w.org, w.hr, distans.RoleHR, w.sub)
	w.emp = f.person(w.org, w.sub, "Åsa Öberg", "asa@vara.se", "åsas-gamla-lösen-1")
	w.other = f.person(w.org, w.root, "Olle Olsson", "olle@vara.se", "")
	w.hrToken = f.signIn("hanna@vara.se", "hanna-gamla-lösen-1", "")
	return w
}

// TestInvite: who may invite whom, what an invitation says, and that a
// new one ends the earlier.
func TestInvite(t *testing.T) {
	t.Parallel()
	w := newLinkWorld(t)
	f := w.f
	hr := f.as(w.hrToken)

	inv, err := f.svc.Invite(hr, w.emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	token := tokenOf(t, inv.URL)
	if inv.Sent || inv.PersonID != w.emp.ID || inv.Email != "asa@vara.se" || inv.Purpose != distans.LinkInvitation ||
		!strings.HasPrefix(token, w.org.ID+".") {
		t.Fatalf("invitation %+v", inv)
	}
	if d := inv.ExpiresAt.Sub(f.clock.Now()); d < InvitationTTL-time.Second || d > InvitationTTL {
		t.Errorf("the invitation lives %v", d)
	}
	target, err := f.svc.FindLink(f.ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if target.Name != "Åsa Öberg" || target.OrgName != w.org.Name || target.Purpose != distans.LinkInvitation ||
		target.Policy.MinLength != 12 || target.Policy.HistoryCount != 2 {
		t.Errorf("target %+v", target)
	}

	// A second invitation ends the first.
	again, err := f.svc.Invite(hr, w.emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.FindLink(f.ctx, token)
	wantCode(t, err, distans.ENOTFOUND, "har redan använts")
	if _, err := f.svc.FindLink(f.ctx, tokenOf(t, again.URL)); err != nil {
		t.Fatal(err)
	}

	// The system of the person's organisation may invite (a new
	// organisation's first administrator); nobody else without the right.
	if _, err := f.svc.Invite(f.sys(w.org.ID), w.other.ID); err != nil {
		t.Errorf("system: %v", err)
	}
	empToken := f.signIn("asa@vara.se", "åsas-gamla-lösen-1", "")
	it := f.person(w.org, w.root, "Ivar IT-tekniker", "ivar@vara.se", "ivars-gamla-lösen-1")
	f.grant(w.org, it, distans.RoleIT, nil)
	itToken := f.signIn("ivar@vara.se", "ivars-gamla-lösen-1", "")
	ended := f.person(w.org, w.sub, "Erik Ek", "erik@vara.se", "")
	if err := f.st.EndEmployment(f.sys(w.org.ID), mustEmployment(t, f, w.org, ended).ID, time.Now().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		personID string
		code     string
	}{
		{"an employee", f.as(empToken), w.hr.ID, distans.ENOTFOUND},
		{"IT sees but may not", f.as(itToken), w.emp.ID, distans.EFORBIDDEN},
		{"oneself", hr, w.hr.ID, distans.EFORBIDDEN},
		{"HR outside the unit", hr, w.other.ID, distans.ENOTFOUND},
		{"nobody", f.ctx, w.emp.ID, distans.EUNAUTHORIZED},
		{"no current employment", hr, ended.ID, distans.ECONFLICT},
	} {
		_, err := f.svc.Invite(tc.ctx, tc.personID)
		if distans.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	// Another organisation's system is not the person's.
	o2, _ := f.org("sorsele", distans.PasswordPolicy{})
	_, err = f.svc.Invite(f.sys(o2.ID), w.emp.ID)
	wantCode(t, err, distans.ENOTFOUND, "")
}

func mustEmployment(t *testing.T, f *fixture, o *distans.Organisation, p *distans.Person) *distans.Employment {
	t.Helper()
	emps, err := f.st.ListEmployments(f.sys(o.ID), p.ID)
	if err != nil || len(emps) == 0 {
		t.Fatalf("employments of %s: %v", p.Name, err)
	}
	return emps[0]
}

// TestSetPasswordWithLink: the pack's rules, single use, the session and
// lock it ends, expiry and the organisation the link names.
func TestSetPasswordWithLink(t *testing.T) {
	t.Parallel()
	w := newLinkWorld(t)
	f := w.f
	inv, err := f.svc.Invite(f.as(w.hrToken), w.emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	token := tokenOf(t, inv.URL)

	// The person is signed in somewhere, then locked out by three typos.
	oldSession := f.signIn("asa@vara.se", "åsas-gamla-lösen-1", "")
	for range 3 {
		if _, err := f.svc.SignIn(f.ctx, "asa@vara.se", "fel", ""); err == nil {
			t.Fatal("a wrong password signed in")
		}
	}
	if acc, _ := f.st.FindAccount(f.sys(w.org.ID), w.org.ID, w.emp.ID); acc.LockedUntil == nil {
		t.Fatal("the account is not locked")
	}

	// The pack's rules, and the link stays usable after a refusal.
	for _, tc := range []struct{ pw, sv string }{
		{"kort-lösen", "minst 12 tecken"},
		{"åsas-gamla-lösen-1", "använt det här lösenordet tidigare"},
		{"jag-heter-ÅSA-ÖBERG", "ditt namn"},
	} {
		_, err := f.svc.SetPasswordWithLink(f.ctx, token, tc.pw)
		wantCode(t, err, distans.EINVALID, tc.sv)
	}
	// A link of this organisation presented with another's id.
	o2, _ := f.org("sorsele", distans.PasswordPolicy{})
	_, secret, _ := strings.Cut(token, ".")
	_, err = f.svc.SetPasswordWithLink(f.ctx, o2.ID+"."+secret, "ett-helt-nytt-lösenord")
	wantCode(t, err, distans.ENOTFOUND, "")
	for _, bad := range []string{"", ".", w.org.ID, w.org.ID + ".kort", "x." + secret} {
		_, err := f.svc.FindLink(f.ctx, bad)
		wantCode(t, err, distans.ENOTFOUND, "")
	}

	res, err := f.svc.SetPasswordWithLink(f.ctx, token, "ett-helt-nytt-lösenord")
	if err != nil {
		t.Fatal(err)
	}
	// Signed in with the new session; the old one is over; the lock is
	// gone, so the new password signs in.
	if a, _, err := f.svc.Authenticate(f.ctx, res.Token); err != nil || a.PersonID != w.emp.ID {
		t.Fatalf("new session: %v %v", a, err)
	}
	if _, _, err := f.svc.Authenticate(f.ctx, oldSession); err == nil {
		t.Error("the session from before the new password still works")
	}
	f.signIn("asa@vara.se", "ett-helt-nytt-lösenord", "")
	// Once only.
	_, err = f.svc.SetPasswordWithLink(f.ctx, token, "ännu-ett-nytt-lösenord")
	wantCode(t, err, distans.ENOTFOUND, "Länken finns inte")

	// Expiry: an invitation works for 14 days, not a minute more.
	inv, err = f.svc.Invite(f.as(w.hrToken), w.emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(InvitationTTL - time.Minute)
	if _, err := f.svc.FindLink(f.ctx, tokenOf(t, inv.URL)); err != nil {
		t.Fatalf("a minute before expiry: %v", err)
	}
	f.clock.Add(2 * time.Minute)
	_, err = f.svc.SetPasswordWithLink(f.ctx, tokenOf(t, inv.URL), "ännu-ett-nytt-lösenord")
	wantCode(t, err, distans.ENOTFOUND, "")
}

var linkRE = regexp.MustCompile(regexp.QuoteMeta(testBaseURL) + `/link/[A-Za-z0-9_.-]+`)

// TestRequestPasswordReset e-mails reset links through a real SMTP
// server: one mail per organisation account of the address, none for an
// unknown address or an ended employment, at most three an hour; the
// link from the mail sets the password and signs in; the audit trail has
// each step and never the secret.
func TestRequestPasswordReset(t *testing.T) {
	t.Parallel()
	w := newLinkWorld(t)
	f := w.f
	srv := smtptest.New(t)
	m, err := notify.NewMailer(notify.SMTPConfig{URL: srv.URL(), From: "Distans <distans@example.se>", BaseURL: testBaseURL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.mailer = m
	// Åsa works in a second organisation too, and has ended in a third.
	o2, r2 := f.org("sorsele", distans.PasswordPolicy{})
	f.person(o2, r2, "Åsa Öberg", "asa@vara.se", "")
	o3, r3 := f.org("bjurholm", distans.PasswordPolicy{})
	gone := f.person(o3, r3, "Åsa Öberg", "asa@vara.se", "")
	if err := f.st.EndEmployment(f.sys(o3.ID), mustEmployment(t, f, o3, gone).ID, time.Now().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}

	for _, email := range []string{"ingen@vara.se", "  ASA@vara.se "} {
		if err := f.svc.RequestPasswordReset(f.ctx, email); err != nil {
			t.Fatalf("%q: %v", email, err)
		}
	}
	f.svc.Wait()
	got := srv.Received()
	if len(got) != 2 {
		t.Fatalf("received %d mails, want one per current account (2)", len(got))
	}
	byOrg := map[string]string{}
	for _, r := range got {
		if r.To != "asa@vara.se" || !strings.HasPrefix(r.Subject, "Återställ ditt lösenord") {
			t.Errorf("mail to %s: %s", r.To, r.Subject)
		}
		url := linkRE.FindString(r.Body)
		orgID, _, _ := strings.Cut(tokenOf(t, url), ".")
		byOrg[orgID] = url
	}
	if byOrg[w.org.ID] == "" || byOrg[o2.ID] == "" {
		t.Fatalf("links by organisation: %v", byOrg)
	}

	// The link from the mail: an hour, the pack's rules, signed in.
	token := tokenOf(t, byOrg[w.org.ID])
	target, err := f.svc.FindLink(f.ctx, token)
	if err != nil || target.Purpose != distans.LinkReset || target.ExpiresAt.Sub(f.clock.Now()) > ResetTTL {
		t.Fatalf("target %+v, %v", target, err)
	}
	_, err = f.svc.SetPasswordWithLink(f.ctx, token, "kort")
	wantCode(t, err, distans.EINVALID, "minst 12 tecken")
	res, err := f.svc.SetPasswordWithLink(f.ctx, token, "återställt-lösenord-1")
	if err != nil || res.Token == "" {
		t.Fatalf("set with the reset link: %+v %v", res, err)
	}

	// Three links an hour per account: two more now, then none.
	for range 3 {
		if err := f.svc.RequestPasswordReset(f.ctx, "asa@vara.se"); err != nil {
			t.Fatal(err)
		}
	}
	f.svc.Wait()
	if n := len(srv.Received()); n != 2+2*2 {
		t.Fatalf("received %d mails in all, want 6", n)
	}
	// An hour later there may be more.
	f.clock.Add(time.Hour + time.Minute)
	if err := f.svc.RequestPasswordReset(f.ctx, "asa@vara.se"); err != nil {
		t.Fatal(err)
	}
	f.svc.Wait()
	if n := len(srv.Received()); n != 8 {
		t.Fatalf("received %d mails in all, want 8", n)
	}
	// An empty address is the one error.
	err = f.svc.RequestPasswordReset(f.ctx, " ")
	wantCode(t, err, distans.EINVALID, "e-postadress")

	events, err := f.st.ListAuditEvents(f.sys(w.org.ID), distans.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range events {
		count[e.Action]++
		_, plain, _ := strings.Cut(token, ".")
		if strings.Contains(e.Summary, plain) || strings.Contains(e.Summary, secret.Hash(plain)) {
			t.Errorf("%s names the link's secret: %s", e.Action, e.Summary)
		}
	}
	// Five requests: three links in the first hour, one after it.
	if count["password.reset_request"] != 5 || count["link.create"] != 4 || count["link.use"] != 1 {
		t.Errorf("audit events: %v", count)
	}
	if evs, _ := f.st.ListAuditEvents(f.sys(o3.ID), distans.AuditFilter{Action: "password.", Limit: 100}); len(evs) != 0 {
		t.Errorf("the ended account's organisation recorded %d requests", len(evs))
	}
}

// TestResetWithoutMail: without e-mail, a reset request sends nothing and
// makes no link, and answers as always.
func TestResetWithoutMail(t *testing.T) {
	t.Parallel()
	w := newLinkWorld(t)
	f := w.f
	if err := f.svc.RequestPasswordReset(f.ctx, "asa@vara.se"); err != nil {
		t.Fatal(err)
	}
	f.svc.Wait()
	evs, err := f.st.ListAuditEvents(f.sys(w.org.ID), distans.AuditFilter{Action: "link.", Limit: 100})
	if err != nil || len(evs) != 0 {
		t.Fatalf("links made without e-mail: %d, %v", len(evs), err)
	}
}

// TestInviteByMail: with e-mail on, the invitation goes to the person and
// the administrator gets no link; a mail that fails gives the link to the
// administrator instead.
func TestInviteByMail(t *testing.T) {
	t.Parallel()
	w := newLinkWorld(t)
	f := w.f
	srv := smtptest.New(t)
	m, err := notify.NewMailer(notify.SMTPConfig{URL: srv.URL(), From: "Distans <distans@example.se>", BaseURL: testBaseURL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.mailer = m
	inv, err := f.svc.Invite(f.as(w.hrToken), w.emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Received()
	if !inv.Sent || inv.URL != "" || len(got) != 1 || got[0].To != "asa@vara.se" || !strings.HasPrefix(got[0].Subject, "Välj ditt lösenord") {
		t.Fatalf("invitation %+v, mails %d", inv, len(got))
	}
	if _, err := f.svc.FindLink(f.ctx, tokenOf(t, linkRE.FindString(got[0].Body))); err != nil {
		t.Fatalf("the mailed link: %v", err)
	}
	srv.Refuse("asa@vara.se", true)
	inv, err = f.svc.Invite(f.as(w.hrToken), w.emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Sent || inv.URL == "" {
		t.Fatalf("a refused mail: %+v", inv)
	}
	if _, err := f.svc.FindLink(f.ctx, tokenOf(t, inv.URL)); err != nil {
		t.Fatalf("the handed-over link: %v", err)
	}
}
