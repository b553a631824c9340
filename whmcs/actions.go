package whmcs

import (
	"context"
	"strings"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/whmcs/billing"
	"github.com/hostflow/hostflow/whmcs/catalog"
	"github.com/hostflow/hostflow/whmcs/clients"
	"github.com/hostflow/hostflow/whmcs/items"
	"github.com/hostflow/hostflow/whmcs/orders"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// action runs one API action.
type action func(ctx context.Context, p wire.Params) (wire.Reply, error)

// commands is the one table of the actions served, by WHMCS's command in lower case: the
// actions of their own, and the admin actions derived from order.Actions.
func commands(svc *service.Service, publicURL string) map[string]action {
	cl, ord, it, bill, cat := clients.New(svc), orders.New(svc), items.New(svc), billing.New(svc, publicURL), catalog.New(svc)
	actions := map[string]action{
		"addclient": cl.AddClient, "getclients": cl.GetClients, "getclientsdetails": cl.GetClientsDetails,
		"updateclient": cl.UpdateClient, "validatelogin": cl.ValidateLogin, "closeclient": cl.CloseClient,
		"getproducts": cat.GetProducts, "addorder": ord.AddOrder, "getorders": ord.GetOrders, "getorderstatuses": ord.GetOrderStatuses,
		"getinvoice": bill.GetInvoice, "getinvoices": bill.GetInvoices, "addinvoicepayment": bill.AddInvoicePayment,
		"getclientsproducts": it.GetClientsProducts, "getclientsdomains": it.GetClientsDomains, "getpaymentmethods": bill.GetPaymentMethods,
		"getcurrencies": cat.GetCurrencies, "gettransactions": bill.GetTransactions, "getservers": cat.GetServers,
		"gettldpricing": cat.GetTLDPricing, "getmodulequeue": it.GetModuleQueue, "addtransaction": bill.AddTransaction,
		"updateinvoice": bill.UpdateInvoice, "updateclientproduct": it.UpdateClientProduct, "updateclientdomain": it.UpdateClientDomain,
		"domaingetnameservers": it.DomainGetNameservers, "domainupdatenameservers": it.DomainUpdateNameservers, "domainrenew": it.DomainRenew,
		"getpromotions": bill.GetPromotions, "addcredit": bill.AddCredit, "getcredits": bill.GetCredits, "applycredit": bill.ApplyCredit,
	}
	for _, spec := range order.Actions {
		if spec.WHMCS != "" {
			actions[strings.ToLower(spec.WHMCS)] = adminAction(spec, ord, it)
		}
	}
	return actions
}

// adminAction serves the WHMCS command of an admin action.
func adminAction(spec order.Spec, ord *orders.Actions, it *items.Actions) action {
	run := ord.OrderAction
	switch {
	case spec.Action == order.ActionAccept:
		run = ord.AcceptOrder
	case spec.Action == order.ActionFraudCheck:
		run = ord.OrderFraudCheck
	case spec.On == order.OnService:
		run = it.ModuleAction
	case spec.On == order.OnDomain:
		run = it.DomainAction
	}
	return func(ctx context.Context, p wire.Params) (wire.Reply, error) { return run(ctx, spec, p) }
}
