// Package smtptest runs a real SMTP server on a loopback port for tests:
// it speaks the protocol (github.com/emersion/go-smtp), asks for AUTH
// PLAIN as user/secret, and keeps every message it accepts, decoded.
package smtptest

import (
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From, To      string
	Subject, Body string // decoded; Body as sent, line ends included
	Header        netmail.Header
}

// Server is the running server; it stops when the test ends.
type Server struct {
	addr   string
	mu     sync.Mutex
	msgs   []Message
	refuse map[string]bool
}

// New starts a server for the test.
func New(t testing.TB) *Server {
	t.Helper()
	srv := &Server{refuse: map[string]bool{}}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{srv: srv}, nil }))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ErrorLog = nopLogger{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return srv
}

// URL is the server's address with its credentials, for
// notify.SMTPConfig.URL.
func (s *Server) URL() string { return "smtp://user:secret@" + s.addr }

// Received returns the messages accepted so far.
func (s *Server) Received() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Refuse makes RCPT TO fail for the address (550), or succeed again.
func (s *Server) Refuse(addr string, refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[addr] = refuse
}

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}
func (nopLogger) Println(...any)        {}

type session struct {
	srv      *Server
	authed   bool
	from, to string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "user" || pass != "secret" {
			return errors.New("bad credentials")
		}
		s.authed = true
		return nil
	}), nil
}
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.to = to
	return nil
}
func (s *session) Data(r io.Reader) error {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.srv.msgs = append(s.srv.msgs, Message{From: s.from, To: s.to, Subject: subject, Body: string(b), Header: msg.Header})
	return nil
}
func (s *session) Reset()        { s.from, s.to = "", "" }
func (s *session) Logout() error { return nil }
