package whmcs

import (
	"context"

	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/order"
)

// moduleAction serves the module commands on one service: ModuleCreate, ModuleSuspend, ...
func (h *Handler) moduleAction(ctx context.Context, spec order.Spec, p params) (reply, error) {
	id, err := p.int("serviceid")
	if err == nil && id == 0 {
		id, err = p.int("accountid") // its name before WHMCS 7.7
	}
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return nil, fail("Service ID is required")
	}
	opts := items.ItemOptions{Reason: p.str("suspendreason")}
	if spec.Action == order.ActionModuleChangePw {
		// WHMCS sets servicepassword, or the stored password when it is not given.
		opts = items.ItemOptions{Password: p.str("servicepassword")}
	}
	// ModuleChangePackage takes no package: as in WHMCS, the service's product names it.
	return h.actOnItem(ctx, spec, id, opts)
}

// domainAction serves the registrar commands on one domain (DomainRegister, DomainTransfer), by
// domainid or domain name.
func (h *Handler) domainAction(ctx context.Context, spec order.Spec, p params) (reply, error) {
	id, err := p.int("domainid")
	if err != nil {
		return nil, err
	}
	if id == 0 && p.str("domain") != "" {
		if id, err = h.svc.DomainByName(ctx, p.str("domain")); err != nil {
			return nil, err
		}
	}
	if id == 0 {
		return nil, fail(order.ReasonDomainNotFound)
	}
	var opts items.ItemOptions
	if spec.Action == order.ActionDomainTransfer {
		opts.EPPCode = p.str("eppcode")
	}
	return h.actOnItem(ctx, spec, id, opts)
}

func (h *Handler) actOnItem(ctx context.Context, spec order.Spec, id int64, opts items.ItemOptions) (reply, error) {
	req, err := h.svc.ItemRequest(order.WHMCSAPI, id, opts)
	if err != nil {
		return nil, err
	}
	_, err = h.svc.ActOnItem(ctx, spec.Action, id, req)
	return nil, err
}
