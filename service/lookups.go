package service

import (
	"context"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
)

// Page is an offset page, as WHMCS's lists take them.
type Page struct {
	Offset, Limit int32
}

// Client returns a client by id, or by email when id is 0.
// The tables whose rows list_counts counts (migration 00018), by the name its triggers give
// them: a total read under another name would be 0.
const (
	countedOrders   = "orders"
	countedInvoices = "invoices"
	countedClients  = "clients"
)

func (s *Service) Client(ctx context.Context, id int64, email string) (Client, error) {
	var c db.Client
	var err error
	if id != 0 {
		c, err = s.q().GetClient(ctx, id)
	} else {
		c, err = s.q().GetClientByEmail(ctx, email)
	}
	return clientFrom(c), orNotFound(err, "Client Not Found")
}

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
		return nil, 0, wrap(err, "page orders")
	}
	var total int64
	if f.ID == 0 && f.ClientID == 0 {
		// All orders, or all of a status: the counts the triggers keep, not a scan.
		total, err = q.ListTotal(ctx, db.ListTotalParams{Tbl: countedOrders, Status: status})
	} else {
		total, err = q.CountOrders(ctx, db.CountOrdersParams{ID: f.ID, ClientID: f.ClientID, Status: status})
	}
	if err != nil {
		return nil, 0, wrap(err, "count orders")
	}
	ids := make([]int64, len(rows))
	out := make([]OrderLines, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		ids[i], out[i].Order, at[r.ID] = r.ID, orderFrom(db.GetOrderRow(r)), i
	}
	services, err := q.ListOrdersServices(ctx, ids)
	if err != nil {
		return nil, 0, wrap(err, "list services")
	}
	for _, sv := range services {
		out[at[sv.OrderID]].Services = append(out[at[sv.OrderID]].Services, serviceFrom(db.ListServicesRow(sv)))
	}
	domains, err := q.ListOrdersDomains(ctx, ids)
	if err != nil {
		return nil, 0, wrap(err, "list domains")
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
		return nil, wrap(err, "count orders by status")
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

// InvoiceDetail is an invoice with its lines and transactions.
type InvoiceDetail struct {
	Invoice      Invoice
	Items        []InvoiceLine
	Transactions []Transaction
}

// Invoice reads one invoice.
func (s *Service) Invoice(ctx context.Context, id int64) (InvoiceDetail, error) {
	q := s.q()
	inv, err := q.GetInvoice(ctx, id)
	if err != nil {
		return InvoiceDetail{}, orNotFound(err, "Invoice ID Not Found")
	}
	return invoiceLines(ctx, q, inv)
}

// invoiceLines reads an invoice's items and transactions.
func invoiceLines(ctx context.Context, q *db.Queries, inv db.Invoice) (InvoiceDetail, error) {
	items, err := q.ListInvoiceItems(ctx, inv.ID)
	if err != nil {
		return InvoiceDetail{}, wrap(err, "list invoice items")
	}
	txns, err := q.ListTransactions(ctx, &inv.ID)
	if err != nil {
		return InvoiceDetail{}, wrap(err, "list transactions")
	}
	d := InvoiceDetail{Items: make([]InvoiceLine, len(items)), Transactions: make([]Transaction, len(txns))}
	for i, it := range items {
		d.Items[i] = InvoiceLine{ID: it.ID, Type: it.Type, RelID: it.RelID, Description: it.Description, Amount: it.Amount}
	}
	var paid int64
	for i, t := range txns {
		paid += t.Amount
		d.Transactions[i] = Transaction{ID: t.ID, Type: t.Type, Gateway: t.Gateway, TransactionID: t.TransactionID, Amount: t.Amount,
			Currency: t.Currency, Date: t.PaidAt.Time}
	}
	d.Invoice = invoiceFrom(inv, paid)
	return d, nil
}
