package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
)

// The reads behind the WHMCS API's actions around an order (GetClientsProducts, GetInvoices'
// sorting, GetModuleQueue, ...). The rules stay in the queries; package whmcs only words them.

// SearchClients lists clients whose email, first, last or full name or company starts with
// search, as WHMCS's GetClients documents its search.
func (s *Service) SearchClients(ctx context.Context, search, status string, p Page) ([]Client, int64, error) {
	q := s.q()
	var pattern string
	if search != "" {
		pattern = escapeLike(search) + "%"
	}
	rows, err := q.WHMCSFindClients(ctx, db.WHMCSFindClientsParams{Pattern: pattern, Status: status, Off: p.Offset, Lim: p.Limit})
	if err != nil {
		return nil, 0, wrap(err, "search clients")
	}
	var n int64
	if pattern == "" {
		n, err = q.ListTotal(ctx, db.ListTotalParams{Tbl: countedClients, Status: status})
	} else {
		n, err = q.WHMCSCountFoundClients(ctx, db.WHMCSCountFoundClientsParams{Pattern: pattern, Status: status})
	}
	return views(rows, clientFrom), n, wrap(err, "count clients")
}

// InvoiceOverdue is GetInvoices' status for an Unpaid invoice past its due date.
const InvoiceOverdue order.InvoiceStatus = "Overdue"

// InvoiceSort orders GetInvoices: By is id, date, duedate, total or status.
type InvoiceSort struct {
	By        string
	Ascending bool
}

// ListedInvoice is an invoice as GetInvoices lists it: with its client's name and its order's
// payment method.
type ListedInvoice struct {
	Invoice
	FirstName, LastName, CompanyName string
	PaymentMethod                    string
}

// SortedInvoices lists invoices of a client and status (Overdue too), sorted.
func (s *Service) SortedInvoices(ctx context.Context, clientID int64, status order.InvoiceStatus, sort InvoiceSort, p Page) ([]ListedInvoice, int64, error) {
	if sort.By != "" && !slices.Contains([]string{"id", "date", "duedate", "total", "status"}, sort.By) {
		return nil, 0, invalid("orderby", "must be id, date, duedate, total or status")
	}
	if sort.By == "date" {
		// An invoice is dated when it is written, so its id is in date order: the page comes
		// from the primary key, not from sorting every invoice.
		sort.By = "id"
	}
	q := s.q()
	rows, err := q.WHMCSSortInvoices(ctx, db.WHMCSSortInvoicesParams{ClientID: clientID, Status: string(status), OrderBy: sort.By,
		Ascending: sort.Ascending, Off: p.Offset, Lim: p.Limit})
	if err != nil {
		return nil, 0, wrap(err, "page invoices")
	}
	var n int64
	if clientID == 0 && status != InvoiceOverdue {
		n, err = q.ListTotal(ctx, db.ListTotalParams{Tbl: countedInvoices, Status: string(status)})
	} else {
		n, err = q.WHMCSCountInvoices(ctx, db.WHMCSCountInvoicesParams{ClientID: clientID, Status: string(status)})
	}
	return views(rows, func(r db.WHMCSSortInvoicesRow) ListedInvoice {
		return ListedInvoice{Invoice: invoiceFrom(db.Invoice{ID: r.ID, OrderID: r.OrderID, ClientID: r.ClientID, Status: r.Status,
			Currency: r.Currency, Total: r.Total, CreatedAt: r.CreatedAt, DueAt: r.DueAt, PaidAt: r.PaidAt}, r.Paid),
			FirstName: r.FirstName, LastName: r.LastName, CompanyName: r.CompanyName, PaymentMethod: r.PaymentMethod}
	}), n, wrap(err, "count invoices")
}

// InvoicePaymentMethod is the payment method of an invoice's order.
func (s *Service) InvoicePaymentMethod(ctx context.Context, invoiceID int64) (string, error) {
	m, err := s.q().WHMCSInvoicePaymentMethod(ctx, invoiceID)
	return m, orNotFound(err, "Invoice ID Not Found")
}

// ClientService is a service as GetClientsProducts lists it.
type ClientService struct {
	ServiceItem
	ClientID       int64
	OrderNumber    int64
	PaymentMethod  string
	Currency       string
	ServerName     string
	ServerHostname string
	CreatedAt      time.Time
}

// ServiceFilter selects services: a client's, one service, a product's or a domain's.
type ServiceFilter struct {
	ClientID, ServiceID, ProductID int64
	Domain                         string
	Page
}

