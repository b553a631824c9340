package activities

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/invoicedoc"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
)

// Mail is what the email activity needs.
type Mail struct {
	Sender    email.Sender
	Templates email.Templates
	Company   string // signs the emails
	Domain    string // of Message-IDs
	// PublicURL is where clients and staff reach hostflow (HOSTFLOW_PUBLIC_URL): the emails'
	// links start with it.
	PublicURL string
}

// Rendered is an email filled in from its template: what is sent, and what the email log
// keeps of it.
type Rendered struct {
	Subject string
	Text    string
	// HTML is the HTML alternative, "" for a text-only template (email.Templates.RenderHTML).
	HTML string
	// KeptText and KeptHTML are what the log keeps: rendered from data.Kept(), so that no
	// password or reset link is kept at rest.
	KeptText string
	KeptHTML string
}

// Render fills template name with data: the subject, text and HTML to send, and the text and
// HTML the email log keeps.
func (m Mail) Render(name string, data email.Data) (Rendered, error) {
	var r Rendered
	var err error
	if r.Subject, r.Text, err = m.Templates.Render(name, data); err != nil {
		return Rendered{}, err
	}
	kept := data.Kept()
	if _, r.KeptText, err = m.Templates.Render(name, kept); err != nil {
		return Rendered{}, err
	}
	if r.HTML, err = m.Templates.RenderHTML(name, data); err != nil {
		return Rendered{}, err
	}
	if r.KeptHTML, err = m.Templates.RenderHTML(name, kept); err != nil {
		return Rendered{}, err
	}
	return r, nil
}

// Link is a page of hostflow's as an email links to it: the public URL and path.
func (m Mail) Link(path string) string {
	base := m.PublicURL
	if base == "" {
		base = "http://127.0.0.1:8080" // make run's address
	}
	return strings.TrimSuffix(base, "/") + path
}

// EmailInput asks for one email. Key names the event it is for, and makes it one email.
type EmailInput struct {
	Key       string `json:"key"`
	OrderID   int64  `json:"order_id"`
	Template  string `json:"template"`
	ServiceID int64  `json:"service_id,omitempty"`
	DomainID  int64  `json:"domain_id,omitempty"`
	// IfProductSays sends a welcome email only if the product is set to send one.
	IfProductSays bool `json:"if_product_says,omitempty"`
}

// Outgoing is one email rendered and about to be sent under its key; OrderID is 0 for an email
// of no order (a client account's), ClientID 0 for an email to staff.
type Outgoing struct {
	Key      string
	OrderID  int64
	ClientID int64
	Template string
	Message  email.Message
	// Kept and KeptHTML are the text and HTML the email log keeps: the message's, without the
	// keys it carries (Mail.Render).
	Kept     string
	KeptHTML string
	// ResendOf is the logged email this one sends again (a console Resend), ResentBy who asked;
	// 0 and "" for an email sent for an event.
	ResendOf int64
	ResentBy order.Actor
}

