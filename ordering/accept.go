package ordering

import (
	"context"
	"fmt"
	"slices"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
)

// Accept is an admin's Accept Order choices as an adapter receives them.
type Accept struct {
	ServerID         int64  `json:"server_id"`
	Username         string `json:"username" input:"max=16"`
	Password         string `json:"password"`
	RunModuleCreate  *bool  `json:"run_module_create"`
	SendWelcomeEmail *bool  `json:"send_welcome_email"`
	Registrar        string `json:"registrar" input:"max=64"`
	SendToRegistrar  *bool  `json:"send_to_registrar"`
	// Per item, as WHMCS's Accept page offers them; an item's own over the order-wide ones.
	Services []AcceptService `json:"services"`
	Domains  []AcceptDomain  `json:"domains"`
}

// AcceptService is Accept Order's options for one service of the order.
type AcceptService struct {
	ID               int64  `json:"id"`
	ServerID         int64  `json:"server_id"`
	Username         string `json:"username" input:"max=16"`
	Password         string `json:"password"`
	RunModuleCreate  *bool  `json:"run_module_create"`
	SendWelcomeEmail *bool  `json:"send_welcome_email"`
}

// AcceptDomain is Accept Order's options for one domain of the order.
type AcceptDomain struct {
	ID              int64  `json:"id"`
	Registrar       string `json:"registrar" input:"max=64"`
	SendToRegistrar *bool  `json:"send_to_registrar"`
}

// AcceptRequest builds the accept action for an order. A server must exist, be active and run
// the order's hosting module, whatever the order's state. The password is sealed here, so that
// it never sits in clear in the workflow's history.
func (s *Ordering) AcceptRequest(ctx context.Context, orderID int64, actor order.Actor, a Accept) (order.ActionRequest, error) {
	if err := input.Check(a); err != nil {
		return order.ActionRequest{}, err
	}
	if err := s.checkAcceptItems(ctx, orderID, a); err != nil {
		return order.ActionRequest{}, err
	}
	seal := func(password string) []byte {
		if password == "" {
			return nil
		}
		return s.secrets.SealFor(password, secrets.AcceptPassword(orderID))
	}
	opts := &order.AcceptOptions{ServerID: a.ServerID, Username: a.Username, PasswordSealed: seal(a.Password),
		RunModuleCreate: a.RunModuleCreate, SendWelcomeEmail: a.SendWelcomeEmail, Registrar: a.Registrar,
		SendToRegistrar: a.SendToRegistrar}
	for _, c := range a.Services {
		opts.Services = append(opts.Services, order.ServiceChoice{ID: c.ID, ServerID: c.ServerID, Username: c.Username,
			PasswordSealed: seal(c.Password), RunModuleCreate: c.RunModuleCreate, SendWelcomeEmail: c.SendWelcomeEmail})
	}
	for _, c := range a.Domains {
		opts.Domains = append(opts.Domains, order.DomainChoice{ID: c.ID, Registrar: c.Registrar, SendToRegistrar: c.SendToRegistrar})
	}
	return order.ActionRequest{Actor: actor, Accept: opts}, nil
}

// checkAcceptItems refuses per-item options for items that are not the order's, and servers
// the order's hosting cannot be set up on.
func (s *Ordering) checkAcceptItems(ctx context.Context, orderID int64, a Accept) error {
	if a.ServerID == 0 && len(a.Services) == 0 && len(a.Domains) == 0 {
		return nil
	}
	q := s.q()
	services, err := q.ListServices(ctx, orderID)
	if err != nil {
		return fault.Wrap(err, "load the services of the order")
	}
	if a.ServerID != 0 {
		if err := s.catalog.CheckServerFor(ctx, services, "server_id", a.ServerID); err != nil {
			return err
		}
	}
	for i, c := range a.Services {
		field := fmt.Sprintf("services[%d]", i)
		if !slices.ContainsFunc(services, func(r db.ListServicesRow) bool { return r.ID == c.ID }) {
			return fault.Invalidf(field+".id", "service %d is not in order %d", c.ID, orderID)
		}
		if c.ServerID != 0 {
			if err := s.catalog.CheckServerFor(ctx, services, field+".server_id", c.ServerID); err != nil {
				return err
			}
		}
	}
	if len(a.Domains) == 0 {
		return nil
	}
	domains, err := q.ListDomains(ctx, orderID)
	if err != nil {
		return fault.Wrap(err, "load the domains of the order")
	}
	for i, c := range a.Domains {
		if !slices.ContainsFunc(domains, func(r db.OrderDomain) bool { return r.ID == c.ID }) {
			return fault.Invalidf(fmt.Sprintf("domains[%d].id", i), "domain %d is not in order %d", c.ID, orderID)
		}
	}
	return nil
}
