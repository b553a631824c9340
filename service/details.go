package service

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
)

// OrderDetail is everything the admin's order page shows.
type OrderDetail struct {
	Order Order
	// Email is the client's.
	Email    string
	Services []ServiceItem
	Domains  []DomainItem
	// Invoice is nil for an order without one.
	Invoice *InvoiceDetail
	Events  []Event
	// Fraud is the fraud check's report, when the stored output is one.
	Fraud *fraud.Report
	// Passwords are the services' account passwords, opened for the admin, by service id.
	Passwords map[int64]string
	// Unopened says, by service id, why a password could not be opened (it was changed, sealed
	// with a key hostflow no longer has, or moved from another row); Passwords has none for it.
	Unopened map[int64]string
}

// GetOrder reads an order with its items, invoice and audit trail.
func (s *Service) GetOrder(ctx context.Context, id int64) (OrderDetail, error) {
	q := s.q()
	var d OrderDetail
	o, err := q.GetOrder(ctx, id)
	if err != nil {
		return d, orNotFound(err, order.ReasonNotFound)
	}
	d.Order, d.Email = orderFrom(o), o.Email
	services, err := q.ListServices(ctx, id)
	if err != nil {
		return d, wrap(err, "list services")
	}
	d.Services = views(services, serviceFrom)
	d.Passwords, d.Unopened = map[int64]string{}, map[int64]string{}
	for _, svc := range services {
		if svc.Password == nil {
			continue
		}
		// One password that does not open must not hide the rest of the order.
		password, err := s.Secrets.OpenFor(svc.Password, secrets.ServicePassword(svc.ID))
		if err != nil {
			d.Unopened[svc.ID] = "the password could not be opened: " + err.Error()
			s.Log.Warn("service password could not be opened", zap.Int64("order_id", id), zap.Int64("service_id", svc.ID), zap.Error(err))
			continue
		}
		d.Passwords[svc.ID] = password
	}
	if len(o.FraudOutput) > 0 {
		var rep fraud.Report
		if json.Unmarshal(o.FraudOutput, &rep) == nil && rep.Response != nil {
			d.Fraud = &rep
		}
	}
	domains, err := q.ListDomains(ctx, id)
	if err != nil {
		return d, wrap(err, "list domains")
	}
	d.Domains = views(domains, domainFrom)
	events, err := q.ListEvents(ctx, id)
	if err != nil {
		return d, wrap(err, "list events")
	}
	d.Events = views(events, eventFrom)
	inv, err := q.GetInvoiceByOrder(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, nil
	}
	if err != nil {
		return d, wrap(err, "get invoice")
	}
	lines, err := invoiceLines(ctx, q, inv)
	d.Invoice = &lines
	return d, err
}

// OrderFilter selects orders for a list page.
type OrderFilter struct {
	Status   order.Status // "" for every status
	ClientID int64
	Limit    int32
	Cursor   int64 // the last id of the previous page
}

// ListOrders returns a page of orders, newest first, in one query.
func (s *Service) ListOrders(ctx context.Context, f OrderFilter) ([]OrderRow, error) {
	p := db.ListOrdersParams{Cursor: f.Cursor, Lim: f.Limit}
	if f.Status != "" {
		status := string(f.Status)
		p.Status = &status
	}
	if f.ClientID != 0 {
		p.ClientID = &f.ClientID
	}
	rows, err := s.q().ListOrders(ctx, p)
	return views(rows, orderRowFrom), wrap(err, "list orders")
}
