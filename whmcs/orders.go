package whmcs

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

func (h *Handler) addOrder(ctx context.Context, p params) (reply, error) {
	clientID, err := p.int("clientid")
	if err != nil {
		return nil, err
	}
	// hostflow bills every order through its invoice, which its workflow waits on; WHMCS's
	// Invoice Created email has no counterpart, so noinvoiceemail has nothing to suppress.
	if p.flag("noinvoice") {
		return nil, fail("noinvoice is not supported: hostflow bills every order through its invoice " +
			"(a price override of 0.00 makes an order free)")
	}
	affiliate, err := p.int("affid")
	if err != nil {
		return nil, err
	}
	po := ordering.PlaceOrder{ClientID: clientID, PaymentMethod: p.str("paymentmethod"), ClientIP: p.str("clientip"),
		PromoCode: p.str("promocode"), NoEmail: p.flag("noemail"), AffiliateID: affiliate, Actor: order.WHMCSAPI}
	pids, domains, cycles := p.list("pid"), p.list("domain"), p.list("billingcycle")
	types, periods, epps := p.list("domaintype"), p.list("regperiod"), p.list("eppcode")
	qtys, prices, domainPrices := p.list("qty"), p.list("priceoverride"), p.list("domainpriceoverride")
	hostnames, rootpws, ns1s, ns2s := p.list("hostname"), p.list("rootpw"), p.list("ns1prefix"), p.list("ns2prefix")
	dnsMgmt, emailFwd, idProt := p.list("dnsmanagement"), p.list("emailforwarding"), p.list("idprotection")
	if len(p.list("domainrenewoverride")) > 0 {
		return nil, fail("domainrenewoverride is not supported: hostflow does not invoice renewals")
	}
	var nameservers []string
	for i := 1; i <= 5; i++ {
		if ns := p.str("nameserver" + strconv.Itoa(i)); ns != "" {
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
				return nil, fail("Invalid Product ID: " + pid)
			}
			qty := 1
			if q := qtys[i]; q != "" {
				if qty, err = strconv.Atoi(q); err != nil || qty < 1 || qty > 100 {
					return nil, fail("Invalid qty: " + q)
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
					return nil, fail("Invalid regperiod: " + s)
				}
			}
			po.Domains = append(po.Domains, ordering.PlaceDomain{Domain: domains[i], Type: order.DomainType(t), Period: period, EPPCode: epps[i],
				Nameservers: nameservers, PriceOverride: domainPrices[i], DNSManagement: truthy(dnsMgmt[i]),
				EmailForwarding: truthy(emailFwd[i]), IDProtection: truthy(idProt[i])})
			if err := ordering.CheckOrderSize(len(po.Items) + len(po.Domains)); err != nil {
				return nil, err
			}
		}
	}
	placed, err := h.svc.Place(ctx, po)
	if err != nil {
		return nil, inWHMCSWords(err, addOrderMessages)
	}
	// Strings, as AddOrder's example answer has them.
	return reply{"orderid": str(placed.OrderID), "serviceids": joinIDs(placed.ServiceIDs), "addonids": "",
		"domainids": joinIDs(placed.DomainIDs), "invoiceid": str(placed.InvoiceID)}, nil
}

// truthy reads a flag of a form array as PHP sends it: true, 1, on, yes.
func truthy(s string) bool {
	s = strings.ToLower(s)
	return s == "true" || s == "1" || s == "on" || s == "yes"
}

// addOrderMessages are WHMCS's words for the service's refusals of an order, by field.
var addOrderMessages = map[string]string{
	"client_id":      "Client ID Not Found",
	"payment_method": billing.ReasonInvalidPaymentMethod,
	"items":          "No items added to cart so order cannot proceed",
}

// inWHMCSWords says a service refusal as WHMCS says it, where WHMCS has its own words for the
// field; the rule itself stays in the service. A refusal the service already says in those
// words, with more after them ("Invalid Payment Method. Valid options include ..."), is kept.
func inWHMCSWords(err error, messages map[string]string) error {
	var se *fault.Error
	if errors.As(err, &se) && se.Kind == fault.Invalid {
		if msg, ok := messages[se.Field]; ok {
			if strings.HasPrefix(se.Message, msg) {
				return fail(se.Message)
			}
			return fail(msg)
		}
	}
	return err
}

