package service

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// The reads behind the WHMCS API's actions around an order (GetClientsProducts, GetInvoices'
// sorting, GetModuleQueue, ...). The rules stay in the queries; package whmcs only words them.

// ClientService is a service as GetClientsProducts lists it.
type ClientService struct {
	ServiceItem
	ClientID       int64
	OrderNumber    int64
	PaymentMethod  string
	Currency       string
	ServerName     string
	ServerHostname string
	CreatedAt      time.Time
}

// ServiceFilter selects services: a client's, one service, a product's or a domain's.
type ServiceFilter struct {
	ClientID, ServiceID, ProductID int64
	Domain                         string
	Page
}

// ClientServices lists services, oldest first.
func (s *Service) ClientServices(ctx context.Context, f ServiceFilter) ([]ClientService, int64, error) {
	q := s.q()
	rows, err := q.WHMCSClientServices(ctx, db.WHMCSClientServicesParams{ClientID: f.ClientID, ServiceID: f.ServiceID,
		ProductID: f.ProductID, Domain: f.Domain, Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "list client services")
	}
	n, err := q.WHMCSCountClientServices(ctx, db.WHMCSCountClientServicesParams{ClientID: f.ClientID, ServiceID: f.ServiceID,
		ProductID: f.ProductID, Domain: f.Domain})
	return dbtx.Views(rows, func(r db.WHMCSClientServicesRow) ClientService {
		return ClientService{ServiceItem: ServiceItem{ID: r.ID, OrderID: r.OrderID, ProductID: r.ProductID, Product: r.ProductName,
			Domain: r.Domain, BillingCycle: r.BillingCycle, SetupFee: r.SetupFee, Amount: r.Amount, Status: r.Status,
			ServerID: r.ServerID, Username: r.Username, LastError: r.LastError},
			ClientID: r.ClientID, OrderNumber: r.OrderNumber, PaymentMethod: r.PaymentMethod, Currency: r.Currency,
			ServerName: r.ServerName, ServerHostname: r.ServerHostname, CreatedAt: r.CreatedAt.Time}
	}), n, fault.Wrap(err, "count client services")
}

// ClientDomain is a domain as GetClientsDomains lists it.
type ClientDomain struct {
	DomainItem
	ClientID      int64
	PaymentMethod string
	Currency      string
	CreatedAt     time.Time
}

// DomainFilter selects domains: a client's, or one by id or name.
type DomainFilter struct {
	ClientID, DomainID int64
	Domain             string
	Page
}

// ClientDomains lists domains, oldest first.
func (s *Service) ClientDomains(ctx context.Context, f DomainFilter) ([]ClientDomain, int64, error) {
	q := s.q()
	rows, err := q.WHMCSClientDomains(ctx, db.WHMCSClientDomainsParams{ClientID: f.ClientID, DomainID: f.DomainID, Domain: f.Domain,
		Off: f.Offset, Lim: f.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "list client domains")
	}
	n, err := q.WHMCSCountClientDomains(ctx, db.WHMCSCountClientDomainsParams{ClientID: f.ClientID, DomainID: f.DomainID, Domain: f.Domain})
	return dbtx.Views(rows, func(r db.WHMCSClientDomainsRow) ClientDomain {
		return ClientDomain{DomainItem: DomainItem{ID: r.ID, OrderID: r.OrderID, Domain: r.Domain, Type: r.Type, Period: r.Period,
			Registrar: r.Registrar, Amount: r.Amount, Status: r.Status, Nameservers: r.Nameservers, LastError: r.LastError},
			ClientID: r.ClientID, PaymentMethod: r.PaymentMethod, Currency: r.Currency, CreatedAt: r.CreatedAt.Time}
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
func (s *Service) ModuleQueue(ctx context.Context) ([]QueuedStep, error) {
	rows, err := s.q().WHMCSModuleQueue(ctx)
	return dbtx.Views(rows, func(r db.WHMCSModuleQueueRow) QueuedStep {
		return QueuedStep{Kind: order.ItemKind(r.Kind), ID: r.ID, Module: r.Module, Error: r.LastError, CreatedAt: r.CreatedAt.Time,
			UpdatedAt: r.UpdatedAt.Time}
	}), fault.Wrap(err, "list module queue")
}
