package clients

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// The email log as admins see it in the console, WHMCS's client Emails tab: every email
// hostflow sent, an order's (to its client and to staff) and a client's, newest first, each
// with its text (and HTML) as sent but for the keys it carried (a password, a reset link:
// email.Data.Kept), and Resend, which sends one again to the same recipient through a workflow
// (package workflows/emailresend), never inside the request. The queries are
// db/queries/email_log.sql. Unlike the client area's (emails.go), no read here is bounded to a
// client: the console is staff's.

// EmailLogSize is how many of an order's or a client's newest emails their page lists; the
// rest stay in the log, each at its own page.
const EmailLogSize = 100

// Refusals of the email log.
const (
	// ReasonNoLoggedEmail answers an id that names no email sent.
	ReasonNoLoggedEmail = "No such email: it was never sent, or the id is wrong."
	// ReasonResendRefused starts the answer when the mail server refused the copy for good.
	ReasonResendRefused = "The email was not resent: the mail server refused it"
	// ReasonResendQueued answers a Resend whose copy is not sent yet (the relay is away): the
	// workflow keeps trying for hours, so the admin must not click again.
	ReasonResendQueued = "The email is queued but not sent yet: the mail server did not answer in time. hostflow keeps trying, " +
		"and the copy shows in the email log once sent; do not resend it again."
)

// LoggedEmail is an email hostflow sent, as the console lists it and, with its text, shows it.
type LoggedEmail struct {
	ID int64
	// Template names the email's template (package email's, such as "invoice-created").
	Template  string
	Recipient string
	Subject   string
	// Date is when it was sent.
	Date time.Time
	// ClientID is the client it went to; 0 for an email to staff.
	ClientID int64
	// ResendOf is the email this one sent again (an admin's Resend), 0 for one sent for an
	// event; ResentBy is who asked.
	ResendOf int64
	ResentBy order.Actor

	// Set when one email is read, not in a list: its order (0 for a client account's email;
	// OrderNumber 0 too for an order deleted since), its client's name ("" for staff or a
	// client gone), and the text and HTML kept ("" for a text-only email).
	OrderID     int64
	OrderNumber int64
	ClientName  string
	Text        string
	HTML        string
}

// OrderEmailLog lists the newest EmailLogSize emails sent for an order, to its client and to
// staff, newest first, without their text; more says that older ones exist.
func (s *Clients) OrderEmailLog(ctx context.Context, orderID int64) (emails []LoggedEmail, more bool, err error) {
	rows, err := s.q().OrderEmailLog(ctx, db.OrderEmailLogParams{OrderID: orderID, Lim: EmailLogSize + 1})
	if err != nil {
		return nil, false, fault.Wrap(err, "list order %d's emails", orderID)
	}
	for _, r := range rows {
		emails = append(emails, LoggedEmail{ID: r.ID, Template: r.Template, Recipient: r.Recipient, Subject: r.Subject,
			Date: r.SentAt.Time, ClientID: deref(r.ClientID), ResendOf: deref(r.ResendOf)})
	}
	return cutLog(emails)
}

// ClientEmailLog lists the newest EmailLogSize emails sent to a client, of their orders and of
// their account, newest first, without their text; more says that older ones exist.
func (s *Clients) ClientEmailLog(ctx context.Context, clientID int64) (emails []LoggedEmail, more bool, err error) {
	rows, err := s.q().ClientEmailLog(ctx, db.ClientEmailLogParams{ClientID: clientID, Lim: EmailLogSize + 1})
	if err != nil {
		return nil, false, fault.Wrap(err, "list client %d's emails", clientID)
	}
	for _, r := range rows {
		emails = append(emails, LoggedEmail{ID: r.ID, Template: r.Template, Recipient: r.Recipient, Subject: r.Subject,
			Date: r.SentAt.Time, ClientID: deref(r.ClientID), ResendOf: deref(r.ResendOf)})
	}
	return cutLog(emails)
}

func cutLog(emails []LoggedEmail) ([]LoggedEmail, bool, error) {
	if len(emails) > EmailLogSize {
		return emails[:EmailLogSize], true, nil
	}
	return emails, false, nil
}