// cycle turns WHMCS's billing cycle spellings ("Semi-Annually", "One Time") into hostflow's.
func cycle(v string) order.BillingCycle {
	c := strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(v))
	if c == "" {
		return order.Monthly
	}
	return order.BillingCycle(c)
}

func str(id int64) string { return strconv.FormatInt(id, 10) }

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func (h *Handler) getOrders(ctx context.Context, p params) (reply, error) {
	off, lim, err := p.page()
	if err != nil {
		return nil, err
	}
	id, err := p.int("id")
	if err != nil {
		return nil, err
	}
	userID, err := p.int("userid")
	if err != nil {
		return nil, err
	}
	// A client places its own orders: its requestor is itself.
	requestor, err := p.int("requestor_id")
	if err != nil {
		return nil, err
	}
	if requestor != 0 && userID != 0 && requestor != userID {
		return reply{"totalresults": 0, "startnumber": off, "numreturned": 0, "orders": map[string]any{"order": []any{}}}, nil
	}
	userID = max(userID, requestor)
	// WHMCS compares the status in MySQL, without regard to case.
	status := p.str("status")
	if status != "" {
		i := slices.IndexFunc(order.Statuses, func(st order.Status) bool { return strings.EqualFold(string(st), status) })
		if i < 0 {
			return nil, fail("Invalid status: " + status)
		}
		status = string(order.Statuses[i])
	}
	rows, total, err := h.pageOrders(ctx, orderPage{ID: id, ClientID: userID, Status: order.Status(status),
		page: page{Offset: off, Limit: lim}})
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, r := range rows {
		list = append(list, orderView(r))
	}
	return reply{"totalresults": total, "startnumber": off, "numreturned": len(list), "orders": map[string]any{"order": list}}, nil
}

func orderView(r listedOrder) map[string]any {
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
		items = append(items, map[string]any{"type": "domain", "relid": d.ID, "producttype": "Domain", "product": domainProduct[d.Type],
			"domain": d.Domain, "billingcycle": strconv.Itoa(int(d.Period)), "amount": money.Format(d.Amount, cur), "status": d.Status,
			"dnsmanagement": 0, "emailforwarding": 0, "idprotection": 0})
	}
	return map[string]any{"id": o.ID, "ordernum": o.OrderNumber, "userid": o.ClientID, "contactid": 0, "requestor_id": o.ClientID,
		"admin_requestor_id": 0, "date": whmcsTime(o.CreatedAt.Time), "nameservers": "", "transfersecret": "",
		"renewals": "", "renewalsByType": map[string]any{"domains": []any{}, "services": []any{}, "addons": []any{}},
		"promocode": o.PromoCode, "promotype": "", "promovalue": "", "orderdata": "[]",
		"amount": money.Format(o.Amount, cur), "paymentmethod": o.PaymentMethod, "paymentmethodname": o.PaymentMethod,
		"invoiceid": o.InvoiceID, "status": o.Status, "ipaddress": o.ClientIp, "fraudmodule": o.FraudModule,
		"fraudoutput": fraudOutput, "notes": o.Notes, "paymentstatus": o.PaymentStatus,
		"name": strings.TrimSpace(o.FirstName + " " + o.LastName), "currencyprefix": "", "currencysuffix": cur,
		"frauddata": "", "validationdata": "", "lineitems": map[string]any{"lineitem": items}}
}

// domainProduct is how GetOrders names a domain item.
var domainProduct = map[order.DomainType]string{order.DomainRegister: "Register", order.DomainTransfer: "Transfer"}

