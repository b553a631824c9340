// Package orders serves WHMCS's order actions: AddOrder, GetOrders, GetOrderStatuses and the
// admin actions on an order (AcceptOrder, CancelOrder, FraudOrder, PendingOrder, DeleteOrder,
// OrderFraudCheck), over the core's ordering and the order's workflow.
package orders

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/whmcs/reads"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// Actions are the order actions, over the core.
type Actions struct{ svc *service.Service }

// New returns the order actions.
func New(svc *service.Service) *Actions { return &Actions{svc: svc} }

// AddOrder serves AddOrder.
func (a *Actions) AddOrder(ctx context.Context, p wire.Params) (wire.Reply, error) {
	clientID, err := p.Int("clientid")
	if err != nil {
		return nil, err
	}
	// hostflow bills every order through its invoice, which its workflow waits on; only the
	// invoice's email may be left out (noinvoiceemail).
	if p.Flag("noinvoice") {
		return nil, wire.Fail("noinvoice is not supported: hostflow bills every order through its invoice " +
			"(a price override of 0.00 makes an order free)")
	}
	affiliate, err := p.Int("affid")
	if err != nil {
		return nil, err
	}
	po := ordering.PlaceOrder{ClientID: clientID, PaymentMethod: p.Str("paymentmethod"), ClientIP: p.Str("clientip"),
		PromoCode: p.Str("promocode"), NoEmail: p.Flag("noemail"),
		NoInvoiceEmail: p.Flag("noinvoiceemail"), AffiliateID: affiliate, Actor: order.WHMCSAPI}
	pids, domains, cycles := p.List("pid"), p.List("domain"), p.List("billingcycle")
	types, periods, epps := p.List("domaintype"), p.List("regperiod"), p.List("eppcode")
	qtys, prices, domainPrices := p.List("qty"), p.List("priceoverride"), p.List("domainpriceoverride")
	hostnames, rootpws, ns1s, ns2s := p.List("hostname"), p.List("rootpw"), p.List("ns1prefix"), p.List("ns2prefix")
	dnsMgmt, emailFwd, idProt := p.List("dnsmanagement"), p.List("emailforwarding"), p.List("idprotection")
	if len(p.List("domainrenewoverride")) > 0 {
		return nil, wire.Fail("domainrenewoverride is not supported: hostflow does not invoice renewals")
	}
	var nameservers []string
	for i := 1; i <= 5; i++ {
		if ns := p.Str("nameserver" + strconv.Itoa(i)); ns != "" {
			nameservers = append(nameservers, ns)
		}
	}
	// Index i pairs pid[i] with domain[i] (the product's domain) and domaintype[i] with
	// domain[i] (a registration or transfer), as WHMCS does; both may share an index.
	var idx []int
	for i := range pids {
		idx = append(idx, i)
	}
	for i := range types {
		if _, ok := pids[i]; !ok {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	for _, i := range idx {
		if pid := pids[i]; pid != "" {
			id, err := strconv.ParseInt(pid, 10, 64)
			if err != nil {
				return nil, wire.Fail("Invalid Product ID: " + pid)
			}
			qty := 1
			if q := qtys[i]; q != "" {
				if qty, err = strconv.Atoi(q); err != nil || qty < 1 || qty > 100 {
					return nil, wire.Fail("Invalid qty: " + q)
				}
			}
			item := ordering.PlaceItem{ProductID: id, Domain: domains[i], BillingCycle: cycle(cycles[i]), PriceOverride: prices[i],
				Hostname: hostnames[i], RootPassword: rootpws[i], NS1Prefix: ns1s[i], NS2Prefix: ns2s[i]}
			for range qty { // WHMCS adds a service per unit
				po.Items = append(po.Items, item)
				if err := ordering.CheckOrderSize(len(po.Items) + len(po.Domains)); err != nil {
					return nil, err
				}
			}
		}
		if t := strings.ToLower(types[i]); t != "" {
			period := 1
			if s := periods[i]; s != "" {
				if period, err = strconv.Atoi(s); err != nil {
					return nil, wire.Fail("Invalid regperiod: " + s)
				}
			}
			po.Domains = append(po.Domains, ordering.PlaceDomain{Domain: domains[i], Type: order.DomainType(t), Period: period, EPPCode: epps[i],
				Nameservers: nameservers, PriceOverride: domainPrices[i], DNSManagement: wire.Truthy(dnsMgmt[i]),
				EmailForwarding: wire.Truthy(emailFwd[i]), IDProtection: wire.Truthy(idProt[i])})
			if err := ordering.CheckOrderSize(len(po.Items) + len(po.Domains)); err != nil {
				return nil, err
			}
		}
	}
	placed, err := a.svc.Place(ctx, po)
	if err != nil {
		return nil, wire.InWHMCSWords(err, addOrderMessages)
	}
	// Strings, as AddOrder's example answer has them.
	return wire.Reply{"orderid": wire.ID(placed.OrderID), "serviceids": wire.JoinIDs(placed.ServiceIDs), "addonids": "",
		"domainids": wire.JoinIDs(placed.DomainIDs), "invoiceid": wire.ID(placed.InvoiceID)}, nil
}

// addOrderMessages are WHMCS's words for the service's refusals of an order, by field.
var addOrderMessages = map[string]string{
	"client_id":      "Client ID Not Found",
	"payment_method": billing.ReasonInvalidPaymentMethod,
	"items":          "No items added to cart so order cannot proceed",
}

// cycle turns WHMCS's billing cycle spellings ("Semi-Annually", "One Time") into hostflow's.
func cycle(v string) order.BillingCycle {
	c := strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(v))
	if c == "" {
		return order.Monthly
	}
	return order.BillingCycle(c)
}

// GetOrders serves GetOrders.
func (a *Actions) GetOrders(ctx context.Context, p wire.Params) (wire.Reply, error) {
	off, lim, err := p.Page()
	if err != nil {
		return nil, err
	}
	id, err := p.Int("id")
	if err != nil {
		return nil, err
	}
	userID, err := p.Int("userid")
	if err != nil {
		return nil, err
	}
	// A client places its own orders: its requestor is itself.
	requestor, err := p.Int("requestor_id")
	if err != nil {
		return nil, err
	}
	if requestor != 0 && userID != 0 && requestor != userID {
		return wire.Reply{"totalresults": 0, "startnumber": off, "numreturned": 0, "orders": map[string]any{"order": []any{}}}, nil
	}
	userID = max(userID, requestor)
	// WHMCS compares the status in MySQL, without regard to case.
	status := p.Str("status")
	if status != "" {
		i := slices.IndexFunc(order.Statuses, func(st order.Status) bool { return strings.EqualFold(string(st), status) })
		if i < 0 {
			return nil, wire.Fail("Invalid status: " + status)
		}
		status = string(order.Statuses[i])
	}
	rows, total, err := reads.PageOrders(ctx, a.svc.Pool, reads.OrderPage{ID: id, ClientID: userID, Status: order.Status(status),
		Page: reads.Page{Offset: off, Limit: lim}})
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, r := range rows {
		list = append(list, orderView(r))
	}
	return wire.Reply{"totalresults": total, "startnumber": off, "numreturned": len(list), "orders": map[string]any{"order": list}}, nil
}

func orderView(r reads.ListedOrder) map[string]any {
	o, cur := r.PageOrdersRow, r.Currency
	fraudOutput := ""
	if len(o.FraudOutput) > 0 {
		fraudOutput = string(o.FraudOutput)
	}
	items := []map[string]any{}
	for _, s := range r.Services {
		items = append(items, map[string]any{"type": "product", "relid": s.ID, "producttype": s.ProductType.Name(),
			"product": s.ProductName, "domain": s.Domain, "billingcycle": s.BillingCycle.Name(),
			"amount": money.Format(s.Amount+s.SetupFee, cur), "status": s.Status})
	}
	// A domain's billing cycle is its registration period in years, as WHMCS's GetOrders gives it.
	for _, d := range r.Domains {
		items = append(items, map[string]any{"type": "domain", "relid": d.ID, "producttype": "Domain", "product": wire.RegType(d.Type),
			"domain": d.Domain, "billingcycle": strconv.Itoa(int(d.Period)), "amount": money.Format(d.Amount, cur), "status": d.Status,
			"dnsmanagement": 0, "emailforwarding": 0, "idprotection": 0})
	}
	return map[string]any{"id": o.ID, "ordernum": o.OrderNumber, "userid": o.ClientID, "contactid": 0, "requestor_id": o.ClientID,
		"admin_requestor_id": 0, "date": wire.Time(o.CreatedAt.Time), "nameservers": "", "transfersecret": "",
		"renewals": "", "renewalsByType": map[string]any{"domains": []any{}, "services": []any{}, "addons": []any{}},
		"promocode": o.PromoCode, "promotype": "", "promovalue": "", "orderdata": "[]",
		"amount": money.Format(o.Amount, cur), "paymentmethod": o.PaymentMethod, "paymentmethodname": o.PaymentMethod,
		"invoiceid": o.InvoiceID, "status": o.Status, "ipaddress": o.ClientIp, "fraudmodule": o.FraudModule,
		"fraudoutput": fraudOutput, "notes": o.Notes, "paymentstatus": o.PaymentStatus,
		"name": strings.TrimSpace(o.FirstName + " " + o.LastName), "currencyprefix": "", "currencysuffix": cur,
		"frauddata": "", "validationdata": "", "lineitems": map[string]any{"lineitem": items}}
}

// GetOrderStatuses serves GetOrderStatuses.
func (a *Actions) GetOrderStatuses(ctx context.Context, _ wire.Params) (wire.Reply, error) {
	counts, err := a.svc.OrderStatusCounts(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, st := range order.Statuses {
		list = append(list, map[string]any{"title": st, "count": counts[st]})
	}
	return wire.Reply{"totalresults": len(list), "statuses": map[string]any{"status": list}}, nil
}
