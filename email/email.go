// Package email renders hostflow's emails from templates and sends them over SMTP. A message
// carries a Message-ID fixed by the event it is for, so that a resend after a crash is the same
// message to the receiving server and the client's mail program.
package email

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email.
type Message struct {
	To        string
	ToName    string
	Subject   string
	Text      string
	MessageID string // without angle brackets
	// HTML, when not empty, is sent beside Text as its alternative (multipart/alternative).
	HTML string
	// Attachments go after the body (multipart/mixed): an invoice email's PDF.
	Attachments []Attachment
	// From and FromName, when set, are the sender instead of the relay's configured one (the
	// admin's Email From Address and Name); each empty one is the configuration's.
	From     string
	FromName string
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string // the file name the recipient sees
	ContentType string // e.g. application/pdf
	Data        []byte
}

// Sender sends a message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Config is an SMTP relay.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is "starttls" (the default: STARTTLS required), "opportunistic", "implicit" (SMTPS)
	// or "none" (a local mail catcher).
	TLS      string
	From     string
	FromName string
}

// SMTP sends through an SMTP relay with github.com/wneessen/go-mail.
type SMTP struct{ cfg Config }

// NewSMTP checks the configuration.
func NewSMTP(cfg Config) (*SMTP, error) {
	if cfg.Host == "" || cfg.From == "" {
		return nil, errors.New("smtp: a host and a From address are required")
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	switch cfg.TLS {
	case "", "starttls", "opportunistic", "implicit", "none":
	default:
		return nil, fmt.Errorf("smtp: TLS %q is not starttls, opportunistic, implicit or none", cfg.TLS)
	}
	return &SMTP{cfg: cfg}, nil
}

// Domain is the sender's domain, which Message-IDs use.
func (s *SMTP) Domain() string {
	_, domain, _ := strings.Cut(s.cfg.From, "@")
	return domain
}

// TemporaryError is a refusal the SMTP server says may pass (4xx): worth a retry.
type TemporaryError struct{ Err error }

func (e *TemporaryError) Error() string { return e.Err.Error() }
func (e *TemporaryError) Unwrap() error { return e.Err }

// Send delivers m to the relay. A 5xx refusal (no such mailbox, relay denied) is returned as
// it is; a 4xx or a connection failure as a TemporaryError.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	from := cmp.Or(m.From, s.cfg.From)
	if err := msg.FromFormat(cmp.Or(m.FromName, s.cfg.FromName), from); err != nil {
		return fmt.Errorf("smtp from %q: %w", from, err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return fmt.Errorf("smtp to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		msg.AttachReadSeeker(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
	}

	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(30 * time.Second)}
	switch s.cfg.TLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "opportunistic":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "implicit":
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	err = c.DialAndSendWithContext(ctx, msg)
	var sendErr *gomail.SendError
	if errors.As(err, &sendErr) && !sendErr.IsTemp() && sendErr.ErrorCode() >= 500 {
		return fmt.Errorf("smtp %s: %w", s.cfg.Host, err)
	}
	if err != nil {
		return &TemporaryError{Err: fmt.Errorf("smtp %s: %w", s.cfg.Host, err)}
	}
	return nil
}

// Discard is the Sender when no SMTP relay is configured: it sends nothing and says so.
type Discard struct{}

// ErrNotConfigured is what Discard answers.
var ErrNotConfigured = errors.New("no SMTP relay is configured (HOSTFLOW_SMTP_HOST)")

// Send refuses.
func (Discard) Send(context.Context, Message) error { return ErrNotConfigured }

// MessageID makes a Message-ID from an event key: the same key, the same id.
func MessageID(key, domain string) string {
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '.'
	}, key)
	return clean + "@" + domain
}
