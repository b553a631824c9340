package service

import (
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
)

// The adapters see these views, never sqlc's rows: a column renamed in db changes the
// conversions below and nothing outside this package.

// Client is a client account.
type Client struct {
	ID          int64
	FirstName   string
	LastName    string
	CompanyName string
	Email       string
	Address1    string
	City        string
	State       string
	Postcode    string
	Country     string
	Phone       string
	Currency    string
	Status      string // WHMCS's client status: Active, Inactive or Closed
	CreatedAt   time.Time
	Address2    string
	Notes       string
	Language    string
	TaxID       string
	GroupID     int64
	// MarketingOptIn is the client's consent to marketing emails.
	MarketingOptIn bool
}

func clientFrom(c db.Client) Client {
	return Client{ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, Email: c.Email,
		Address1: c.Address1, City: c.City, State: c.State, Postcode: c.Postcode, Country: c.Country, Phone: c.Phone,
		Currency: c.Currency, Status: c.Status, CreatedAt: c.CreatedAt.Time, Address2: c.Address2, Notes: c.Notes,
		Language: c.Language, TaxID: c.TaxID, GroupID: c.GroupID, MarketingOptIn: c.MarketingOptin}
}

// Product is a product with its prices.
type Product struct {
	ID           int64
	Name         string
	Type         order.ProductType
	Module       string
	AutoSetup    order.AutoSetup
	WelcomeEmail bool
	PackageName  string
	ServerGroup  string
	CreatedAt    time.Time
	Prices       []Price
}

// Price is a product's price in one currency and billing cycle, in minor units.
type Price struct {
	Currency     string
	BillingCycle order.BillingCycle
	SetupFee     int64
	Price        int64
}

func productFrom(p db.Product, prices []db.ProductPrice) Product {
	out := Product{ID: p.ID, Name: p.Name, Type: p.Type, Module: p.Module, AutoSetup: p.AutoSetup, WelcomeEmail: p.WelcomeEmail,
		PackageName: p.PackageName, ServerGroup: p.ServerGroup, CreatedAt: p.CreatedAt.Time}
	for _, pr := range prices {
		out.Prices = append(out.Prices, Price{Currency: pr.Currency, BillingCycle: pr.BillingCycle, SetupFee: pr.SetupFee, Price: pr.Price})
	}
	return out
}

// Server is a control-panel server; its credentials stay sealed in the database.
type Server struct {
	ID            int64
	Name          string
	Module        string
	Hostname      string
	Username      string
	MaxAccounts   int32
	Active        bool
	ServerGroup   string
	TLSSkipVerify bool
	CreatedAt     time.Time
	// Accounts is how many accounts it holds (ListServers only).
	Accounts int64
}

func serverFrom(s db.Server, accounts int64) Server {
	return Server{ID: s.ID, Name: s.Name, Module: s.Module, Hostname: s.Hostname, Username: s.Username, MaxAccounts: s.MaxAccounts,
		Active: s.Active, ServerGroup: s.ServerGroup, TLSSkipVerify: s.TlsSkipVerify, CreatedAt: s.CreatedAt.Time, Accounts: accounts}
}

// TLD is a TLD we sell, priced per year in minor units.
type TLD struct {
	TLD           string // with its dot: ".com"
	Currency      string
	RegisterPrice int64
	TransferPrice int64
	AutoRegistrar string // "" registers only when an admin accepts
	CreatedAt     time.Time
}

func tldFrom(t db.Tld) TLD {
	out := TLD{TLD: t.Tld, Currency: t.Currency, RegisterPrice: t.RegisterPrice, TransferPrice: t.TransferPrice, CreatedAt: t.CreatedAt.Time}
	if t.AutoRegistrar != nil {
		out.AutoRegistrar = *t.AutoRegistrar
	}
	return out
}

// OrderRow is an order as a list shows it: with its client's name and its invoice's status.
type OrderRow struct {
	ID            int64
	Number        int64
	ClientID      int64
	FirstName     string
	LastName      string
	CompanyName   string
	Status        order.Status
	WaitingFor    order.WaitingFor
	PaymentMethod string
	Currency      string
	Amount        int64
	Date          time.Time
	InvoiceID     int64               // 0 without an invoice
	PaymentStatus order.InvoiceStatus // "" without an invoice
}

func orderRowFrom(o db.ListOrdersRow) OrderRow {
	return OrderRow{ID: o.ID, Number: o.OrderNumber, ClientID: o.ClientID, FirstName: o.FirstName, LastName: o.LastName,
		CompanyName: o.CompanyName, Status: o.Status, WaitingFor: o.WaitingFor, PaymentMethod: o.PaymentMethod, Currency: o.Currency,
		Amount: o.Amount, Date: o.CreatedAt.Time, InvoiceID: o.InvoiceID, PaymentStatus: order.InvoiceStatus(o.PaymentStatus)}
}

