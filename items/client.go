package items

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

// A client's own services and domains, as the client area shows them (My Services, My
// Domains, a service's and a domain's page) and Change Nameservers. Every read names the
// client in its query (db/queries/client_items.sql): another client's item is not found,
// exactly as an unknown id is, so nobody learns which ids exist.

// Refusals in the client's words.
const (
	ReasonNoSuchService = "There is no such service in your account."
	ReasonNoSuchDomain  = "There is no such domain in your account."
	// ReasonDomainNotActive is WHMCS's client-area answer for a domain that is not Active.
	ReasonDomainNotActive = "This domain is not currently active. Domains cannot be managed unless active."
)

// ClientService is a service as its client sees it.
type ClientService struct {
	ID          int64
	OrderID     int64
	OrderNumber int64
	Product     string // the product's name
	ProductType order.ProductType
	Domain      string
	Status      order.Status
	// ServerHostname is the hostname of the server the account is on; "" before it has one.
	ServerHostname string
	Username       string
	BillingCycle   order.BillingCycle
	Amount         int64 // the recurring amount, in Currency
	SetupFee       int64
	Currency       string
	PaymentMethod  string
	NextDueDate    time.Time // zero for none
	CreatedAt      time.Time
}

func clientServiceFrom(r db.ClientServicesRow) ClientService {
	return ClientService{ID: r.ID, OrderID: r.OrderID, OrderNumber: r.OrderNumber, Product: r.ProductName, ProductType: r.ProductType,
		Domain: r.Domain, Status: ordering.ClientStatus(r.Status), ServerHostname: r.ServerHostname, Username: r.Username, BillingCycle: r.BillingCycle,
		Amount: r.Amount, SetupFee: r.SetupFee, Currency: r.Currency, PaymentMethod: r.PaymentMethod,
		NextDueDate: dbtx.DayOf(r.NextDueDate), CreatedAt: r.CreatedAt.Time}
}

// ClientDomain is a domain as its client sees it.
type ClientDomain struct {
	ID          int64
	OrderID     int64
	OrderNumber int64
	Domain      string
	Type        order.DomainType
	Period      int32 // years
	Amount      int64 // in Currency
	Currency    string
	Status      order.Status
	Nameservers []string
	// RegisteredAt is the date it was ordered, which WHMCS calls its registration date.
	RegisteredAt time.Time
	ExpiryDate   time.Time // zero while unknown (set by a renewal or by hand)
	NextDueDate  time.Time // zero for none
	// AutoRenew is WHMCS's auto-renew flag: false when the domain is marked Do Not Renew.
	AutoRenew bool
}

// Manageable says the client may manage the domain (Change Nameservers): it is Active, as in
// WHMCS's client area.
func (d ClientDomain) Manageable() bool { return d.Status == order.Active }

func clientDomainFrom(r db.ClientDomainsRow) ClientDomain {
	return ClientDomain{ID: r.ID, OrderID: r.OrderID, OrderNumber: r.OrderNumber, Domain: r.Domain, Type: r.Type, Period: r.Period,
		Amount: r.Amount, Currency: r.Currency, Status: ordering.ClientStatus(r.Status), Nameservers: r.Nameservers, RegisteredAt: r.CreatedAt.Time,
		ExpiryDate: dbtx.DayOf(r.ExpiryDate), NextDueDate: dbtx.DayOf(r.NextDueDate), AutoRenew: !r.DoNotRenew}
}

// ClientServices is a page of the client's services, newest order first: every status, or
// only status when it is not "".
func (s *Items) ClientServices(ctx context.Context, clientID int64, status order.Status, p dbtx.Page) ([]ClientService, bool, error) {
	lim, off := p.Query()
	rows, err := s.q().ClientServices(ctx, db.ClientServicesParams{ClientID: clientID, Status: string(status), Lim: lim, Off: off})
	if err != nil {
		return nil, false, fault.Wrap(err, "list client %d's services", clientID)
	}
	rows, more := dbtx.Cut(p, rows)
	return dbtx.Views(rows, clientServiceFrom), more, nil
}

// ClientService is one of the client's services; another client's, like an unknown id, is
// NotFound (ReasonNoSuchService).
func (s *Items) ClientService(ctx context.Context, clientID, id int64) (ClientService, error) {
	r, err := s.q().ClientService(ctx, db.ClientServiceParams{ID: id, ClientID: clientID})
	if err != nil {
		return ClientService{}, fault.OrAbsent(err, ReasonNoSuchService)
	}
	return clientServiceFrom(db.ClientServicesRow(r)), nil
}

// ClientDomains is a page of the client's domains, newest order first: every status, or only
// status when it is not "".
func (s *Items) ClientDomains(ctx context.Context, clientID int64, status order.Status, p dbtx.Page) ([]ClientDomain, bool, error) {
	lim, off := p.Query()
	rows, err := s.q().ClientDomains(ctx, db.ClientDomainsParams{ClientID: clientID, Status: string(status), Lim: lim, Off: off})
	if err != nil {
		return nil, false, fault.Wrap(err, "list client %d's domains", clientID)
	}
	rows, more := dbtx.Cut(p, rows)
	return dbtx.Views(rows, clientDomainFrom), more, nil
}

// ClientDomain is one of the client's domains; another client's, like an unknown id, is
// NotFound (ReasonNoSuchDomain).
func (s *Items) ClientDomain(ctx context.Context, clientID, id int64) (ClientDomain, error) {
	r, err := s.q().ClientDomain(ctx, db.ClientDomainParams{ID: id, ClientID: clientID})
	if err != nil {
		return ClientDomain{}, fault.OrAbsent(err, ReasonNoSuchDomain)
	}
	return clientDomainFrom(db.ClientDomainsRow(r)), nil
}

// ItemCounts are how many services and domains a client has Active.
type ItemCounts struct {
	ActiveServices int64
	ActiveDomains  int64
}

// ClientItemCounts counts the client's Active services and domains.
func (s *Items) ClientItemCounts(ctx context.Context, clientID int64) (ItemCounts, error) {
	r, err := s.q().ClientItemCounts(ctx, clientID)
	return ItemCounts{ActiveServices: r.ActiveServices, ActiveDomains: r.ActiveDomains}, fault.Wrap(err, "count client %d's items", clientID)
}

// SetClientDomainNameservers is a client's Change Nameservers: the domain must be the
// client's (else NotFound, as an unknown id is), the nameservers pass input.Nameservers
// (MinDomainNameservers to MaxNameservers hostnames; a refusal names the field
// "nameservers[i]" of the one at fault), and the domain must be Active, as in WHMCS's client
// area (a Conflict otherwise). They are then stated at the registrar by the order's workflow,
// as client:<id> on the order's audit trail (SetDomainNameservers): never from the request. The
// registrar's refusal comes back as a Conflict in its words.
func (s *Items) SetClientDomainNameservers(ctx context.Context, clientID, id int64, ns []string) error {
	d, err := s.ClientDomain(ctx, clientID, id)
	if err != nil {
		return err
	}
	if err := input.Check(struct {
		Nameservers []string `json:"nameservers"`
	}{ns}); err != nil {
		return err
	}
	ns, err = input.Nameservers("nameservers", ns, input.MinDomainNameservers)
	if err != nil {
		return err
	}
	if !d.Manageable() {
		return &fault.Error{Kind: fault.Conflict, Message: ReasonDomainNotActive}
	}
	return s.SetDomainNameservers(ctx, id, ns, order.Client(clientID))
}
