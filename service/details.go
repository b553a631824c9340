package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fraud"
)

// OrderDetail is everything the admin's order page shows.
type OrderDetail struct {
	Order        db.GetOrderRow
	Services     []db.ListServicesRow
	Domains      []db.OrderDomain
	Invoice      *db.Invoice
	InvoiceItems []db.InvoiceItem
	Transactions []db.Transaction
	Events       []db.OrderEvent
	// Fraud is the fraud check's report, when the stored output is one.
	Fraud *fraud.Report
	// Passwords are the services' account passwords, opened for the admin, by service id.
	Passwords map[int64]string
}

// GetOrder reads an order with its items, invoice and audit trail.
func (s *Service) GetOrder(ctx context.Context, id int64) (OrderDetail, error) {
	q := s.q()
	var d OrderDetail
	var err error
	if d.Order, err = q.GetOrder(ctx, id); err != nil {
		return d, orNotFound(err, "Order ID Not Found")
	}
	if d.Services, err = q.ListServices(ctx, id); err != nil {
		return d, wrap(err, "list services")
	}
	d.Passwords = map[int64]string{}
	for _, svc := range d.Services {
		if svc.Password == nil {
			continue
		}
		if d.Passwords[svc.ID], err = s.Secrets.Open(svc.Password); err != nil {
			return d, wrap(err, fmt.Sprintf("open password of service %d", svc.ID))
		}
	}
	if len(d.Order.FraudOutput) > 0 {
		var rep fraud.Report
		if json.Unmarshal(d.Order.FraudOutput, &rep) == nil && rep.Response != nil {
			d.Fraud = &rep
		}
	}
	if d.Domains, err = q.ListDomains(ctx, id); err != nil {
		return d, wrap(err, "list domains")
	}
	if d.Events, err = q.ListEvents(ctx, id); err != nil {
		return d, wrap(err, "list events")
	}
	inv, err := q.GetInvoiceByOrder(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, nil
	}
	if err != nil {
		return d, wrap(err, "get invoice")
	}
	lines, err := invoiceLines(ctx, q, inv)
	d.Invoice, d.InvoiceItems, d.Transactions = &inv, lines.Items, lines.Transactions
	return d, err
}

// OrderFilter selects orders for a list page.
type OrderFilter struct {
	Status   string
	ClientID int64
	Limit    int32
	Cursor   int64 // the last id of the previous page
}

// ListOrders returns a page of orders, newest first, in one query.
func (s *Service) ListOrders(ctx context.Context, f OrderFilter) ([]db.ListOrdersRow, error) {
	p := db.ListOrdersParams{Cursor: f.Cursor, Lim: f.Limit}
	if f.Status != "" {
		p.Status = &f.Status
	}
	if f.ClientID != 0 {
		p.ClientID = &f.ClientID
	}
	rows, err := s.q().ListOrders(ctx, p)
	return rows, wrap(err, "list orders")
}
