package notify

import (
	"context"
	"embed"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/distans/distans"
)

//go:embed links/link.tmpl
var linkText embed.FS

// linkTemplate is parsed when the program starts, like the notifications'.
var linkTemplate = template.Must(template.New("link").Option("missingkey=error").ParseFS(linkText, "links/link.tmpl"))

// LinkMail is an e-mail that carries a link to set a password. It is sent
// at once and never stored: the link is a secret that only the person may
// get, so it does not go through the notifications table.
type LinkMail struct {
	To, Name, OrgName string
	Purpose           distans.LinkPurpose
	URL               string // absolute, from the base URL
	ExpiresAt         time.Time
	Location          *time.Location // the organisation's, for the expiry; nil is UTC
}

// linkData is what links/link.tmpl reads.
type linkData struct {
	Name, OrgName, URL   string
	Invitation           bool
	ExpiresSv, ExpiresEn string
}

// LinkText renders m: subject and plain-text body, Swedish then English.
func LinkText(m LinkMail) (subject, body string, err error) {
	loc := m.Location
	if loc == nil {
		loc = time.UTC
	}
	exp := m.ExpiresAt.In(loc)
	d := linkData{Name: m.Name, OrgName: m.OrgName, URL: m.URL, Invitation: m.Purpose == distans.LinkInvitation,
		ExpiresSv: fmt.Sprintf("%d %s %d kl. %s", exp.Day(), months["sv"][exp.Month()-1], exp.Year(), exp.Format("15:04")),
		ExpiresEn: fmt.Sprintf("%d %s %d at %s", exp.Day(), months["en"][exp.Month()-1], exp.Year(), exp.Format("15:04"))}
	var s, b strings.Builder
	if err := linkTemplate.ExecuteTemplate(&s, "subject", d); err != nil {
		return "", "", err
	}
	if err := linkTemplate.ExecuteTemplate(&b, "body", d); err != nil {
		return "", "", err
	}
	return strings.TrimSpace(s.String()), b.String(), nil
}

// BaseURL is where people reach Distans, without a trailing slash.
func (m *Mailer) BaseURL() string { return m.baseURL }

// SendLink e-mails m now, on a connection of its own. An error means the
// person did not get it; the caller decides what to tell whom.
func (m *Mailer) SendLink(ctx context.Context, l LinkMail) error {
	subject, body, err := LinkText(l)
	if err != nil {
		return fmt.Errorf("notify: link e-mail: %w", err)
	}
	msg := mail.NewMsg()
	msg.FromMailAddress(m.from)
	if err := msg.AddToFormat(l.Name, l.To); err != nil {
		return fmt.Errorf("notify: recipient: %w", err)
	}
	msg.Subject(subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader("X-Auto-Response-Suppress", "All")
	msg.SetGenHeader(mail.HeaderContentLang, "sv, en")
	msg.SetBodyString(mail.TypeTextPlain, body)
	if err := m.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("notify: send link e-mail: %w", err)
	}
	return nil
}
