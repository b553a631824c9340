package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

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
func (s *Service) GetOrder(ctx context.Context, id int64) (OrderDetail, error) {
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

// OrderFilter selects orders for a list page; zero values select everything.
type OrderFilter struct {
	Status        order.Status
	PaymentStatus order.InvoiceStatus
	WaitingFor    order.WaitingFor
	ClientID      int64
	PaymentMethod string
	From, To      time.Time // placed in [From, To)
	// Q finds orders by order number or id, client IP, a domain of the order, or the client's
	// name, company or email (a part of any, of at least MinTextSearch characters).
	Q      string `input:"max=100"`
	Limit  int32
	Cursor int64 // the last id of the previous page
}

// OrderRows returns the list's rows of the orders with these ids, newest first, in one query;
// ids that name no order are left out.
func (s *Service) OrderRows(ctx context.Context, ids []int64) ([]OrderRow, error) {
	rows, err := s.q().OrderRowsByID(ctx, ids)
	// The same columns as the list's, so the same view.
	return dbtx.Views(rows, func(r db.OrderRowsByIDRow) OrderRow { return orderRowFrom(db.ListOrdersRow(r)) }), fault.Wrap(err, "read orders")
}

// MinTextSearch is how many characters of a name, company, email or domain the order search
// needs: its trigram indexes find nothing shorter, and without them a shorter part is a scan of
// every order (seconds at a million). A shorter q still finds an order number, id or IP.
const MinTextSearch = 3

// ListOrders returns a page of orders, newest first, in one query.
func (s *Service) ListOrders(ctx context.Context, f OrderFilter) ([]OrderRow, error) {
	if err := input.Check(f); err != nil {
		return nil, err
	}
	p := db.ListOrdersParams{Cursor: f.Cursor, Lim: f.Limit, Status: dbtx.Optional(string(f.Status)),
		PaymentStatus: dbtx.Optional(string(f.PaymentStatus)), WaitingFor: dbtx.Optional(string(f.WaitingFor)),
		PaymentMethod: dbtx.Optional(f.PaymentMethod), CreatedFrom: dbtx.OptionalTime(f.From), CreatedTo: dbtx.OptionalTime(f.To)}
	if f.ClientID != 0 {
		p.ClientID = &f.ClientID
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		p.Q = &q
		if utf8.RuneCountInString(q) >= MinTextSearch {
			p.Pattern = dbtx.Optional("%" + dbtx.EscapeLike(q) + "%")
		}
	}
	rows, err := s.q().ListOrders(ctx, p)
	return dbtx.Views(rows, orderRowFrom), fault.Wrap(err, "list orders")
}

// Summary is the dashboard: orders per status, and the stuck-order board.
type Summary struct {
	Statuses map[order.Status]int64
	Waiting  []WaitingCount // in order.Waitings' order, every value present
}

// WaitingCount is how many orders wait for one thing, and the oldest of them.
type WaitingCount struct {
	WaitingFor order.WaitingFor
	Count      int64
	Oldest     *OrderRow
}

// OrderSummary counts orders per status and per what they wait for, with the oldest of each.
func (s *Service) OrderSummary(ctx context.Context) (Summary, error) {
	statuses, err := s.OrderStatusCounts(ctx)
	if err != nil {
		return Summary{}, err
	}
	q := s.q()
	rows, err := q.OrderWaitingCounts(ctx)
	if err != nil {
		return Summary{}, fault.Wrap(err, "count waiting orders")
	}
	sum := Summary{Statuses: statuses}
	waiting := map[order.WaitingFor]db.OrderWaitingCountsRow{}
	for _, r := range rows {
		waiting[r.WaitingFor] = r
	}
	for _, wf := range order.Waitings {
		wc := WaitingCount{WaitingFor: wf, Count: waiting[wf].N}
		if id := waiting[wf].OldestID; id != 0 {
			o, err := q.GetOrder(ctx, id)
			if err != nil && !dbtx.IsNoRows(err) {
				return Summary{}, fault.Wrap(err, "load the oldest order")
			}
			if err == nil {
				row := orderFrom(o).OrderRow
				wc.Oldest = &row
			}
		}
		sum.Waiting = append(sum.Waiting, wc)
	}
	return sum, nil
}

// SetOrderNotes replaces an order's admin notes, on its audit trail. Notes are not part of the
// order's lifecycle, so they are written here rather than by the workflow.
func (s *Service) SetOrderNotes(ctx context.Context, orderID int64, actor order.Actor, notes string) error {
	if err := input.Check(struct {
		Notes string `json:"notes" input:"text"`
	}{notes}); err != nil {
		return err
	}
	return dbtx.InTx(ctx, s.Pool, func(q *db.Queries) error {
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
