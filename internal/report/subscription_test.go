package report_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/notify/smtptest"
	"github.com/distans/distans/internal/report"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

type mailAdapter struct{ m *notify.Mailer }

func (a mailAdapter) SendReport(ctx context.Context, to *distans.ReportSend, subject, body, name string, pdf []byte) error {
	return a.m.Send(ctx, notify.Message{To: to.Email, Name: to.Name, Language: to.Language, Subject: subject, Body: body,
		FileName: name, File: pdf, FileType: "application/pdf"})
}

// TestSendMonthly: HR and the union representative subscribe in March;
// two instances send at once on 1 April and each subscriber gets one
// e-mail, received on a real SMTP server, with March's report attached as
// a PDF — the union's suppressed. A second round sends nothing; one who
// has lost their role gets nothing. Subscribing needs a report scope and
// a unit in it.
func TestSendMonthly(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := storetest.NewReportWorld(t, s)
		srv := smtptest.New(t)
		m, err := notify.NewMailer(notify.SMTPConfig{URL: srv.URL(), From: "Distans <distans@kommun.example>", BaseURL: "https://distans.example"}, nil)
		storetest.Must(t, err)
		newSubs := func() *report.Subscriptions {
			return report.NewSubscriptions(report.SubscriptionConfig{Store: s, Reports: newService(s), Units: s, Grants: s.Grants,
				Mail: mailAdapter{m}, BaseURL: "https://distans.example"})
		}
		subs := newSubs()
		march := time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC)
		hr := distans.WithNow(storetest.As(t, s, w.HR), march)
		storetest.Must(t, subs.Subscribe(hr, &distans.ReportSubscription{Kind: distans.ReportAgreements}))
		union := distans.WithNow(storetest.As(t, s, w.Union), march)
		storetest.Must(t, subs.Subscribe(union, &distans.ReportSubscription{Kind: distans.ReportAgreements}))
		chef := distans.WithNow(storetest.As(t, s, w.ChefA), march)
		if err := subs.Subscribe(chef, &distans.ReportSubscription{Kind: distans.ReportAgreements, UnitID: w.B.ID}); distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("a manager subscribes to a unit outside their subtree: %v, want ENOTFOUND", err)
		}
		if err := subs.Subscribe(chef, &distans.ReportSubscription{Kind: "salaries"}); distans.ErrorCode(err) != distans.EINVALID {
			t.Errorf("an unknown kind: %v, want EINVALID", err)
		}
		employee := w.People[w.B1.ID][0]
		if err := subs.Subscribe(storetest.As(t, s, employee), &distans.ReportSubscription{Kind: distans.ReportAgreements}); distans.ErrorCode(err) != distans.EFORBIDDEN {
			t.Errorf("an employee subscribes: %v, want EFORBIDDEN", err)
		}
		storetest.Must(t, subs.Subscribe(chef, &distans.ReportSubscription{Kind: distans.ReportAgreements, UnitID: w.A1.ID}))
		// The manager loses the role before the month is out.
		if _, err := storetest.Raw(t, s).Exec(`UPDATE role_assignments SET ended_at = $1 WHERE organisation_id = $2 AND person_id = $3`,
			"2026-03-20T00:00:00Z", w.Org.ID, w.ChefA.ID); err != nil {
			t.Fatal(err)
		}

		april := time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i := range counts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := newSubs().SendMonthly(context.Background(), april)
				if err != nil {
					t.Error(err)
				}
				counts[i] = n
			}()
		}
		wg.Wait()
		got := srv.Received()
		if counts[0]+counts[1] != 2 || len(got) != 2 {
			t.Fatalf("sent %v, received %d, want 2 in all", counts, len(got))
		}
		if n, err := subs.SendMonthly(context.Background(), april.Add(time.Hour)); err != nil || n != 0 || len(srv.Received()) != 2 {
			t.Fatalf("a second round sent %d, %v", n, err)
		}
		for _, msg := range got {
			if !strings.HasPrefix(msg.Subject, "Månadsrapport: Distansarbete, ") || !strings.HasSuffix(msg.Subject, ", 2026-03") {
				t.Errorf("subject %q", msg.Subject)
			}
			text, pdf := parts(t, msg)
			if !strings.Contains(text, "https://distans.example/reports/agreements") {
				t.Errorf("no link in %q", text)
			}
			doc := pdfToText(t, pdf)
			if !strings.Contains(doc, "Period 2026-03-01 – 2026-03-31") {
				t.Errorf("the PDF is not March's: %s", doc)
			}
			isUnion := msg.To == w.Union.Email
			if strings.Contains(doc, "Minsta gruppstorlek") != isUnion || strings.Contains(text, "dolda (–)") != isUnion {
				t.Errorf("to %s: suppression shown %v, want %v", msg.To, !isUnion, isUnion)
			}
			if msg.To != w.Union.Email && msg.To != w.HR.Email {
				t.Errorf("e-mail to %s", msg.To)
			}
		}
	})
}

// parts splits a received e-mail into its text and its PDF.
func parts(t *testing.T, msg smtptest.Message) (string, []byte) {
	t.Helper()
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(strings.NewReader(msg.Body), params["boundary"])
	var text string
	var pdf []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
			b, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b)), ""))
			if err != nil {
				t.Fatal(err)
			}
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "application/pdf") {
			pdf = b
		} else {
			text += string(b)
		}
	}
	if pdf == nil {
		t.Fatalf("no PDF attached: %v", netmail.Header(msg.Header))
	}
	return text, pdf
}

func pdfToText(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", b)
	}
	file := filepath.Join(t.TempDir(), "m.pdf")
	storetest.Must(t, os.WriteFile(file, b, 0o600))
	out, err := exec.Command("/usr/bin/pdftotext", "-layout", file, "-").Output()
	storetest.Must(t, err)
	return strings.Join(strings.Fields(string(out)), " ")
}
