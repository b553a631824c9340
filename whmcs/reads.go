package whmcs

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// The WHMCS API's own read models: the lists and counts only its actions give (GetOrders,
// GetClientsProducts, GetClientsDomains, GetModuleQueue, GetClientsDetails' stats; GetInvoices
// and GetTransactions in invoice_reads.go), from its own queries (db/queries/whmcs_reads.sql)
// into its own structs. They only read: every rule and every write is the core's.

func (h *Handler) q() *db.Queries { return db.New(h.svc.Pool) }

// page is an offset page, as WHMCS's lists take them.
type page struct {
	Offset, Limit int32
}

// countedOrders is the name list_counts (migration 00018) counts orders under: a total read
// under another name would be 0.
const countedOrders = "orders"

// orderPage selects a page of GetOrders: an order, a client's, or of a status.
type orderPage struct {
	ID, ClientID int64
	Status       order.Status
	page
}

// listedOrder is an order with its items, as GetOrders lists it.
type listedOrder struct {
	db.PageOrdersRow
	Services []db.ListOrdersServicesRow
	Domains  []db.OrderDomain
}

// pageOrders lists orders with their items in three queries, newest first.
func (h *Handler) pageOrders(ctx context.Context, f orderPage) ([]listedOrder, int64, error) {
	q := h.q()
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
	out := make([]listedOrder, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		ids[i], out[i].PageOrdersRow, at[r.ID] = r.ID, r, i
	}
	services, err := q.ListOrdersServices(ctx, ids)
	if err != nil {
		return nil, 0, fault.Wrap(err, "list services")
	}
	for _, sv := range services {
		out[at[sv.OrderID]].Services = append(out[at[sv.OrderID]].Services, sv)
	}
	domains, err := q.ListOrdersDomains(ctx, ids)
	if err != nil {
		return nil, 0, fault.Wrap(err, "list domains")
	}
	for _, d := range domains {
		out[at[d.OrderID]].Domains = append(out[at[d.OrderID]].Domains, d)
	}
	return out, total, nil
}

// clientService is a service as GetClientsProducts lists it, with the fields
// UpdateClientProduct edits.
type clientService struct {
	ID, OrderID, ProductID, ClientID, OrderNumber int64
	Product                                       string // the product's name
	Domain                                        string
	BillingCycle                                  order.BillingCycle
	SetupFee, Amount                              int64
	Status                                        order.Status
	ServerID                                      *int64
	Username                                      string
	PaymentMethod, Currency                       string
	ServerName, ServerHostname                    string
	CreatedAt                                     time.Time
	Notes                                         string
	NextDueDate                                   time.Time // zero for none
}

// serviceFilter selects services: a client's, one service, a product's or a domain's.
type serviceFilter struct {
	ClientID, ServiceID, ProductID int64
	Domain                         string
	page
}

// clientServices lists services, oldest first.
func (h *Handler) clientServices(ctx context.Context, f serviceFilter) ([]clientService, int64, error) {
	q := h.q()
	rows, err := q.WHMCSClientServices(ctx, db.WHMCSClientServicesParams{ClientID: f.ClientID, ServiceID: f.ServiceID,
		ProductID: f.ProductID, Domain: f.Domain, Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "list client services")
	}
	n, err := q.WHMCSCountClientServices(ctx, db.WHMCSCountClientServicesParams{ClientID: f.ClientID, ServiceID: f.ServiceID,
		ProductID: f.ProductID, Domain: f.Domain})
	return dbtx.Views(rows, func(r db.WHMCSClientServicesRow) clientService {
		return clientService{ID: r.ID, OrderID: r.OrderID, ProductID: r.ProductID, ClientID: r.ClientID, OrderNumber: r.OrderNumber,
			Product: r.ProductName, Domain: r.Domain, BillingCycle: r.BillingCycle, SetupFee: r.SetupFee, Amount: r.Amount,
			Status: r.Status, ServerID: r.ServerID, Username: r.Username, PaymentMethod: r.PaymentMethod, Currency: r.Currency,
			ServerName: r.ServerName, ServerHostname: r.ServerHostname, CreatedAt: r.CreatedAt.Time, Notes: r.Notes,
			NextDueDate: dbtx.DayOf(r.NextDueDate)}
	}), n, fault.Wrap(err, "count client services")
}

