package invoicedoc

import (
	"context"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
)

// Document is an invoice as its document shows it.
type Document struct {
	Seller  Seller
	Client  Client
	Invoice billing.InvoiceDetail
	// OrderNumber and PaymentMethod are the invoice's order's.
	OrderNumber   int64
	PaymentMethod string
	// Credit is the client credit applied to the invoice (WHMCS 8's Credit row): its payments
	// from the client's credit balance (billing.ApplyCredit), which Paid includes.
	Credit int64
}

// Seller is the business that issues the invoice: the settings company_name, company_address
// and company_tax_id.
type Seller struct {
	Name    string
	Address []string
	TaxID   string
}

// Client is who the invoice is to, as the client's record holds them now.
type Client struct {
	ID      int64
	Name    string
	Company string
	Email   string
	// Address is the postal address's lines, the country last, by name.
	Address []string
	TaxID   string
}

// Balance is what the invoice still asks for: its total less what was paid, credit applied
// included, never below zero (an overpayment is not owed back on the document).
func (d Document) Balance() int64 {
	inv := d.Invoice.Invoice
	return max(inv.Total-inv.Paid, 0)
}

// Title is the document's title: "Invoice #<number>".
func (d Document) Title() string { return "Invoice #" + d.Invoice.Invoice.Num() }

// FileName is the name the PDF is saved by: Invoice-<number>.pdf, with anything but letters,
// digits and - . _ made _, so that a number format's "/" makes no folder.
func (d Document) FileName() string {
	num := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_' {
			return r
		}
		return '_'
	}, d.Invoice.Invoice.Num())
	return "Invoice-" + num + ".pdf"
}

// Documents reads invoices as documents.
type Documents struct {
	pool db.DBTX
	// company names the seller while the company_name setting is unset (HOSTFLOW_COMPANY_NAME).
	company string
}

// NewDocuments reads documents from pool; company names the seller until the company_name
// setting does.
func NewDocuments(pool db.DBTX, company string) *Documents {
	return &Documents{pool: pool, company: company}
}

// InvoiceDocument reads invoice id as its document; an unknown id is NotFound in WHMCS's words.
func (s *Documents) InvoiceDocument(ctx context.Context, id int64) (Document, error) {
	return Load(ctx, db.New(s.pool), id, s.company)
}

// ClientInvoiceDocument reads the client's own invoice id as its document; another client's,
// like an unknown id, is NotFound (billing.ReasonNoSuchInvoice), so that nobody learns which
// ids exist.
func (s *Documents) ClientInvoiceDocument(ctx context.Context, clientID, id int64) (Document, error) {
	q := db.New(s.pool)
	if _, err := q.ClientInvoice(ctx, db.ClientInvoiceParams{ID: id, ClientID: clientID}); err != nil {
		return Document{}, fault.OrAbsent(err, billing.ReasonNoSuchInvoice)
	}
	return Load(ctx, q, id, s.company)
}

// Load reads invoice id as its document with q (a transaction's, or the pool's): the invoice,
// its lines and ledger, its order's number and payment method, its client, and the seller
// from the settings (company names the seller when company_name is unset).
func Load(ctx context.Context, q *db.Queries, id int64, company string) (Document, error) {
	inv, err := q.GetInvoice(ctx, id)
	if err != nil {
		return Document{}, fault.OrAbsent(err, "Invoice ID Not Found")
	}
	detail, err := billing.InvoiceLines(ctx, q, inv)
	if err != nil {
		return Document{}, err
	}
	p, err := q.InvoiceParties(ctx, id)
	if err != nil {
		return Document{}, fault.Wrap(err, "read invoice %d's order and client", id)
	}
	settings, err := q.ListSettings(ctx)
	if err != nil {
		return Document{}, fault.Wrap(err, "read the company settings")
	}
	datePaid(&detail)
	d := Document{Invoice: detail, OrderNumber: p.OrderNumber, PaymentMethod: p.PaymentMethod, Seller: Seller{Name: company}}
	d.Credit = detail.Invoice.Credit
	for _, s := range settings {
		switch s.Key {
		case catalog.SettingCompanyName:
			if strings.TrimSpace(s.Value) != "" {
				d.Seller.Name = s.Value
			}
		case catalog.SettingCompanyAddress:
			d.Seller.Address = lines(s.Value)
		case catalog.SettingCompanyTaxID:
			d.Seller.TaxID = strings.TrimSpace(s.Value)
		}
	}
	d.Client = Client{ID: inv.ClientID, Name: strings.TrimSpace(p.FirstName + " " + p.LastName), Company: p.CompanyName, Email: p.Email,
		TaxID: p.TaxID, Address: postal(p.Address1, p.Address2, p.City, p.State, p.Postcode, p.Country)}
	return d, nil
}

// datePaid fills a Paid invoice's date paid from its ledger when the invoice row has none (it
// is written only for an invoice paid as it was placed): the date of the payment that paid it
// in full, the last payment before it was Paid.
func datePaid(d *billing.InvoiceDetail) {
	inv := &d.Invoice
	if inv.Status != order.InvoicePaid || !inv.PaidAt.IsZero() {
		return
	}
	var sum int64
	for _, t := range d.Transactions {
		sum += t.Amount
		if t.Type == gateway.Payment && sum >= inv.Total {
			inv.PaidAt = t.Date
			return
		}
	}
}

// lines are a multi-line setting's lines, blank ones left out.
func lines(v string) []string {
	var out []string
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// postal is an address as an envelope writes it: the street lines, "City, State Postcode",
// and the country by name.
func postal(address1, address2, city, state, postcode, country string) []string {
	var out []string
	for _, l := range []string{address1, address2} {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	town := strings.TrimSpace(city)
	if state = strings.TrimSpace(state); state != "" {
		town = strings.TrimPrefix(town+", "+state, ", ")
	}
	if postcode = strings.TrimSpace(postcode); postcode != "" {
		town = strings.TrimSpace(town + " " + postcode)
	}
	if town != "" {
		out = append(out, town)
	}
	if country != "" {
		name := country
		for _, c := range input.Countries {
			if c.Code == country {
				name = c.Name
			}
		}
		out = append(out, name)
	}
	return out
}
