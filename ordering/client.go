package ordering

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// ClientOrder is an order as its client sees it in the client area (My Orders).
type ClientOrder struct {
	ID            int64
	Number        int64
	Status        order.Status // as the client is told it: see ClientStatus
	PaymentMethod string
	Currency      string
	Amount        int64
	Date          time.Time
	InvoiceID     int64               // 0 without an invoice
	PaymentStatus order.InvoiceStatus // "" without an invoice
	// Review says the order was stopped for review by the fraud check: the client is told
	// only that the team checks it first.
	Review bool
}

// ClientStatus is an order's status as its client is told it: an order closed as Fraud is
// Cancelled to them; a customer is never told that an order was judged fraudulent.
func ClientStatus(s order.Status) order.Status {
	// One rule for an order and its items: a Fraud order's services and domains are Fraud too.
	if s == order.Fraud {
		return order.Cancelled
	}
	return s
}

func clientOrderFrom(r db.ClientOrdersRow) ClientOrder {
	return ClientOrder{ID: r.ID, Number: r.OrderNumber, Status: ClientStatus(r.Status), PaymentMethod: r.PaymentMethod,
		Currency: r.Currency, Amount: r.Amount, Date: r.CreatedAt.Time, InvoiceID: r.InvoiceID,
		PaymentStatus: order.InvoiceStatus(r.PaymentStatus), Review: billing.UnderReview(r.Status, r.WaitingFor)}
}

// ClientOrders is a page of the client's orders, newest first. The query names the client
// (db/queries/client_orders.sql, through orders_client_id).
func (s *Ordering) ClientOrders(ctx context.Context, clientID int64, p dbtx.Page) ([]ClientOrder, bool, error) {
	lim, off := p.Query()
	rows, err := s.q().ClientOrders(ctx, db.ClientOrdersParams{ClientID: clientID, Lim: lim, Off: off})
	if err != nil {
		return nil, false, fault.Wrap(err, "list client %d's orders", clientID)
	}
	rows, more := dbtx.Cut(p, rows)
	return dbtx.Views(rows, clientOrderFrom), more, nil
}

// ReasonNoSuchOrder answers an order the client does not have.
const ReasonNoSuchOrder = "There is no such order in your account."

// ClientOrderDetail is one of a client's orders with its services and domains, their statuses
// as the client is told them (ClientStatus).
type ClientOrderDetail struct {
	ClientOrder
	Services []ServiceItem
	Domains  []DomainItem
}

// ClientOrder is one of the client's orders with its items. The order is read with the client
// in the query; another client's, like an unknown id, is NotFound (ReasonNoSuchOrder), and only
// then are its items read.
func (s *Ordering) ClientOrder(ctx context.Context, clientID, id int64) (ClientOrderDetail, error) {
	q := s.q()
	r, err := q.ClientOrder(ctx, db.ClientOrderParams{ID: id, ClientID: clientID})
	if err != nil {
		return ClientOrderDetail{}, fault.OrAbsent(err, ReasonNoSuchOrder)
	}
	d := ClientOrderDetail{ClientOrder: clientOrderFrom(db.ClientOrdersRow(r))}
	services, err := q.ListServices(ctx, id)
	if err != nil {
		return ClientOrderDetail{}, fault.Wrap(err, "list order %d's services", id)
	}
	domains, err := q.ListDomains(ctx, id)
	if err != nil {
		return ClientOrderDetail{}, fault.Wrap(err, "list order %d's domains", id)
	}
	d.Services = dbtx.Views(services, func(r db.ListServicesRow) ServiceItem {
		it := serviceFrom(r)
		it.Status, it.LastError = ClientStatus(it.Status), ""
		return it
	})
	d.Domains = dbtx.Views(domains, func(r db.OrderDomain) DomainItem {
		it := domainFrom(r)
		it.Status, it.LastError = ClientStatus(it.Status), ""
		return it
	})
	return d, nil
}

// Years is the domain's registration period, in years.
func (d DomainItem) Years() int { return int(d.Period) }
