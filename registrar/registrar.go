// Package registrar is the domain side of hostflow: the Registrar interface a registrar module
// implements and the registry that picks one by name.
package registrar

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
)

// Domain is what a registrar needs to register or transfer one domain.
type Domain struct {
	DomainID    int64
	Name        string
	Period      int
	EPPCode     string
	Nameservers []string
	Registrant  Contact
	// Ref is what hostflow knew of the domain at this registrar before this call: "" if it
	// was never sent, Requested if an earlier call may have got there, or the registrar's own
	// reference. A domain found at the registrar on a first call is someone else's.
	Ref string
}

// Requested is the Ref of a domain sent to its registrar whose answer was not recorded.
const Requested = "requested"

// Contact is the registrant, taken from the client.
type Contact struct {
	FirstName, LastName, Company, Email      string
	Address1, City, State, Postcode, Country string
	Phone                                    string
}

// Result is a registrar's answer: where the domain stands (order.Active,
// order.PendingRegistration or order.PendingTransfer), and the registrar's reference for it
// (its domain, order or transfer id).
type Result struct {
	Status order.Status
	Ref    string
}

// Registrar registers and transfers domains. Both calls must be idempotent: a retried Register
// must never buy the domain twice.
type Registrar interface {
	Register(ctx context.Context, d Domain) (Result, error)
	Transfer(ctx context.Context, d Domain) (Result, error)
	// Status says where a registration or transfer that was pending stands now.
	Status(ctx context.Context, d Domain) (Result, error)
}

// None is the registrar name for domains handled by hand.
const None = "none"

// SendsOnAccept reports whether Accept Order sends a Pending domain to registrar reg when the
// admin leaves Send to Registrar to its default: when it has a registrar that is not None.
func SendsOnAccept(reg string) bool { return reg != "" && reg != None }

// Registry maps registrar names to modules.
type Registry map[string]Registrar

// NewRegistry returns a registry holding the "none" registrar.
func NewRegistry() Registry { return Registry{None: manual{}} }

// Get returns the registrar called name.
func (r Registry) Get(name string) (Registrar, error) {
	m, ok := r[name]
	if !ok {
		return nil, permanent.Wrap(fmt.Errorf("no registrar module %q", name))
	}
	return m, nil
}

// Names lists the registered registrars.
func (r Registry) Names() []string { return slices.Sorted(maps.Keys(r)) }

// manual is the "none" registrar: the admin registers by hand, so the domain counts as done.
type manual struct{}

func (manual) Register(context.Context, Domain) (Result, error) {
	return Result{Status: order.Active}, nil
}
func (manual) Transfer(context.Context, Domain) (Result, error) {
	return Result{Status: order.PendingTransfer}, nil
}
func (manual) Status(context.Context, Domain) (Result, error) {
	return Result{}, permanent.Wrap(fmt.Errorf("domains handled by hand have no registrar to ask"))
}

// Manager is what a registrar does for a domain it already holds: its nameservers and its
// renewal. A module without it answers WHMCS's "Registrar Function Not Supported".
type Manager interface {
	Nameservers(ctx context.Context, name string) ([]string, error)
	// SetNameservers states the domain's nameservers: a repeat changes nothing.
	SetNameservers(ctx context.Context, name string, nameservers []string) error
	// Expiry is the domain's expiry date at the registrar.
	Expiry(ctx context.Context, name string) (time.Time, error)
	// Renew buys years more of the domain and answers its new expiry date. It is not
	// idempotent (the registrars' APIs have no idempotency key): the caller claims the renewal
	// before calling and settles an unanswered one by Expiry.
	Renew(ctx context.Context, name string, years int) (time.Time, error)
}

// ErrNotSupported is a registrar module that cannot do what was asked, in WHMCS's words (the
// answer its API gives), which is what the admin and the API's callers read.
var ErrNotSupported = permanent.Wrap(fmt.Errorf("%s", "Registrar Function Not Supported"))

// ManagerOf returns the registrar called name as a Manager.
func (r Registry) ManagerOf(name string) (Manager, error) {
	m, err := r.Get(name)
	if err != nil {
		return nil, err
	}
	mg, ok := m.(Manager)
	if !ok {
		return nil, ErrNotSupported
	}
	return mg, nil
}

// Availability is a registrar's answer on one name: whether it is free to register, and
// whether the registry prices it as premium, in which case the TLD's own price does not buy it.
// The premium prices are the registrar's, as it writes them (decimals in its account's
// currency), for the admin to read; hostflow does not sell premium names at them.
type Availability struct {
	Name      string
	Available bool
	Premium   bool
	// PremiumRegistration, PremiumRenewal, PremiumTransfer and PremiumRestore are the premium
	// prices; IcannFee and EapFee the fees a registration would add ("0" when none).
	PremiumRegistration, PremiumRenewal, PremiumTransfer, PremiumRestore string
	IcannFee, EapFee                                                     string
	// Problem is the registrar's reason it could not say, for this name alone ("" when it
	// could): the name is then neither available nor taken.
	Problem string
}

// Checker asks a registrar whether names are free to register. It is a read: it changes
// nothing at the registrar, so it runs in the request that asks (bounded and rate-limited by
// the caller), not as an activity of a workflow. The answer has one Availability per name, in
// the order asked.
type Checker interface {
	Check(ctx context.Context, names []string) ([]Availability, error)
}

// CheckerOf returns the registrar called name as a Checker, or ErrNotSupported when its module
// cannot check availability (the "none" registrar: the admin registers by hand).
func (r Registry) CheckerOf(name string) (Checker, error) {
	m, err := r.Get(name)
	if err != nil {
		return nil, err
	}
	c, ok := m.(Checker)
	if !ok {
		return nil, ErrNotSupported
	}
	return c, nil
}
