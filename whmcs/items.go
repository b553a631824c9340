package whmcs

import (
	"context"
	"net/http"

	"github.com/hostflow/hostflow/order"
)

var moduleActions = map[string]string{"modulecreate": order.ActionModuleCreate, "modulesuspend": order.ActionModuleSuspend,
	"moduleunsuspend": order.ActionModuleUnsuspend, "moduleterminate": order.ActionModuleTerminate}

// moduleAction serves ModuleCreate, ModuleSuspend, ModuleUnsuspend and ModuleTerminate.
func (h *Handler) moduleAction(ctx context.Context, p params) (reply, error) {
	id, err := p.int("serviceid")
	if err == nil && id == 0 {
		id, err = p.int("accountid") // its name before WHMCS 7.7
	}
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return nil, fail(http.StatusBadRequest, "Service ID is required")
	}
	req := h.svc.ItemRequest(actor, p.str("suspendreason"), "")
	_, err = h.svc.ActOnItem(ctx, moduleActions[p.action], id, req)
	return nil, err
}

// domainAction serves DomainRegister and DomainTransfer, by domainid or domain name.
func (h *Handler) domainAction(ctx context.Context, p params) (reply, error) {
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
		return nil, fail(http.StatusNotFound, "Domain Not Found")
	}
	act, epp := order.ActionDomainRegister, ""
	if p.action == "domaintransfer" {
		act, epp = order.ActionDomainTransfer, p.str("eppcode")
	}
	_, err = h.svc.ActOnItem(ctx, act, id, h.svc.ItemRequest(actor, "", epp))
	return nil, err
}
