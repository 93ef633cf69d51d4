package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/distans/distans"
)

// SMTPConfig is where and as whom the Mailer sends.
type SMTPConfig struct {
	// URL is smtp://[user:password@]host[:port] (STARTTLS when the server
	// offers it; port 587 unless given) or smtps://… (TLS from the first
	// byte; port 465 unless given). A password is sent only over TLS, or
	// to a server on this machine.
	URL string
	// From is the sender, such as "Distans <distans@kommun.se>".
	From string
	// BaseURL is where people reach Distans, such as
	// "https://distans.kommun.se"; links in e-mails start with it.
	BaseURL string
}

// Defaults of the Mailer.
const (
	// DefaultLease is how long a claimed e-mail is left to one Mailer; one
	// whose sending failed is tried again, by any instance, after it.
	DefaultLease = 10 * time.Minute
	// DefaultBatch is how many e-mails one claim takes.
	DefaultBatch = 50
)

// Mailer e-mails notifications. Several Mailers, in one process or in
// several instances on one database, may run SendDue at once: the queue's
// leases see to it that each notification is sent once.
type Mailer struct {
	client  *mail.Client
	from    *netmail.Address
	baseURL string
	logger  *slog.Logger
	// Lease and Batch are DefaultLease and DefaultBatch unless changed
	// before the first SendDue.
	Lease time.Duration
	Batch int
}

// NewMailer returns a Mailer for c. It does not connect: a server that is
// down delays e-mails, it does not stop Distans. logger may be nil.
func NewMailer(c SMTPConfig, logger *slog.Logger) (*Mailer, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		// url.Parse's error quotes the URL, password and all.
		return nil, errors.New("notify: the SMTP URL cannot be parsed")
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("notify: the SMTP URL %s names no host", u.Redacted())
	}
	opts := []mail.Option{mail.WithTimeout(30 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtp":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, mail.WithSSL())
	default:
		return nil, fmt.Errorf("notify: the SMTP URL must start with smtp:// or smtps://, not %s://", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("notify: the SMTP URL %s has a bad port", u.Redacted())
		}
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		// PLAIN or LOGIN, whichever the server offers; go-mail refuses
		// both on an unencrypted connection to another machine.
		opts = append(opts, mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlain, mail.SMTPAuthLogin),
			mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	client, err := mail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP client for %s: %w", u.Redacted(), err)
	}
	from, err := netmail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("notify: the sender %q is not an e-mail address: %w", c.From, err)
	}
	base, err := url.Parse(c.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("notify: the base URL %q must be an http:// or https:// URL", c.BaseURL)
	}
	return &Mailer{client: client, from: from, baseURL: strings.TrimRight(c.BaseURL, "/"), logger: logger.With("smtp", u.Host),
		Lease: DefaultLease, Batch: DefaultBatch}, nil
}

// SendDue e-mails the notifications that are due, as of now, and returns
// how many it sent. It claims a batch from q as the system actor (of no
// organisation: the queue spans them all), sends each in the recipient's
// language and marks it e-mailed, and goes on while batches come back
// full. A message that fails is logged and left to its lease: once the
// lease runs out, it is claimed and tried again. The error is for what
// stops the round: the queue failing, or the server unreachable.
func (m *Mailer) SendDue(ctx context.Context, q distans.MailQueue, now time.Time) (int, error) {
	sys := distans.NewContext(ctx, distans.SystemActor(""))
	sent := 0
	for {
		batch, err := q.ClaimEmails(sys, now, m.Lease, m.Batch)
		if err != nil {
			return sent, fmt.Errorf("claim e-mails: %w", err)
		}
		if len(batch) == 0 {
			return sent, nil
		}
		n, err := m.send(ctx, q, batch)
		sent += n
		if err != nil || len(batch) < m.Batch {
			return sent, err
		}
	}
}

