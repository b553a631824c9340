package ordering

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/token"
)

// OrderDetail is everything the admin's order page shows.
type OrderDetail struct {
	Order Order
	// Email is the client's.
	Email    string
	Services []ServiceItem
	Domains  []DomainItem
	// Invoice is nil for an order without one.
	Invoice *billing.InvoiceDetail
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
func (s *Ordering) GetOrder(ctx context.Context, id int64) (OrderDetail, error) {
	q := s.q()
	var d OrderDetail
	o, err := q.GetOrder(ctx, id)
	if err != nil {
		return d, fault.OrAbsent(err, order.ReasonNotFound)
	}
	d.Order, d.Email = orderFrom(o), o.Email
	services, err := q.ListServices(ctx, id)
	if err != nil {
		return d, fault.Wrap(err, "list services")
	}
	d.Services = dbtx.Views(services, serviceFrom)
	d.Passwords, d.Unopened = map[int64]string{}, map[int64]string{}
	for _, svc := range services {
		if svc.Password == nil {
			continue
		}
		// One password that does not open must not hide the rest of the order.
		password, err := s.secrets.OpenFor(svc.Password, secrets.ServicePassword(svc.ID))
		if err != nil {
			d.Unopened[svc.ID] = "the password could not be opened: " + err.Error()
			s.log.Warn("service password could not be opened", zap.Int64("order_id", id), zap.Int64("service_id", svc.ID), zap.Error(err))
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
		return d, fault.Wrap(err, "list domains")
	}
	d.Domains = dbtx.Views(domains, domainFrom)
	events, err := q.ListEvents(ctx, id)
	if err != nil {
		return d, fault.Wrap(err, "list events")
	}
	d.Events = dbtx.Views(events, eventFrom)
	inv, err := q.GetInvoiceByOrder(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, nil
	}
	if err != nil {
		return d, fault.Wrap(err, "get invoice")
	}
	lines, err := billing.InvoiceLines(ctx, q, inv)
	d.Invoice = &lines
	return d, err
}

// FailedSteps counts the order's items whose last step failed while the order waits for a
// retry or skip: what order.Spec.Check needs to offer Retry and Skip.
func (d OrderDetail) FailedSteps() int {
	if d.Order.WaitingFor != order.WaitingProvisioningFailed {
		return 0
	}
	n := 0
	for _, s := range d.Services {
		if s.LastError != "" {
			n++
		}
	}
	for _, dm := range d.Domains {
		if dm.LastError != "" {
			n++
		}
	}
	return max(n, 1) // a failed terminate may have no error left on the row
}

// SetOrderNotes replaces an order's admin notes, on its audit trail. Notes are not part of the
// order's lifecycle, so they are written here rather than by the workflow.
func (s *Ordering) SetOrderNotes(ctx context.Context, orderID int64, actor order.Actor, notes string) error {
	if err := input.Check(struct {
		Notes string `json:"notes" input:"text"`
	}{notes}); err != nil {
		return err
	}
	return dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		n, err := q.SetOrderNotes(ctx, db.SetOrderNotesParams{ID: orderID, Notes: notes})
		if err != nil {
			return fault.Wrap(err, "set notes")
		}
		if n == 0 {
			return fault.Absent(order.ReasonNotFound)
		}
		return fault.Wrap(q.InsertEvent(ctx, db.InsertEventParams{OrderID: orderID, Key: "notes:" + token.New(8), Actor: actor,
			Action: "notes", Detail: "admin notes changed"}), "record the notes' change")
	})
}
