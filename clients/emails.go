package clients

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
)

// A client's own emails, as the client area's Email History shows them: every email hostflow
// sent the client (activities' Mail.Deliver keeps each with its text), never one to staff nor
// one not sent. Every read names the client in its query (db/queries/client_emails.sql):
// another client's email is not found, exactly as an unknown id is.

// ReasonNoSuchEmail answers an email the client was not sent.
const ReasonNoSuchEmail = "There is no such email in your account."

// SentEmail is an email as it was sent to the client.
type SentEmail struct {
	ID int64
	// Template names the email's template (package email's, such as "invoice-created").
	Template string
	Subject  string
	To       string
	// Date is when it was sent.
	Date time.Time
	// Body is the text as sent; empty in a list.
	Body string
}

// ClientEmails is a page of the emails sent to the client, newest first, without their text.
func (s *Clients) ClientEmails(ctx context.Context, clientID int64, p dbtx.Page) ([]SentEmail, bool, error) {
	lim, off := p.Query()
	rows, err := s.q().ClientEmails(ctx, db.ClientEmailsParams{ClientID: clientID, Lim: lim, Off: off})
	if err != nil {
		return nil, false, fault.Wrap(err, "list client %d's emails", clientID)
	}
	rows, more := dbtx.Cut(p, rows)
	return dbtx.Views(rows, func(r db.ClientEmailsRow) SentEmail {
		return SentEmail{ID: r.ID, Template: r.Template, Subject: r.Subject, To: r.Recipient, Date: r.SentAt.Time}
	}), more, nil
}

// ClientEmail reads one email sent to the client, with its text; another client's, one to
// staff, one not sent and an unknown id are alike NotFound (ReasonNoSuchEmail).
func (s *Clients) ClientEmail(ctx context.Context, clientID, id int64) (SentEmail, error) {
	r, err := s.q().ClientEmail(ctx, db.ClientEmailParams{ID: id, ClientID: clientID})
	if err != nil {
		return SentEmail{}, fault.Wrap(fault.OrAbsent(err, ReasonNoSuchEmail), "read client %d's email %d", clientID, id)
	}
	return SentEmail{ID: r.ID, Template: r.Template, Subject: r.Subject, To: r.Recipient, Date: r.SentAt.Time, Body: r.Body}, nil
}
