package service

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/workflows"
)

// ActOnItem runs an item action (module-create, domain-register, ...) on the service or domain
// itemID through the workflow of the item's order.
func (s *Service) ActOnItem(ctx context.Context, action order.Action, itemID int64, req order.ActionRequest) (workflows.Result, error) {
	spec, ok := order.Lookup(action)
	if !ok || spec.On == order.OnOrder {
		return workflows.Result{}, fmt.Errorf("%s is not an item action", action)
	}
	var orderID int64
	var err error
	if spec.On == order.OnDomain {
		orderID, err = s.q().GetDomainOrder(ctx, itemID)
	} else {
		orderID, err = s.q().GetServiceOrder(ctx, itemID)
	}
	if err = fault.OrAbsent(err, spec.On.NotFound()); err != nil {
		return workflows.Result{}, fault.Wrap(err, "%s %d", action, itemID)
	}
	req.ItemID = itemID
	if err := checkItemRequest(action, &req); err != nil {
		return workflows.Result{}, err
	}
	return s.Act(ctx, orderID, action, req, "")
}

// checkItemRequest checks, and puts in their one form, the options an item action takes.
func checkItemRequest(action order.Action, req *order.ActionRequest) error {
	switch action {
	case order.ActionDomainRenew:
		if req.Years < 0 || req.Years > 10 {
			return fault.Invalidf("years", "must be 1 to 10 years")
		}
	case order.ActionDomainNameservers:
		ns, err := input.Nameservers("nameservers", req.Nameservers, input.MinDomainNameservers)
		if err != nil {
			return err
		}
		req.Nameservers = ns
	}
	return nil
}

// DomainByName finds the newest order domain of that name.
func (s *Service) DomainByName(ctx context.Context, name string) (int64, error) {
	d, err := s.q().GetDomainByName(ctx, name)
	return d.ID, fault.OrAbsent(err, order.ReasonDomainNotFound)
}

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
func (s *Service) AcceptRequest(ctx context.Context, orderID int64, actor order.Actor, a Accept) (order.ActionRequest, error) {
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
		return s.Secrets.SealFor(password, secrets.AcceptPassword(orderID))
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
func (s *Service) checkAcceptItems(ctx context.Context, orderID int64, a Accept) error {
	if a.ServerID == 0 && len(a.Services) == 0 && len(a.Domains) == 0 {
		return nil
	}
	q := s.q()
	services, err := q.ListServices(ctx, orderID)
	if err != nil {
		return fault.Wrap(err, "load the services of the order")
	}
	if a.ServerID != 0 {
		if err := s.CheckServerFor(ctx, services, "server_id", a.ServerID); err != nil {
			return err
		}
	}
	for i, c := range a.Services {
		field := fmt.Sprintf("services[%d]", i)
		if !slices.ContainsFunc(services, func(r db.ListServicesRow) bool { return r.ID == c.ID }) {
			return fault.Invalidf(field+".id", "service %d is not in order %d", c.ID, orderID)
		}
		if c.ServerID != 0 {
			if err := s.CheckServerFor(ctx, services, field+".server_id", c.ServerID); err != nil {
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

// ItemOptions are an item action's options as an adapter receives them: a suspension's reason,
// a transfer's new EPP code, a package change's package, a password change's new password.
type ItemOptions struct {
	Reason      string   `json:"reason" input:"text"`
	EPPCode     string   `json:"epp_code"`
	Package     string   `json:"package" input:"max=64"`
	Password    string   `json:"password"`
	Years       int      `json:"years"`       // a renewal's; 0 renews for the registration period
	Nameservers []string `json:"nameservers"` // to state at the registrar
}

// ItemRequest builds an item action on item id. A transfer's new EPP code and a service's new
// password are sealed here, like every secret bound for a workflow's history.
func (s *Service) ItemRequest(actor order.Actor, id int64, opts ItemOptions) (order.ActionRequest, error) {
	if err := input.Check(opts); err != nil {
		return order.ActionRequest{}, err
	}
	req := order.ActionRequest{Actor: actor, ItemID: id, Reason: opts.Reason, Package: opts.Package,
		Years: opts.Years, Nameservers: opts.Nameservers}
	if opts.EPPCode != "" {
		req.EPPCodeSealed = s.Secrets.SealFor(opts.EPPCode, secrets.TransferEPPCode())
	}
	if opts.Password != "" {
		req.PasswordSealed = s.Secrets.SealFor(opts.Password, secrets.ChangedPassword(id))
	}
	return req, nil
}

// FraudCheckRequest builds Run Fraud Check, from ip when one is given (WHMCS's OrderFraudCheck
// ipaddress) instead of the address the order was placed from.
func (s *Service) FraudCheckRequest(actor order.Actor, ip string) (order.ActionRequest, error) {
	if ip != "" {
		if _, err := netip.ParseAddr(ip); err != nil {
			return order.ActionRequest{}, fault.Invalidf("ipaddress", "%q is not an IP address", ip)
		}
	}
	return order.ActionRequest{Actor: actor, IPAddress: ip}, nil
}