// ClientServices lists services, oldest first.
func (s *Service) ClientServices(ctx context.Context, f ServiceFilter) ([]ClientService, int64, error) {
	q := s.q()
	rows, err := q.WHMCSClientServices(ctx, db.WHMCSClientServicesParams{ClientID: f.ClientID, ServiceID: f.ServiceID,
		ProductID: f.ProductID, Domain: f.Domain, Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, wrap(err, "list client services")
	}
	n, err := q.WHMCSCountClientServices(ctx, db.WHMCSCountClientServicesParams{ClientID: f.ClientID, ServiceID: f.ServiceID,
		ProductID: f.ProductID, Domain: f.Domain})
	return views(rows, func(r db.WHMCSClientServicesRow) ClientService {
		return ClientService{ServiceItem: ServiceItem{ID: r.ID, OrderID: r.OrderID, ProductID: r.ProductID, Product: r.ProductName,
			Domain: r.Domain, BillingCycle: r.BillingCycle, SetupFee: r.SetupFee, Amount: r.Amount, Status: r.Status,
			ServerID: r.ServerID, Username: r.Username, LastError: r.LastError},
			ClientID: r.ClientID, OrderNumber: r.OrderNumber, PaymentMethod: r.PaymentMethod, Currency: r.Currency,
			ServerName: r.ServerName, ServerHostname: r.ServerHostname, CreatedAt: r.CreatedAt.Time}
	}), n, wrap(err, "count client services")
}

// ClientDomain is a domain as GetClientsDomains lists it.
type ClientDomain struct {
	DomainItem
	ClientID      int64
	PaymentMethod string
	Currency      string
	CreatedAt     time.Time
}

// DomainFilter selects domains: a client's, or one by id or name.
type DomainFilter struct {
	ClientID, DomainID int64
	Domain             string
	Page
}

// ClientDomains lists domains, oldest first.
func (s *Service) ClientDomains(ctx context.Context, f DomainFilter) ([]ClientDomain, int64, error) {
	q := s.q()
	rows, err := q.WHMCSClientDomains(ctx, db.WHMCSClientDomainsParams{ClientID: f.ClientID, DomainID: f.DomainID, Domain: f.Domain,
		Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, wrap(err, "list client domains")
	}
	n, err := q.WHMCSCountClientDomains(ctx, db.WHMCSCountClientDomainsParams{ClientID: f.ClientID, DomainID: f.DomainID, Domain: f.Domain})
	return views(rows, func(r db.WHMCSClientDomainsRow) ClientDomain {
		return ClientDomain{DomainItem: DomainItem{ID: r.ID, OrderID: r.OrderID, Domain: r.Domain, Type: r.Type, Period: r.Period,
			Registrar: r.Registrar, Amount: r.Amount, Status: r.Status, Nameservers: r.Nameservers, LastError: r.LastError},
			ClientID: r.ClientID, PaymentMethod: r.PaymentMethod, Currency: r.Currency, CreatedAt: r.CreatedAt.Time}
	}), n, wrap(err, "count client domains")
}

// ClientTransaction is a transaction with the client its invoice bills (0 for none).
type ClientTransaction struct {
	Transaction
	InvoiceID int64
	ClientID  int64
}

// TransactionFilter selects transactions by invoice, client or gateway transaction id.
type TransactionFilter struct {
	InvoiceID, ClientID int64
	TransactionID       string
}

// Transactions lists transactions, oldest first.
func (s *Service) Transactions(ctx context.Context, f TransactionFilter) ([]ClientTransaction, error) {
	rows, err := s.q().WHMCSTransactions(ctx, db.WHMCSTransactionsParams{InvoiceID: f.InvoiceID, ClientID: f.ClientID,
		TransactionID: f.TransactionID})
	return views(rows, func(t db.WHMCSTransactionsRow) ClientTransaction {
		var inv int64
		if t.InvoiceID != nil {
			inv = *t.InvoiceID
		}
		return ClientTransaction{Transaction: Transaction{ID: t.ID, Type: t.Type, Gateway: t.Gateway, TransactionID: t.TransactionID,
			Amount: t.Amount, Currency: t.Currency, Date: t.PaidAt.Time}, InvoiceID: inv, ClientID: t.ClientID}
	}), wrap(err, "list transactions")
}

// PaymentMethods lists the payment methods an order may name, as GetPaymentMethods and the
// console offer them: the configured gateways and the manual methods (the setting
// manual_payment_methods, banktransfer and mailin unless changed).
func (s *Service) PaymentMethods(ctx context.Context) ([]string, error) {
	gws, err := s.Gateways(ctx)
	if err != nil {
		return nil, err
	}
	out, err := manualPaymentMethods(ctx, s.q())
	if err != nil {
		return nil, err
	}
	for _, g := range gws {
		out = append(out, g.Name)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// checkPaymentMethod refuses a payment method that is not one of PaymentMethods, in WHMCS's
// words and with the choices.
func (s *Service) checkPaymentMethod(ctx context.Context, method string) error {
	methods, err := s.PaymentMethods(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(methods, method) {
		return invalid("payment_method", "%s. Valid options include %s", ReasonInvalidPaymentMethod, strings.Join(methods, ","))
	}
	return nil
}

// ReasonInvalidPaymentMethod is WHMCS's AddOrder refusal of its paymentmethod.
const ReasonInvalidPaymentMethod = "Invalid Payment Method"

// DefaultCurrency is the currency of a client created without one.
const DefaultCurrency = "USD"

// Currency is a currency in use and the id WHMCS's API knows it by: stable, given when the
// currency came into use (a client, a price or a TLD in it).
type Currency struct {
	ID   int64
	Code string
}

// Currencies lists the currencies in use, by id.
func (s *Service) Currencies(ctx context.Context) ([]Currency, error) {
	rows, err := s.q().ListCurrencies(ctx)
	return views(rows, func(c db.Currency) Currency { return Currency{ID: int64(c.ID), Code: c.Code} }), wrap(err, "list currencies")
}

// QueuedStep is a failed module or registrar step waiting for an admin's Retry or Skip.
type QueuedStep struct {
	Kind      order.ItemKind
	ID        int64
	Module    string
	Error     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ModuleQueue lists the failed steps of orders waiting for provisioning-failed.
func (s *Service) ModuleQueue(ctx context.Context) ([]QueuedStep, error) {
	rows, err := s.q().WHMCSModuleQueue(ctx)
	return views(rows, func(r db.WHMCSModuleQueueRow) QueuedStep {
		return QueuedStep{Kind: order.ItemKind(r.Kind), ID: r.ID, Module: r.Module, Error: r.LastError, CreatedAt: r.CreatedAt.Time,
			UpdatedAt: r.UpdatedAt.Time}
	}), wrap(err, "list module queue")
}