// send sends a batch on one connection, dialling again after a failure.
func (m *Mailer) send(ctx context.Context, q distans.MailQueue, batch []*distans.OutgoingEmail) (int, error) {
	sent := 0
	var conn *mailConn
	defer func() { conn.close() }()
	for _, e := range batch {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		msg, err := m.message(e)
		if err != nil {
			// A bad address will not get better: the lease and the
			// attempt count retire it.
			m.logger.WarnContext(ctx, "e-mail not sent", "notification", e.ID, "organisation", e.OrganisationID, "err", err)
			continue
		}
		if conn == nil {
			if conn, err = m.dial(ctx); err != nil {
				return sent, fmt.Errorf("connect to the SMTP server: %w", err)
			}
		}
		if err := m.client.SendWithSMTPClient(conn.c, msg); err != nil {
			m.logger.WarnContext(ctx, "e-mail not sent", "notification", e.ID, "organisation", e.OrganisationID, "err", err)
			conn.close()
			conn = nil
			continue
		}
		// The e-mail is sent; if the mark fails, it is sent again after
		// the lease, which is the lesser harm than never.
		if err := q.MarkEmailed(distans.NewContext(ctx, distans.SystemActor(e.OrganisationID)), e.ID, distans.NowFrom(ctx)); err != nil {
			m.logger.ErrorContext(ctx, "e-mail sent but not marked", "notification", e.ID, "organisation", e.OrganisationID, "err", err)
		}
		sent++
	}
	return sent, nil
}

// message renders e in its recipient's language.
func (m *Mailer) message(e *distans.OutgoingEmail) (*mail.Msg, error) {
	lang := Language(e.Language)
	subject, body := Text(&e.Notification, lang)
	link := m.baseURL + "/"
	if strings.HasPrefix(e.Link, "/") {
		link = m.baseURL + e.Link
	}
	text := execute(templates[lang], "email", struct{ Name, Body, URL, OrgName string }{e.Name, body, link, e.OrgName})

	msg := mail.NewMsg()
	msg.FromMailAddress(m.from)
	if err := msg.AddToFormat(e.Name, e.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(subject)
	msg.SetDate()
	msg.SetMessageID()
	// Automatic: no out-of-office replies to it (RFC 3834).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader("X-Auto-Response-Suppress", "All")
	msg.SetGenHeader(mail.HeaderContentLang, lang)
	msg.SetBodyString(mail.TypeTextPlain, text)
	return msg, nil
}

// mailConn is one connection to the SMTP server; close on nil does nothing.
type mailConn struct {
	m *Mailer
	c *smtp.Client
}

func (m *Mailer) dial(ctx context.Context) (*mailConn, error) {
	c, err := m.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, err
	}
	return &mailConn{m, c}, nil
}

func (c *mailConn) close() {
	if c != nil {
		_ = c.m.client.CloseWithSMTPClient(c.c)
	}
}

// Message is an e-mail that is not a notification: a text in the
// recipient's language with one file attached (the monthly report).
type Message struct {
	To, Name         string
	Language         string
	Subject, Body    string
	FileName         string
	File             []byte
	FileType         string // such as "application/pdf"
	OrganisationID   string // for the log
	DescribesPurpose string // for the log: "monthly report"
}

// Send sends msg on a connection of its own, marked automatic like the
// notifications; the error says it was not sent.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	out := mail.NewMsg()
	out.FromMailAddress(m.from)
	if err := out.AddToFormat(msg.Name, msg.To); err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	out.Subject(msg.Subject)
	out.SetDate()
	out.SetMessageID()
	out.SetGenHeader("Auto-Submitted", "auto-generated")
	out.SetGenHeader("X-Auto-Response-Suppress", "All")
	out.SetGenHeader(mail.HeaderContentLang, Language(msg.Language))
	out.SetBodyString(mail.TypeTextPlain, msg.Body)
	if msg.FileName != "" {
		if err := out.AttachReader(msg.FileName, bytes.NewReader(msg.File), mail.WithFileContentType(mail.ContentType(msg.FileType))); err != nil {
			return fmt.Errorf("attachment: %w", err)
		}
	}
	if err := m.client.DialAndSendWithContext(ctx, out); err != nil {
		m.logger.WarnContext(ctx, "e-mail not sent", "purpose", msg.DescribesPurpose, "organisation", msg.OrganisationID, "err", err)
		return err
	}
	return nil
}
