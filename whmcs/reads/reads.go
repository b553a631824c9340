// Package reads holds the WHMCS API's own read models: the lists and counts only WHMCS's
// actions give (GetOrders, GetClientsProducts, GetClientsDomains, GetModuleQueue,
// GetClientsDetails' stats, GetInvoices, GetInvoice's payment method, GetTransactions), from
// their own queries (db/queries/whmcs_reads.sql) into their own structs, so that no other
// package's views bend to WHMCS's shapes. They only read: every rule and every write is the
// core's.
package reads

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
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

// OrderPage selects a page of GetOrders: an order, a client's, or of a status.
type OrderPage struct {
	ID, ClientID int64
	Status       order.Status
	Page
}

// ListedOrder is an order with its items, as GetOrders lists it.
type ListedOrder struct {
	db.PageOrdersRow
	Services []db.ListOrdersServicesRow
	Domains  []db.OrderDomain
}

// PageOrders lists orders with their items in three queries, newest first.
func PageOrders(ctx context.Context, pool db.DBTX, f OrderPage) ([]ListedOrder, int64, error) {
	q := db.New(pool)
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
	out := make([]ListedOrder, len(rows))
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

// ClientService is a service as GetClientsProducts lists it, with the fields
// UpdateClientProduct edits.
type ClientService struct {
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

// ServiceFilter selects services: a client's, one service, a product's or a domain's.
type ServiceFilter struct {
	ClientID, ServiceID, ProductID int64
	Domain                         string
	Page
}

// ClientServices lists services, oldest first.
func ClientServices(ctx context.Context, pool db.DBTX, f ServiceFilter) ([]ClientService, int64, error) {
	q := db.New(pool)
	rows, err := q.WHMCSClientServices(ctx, db.WHMCSClientServicesParams{ClientID: f.ClientID, ServiceID: f.ServiceID,
		ProductID: f.ProductID, Domain: f.Domain, Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "list client services")
	}
	n, err := q.WHMCSCountClientServices(ctx, db.WHMCSCountClientServicesParams{ClientID: f.ClientID, ServiceID: f.ServiceID,
		ProductID: f.ProductID, Domain: f.Domain})
	return dbtx.Views(rows, func(r db.WHMCSClientServicesRow) ClientService {
		return ClientService{ID: r.ID, OrderID: r.OrderID, ProductID: r.ProductID, ClientID: r.ClientID, OrderNumber: r.OrderNumber,
			Product: r.ProductName, Domain: r.Domain, BillingCycle: r.BillingCycle, SetupFee: r.SetupFee, Amount: r.Amount,
			Status: r.Status, ServerID: r.ServerID, Username: r.Username, PaymentMethod: r.PaymentMethod, Currency: r.Currency,
			ServerName: r.ServerName, ServerHostname: r.ServerHostname, CreatedAt: r.CreatedAt.Time, Notes: r.Notes,
			NextDueDate: dbtx.DayOf(r.NextDueDate)}
	}), n, fault.Wrap(err, "count client services")
}

// ClientDomain is a domain as GetClientsDomains lists it, with the fields UpdateClientDomain
// edits.
type ClientDomain struct {
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

// DomainFilter selects domains: a client's, or one by id or name.
type DomainFilter struct {
	ClientID, DomainID int64
	Domain             string
	Page
}

// ClientDomains lists domains, oldest first.
func ClientDomains(ctx context.Context, pool db.DBTX, f DomainFilter) ([]ClientDomain, int64, error) {
	q := db.New(pool)
	rows, err := q.WHMCSClientDomains(ctx, db.WHMCSClientDomainsParams{ClientID: f.ClientID, DomainID: f.DomainID, Domain: f.Domain,
		Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "list client domains")
	}
	n, err := q.WHMCSCountClientDomains(ctx, db.WHMCSCountClientDomainsParams{ClientID: f.ClientID, DomainID: f.DomainID, Domain: f.Domain})
	return dbtx.Views(rows, func(r db.WHMCSClientDomainsRow) ClientDomain {
		return ClientDomain{ID: r.ID, OrderID: r.OrderID, ClientID: r.ClientID, Domain: r.Domain, Type: r.Type, Period: r.Period,
			Registrar: r.Registrar, Amount: r.Amount, Status: r.Status, PaymentMethod: r.PaymentMethod, Currency: r.Currency,
			CreatedAt: r.CreatedAt.Time, Notes: r.Notes, NextDueDate: dbtx.DayOf(r.NextDueDate), ExpiryDate: dbtx.DayOf(r.ExpiryDate),
			DNSManagement: r.DnsManagement, EmailForwarding: r.EmailForwarding, IDProtection: r.IDProtection, DoNotRenew: r.DoNotRenew}
	}), n, fault.Wrap(err, "count client domains")
}

// QueuedStep is a failed module or registrar step waiting for an admin's Retry or Skip.
type QueuedStep struct {
	Kind      order.ItemKind
	ID        int64
	Module    string
	Error     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ModuleQueue lists the failed steps of orders waiting for provisioning-failed.
func ModuleQueue(ctx context.Context, pool db.DBTX) ([]QueuedStep, error) {
	rows, err := db.New(pool).WHMCSModuleQueue(ctx)
	return dbtx.Views(rows, func(r db.WHMCSModuleQueueRow) QueuedStep {
		return QueuedStep{Kind: order.ItemKind(r.Kind), ID: r.ID, Module: r.Module, Error: r.LastError, CreatedAt: r.CreatedAt.Time,
			UpdatedAt: r.UpdatedAt.Time}
	}), fault.Wrap(err, "list module queue")
}

// ClientStats are a client's counts and sums, as GetClientsDetails gives them.
type ClientStats struct {
	Invoices db.WHMCSClientInvoiceStatsRow
	// Items counts services by product type and status, and domains under the kind StatsDomain.
	Items []db.WHMCSClientItemStatsRow
}

// StatsDomain is the kind WHMCSClientItemStats counts domains under.
const StatsDomain = "domain"

// ReadClientStats reads a client's stats in two queries.
func ReadClientStats(ctx context.Context, pool db.DBTX, clientID int64) (ClientStats, error) {
	q := db.New(pool)
	inv, err := q.WHMCSClientInvoiceStats(ctx, clientID)
	if err != nil {
		return ClientStats{}, fault.Wrap(err, "invoice stats of client %d", clientID)
	}
	items, err := q.WHMCSClientItemStats(ctx, clientID)
	return ClientStats{Invoices: inv, Items: items}, fault.Wrap(err, "item stats of client %d", clientID)
}
