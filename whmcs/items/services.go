// Package items serves WHMCS's actions on one service or domain of an order: the module
// commands (ModuleCreate, ModuleSuspend, ...) and the registrar commands (DomainRegister,
// DomainTransfer, DomainGetNameservers, DomainUpdateNameservers, DomainRenew) through the
// order's workflow, the fields edited by hand (UpdateClientProduct, UpdateClientDomain), the
// lists (GetClientsProducts, GetClientsDomains) and the failed steps (GetModuleQueue), over the
// core's items.
package items

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/whmcs/reads"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// Actions are the service and domain actions, over the core.
type Actions struct{ svc *service.Service }

// New returns the service and domain actions.
func New(svc *service.Service) *Actions { return &Actions{svc: svc} }

// ModuleAction serves the module commands on one service: ModuleCreate, ModuleSuspend, ...
func (a *Actions) ModuleAction(ctx context.Context, spec order.Spec, p wire.Params) (wire.Reply, error) {
	id, err := p.Int("serviceid")
	if err == nil && id == 0 {
		id, err = p.Int("accountid") // its name before WHMCS 7.7
	}
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return nil, wire.Fail("Service ID is required")
	}
	opts := items.ItemOptions{Reason: p.Str("suspendreason")}
	if spec.Action == order.ActionModuleChangePw {
		// WHMCS sets servicepassword, or the stored password when it is not given.
		opts = items.ItemOptions{Password: p.Str("servicepassword")}
	}
	// ModuleChangePackage takes no package: as in WHMCS, the service's product names it.
	return a.actOnItem(ctx, spec, id, opts)
}

func (a *Actions) actOnItem(ctx context.Context, spec order.Spec, id int64, opts items.ItemOptions) (wire.Reply, error) {
	req, err := a.svc.ItemRequest(order.WHMCSAPI, id, opts)
	if err != nil {
		return nil, err
	}
	_, err = a.svc.ActOnItem(ctx, spec.Action, id, req, "")
	return nil, err
}

// GetClientsProducts serves GetClientsProducts.
func (a *Actions) GetClientsProducts(ctx context.Context, p wire.Params) (wire.Reply, error) {
	off, lim, err := p.Page()
	if err != nil {
		return nil, err
	}
	var f reads.ServiceFilter
	if f.ClientID, err = p.Int("clientid"); err != nil {
		return nil, err
	}
	if f.ServiceID, err = p.Int("serviceid"); err != nil {
		return nil, err
	}
	if f.ProductID, err = p.Int("pid"); err != nil {
		return nil, err
	}
	f.Domain, f.Page = p.Str("domain"), reads.Page{Offset: off, Limit: lim}
	rows, total, err := reads.ClientServices(ctx, a.svc.Pool, f)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, s := range rows {
		server := ""
		if s.ServerID != nil {
			server = wire.ID(*s.ServerID)
		}
		// The password is never answered: it is sealed, and hostflow has no way to read it back
		// for a caller.
		list = append(list, map[string]any{"id": wire.ID(s.ID), "qty": "1", "clientid": wire.ID(s.ClientID), "orderid": wire.ID(s.OrderID),
			"ordernumber": wire.ID(s.OrderNumber), "pid": wire.ID(s.ProductID), "regdate": s.CreatedAt.Format("2006-01-02"),
			"name": s.Product, "translated_name": s.Product, "groupname": "", "translated_groupname": "", "domain": s.Domain,
			"dedicatedip": "", "serverid": server, "servername": s.ServerName, "serverip": "", "serverhostname": s.ServerHostname,
			"suspensionreason": "", "firstpaymentamount": money.Format(s.Amount+s.SetupFee, s.Currency),
			"recurringamount": money.Format(s.Amount, s.Currency), "paymentmethod": s.PaymentMethod,
			"paymentmethodname": billing.MethodName(s.PaymentMethod), "billingcycle": s.BillingCycle.Name(), "nextduedate": wire.YMD(s.NextDueDate),
			"status": s.Status, "username": s.Username, "password": "", "subscriptionid": "", "promoid": "0",
			"overideautosuspend": "", "overidesuspenduntil": "0000-00-00", "ns1": "", "ns2": "", "assignedips": "", "notes": s.Notes,
			"diskusage": "0", "disklimit": "0", "bwusage": "0", "bwlimit": "0", "lastupdate": wire.ZeroTime,
			"customfields": map[string]any{"customfield": []any{}}, "configoptions": map[string]any{"configoption": []any{}}})
	}
	return wire.Reply{"clientid": orNull(f.ClientID), "serviceid": orNull(f.ServiceID), "pid": orNull(f.ProductID), "domain": orNullStr(f.Domain),
		"totalresults": strconv.FormatInt(total, 10), "startnumber": off, "numreturned": len(list),
		"products": map[string]any{"product": list}}, nil
}