// Order is an order with everything stored on it.
type Order struct {
	OrderRow
	WorkflowID  string // where operators find it in Temporal
	ClientIP    string
	PromoCode   string
	Notes       string
	FraudModule string
	FraudScore  *float64
	FraudOutput []byte // the fraud service's answer, as it sent it
}

// orderFrom reads GetOrder's row; PageOrders selects the same columns, so its rows convert to it.
func orderFrom(o db.GetOrderRow) Order {
	return Order{OrderRow: OrderRow{ID: o.ID, Number: o.OrderNumber, ClientID: o.ClientID, FirstName: o.FirstName, LastName: o.LastName,
		CompanyName: o.CompanyName, Status: o.Status, WaitingFor: o.WaitingFor, PaymentMethod: o.PaymentMethod, Currency: o.Currency,
		Amount: o.Amount, Date: o.CreatedAt.Time, InvoiceID: o.InvoiceID, PaymentStatus: order.InvoiceStatus(o.PaymentStatus)},
		WorkflowID: o.WorkflowID, ClientIP: o.ClientIp, PromoCode: o.PromoCode, Notes: o.Notes, FraudModule: o.FraudModule, FraudScore: o.FraudScore, FraudOutput: o.FraudOutput}
}

// ServiceItem is one hosting item of an order.
type ServiceItem struct {
	ID           int64
	OrderID      int64
	ProductID    int64
	Product      string // the product's name
	ProductType  order.ProductType
	Module       string          // GetOrder only
	AutoSetup    order.AutoSetup // GetOrder only
	Domain       string
	BillingCycle order.BillingCycle
	SetupFee     int64
	Amount       int64
	Status       order.Status
	ServerID     *int64
	Username     string
	LastError    string
}

func serviceFrom(s db.ListServicesRow) ServiceItem {
	return ServiceItem{ID: s.ID, OrderID: s.OrderID, ProductID: s.ProductID, Product: s.ProductName, ProductType: s.ProductType,
		Module: s.Module, AutoSetup: s.AutoSetup, Domain: s.Domain, BillingCycle: s.BillingCycle, SetupFee: s.SetupFee, Amount: s.Amount,
		Status: s.Status, ServerID: s.ServerID, Username: s.Username, LastError: s.LastError}
}

// DomainItem is one domain registration or transfer of an order. Its EPP code stays sealed in
// the database.
type DomainItem struct {
	ID          int64
	OrderID     int64
	Domain      string
	Type        order.DomainType
	Period      int32 // years
	Registrar   string
	Amount      int64
	Status      order.Status
	Nameservers []string
	LastError   string
}

func domainFrom(d db.OrderDomain) DomainItem {
	return DomainItem{ID: d.ID, OrderID: d.OrderID, Domain: d.Domain, Type: d.Type, Period: d.Period, Registrar: d.Registrar,
		Amount: d.Amount, Status: d.Status, Nameservers: d.Nameservers, LastError: d.LastError}
}

// Invoice is an order's invoice.
type Invoice struct {
	ID        int64
	OrderID   int64
	ClientID  int64
	Status    order.InvoiceStatus
	Currency  string
	Total     int64
	Paid      int64 // what its transactions add up to: payments less refunds
	CreatedAt time.Time
	DueAt     time.Time
	PaidAt    time.Time // zero while unpaid
}

func invoiceFrom(i db.Invoice, paid int64) Invoice {
	return Invoice{ID: i.ID, OrderID: i.OrderID, ClientID: i.ClientID, Status: i.Status, Currency: i.Currency, Total: i.Total,
		Paid: paid, CreatedAt: i.CreatedAt.Time, DueAt: i.DueAt.Time, PaidAt: i.PaidAt.Time}
}

// InvoiceLine is one line of an invoice.
type InvoiceLine struct {
	ID          int64
	Type        string // what it bills: Hosting, Setup, DomainRegister or DomainTransfer
	RelID       int64  // the service or domain it bills
	Description string
	Amount      int64
}

// Transaction is money received (or, negative, refunded) against an invoice.
type Transaction struct {
	ID            int64
	Type          string // gateway.Payment or gateway.Refund
	Gateway       string
	TransactionID string
	Amount        int64
	Currency      string
	Date          time.Time
}

// Event is one line of an order's audit trail.
type Event struct {
	Date   time.Time
	Actor  order.Actor
	Action string
	From   string
	To     string
	Detail string
}

func eventFrom(e db.OrderEvent) Event {
	return Event{Date: e.CreatedAt.Time, Actor: e.Actor, Action: e.Action, From: e.FromStatus, To: e.ToStatus, Detail: e.Detail}
}

// views converts every row with conv.
func views[R, V any](rows []R, conv func(R) V) []V {
	out := make([]V, len(rows))
	for i, r := range rows {
		out[i] = conv(r)
	}
	return out
}
