package service

import (
	"context"
	"fmt"

	"github.com/hostflow/hostflow/order"
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
	if err = orNotFound(err, spec.On.NotFound()); err != nil {
		return workflows.Result{}, wrap(err, fmt.Sprintf("%s %d", action, itemID))
	}
	req.ItemID = itemID
	return s.Act(ctx, orderID, action, req, "")
}

// DomainByName finds the newest order domain of that name.
func (s *Service) DomainByName(ctx context.Context, name string) (int64, error) {
	d, err := s.q().GetDomainByName(ctx, name)
	return d.ID, orNotFound(err, order.ReasonDomainNotFound)
}

// Accept is an admin's Accept Order choices as an adapter receives them.
type Accept struct {
	ServerID         int64
	Username         string
	Password         string
	RunModuleCreate  *bool
	SendWelcomeEmail *bool
	Registrar        string
	SendToRegistrar  *bool
}

// AcceptRequest builds the accept action. The password is sealed here, so that it never sits
// in clear in the workflow's history.
func (s *Service) AcceptRequest(actor order.Actor, a Accept) order.ActionRequest {
	opts := &order.AcceptOptions{ServerID: a.ServerID, Username: a.Username, RunModuleCreate: a.RunModuleCreate,
		SendWelcomeEmail: a.SendWelcomeEmail, Registrar: a.Registrar, SendToRegistrar: a.SendToRegistrar}
	if a.Password != "" {
		opts.PasswordSealed = s.Secrets.Seal(a.Password)
	}
	return order.ActionRequest{Actor: actor, Accept: opts}
}

// ItemRequest builds an item action. A transfer's new EPP code is sealed here, like every
// secret bound for a workflow's history.
func (s *Service) ItemRequest(actor order.Actor, reason, eppCode string) order.ActionRequest {
	req := order.ActionRequest{Actor: actor, Reason: reason}
	if eppCode != "" {
		req.EPPCodeSealed = s.Secrets.Seal(eppCode)
	}
	return req
}