// orNull is an echoed filter: its value as a string, or null when not given.
func orNull(id int64) any {
	if id == 0 {
		return nil
	}
	return wire.ID(id)
}

func orNullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// productFieldsNotHeld are UpdateClientProduct's parameters for what a hostflow service does
// not hold (its price and cycle are the order's, its product is changed by ModuleChangePackage).
var productFieldsNotHeld = []string{"pid", "regdate", "terminationdate", "firstpaymentamount", "recurringamount", "paymentmethod",
	"billingcycle", "subscriptionid", "overideautosuspend", "overidesuspenduntil", "ns1", "ns2", "dedicatedip", "assignedips",
	"diskusage", "disklimit", "bwusage", "bwlimit", "promoid", "autorecalc", "customfields", "configoptions"}

// unsettable are the fields UpdateClientProduct's unset clears in hostflow. suspendreason is
// not one: the reason goes to the panel with a suspension and is kept nowhere to clear.
var unsettable = []string{"domain", "serviceusername", "servicepassword", "notes"}

// UpdateClientProduct serves UpdateClientProduct: a status goes through the order's workflow
// as the module command that makes it true (Suspended: ModuleSuspend, Active: ModuleCreate or
// ModuleUnsuspend, Terminated: ModuleTerminate); the other fields are written directly.
func (a *Actions) UpdateClientProduct(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("serviceid", "Service ID Not Found")
	if err != nil {
		return nil, err
	}
	const why = "hostflow updates a service's status, domain, username, password, server, notes and next due date"
	if err := p.Refuse(productFieldsNotHeld, why); err != nil {
		return nil, err
	}
	var unset []string
	for _, u := range p.List("unset") {
		if u == "suspendreason" {
			return nil, wire.Fail("suspendreason cannot be unset: hostflow keeps no suspension reason, it goes to the panel with the suspension")
		}
		if !slices.Contains(unsettable, u) {
			return nil, wire.Fail(fmt.Sprintf("%s cannot be unset: %s", u, why))
		}
		unset = append(unset, u)
	}
	e := items.ServiceEdit{SuspendReason: p.Str("suspendreason"), Actor: order.WHMCSAPI,
		Domain: p.OptStr("domain", unset, "domain"), Username: p.OptStr("serviceusername", unset, "serviceusername"),
		Password: p.OptStr("servicepassword", unset, "servicepassword"), Notes: p.OptStr("notes", unset, "notes")}
	if s := p.Str("status"); s != "" {
		e.Status = serviceStatus(s)
	}
	if p.Str("serverid") != "" {
		sid, err := p.Int("serverid")
		if err != nil {
			return nil, err
		}
		e.ServerID = &sid
	}
	if e.NextDueDate, err = p.YMD("nextduedate"); err != nil {
		return nil, err
	}
	if err := a.svc.EditService(ctx, id, e); err != nil {
		return nil, wire.InWHMCSWords(err, map[string]string{
			"suspend_reason": "suspendreason is taken only with a change of status to Suspended: it goes to the panel with the suspension"})
	}
	return wire.Reply{"serviceid": wire.ID(id)}, nil // a string, as in the example answer
}

// serviceStatus matches a status as WHMCS does, without regard to case.
func serviceStatus(s string) order.Status {
	for _, st := range items.ServiceStatuses {
		if strings.EqualFold(string(st), s) {
			return st
		}
	}
	return order.Status(s)
}

// moduleActionNames are WHMCS's names of the module queue's actions.
var moduleActionNames = map[order.ItemKind]string{order.OnService: "CreateAccount", order.OnDomain: "RegisterDomain"}

// GetModuleQueue lists the failed module and registrar steps waiting for an admin's Retry or
// Skip (WaitingFor=provisioning-failed): hostflow's form of WHMCS's module queue.
func (a *Actions) GetModuleQueue(ctx context.Context, _ wire.Params) (wire.Reply, error) {
	steps, err := reads.ModuleQueue(ctx, a.svc.Pool)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for i, s := range steps {
		list = append(list, map[string]any{"id": strconv.Itoa(i + 1), "serviceType": string(s.Kind), "serviceId": wire.ID(s.ID),
			"moduleName": s.Module, "moduleAction": moduleActionNames[s.Kind], "lastAttempt": wire.Time(s.UpdatedAt),
			"lastAttemptError": s.Error, "numRetries": "0", "completed": "0", "createdAt": wire.Time(s.CreatedAt),
			"updatedAt": wire.Time(s.UpdatedAt)})
	}
	return wire.Reply{"count": strconv.Itoa(len(list)), "queue": list}, nil
}
