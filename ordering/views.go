package ordering

import (
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
)

// The adapters see these views, never sqlc's rows: a column renamed in db changes the
// conversions below and nothing outside this package.

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
// PaymentTaken reports a payment the order's workflow has yet to take (order.PaymentTaken).
func (o OrderRow) PaymentTaken() bool { return order.PaymentTaken(o.WaitingFor, o.PaymentStatus) }

type Order struct {
	OrderRow
	WorkflowID  string // where operators find it in Temporal
	ClientIP    string
	PromoCode   string
	Notes       string
	FraudModule string
	FraudScore  *float64
	FraudOutput []byte // the fraud service's answer, as it sent it
	// FraudRule says which fraud rule applied at placement ("" for orders placed before it
	// was kept).
	FraudRule string
}

// orderFrom reads GetOrder's row; PageOrders selects the same columns, so its rows convert to it.
func orderFrom(o db.GetOrderRow) Order {
	return Order{OrderRow: OrderRow{ID: o.ID, Number: o.OrderNumber, ClientID: o.ClientID, FirstName: o.FirstName, LastName: o.LastName,
		CompanyName: o.CompanyName, Status: o.Status, WaitingFor: o.WaitingFor, PaymentMethod: o.PaymentMethod, Currency: o.Currency,
		Amount: o.Amount, Date: o.CreatedAt.Time, InvoiceID: o.InvoiceID, PaymentStatus: order.InvoiceStatus(o.PaymentStatus)},
		WorkflowID: o.WorkflowID, ClientIP: o.ClientIp, PromoCode: o.PromoCode, Notes: o.Notes, FraudModule: o.FraudModule, FraudScore: o.FraudScore, FraudOutput: o.FraudOutput,
		FraudRule: o.FraudRule}
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