// LoggedEmailByID reads one sent email with its text and HTML; an unknown id, or an email
// recorded but never sent, is NotFound (ReasonNoLoggedEmail).
func (s *Clients) LoggedEmailByID(ctx context.Context, id int64) (LoggedEmail, error) {
	r, err := s.q().LoggedEmail(ctx, id)
	if err != nil {
		return LoggedEmail{}, fault.Wrap(fault.OrAbsent(err, ReasonNoLoggedEmail), "read email %d", id)
	}
	return LoggedEmail{ID: r.ID, Template: r.Template, Recipient: r.Recipient, Subject: r.Subject, Date: r.SentAt.Time,
		ClientID: deref(r.ClientID), ResendOf: deref(r.ResendOf), ResentBy: order.Actor(r.ResentBy), OrderID: r.OrderID,
		OrderNumber: r.OrderNumber, ClientName: strings.TrimSpace(r.FirstName + " " + r.LastName), Text: r.Body, HTML: r.HtmlBody}, nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// Resend asks for a logged email to be sent again, as it was kept, to the same recipient.
type Resend struct {
	// Key is the copy's: one per admin's click (ResendKey), so that a double click or a
	// retried request sends one copy.
	Key     string      `json:"key"`
	EmailID int64       `json:"email_id"`
	Actor   order.Actor `json:"actor"`
}

// Resent is the copy a Resend sent: its own id in the log, and where it went.
type Resent struct {
	EmailID int64  `json:"email_id"`
	To      string `json:"to"`
}

// Resender runs a Resend as a workflow and waits, a while, for the copy to be sent. It
// answers ErrResendRefused (wrapped, with the relay's words) for a copy the relay refused for
// good, and ErrResendPending when it is not sent by the time the wait ends.
type Resender interface {
	ResendEmail(ctx context.Context, r Resend) (Resent, error)
}

// What a Resender answers besides success.
var (
	ErrResendRefused = errors.New("the mail server refused the email")
	ErrResendPending = errors.New("the email is not sent yet")
)

// maxResendToken bounds the click's token a Resend's key is made from.
const maxResendToken = 64

// ResendKey is the key of the copy that one click (its form's token) asks for: the same click
// sent twice is the same copy. A token that is empty, too long or not plain is refused, so
// that a key, a workflow id and a Message-ID made from it are plain too.
func ResendKey(emailID int64, token string) (string, error) {
	if token == "" || len(token) > maxResendToken || strings.IndexFunc(token, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	}) >= 0 {
		return "", fault.Invalidf("request_id", "not a form's id: reload the page and press Resend again")
	}
	return fmt.Sprintf("resend-%d-%s", emailID, token), nil
}

// ResendEmail sends a logged email again, as it was kept (a password or reset link it carried
// stays left out), to the same recipient, through the Resender's workflow: the copy is a new
// row of the log and, for an order's email, a line of the order's audit trail naming actor.
// token names the admin's click (ResendKey).
func (s *Clients) ResendEmail(ctx context.Context, id int64, actor order.Actor, token string) (Resent, error) {
	key, err := ResendKey(id, token)
	if err != nil {
		return Resent{}, err
	}
	if _, err := s.LoggedEmailByID(ctx, id); err != nil {
		return Resent{}, err
	}
	if s.accounts.Resend == nil {
		return Resent{}, errors.New("resend email: no resender configured")
	}
	out, err := s.accounts.Resend.ResendEmail(ctx, Resend{Key: key, EmailID: id, Actor: actor})
	switch {
	case errors.Is(err, ErrResendRefused):
		return Resent{}, &fault.Error{Kind: fault.Conflict, Message: ReasonResendRefused + ": " + strings.TrimPrefix(err.Error(),
			ErrResendRefused.Error()+": ")}
	case errors.Is(err, ErrResendPending):
		return Resent{}, &fault.Error{Kind: fault.Unavailable, Message: ReasonResendQueued}
	}
	return out, fault.Wrap(err, "resend email %d", id)
}
