package email

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var builtin embed.FS

// Template names.
const (
	OrderConfirmation  = "order-confirmation"
	HostingWelcome     = "hosting-welcome"
	DomainRegistration = "domain-registration"
	DomainTransfer     = "domain-transfer"
	// The invoice's emails: Data.Invoice set.
	InvoiceCreated             = "invoice-created"
	InvoicePaymentConfirmation = "invoice-payment-confirmation"
	// NewOrderNotification goes to staff, not to the client: Data.Staff set.
	NewOrderNotification = "new-order-notification"
	// The client account's emails, sent by package workflows/clientmail with Data.Account set.
	ClientSignup  = "client_signup"
	PasswordReset = "password_reset"
)

// Templates renders emails from Go templates: the built-in ones, each replaceable by a file of
// the same name (order-confirmation.tmpl, ...) in Dir. A template defines "subject" and "text",
// and may define "html" (RenderHTML).
type Templates struct {
	Dir string
}

// Render fills template name with data.
func (t Templates) Render(name string, data any) (subject, text string, err error) {
	src, err := t.source(name)
	if err != nil {
		return "", "", err
	}
	tmpl, err := template.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", "", fmt.Errorf("email template %s: %w", name, err)
	}
	var subj, body bytes.Buffer
	if err := tmpl.ExecuteTemplate(&subj, "subject", data); err != nil {
		return "", "", fmt.Errorf("email template %s subject: %w", name, err)
	}
	if err := tmpl.ExecuteTemplate(&body, "text", data); err != nil {
		return "", "", fmt.Errorf("email template %s text: %w", name, err)
	}
	return strings.TrimSpace(subj.String()), strings.TrimSpace(body.String()) + "\n", nil
}

// RenderHTML fills the "html" part of template name with data, escaped for HTML by
// html/template, or answers "" for a template without one: the built-in templates are text
// only, and an operator's own may add an HTML part beside its text (sent as an alternative).
func (t Templates) RenderHTML(name string, data any) (string, error) {
	src, err := t.source(name)
	if err != nil {
		return "", err
	}
	tmpl, err := htmltemplate.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", fmt.Errorf("email template %s: %w", name, err)
	}
	if tmpl.Lookup("html") == nil {
		return "", nil
	}
	var out bytes.Buffer
	if err := tmpl.ExecuteTemplate(&out, "html", data); err != nil {
		return "", fmt.Errorf("email template %s html: %w", name, err)
	}
	return strings.TrimSpace(out.String()) + "\n", nil
}

func (t Templates) source(name string) (string, error) {
	if t.Dir != "" {
		b, err := os.ReadFile(filepath.Join(t.Dir, name+".tmpl"))
		if err == nil {
			return string(b), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("email template %s: %w", name, err)
		}
	}
	b, err := builtin.ReadFile("templates/" + name + ".tmpl")
	if err != nil {
		return "", fmt.Errorf("no email template %q", name)
	}
	return string(b), nil
}

// Data is what a template sees. Service is set in a welcome email, Domain in a domain email.
type Data struct {
	Company     string
	ClientName  string
	ClientEmail string
	OrderNumber int64
	InvoiceID   int64
	// InvoiceNum is the invoice's sequential paid number once given (billing's
	// invoicenumbers.go); InvoiceNumber shows it, else the id.
	InvoiceNum string
	Currency   string
	Total      string
	Items      []Item
	Service    *Service
	Domain     *Domain
	Account    *Account
	Invoice    *Invoice
	Staff      *Staff
}

// InvoiceNumber is the number the invoice is known by: its paid invoice number once given,
// else its id (templates: {{.InvoiceNumber}}).
func (d Data) InvoiceNumber() string {
	if d.InvoiceNum != "" {
		return d.InvoiceNum
	}
	return strconv.FormatInt(d.InvoiceID, 10)
}

// Invoice is an invoice as its emails show it, amounts formatted in its currency.
type Invoice struct {
	// URL is the invoice's page in the client area, where it is paid.
	URL           string
	Date          string
	DueDate       string
	Status        string
	PaymentMethod string
	Paid          string
	Balance       string
	Transactions  []Transaction
}

// Transaction is a payment (or a refund) on an invoice.
type Transaction struct {
	Date    string
	Gateway string
	ID      string
	Amount  string
}

// Staff is what the staff's New Order Notification adds: where to open the order, and how it
// came in.
type Staff struct {
	OrderURL      string
	PaymentMethod string
	ClientIP      string
	FraudRule     string
}

// Kept is the data as the email log keeps the email: what the email carried that works as a
// key (a hosting account's password, a password reset link) is left out, so that the log,
// shown in the client area, is no copy of the keys; the email as sent had
// them.
func (d Data) Kept() Data {
	if d.Service != nil {
		svc := *d.Service
		if svc.Password != "" {
			svc.Password = notKept
		}
		d.Service = &svc
	}
	if d.Account != nil {
		acct := *d.Account
		if acct.ResetURL != "" {
			acct.ResetURL = notKept
		}
		d.Account = &acct
	}
	return d
}

// notKept stands in the email log for what the email carried that works as a key.
const notKept = "(not kept in the email history: see the email as it reached you)"

// Account is the client area as a client account's email links to it.
type Account struct {
	SignInURL string
	// ResetURL is a password reset link, and ResetExpires how long it works ("1 hour").
	ResetURL     string
	ResetExpires string
}

// Item is one line of an order.
type Item struct {
	Description string
	Amount      string
}

// Service is a hosting account as its welcome email shows it.
type Service struct {
	Product  string
	Domain   string
	Username string
	Password string
	Server   string
	Package  string
}

// Domain is a domain as its email shows it.
type Domain struct {
	Name        string
	Period      int
	Status      string
	Nameservers []string
}