func (h *Handler) getOrderStatuses(ctx context.Context, _ params) (reply, error) {
	counts, err := h.svc.OrderStatusCounts(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, st := range order.Statuses {
		list = append(list, map[string]any{"title": st, "count": counts[st]})
	}
	return reply{"totalresults": len(list), "statuses": map[string]any{"status": list}}, nil
}

func (h *Handler) acceptOrder(ctx context.Context, spec order.Spec, p params) (reply, error) {
	id, err := p.required("orderid", spec.WHMCSNotFound)
	if err != nil {
		return nil, err
	}
	serverID, err := p.int("serverid")
	if err != nil {
		return nil, err
	}
	req, err := h.svc.AcceptRequest(ctx, id, order.WHMCSAPI, ordering.Accept{ServerID: serverID, Username: p.str("serviceusername"),
		Password: p.str("servicepassword"), RunModuleCreate: p.bool("autosetup"), SendWelcomeEmail: p.bool("sendemail"),
		Registrar: p.str("registrar"), SendToRegistrar: p.bool("sendregistrar")})
	if err != nil {
		return nil, notFoundAs(err, spec)
	}
	res, err := h.svc.Act(ctx, id, spec.Action, req, "")
	if err != nil {
		return nil, notFoundAs(err, spec)
	}
	// A module or registrar step failed and the order stayed Pending: WHMCS answers with the
	// module's message.
	if res.Status == order.Pending {
		for _, f := range res.Failures {
			if f.Error != "" {
				return nil, fail(f.Error)
			}
		}
	}
	return nil, nil
}

// notFoundAs says an order the service cannot find in the command's own words: WHMCS's texts
// differ from one command to the next ("Order ID Not Found", "Order ID not found").
func notFoundAs(err error, spec order.Spec) error {
	if spec.WHMCSNotFound == "" {
		return err
	}
	return inNotFoundWords(err, spec.WHMCSNotFound)
}

// orderAction serves the other order commands: CancelOrder, FraudOrder, PendingOrder and
// DeleteOrder. cancelsub and noemail are accepted: there are no gateway subscriptions to
// cancel, and a cancel sends no email.
func (h *Handler) orderAction(ctx context.Context, spec order.Spec, p params) (reply, error) {
	_, err := h.act(ctx, spec, p)
	// FraudOrder on a Fraud order and PendingOrder on a Pending order set the status WHMCS's
	// way: again, successfully, with nothing to change.
	var se *fault.Error
	if errors.As(err, &se) && se.Kind == fault.Conflict && spec.To != "" && se.Message == order.ReasonAlready(spec.To) {
		return nil, nil
	}
	return nil, err
}

// act runs spec on the order named by orderid, and says which order that was.
func (h *Handler) act(ctx context.Context, spec order.Spec, p params) (int64, error) {
	return h.actWith(ctx, spec, p, order.ActionRequest{Actor: order.WHMCSAPI})
}

func (h *Handler) actWith(ctx context.Context, spec order.Spec, p params, req order.ActionRequest) (int64, error) {
	id, err := p.required("orderid", spec.WHMCSNotFound)
	if err != nil {
		return 0, err
	}
	_, err = h.svc.Act(ctx, id, spec.Action, req, "")
	return id, notFoundAs(err, spec)
}

// orderFraudCheck runs the fraud check again and answers with its result, as WHMCS's
// OrderFraudCheck does.
func (h *Handler) orderFraudCheck(ctx context.Context, spec order.Spec, p params) (reply, error) {
	req, err := h.svc.FraudCheckRequest(order.WHMCSAPI, p.str("ipaddress"))
	if err != nil {
		return nil, err
	}
	id, err := h.actWith(ctx, spec, p, req)
	if err != nil {
		return nil, err
	}
	d, err := h.svc.GetOrder(ctx, id)
	if err != nil {
		return nil, notFoundAs(err, spec)
	}
	// The check ran with the worker's fraud module; "none" is the one that passes every order.
	if m := d.Order.FraudModule; m == "" || m == "none" {
		return nil, fail("No Active Fraud Module")
	}
	status := "Pass"
	if d.Order.Status == order.Fraud {
		status = "Fail"
	} else if d.Order.WaitingFor == order.WaitingFraudReview {
		status = "Review"
	}
	return reply{"status": status, "module": d.Order.FraudModule, "results": string(d.Order.FraudOutput)}, nil
}
