package auth

import (
	"bytes"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/notify/smtptest"
)

// batchWorld is the link world with an administrator of the whole
// organisation and two more people without a password: Olle (outside
// HR's unit, from linkWorld), Berit and Cesar.
func batchWorld(t *testing.T) (w *linkWorld, adminToken string) {
	t.Helper()
	w = newLinkWorld(t)
	f := w.f
	admin := f.person(w.org, w.root, "Ada Admin", "ada@vara.se", "adas-gamla-lösen-1")
	f.grant(w.org, admin, distans.RoleAdmin, nil)
	f.person(w.org, w.sub, "Berit Bengtsson", "berit@vara.se", "")
	f.person(w.org, w.root, "Cesar Carlsson", "cesar@vara.se", "")
	return w, f.signIn("ada@vara.se", "adas-gamla-lösen-1", "")
}

// TestInvitePendingHandsOver: without e-mail, the batch carries every
// link to hand over, each works, the CSV holds them, and nobody is left
// pending; only those who set passwords everywhere may.
func TestInvitePendingHandsOver(t *testing.T) {
	t.Parallel()
	w, adminToken := batchWorld(t)
	f := w.f
	admin := f.as(adminToken)

	n, err := f.svc.PendingInvitations(admin)
	if err != nil || n != 3 {
		t.Fatalf("pending: %d, %v; want 3 (Olle, Berit, Cesar)", n, err)
	}
	// HR of one unit sets passwords there, not everywhere.
	_, err = f.svc.InvitePending(f.as(w.hrToken))
	wantCode(t, err, distans.EFORBIDDEN, "")
	_, err = f.svc.PendingInvitations(f.as(w.hrToken))
	wantCode(t, err, distans.EFORBIDDEN, "")
	_, err = f.svc.InvitePending(f.ctx)
	wantCode(t, err, distans.EUNAUTHORIZED, "")

	b, err := f.svc.InvitePending(admin)
	if err != nil {
		t.Fatal(err)
	}
	if b.Count != 3 || b.Mailed != 0 || len(b.Invitations) != 3 || len(b.HandOver()) != 3 {
		t.Fatalf("batch %+v", b)
	}
	var names []string
	for _, inv := range b.Invitations {
		names = append(names, inv.Name)
		target, err := f.svc.FindLink(f.ctx, tokenOf(t, inv.URL))
		if err != nil {
			t.Fatalf("%s's link: %v", inv.Name, err)
		}
		if target.PersonID != inv.PersonID || target.Purpose != distans.LinkInvitation || !inv.ExpiresAt.Equal(b.ExpiresAt) {
			t.Errorf("%s's link is %+v", inv.Name, target)
		}
	}
	if got := strings.Join(names, ", "); got != "Berit Bengtsson, Cesar Carlsson, Olle Olsson" {
		t.Errorf("invited %s", got)
	}
	if n, _ := f.svc.PendingInvitations(admin); n != 0 {
		t.Errorf("pending after the batch: %d", n)
	}

	var csv bytes.Buffer
	if err := distans.WriteInvitationsCSV(&csv, b.Invitations, w.org.Location()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(csv.String(), "\r\n"), "\r\n")
	if len(lines) != 4 || lines[0] != "\uFEFFnamn;e-post;länk;giltig till" ||
		!strings.HasPrefix(lines[1], "Berit Bengtsson;berit@vara.se;"+b.Invitations[0].URL+";") {
		t.Errorf("CSV:\n%s", csv.String())
	}
}

// TestInvitePendingMails: with e-mail, the links go out after the answer,
// through a real SMTP server; a mail the server refuses ends its link, so
// that the person is pending again.
func TestInvitePendingMails(t *testing.T) {
	t.Parallel()
	w, adminToken := batchWorld(t)
	f := w.f
	srv := smtptest.New(t)
	m, err := notify.NewMailer(notify.SMTPConfig{URL: srv.URL(), From: "Distans <distans@example.se>", BaseURL: testBaseURL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.mailer = m
	srv.Refuse("cesar@vara.se", true)
	admin := f.as(adminToken)

	b, err := f.svc.InvitePending(admin)
	if err != nil {
		t.Fatal(err)
	}
	if b.Count != 3 || b.Mailed != 3 || len(b.HandOver()) != 0 {
		t.Fatalf("batch %+v", b)
	}
	for _, inv := range b.Invitations {
		if !inv.Sent || inv.URL != "" {
			t.Errorf("invitation %+v carries its link", inv)
		}
	}
	f.svc.Wait()
	got := srv.Received()
	if len(got) != 2 {
		t.Fatalf("received %d mails, want 2 (Cesar's was refused)", len(got))
	}
	for _, r := range got {
		if r.To != "berit@vara.se" && r.To != "olle@vara.se" || !strings.HasPrefix(r.Subject, "Välj ditt lösenord") {
			t.Errorf("mail to %s: %q", r.To, r.Subject)
		}
		if _, err := f.svc.FindLink(f.ctx, tokenOf(t, linkRE.FindString(r.Body))); err != nil {
			t.Errorf("link mailed to %s: %v", r.To, err)
		}
	}
	n, err := f.svc.PendingInvitations(admin)
	if err != nil || n != 1 {
		t.Fatalf("pending after a refused mail: %d, %v; want 1 (Cesar)", n, err)
	}
	events, err := f.st.ListAuditEvents(admin, distans.AuditFilter{Action: "link.end"})
	if err != nil || len(events) != 1 || !strings.Contains(events[0].Summary, "could not be sent") {
		t.Fatalf("link.end events %+v, %v", events, err)
	}
	// The next batch reaches Cesar once the address works again.
	srv.Refuse("cesar@vara.se", false)
	b, err = f.svc.InvitePending(admin)
	if err != nil || b.Count != 1 || b.Invitations[0].Email != "cesar@vara.se" {
		t.Fatalf("second batch %+v, %v", b, err)
	}
	f.svc.Wait()
	if got := srv.Received(); len(got) != 3 || got[2].To != "cesar@vara.se" {
		t.Fatalf("received %d mails", len(got))
	}
}
