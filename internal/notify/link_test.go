package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/notify/smtptest"
)

// TestSendLink sends a link e-mail to a real SMTP server: Swedish first,
// English second, the link whole, the expiry in the organisation's time.
func TestSendLink(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t)
	m := newMailer(t, srv.URL(), nil)
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	url := baseURL + "/link/org-1.c2VjcmV0LXdpdGgtbG9uZy1lbm91Z2gtdGV4dA"
	for _, tc := range []struct {
		purpose      distans.LinkPurpose
		subject, sv  string
		en, notThere string
	}{
		{distans.LinkInvitation, "Välj ditt lösenord", "Du har bjudits in till Distans hos Vara kommun", "You have been invited", "bortse från"},
		{distans.LinkReset, "Återställ ditt lösenord", "bett om att få återställa lösenordet", "ignore this message", "bjudits in"},
	} {
		before := len(srv.Received())
		err := m.SendLink(context.Background(), notify.LinkMail{To: "asa.oberg@example.se", Name: "Åsa Öberg", OrgName: "Vara kommun",
			Purpose: tc.purpose, URL: url, ExpiresAt: time.Date(2026, 12, 6, 11, 30, 0, 0, time.UTC), Location: loc})
		if err != nil {
			t.Fatalf("%s: %v", tc.purpose, err)
		}
		got := srv.Received()
		if len(got) != before+1 {
			t.Fatalf("%s: received %d messages", tc.purpose, len(got)-before)
		}
		r := got[len(got)-1]
		body := strings.ReplaceAll(r.Body, "\r\n", "\n")
		if r.To != "asa.oberg@example.se" || !strings.HasPrefix(r.Subject, tc.subject) {
			t.Errorf("%s: to %q, subject %q", tc.purpose, r.To, r.Subject)
		}
		sv, en := strings.Index(body, tc.sv), strings.Index(body, tc.en)
		if sv < 0 || en < 0 || sv > en {
			t.Errorf("%s: Swedish at %d, English at %d:\n%s", tc.purpose, sv, en, body)
		}
		if !strings.Contains(body, url+"\n") || !strings.Contains(body, "6 december 2026 kl. 12:30") ||
			!strings.Contains(body, "6 December 2026 at 12:30") || strings.Contains(body, tc.notThere) {
			t.Errorf("%s: body:\n%s", tc.purpose, body)
		}
	}
}
