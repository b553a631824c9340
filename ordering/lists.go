package ordering

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
)

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
func (s *Ordering) OrderRows(ctx context.Context, ids []int64) ([]OrderRow, error) {
	rows, err := s.q().OrderRowsByID(ctx, ids)
	// The same columns as the list's, so the same view.
	return dbtx.Views(rows, func(r db.OrderRowsByIDRow) OrderRow { return orderRowFrom(db.ListOrdersRow(r)) }), fault.Wrap(err, "read orders")
}

// MinTextSearch is how many characters of a name, company, email or domain the order search
// needs: its trigram indexes find nothing shorter, and without them a shorter part is a scan of
// every order (seconds at a million). A shorter q still finds an order number, id or IP.
const MinTextSearch = 3

// ListOrders returns a page of orders, newest first, in one query.
func (s *Ordering) ListOrders(ctx context.Context, f OrderFilter) ([]OrderRow, error) {
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
func (s *Ordering) OrderSummary(ctx context.Context) (Summary, error) {
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

// OrderStatusCounts counts orders by status, every status present.
func (s *Ordering) OrderStatusCounts(ctx context.Context) (map[order.Status]int64, error) {
	rows, err := s.q().OrderStatusCounts(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "count orders by status")
	}
	out := map[order.Status]int64{}
	for _, st := range order.Statuses {
		out[st] = 0
	}
	for _, r := range rows {
		out[order.Status(r.Status)] = r.N
	}
	return out, nil
}