// clientDomain is a domain as GetClientsDomains lists it, with the fields UpdateClientDomain
// edits.
type clientDomain struct {
	ID, OrderID, ClientID int64
	Domain                string
	Type                  order.DomainType
	Period                int32 // years
	Registrar             string
	Amount                int64
	Status                order.Status
	PaymentMethod         string
	Currency              string
	CreatedAt             time.Time
	Notes                 string
	NextDueDate           time.Time // zero for none
	ExpiryDate            time.Time // zero for none
	DNSManagement         bool
	EmailForwarding       bool
	IDProtection          bool
	DoNotRenew            bool
}

// domainFilter selects domains: a client's, or one by id or name.
type domainFilter struct {
	ClientID, DomainID int64
	Domain             string
	page
}

// clientDomains lists domains, oldest first.
func (h *Handler) clientDomains(ctx context.Context, f domainFilter) ([]clientDomain, int64, error) {
	q := h.q()
	rows, err := q.WHMCSClientDomains(ctx, db.WHMCSClientDomainsParams{ClientID: f.ClientID, DomainID: f.DomainID, Domain: f.Domain,
		Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "list client domains")
	}
	n, err := q.WHMCSCountClientDomains(ctx, db.WHMCSCountClientDomainsParams{ClientID: f.ClientID, DomainID: f.DomainID, Domain: f.Domain})
	return dbtx.Views(rows, func(r db.WHMCSClientDomainsRow) clientDomain {
		return clientDomain{ID: r.ID, OrderID: r.OrderID, ClientID: r.ClientID, Domain: r.Domain, Type: r.Type, Period: r.Period,
			Registrar: r.Registrar, Amount: r.Amount, Status: r.Status, PaymentMethod: r.PaymentMethod, Currency: r.Currency,
			CreatedAt: r.CreatedAt.Time, Notes: r.Notes, NextDueDate: dbtx.DayOf(r.NextDueDate), ExpiryDate: dbtx.DayOf(r.ExpiryDate),
			DNSManagement: r.DnsManagement, EmailForwarding: r.EmailForwarding, IDProtection: r.IDProtection, DoNotRenew: r.DoNotRenew}
	}), n, fault.Wrap(err, "count client domains")
}

// queuedStep is a failed module or registrar step waiting for an admin's Retry or Skip.
type queuedStep struct {
	Kind      order.ItemKind
	ID        int64
	Module    string
	Error     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// moduleQueue lists the failed steps of orders waiting for provisioning-failed.
func (h *Handler) moduleQueue(ctx context.Context) ([]queuedStep, error) {
	rows, err := h.q().WHMCSModuleQueue(ctx)
	return dbtx.Views(rows, func(r db.WHMCSModuleQueueRow) queuedStep {
		return queuedStep{Kind: order.ItemKind(r.Kind), ID: r.ID, Module: r.Module, Error: r.LastError, CreatedAt: r.CreatedAt.Time,
			UpdatedAt: r.UpdatedAt.Time}
	}), fault.Wrap(err, "list module queue")
}

// statsRows are a client's counts and sums, as GetClientsDetails gives them.
type statsRows struct {
	Invoices db.WHMCSClientInvoiceStatsRow
	// Items counts services by product type and status, and domains under the kind statsDomain.
	Items []db.WHMCSClientItemStatsRow
}

// statsDomain is the kind WHMCSClientItemStats counts domains under.
const statsDomain = "domain"

// readClientStats reads a client's stats in two queries.
func (h *Handler) readClientStats(ctx context.Context, clientID int64) (statsRows, error) {
	q := h.q()
	inv, err := q.WHMCSClientInvoiceStats(ctx, clientID)
	if err != nil {
		return statsRows{}, fault.Wrap(err, "invoice stats of client %d", clientID)
	}
	items, err := q.WHMCSClientItemStats(ctx, clientID)
	return statsRows{Invoices: inv, Items: items}, fault.Wrap(err, "item stats of client %d", clientID)
}
