package service

import (
	"context"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// Page is an offset page, as WHMCS's lists take them.
type Page struct {
	Offset, Limit int32
}

// countedOrders is the name list_counts (migration 00018) counts orders under: a total read
// under another name would be 0.
const countedOrders = "orders"

// OrderPage selects a page of orders.
type OrderPage struct {
	ID, ClientID int64
	Status       order.Status
	Page
}

// OrderLines is an order with its items, as a list shows it.
type OrderLines struct {
	Order    Order
	Services []ServiceItem
	Domains  []DomainItem
}

// PageOrders lists orders with their items in three queries, newest first.
func (s *Service) PageOrders(ctx context.Context, f OrderPage) ([]OrderLines, int64, error) {
	q := s.q()
	status := string(f.Status)
	rows, err := q.PageOrders(ctx, db.PageOrdersParams{ID: f.ID, ClientID: f.ClientID, Status: status, Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "page orders")
	}
	var total int64
	if f.ID == 0 && f.ClientID == 0 {
		// All orders, or all of a status: the counts the triggers keep, not a scan.
		total, err = q.ListTotal(ctx, db.ListTotalParams{Tbl: countedOrders, Status: status})
	} else {
		total, err = q.CountOrders(ctx, db.CountOrdersParams{ID: f.ID, ClientID: f.ClientID, Status: status})
	}
	if err != nil {
		return nil, 0, fault.Wrap(err, "count orders")
	}
	ids := make([]int64, len(rows))
	out := make([]OrderLines, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		ids[i], out[i].Order, at[r.ID] = r.ID, orderFrom(db.GetOrderRow(r)), i
	}
	services, err := q.ListOrdersServices(ctx, ids)
	if err != nil {
		return nil, 0, fault.Wrap(err, "list services")
	}
	for _, sv := range services {
		out[at[sv.OrderID]].Services = append(out[at[sv.OrderID]].Services, serviceFrom(db.ListServicesRow(sv)))
	}
	domains, err := q.ListOrdersDomains(ctx, ids)
	if err != nil {
		return nil, 0, fault.Wrap(err, "list domains")
	}
	for _, d := range domains {
		out[at[d.OrderID]].Domains = append(out[at[d.OrderID]].Domains, domainFrom(d))
	}
	return out, total, nil
}

// OrderStatusCounts counts orders by status, every status present.
func (s *Service) OrderStatusCounts(ctx context.Context) (map[order.Status]int64, error) {
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
