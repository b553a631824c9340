package items

import (
	"context"
	"fmt"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// ActOnItem runs an item action (module-create, domain-register, ...) on the service or domain
// itemID through the workflow of the item's order. requestID, when given, makes a retried
// request (a double click, a retried call with its Idempotency-Key) the same update.
func (s *Items) ActOnItem(ctx context.Context, action order.Action, itemID int64, req order.ActionRequest, requestID string) (ordermsg.Result, error) {
	spec, ok := order.Lookup(action)
	if !ok || spec.On == order.OnOrder {
		return ordermsg.Result{}, fmt.Errorf("%s is not an item action", action)
	}
	var orderID int64
	var err error
	if spec.On == order.OnDomain {
		orderID, err = s.q().GetDomainOrder(ctx, itemID)
	} else {
		orderID, err = s.q().GetServiceOrder(ctx, itemID)
	}
	if err = fault.OrAbsent(err, spec.On.NotFound()); err != nil {
		return ordermsg.Result{}, fault.Wrap(err, "%s %d", action, itemID)
	}
	req.ItemID = itemID
	if err := checkItemRequest(action, &req); err != nil {
		return ordermsg.Result{}, err
	}
	return s.ordering.Act(ctx, orderID, action, req, requestID)
}

// MaxRenewYears is the most years a renewal buys at once, as registrars allow.
const MaxRenewYears = 10

// checkItemRequest checks, and puts in their one form, the options an item action takes.
func checkItemRequest(action order.Action, req *order.ActionRequest) error {
	switch action {
	case order.ActionDomainRenew:
		if req.Years < 0 || req.Years > MaxRenewYears {
			return fault.Invalidf("years", "must be 1 to %d years", MaxRenewYears)
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
func (s *Items) DomainByName(ctx context.Context, name string) (int64, error) {
	d, err := s.q().GetDomainByName(ctx, name)
	return d.ID, fault.OrAbsent(err, order.ReasonDomainNotFound)
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
func (s *Items) ItemRequest(actor order.Actor, id int64, opts ItemOptions) (order.ActionRequest, error) {
	if err := input.Check(opts); err != nil {
		return order.ActionRequest{}, err
	}
	req := order.ActionRequest{Actor: actor, ItemID: id, Reason: opts.Reason, Package: opts.Package,
		Years: opts.Years, Nameservers: opts.Nameservers}
	if opts.EPPCode != "" {
		req.EPPCodeSealed = s.secrets.SealFor(opts.EPPCode, secrets.TransferEPPCode())
	}
	if opts.Password != "" {
		req.PasswordSealed = s.secrets.SealFor(opts.Password, secrets.ChangedPassword(id))
	}
	return req, nil
}