// prepareEmail renders an email, or says it is not to be sent: already sent under its key, or
// a welcome email its product does not send. An email to staff is one per address, each under
// its own key.
func (a *Activities) prepareEmail(ctx context.Context, q *db.Queries, in EmailInput) ([]Outgoing, error) {
	if e, err := q.GetEmail(ctx, in.Key); err == nil && e.SentAt.Valid {
		return nil, nil
	} else if err != nil && !dbtx.IsNoRows(err) {
		return nil, fault.Wrap(err, "look up email %s", in.Key)
	}
	data, clientID, skip, err := a.emailData(ctx, in)
	if err != nil || skip {
		return nil, moduleError(err)
	}
	r, err := a.Mail.Render(in.Template, data)
	if err != nil {
		return nil, moduleError(permanent.Wrap(err))
	}
	attached, err := a.invoiceAttachment(ctx, q, in.Template, data.InvoiceID)
	if err != nil {
		return nil, moduleError(err)
	}
	one := func(key, to, name string, clientID int64) Outgoing {
		return Outgoing{Key: key, OrderID: in.OrderID, ClientID: clientID, Template: in.Template, Kept: r.KeptText, KeptHTML: r.KeptHTML,
			Message: email.Message{To: to, ToName: name, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
				MessageID: email.MessageID(key, a.Mail.Domain), Attachments: attached}}
	}
	if in.Template != email.NewOrderNotification {
		return []Outgoing{one(in.Key, data.ClientEmail, data.ClientName, clientID)}, nil
	}
	staff, err := a.staffAddresses(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []Outgoing
	for _, to := range staff {
		key := in.Key + "/" + to
		if e, err := q.GetEmail(ctx, key); err == nil && e.SentAt.Valid {
			continue
		} else if err != nil && !dbtx.IsNoRows(err) {
			return nil, fault.Wrap(err, "look up email %s", key)
		}
		out = append(out, one(key, to, "", 0))
	}
	return out, nil
}

// staffAddresses are where emails to staff go: the staff_email setting, else each active admin;
// each address once, in lower case (an address is one key, so one email).
func (a *Activities) staffAddresses(ctx context.Context, q *db.Queries) ([]string, error) {
	v, err := q.GetSetting(ctx, catalog.SettingStaffEmail)
	if err != nil && !dbtx.IsNoRows(err) {
		return nil, fault.Wrap(err, "read the staff email setting")
	}
	var out []string
	for _, addr := range strings.Split(v, ",") {
		if addr = strings.ToLower(strings.TrimSpace(addr)); addr != "" {
			out = append(out, addr)
		}
	}
	if len(out) > 0 {
		slices.Sort(out)
		return slices.Compact(out), nil
	}
	admins, err := q.ListStaffEmails(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list the admins")
	}
	for _, addr := range admins {
		out = append(out, strings.ToLower(addr)) // unique in any case (the admins_email index)
	}
	return out, nil
}

// emailData gathers what the templates show, and the client the email goes to. skip is true
// for a welcome email the product does not send.
func (a *Activities) emailData(ctx context.Context, in EmailInput) (d email.Data, clientID int64, skip bool, err error) {
	q := a.q()
	o, err := q.GetOrder(ctx, in.OrderID)
	if err != nil {
		return d, 0, false, fault.Wrap(err, "load order %d", in.OrderID)
	}
	d = email.Data{Company: a.Mail.Company, ClientName: strings.TrimSpace(o.FirstName + " " + o.LastName), ClientEmail: o.Email,
		OrderNumber: o.OrderNumber, InvoiceID: o.InvoiceID, Currency: o.Currency, Total: money.Format(o.Amount, o.Currency)}
	switch {
	case in.ServiceID != 0:
		svc, err := q.GetService(ctx, in.ServiceID)
		if err != nil {
			return d, 0, false, fault.Wrap(err, "load service %d", in.ServiceID)
		}
		if in.IfProductSays && !svc.WelcomeEmail {
			return d, 0, true, nil
		}
		acct, err := a.account(ctx, svc)
		if err != nil {
			return d, 0, false, err
		}
		d.Service = &email.Service{Product: svc.ProductName, Domain: svc.Domain, Username: acct.Username, Password: acct.Password,
			Server: hostOnly(acct.Server.Hostname), Package: svc.PackageName}
	case in.DomainID != 0:
		dom, err := q.GetDomain(ctx, in.DomainID)
		if err != nil {
			return d, 0, false, fault.Wrap(err, "load domain %d", in.DomainID)
		}
		d.Domain = &email.Domain{Name: dom.Domain, Period: int(dom.Period), Status: string(dom.Status), Nameservers: dom.Nameservers}
	default:
		inv, err := q.GetInvoice(ctx, o.InvoiceID)
		if err != nil {
			return d, 0, false, fault.Wrap(err, "load invoice %d", o.InvoiceID)
		}
		detail, err := billing.InvoiceLines(ctx, q, inv)
		if err != nil {
			return d, 0, false, err
		}
		d.InvoiceNum = inv.InvoiceNum
		for _, it := range detail.Items {
			d.Items = append(d.Items, email.Item{Description: it.Description, Amount: money.Format(it.Amount, o.Currency)})
		}
		switch in.Template {
		case email.InvoiceCreated, email.InvoicePaymentConfirmation:
			d.Invoice = a.invoiceData(detail, o.PaymentMethod)
		case email.NewOrderNotification:
			d.Staff = &email.Staff{OrderURL: a.Mail.Link(fmt.Sprintf("/admin/orders/%d", o.ID)),
				PaymentMethod: billing.MethodName(o.PaymentMethod), ClientIP: o.ClientIp, FraudRule: o.FraudRule}
		}
	}
	return d, o.ClientID, false, nil
}

// invoiceAttachment is the invoice's PDF for the emails that carry it (Invoice Created and
// Invoice Payment Confirmation, as WHMCS's "Enable PDF Invoices" attaches it), made from the
// database as the email is sent, so that it shows the invoice as it is then (paid, numbered).
// Other emails carry none. A PDF that cannot be drawn is refused for good, as a template that
// cannot be rendered is: the order's audit trail shows it.
func (a *Activities) invoiceAttachment(ctx context.Context, q *db.Queries, template string, invoiceID int64) ([]email.Attachment, error) {
	if template != email.InvoiceCreated && template != email.InvoicePaymentConfirmation {
		return nil, nil
	}
	d, err := invoicedoc.Load(ctx, q, invoiceID, a.Mail.Company)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := invoicedoc.PDF(&buf, d); err != nil {
		return nil, permanent.Wrap(err)
	}
	return []email.Attachment{{Name: d.FileName(), ContentType: invoicedoc.ContentType, Data: buf.Bytes()}}, nil
}

// emailDate is how the emails write a date.
const emailDate = "2 January 2006"

// invoiceData is an invoice as its emails show it.
func (a *Activities) invoiceData(d billing.InvoiceDetail, method string) *email.Invoice {
	inv := d.Invoice
	out := &email.Invoice{URL: a.Mail.Link(billing.InvoicePath(inv.ID)), Date: inv.CreatedAt.UTC().Format(emailDate),
		DueDate: inv.DueAt.UTC().Format(emailDate), Status: string(inv.Status), PaymentMethod: billing.MethodName(method),
		Paid: money.Format(inv.Paid, inv.Currency), Balance: money.Format(max(inv.Total-inv.Paid, 0), inv.Currency)}
	for _, t := range d.Transactions {
		out.Transactions = append(out.Transactions, email.Transaction{Date: t.Date.UTC().Format(emailDate),
			Gateway: billing.MethodName(t.Gateway), ID: t.TransactionID, Amount: money.Format(t.Amount, t.Currency)})
	}
	return out
}

func hostOnly(hostport string) string {
	if i := strings.LastIndex(hostport, ":"); i > 0 && !strings.Contains(hostport[i:], "]") {
		return hostport[:i]
	}
	return hostport
}

// EmailFailure is an email refused for good: the reason, for the order's audit trail.
type EmailFailure struct {
	Template string `json:"template"`
	Error    string `json:"error"`
}

// SendEmails sends the emails one step of an order calls for, in one activity, each once per
// key (Mail.Deliver). An email refused for good is answered as a failure and does not hold up
// the others; one that may yet go (the SMTP relay is away) fails the activity, whose retry
// skips those already sent.
func (a *Activities) SendEmails(ctx context.Context, ins []EmailInput) ([]EmailFailure, error) {
	var failed []EmailFailure
	q := a.q()
	var batch []Outgoing
	for _, in := range ins {
		out, err := a.prepareEmail(ctx, q, in)
		var refused *temporal.ApplicationError
		switch {
		case errors.As(err, &refused) && refused.NonRetryable():
			failed = append(failed, EmailFailure{Template: in.Template, Error: refused.Message()})
		case err != nil:
			return nil, err
		default:
			batch = append(batch, out...)
		}
	}
	refused, err := a.Mail.Deliver(ctx, a.Pool, batch)
	if err != nil {
		return nil, err
	}
	return append(failed, refused...), nil
}

// Deliver records emails, sends them, and marks those sent: the one way hostflow sends an
// email. They are recorded before they are sent and marked sent after, each in one transaction
// for the batch; a crash in between sends them again with the same Message-IDs, the most SMTP
// allows, and the receiving side can tell the two apart. A refusal for good is answered as a
// failure; the relay away is an error, what went before it marked, so that a retry sends only
// the rest.
func (m Mail) Deliver(ctx context.Context, pool *pgxpool.Pool, batch []Outgoing) ([]EmailFailure, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	err := records.InTx(ctx, pool, func(q *db.Queries) error {
		for _, o := range batch {
			var client, resendOf *int64
			if o.ClientID != 0 {
				client = &o.ClientID
			}
			if o.ResendOf != 0 {
				resendOf = &o.ResendOf
			}
			err := q.InsertEmail(ctx, db.InsertEmailParams{Key: o.Key, OrderID: o.OrderID, ClientID: client, Template: o.Template,
				Recipient: o.Message.To, Subject: o.Message.Subject, Body: o.Kept, HtmlBody: o.KeptHTML, MessageID: o.Message.MessageID,
				ResendOf: resendOf, ResentBy: string(o.ResentBy)})
			if err != nil {
				return fault.Wrap(err, "record email %s", o.Key)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sender := m.Sender
	if sender == nil {
		sender = email.Discard{}
	}
	// The sender is read at each send, so an admin's change applies to the next email.
	fromName, from, err := catalog.MailSender(ctx, db.New(pool))
	if err != nil {
		return nil, err
	}
	var failed []EmailFailure
	var sent []Outgoing
	for _, o := range batch {
		o.Message.From, o.Message.FromName = from, fromName
		err := send(ctx, sender, o.Message)
		var temp *email.TemporaryError
		switch {
		case errors.As(err, &temp):
			// Retried; what went already is marked, so the retry does not send it again.
			return nil, errors.Join(err, markSent(ctx, pool, sent))
		case err != nil:
			failed = append(failed, EmailFailure{Template: o.Template, Error: err.Error()})
		default:
			sent = append(sent, o)
		}
	}
	return failed, markSent(ctx, pool, sent)
}

// The audit trail's actions for an email sent: for an event of the order, and by an admin's
// Resend.
const (
	EventEmail       = "email"
	EventEmailResent = "email-resent"
)

// markSent marks emails sent, each of an order with its line in the order's audit trail. It
// runs even when the activity's time is up (a local try that ran out mid-batch): what went out
// must be marked, or the retry sends it again.
func markSent(ctx context.Context, pool *pgxpool.Pool, sent []Outgoing) error {
	if len(sent) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markSentTimeout)
	defer cancel()
	return records.InTx(ctx, pool, func(q *db.Queries) error {
		for _, o := range sent {
			if err := q.MarkEmailSent(ctx, o.Key); err != nil {
				return fault.Wrap(err, "mark email %s sent", o.Key)
			}
			if o.OrderID == 0 {
				continue
			}
			ev := db.InsertEventParams{OrderID: o.OrderID, Key: "email:" + o.Key, Actor: order.System, Action: EventEmail,
				Detail: fmt.Sprintf("%q sent to %s", o.Message.Subject, o.Message.To)}
			if o.ResendOf != 0 {
				// The trail says who sent which email again, in the line of the send itself.
				ev.Actor, ev.Action = o.ResentBy, EventEmailResent
				ev.Detail = fmt.Sprintf("%q (email %d) resent to %s", o.Message.Subject, o.ResendOf, o.Message.To)
			}
			err := q.InsertEvent(ctx, ev)
			if err != nil {
				return fault.Wrap(err, "record email %s sent", o.Key)
			}
		}
		return nil
	})
}

// markSentTimeout bounds marking emails sent after the activity's own time is up.
const markSentTimeout = 5 * time.Second

// sendMargin is the time an activity keeps, after its last send may end, to mark what went.
const sendMargin = 2 * time.Second

// send hands one message to the relay, ending sendMargin before the activity's deadline, so
// that a send cut short is a temporary failure while there is still time to mark the others.
func send(ctx context.Context, sender email.Sender, m email.Message) error {
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-sendMargin))
		defer cancel()
	}
	err := sender.Send(ctx, m)
	if err != nil && ctx.Err() != nil {
		var temp *email.TemporaryError
		if !errors.As(err, &temp) {
			err = &email.TemporaryError{Err: err} // cut short by time, not refused by the relay
		}
	}
	return err
}
