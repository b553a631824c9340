package whmcs

import (
	"context"

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
	return h.actOnItem(ctx, spec, id, p.str("suspendreason"), "")
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
	epp := ""
	if spec.Action == order.ActionDomainTransfer {
		epp = p.str("eppcode")
	}
	return h.actOnItem(ctx, spec, id, "", epp)
}

func (h *Handler) actOnItem(ctx context.Context, spec order.Spec, id int64, reason, eppCode string) (reply, error) {
	req, err := h.svc.ItemRequest(order.WHMCSAPI, reason, eppCode)
	if err != nil {
		return nil, err
	}
	_, err = h.svc.ActOnItem(ctx, spec.Action, id, req)
	return nil, err
}
