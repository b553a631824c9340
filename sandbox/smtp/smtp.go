// Package smtp is an SMTP server for tests that keeps every message it receives and can be
// told to refuse, as a relay does with 4xx (try later) or 5xx (never).
package smtp

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"

	gosmtp "github.com/emersion/go-smtp"
)

// Message is a received email.
type Message struct {
	From      string
	To        []string
	MessageID string
	Subject   string
	Body      string
	Raw       []byte
}

// Server is the capture server.
type Server struct {
	Addr string // host:port it listens on

	srv      *gosmtp.Server
	mu       sync.Mutex
	messages []Message
	refuse   []*gosmtp.SMTPError // answers for the next messages' DATA
}

// Start listens on a free loopback port.
func Start() (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: l.Addr().String()}
	s.srv = gosmtp.NewServer(backend{s})
	s.srv.Domain = "sandbox.test"
	s.srv.AllowInsecureAuth = true
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Refuse makes the next message's DATA fail with code (4xx or 5xx) and text.
func (s *Server) Refuse(code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = append(s.refuse, &gosmtp.SMTPError{Code: code, Message: text})
}

// Messages returns what arrived, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

type backend struct{ s *Server }

func (b backend) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Mail(from string, _ *gosmtp.MailOptions) error { x.from = from; return nil }
func (x *session) Rcpt(to string, _ *gosmtp.RcptOptions) error   { x.to = append(x.to, to); return nil }
func (x *session) Reset()                                        { x.from, x.to = "", nil }
func (x *session) Logout() error                                 { return nil }

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if len(x.s.refuse) > 0 {
		e := x.s.refuse[0]
		x.s.refuse = x.s.refuse[1:]
		return e
	}
	m := Message{From: x.from, To: x.to, Raw: raw}
	if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.MessageID = strings.Trim(msg.Header.Get("Message-Id"), "<>")
		dec := new(mime.WordDecoder)
		if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
			m.Subject = msg.Header.Get("Subject")
		}
		body, _ := io.ReadAll(msg.Body)
		m.Body = decodeBody(msg.Header.Get("Content-Transfer-Encoding"), body)
	}
	x.s.messages = append(x.s.messages, m)
	return nil
}

// decodeBody undoes the transfer encodings go-mail uses for text.
func decodeBody(encoding string, body []byte) string {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err == nil {
			return string(out)
		}
	case "base64":
		out, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(body)))
		if err == nil {
			return string(out)
		}
	}
	return string(body)
}
