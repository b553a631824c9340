package whmcs

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

// The read actions integrations call around an order. Ids and counters are strings where
// WHMCS's example answers have strings.

// gatewayNames are WHMCS's display names of the payment modules hostflow knows.
var gatewayNames = map[string]string{"banktransfer": "Bank Transfer", "mailin": "Mail In Payment", "paypal": "PayPal",
	"paypalcheckout": "PayPal", "stripe": "Stripe", "authorize": "Credit Card"}

func displayName(module string) string {
	if n, ok := gatewayNames[module]; ok {
		return n
	}
	return module
}

func (h *Handler) getPaymentMethods(ctx context.Context, _ params) (reply, error) {
	methods, err := h.svc.PaymentMethods(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, m := range methods {
		list = append(list, map[string]any{"module": m, "displayname": displayName(m)})
	}
	return reply{"totalresults": len(list), "paymentmethods": map[string]any{"paymentmethod": list}}, nil
}

func (h *Handler) getCurrencies(ctx context.Context, _ params) (reply, error) {
	codes, err := h.currencies(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, c := range codes {
		list = append(list, map[string]any{"id": strconv.FormatInt(c.ID, 10), "code": c.Code, "prefix": "", "suffix": " " + c.Code,
			"format": "1", "rate": "1.00000"})
	}
	return reply{"totalresults": strconv.Itoa(len(list)), "currencies": map[string]any{"currency": list}}, nil
}

// currencyList is GetCurrencies' list: the one mapping between WHMCS's currency ids and
// codes, for every action that takes or gives an id.
type currencyList []catalog.Currency

func (h *Handler) currencies(ctx context.Context) (currencyList, error) {
	codes, err := h.svc.Currencies(ctx)
	return currencyList(codes), err
}

// id is a code's WHMCS id; 0 for a code not in the list.
func (l currencyList) id(code string) int64 {
	if i := slices.IndexFunc(l, func(c catalog.Currency) bool { return c.Code == code }); i >= 0 {
		return l[i].ID
	}
	return 0
}

// code is an id's currency code, refused in WHMCS's words when there is none.
func (l currencyList) code(id int64) (string, error) {
	if i := slices.IndexFunc(l, func(c catalog.Currency) bool { return c.ID == id }); i >= 0 {
		return l[i].Code, nil
	}
	return "", fail("Currency ID Not Found")
}

// currencyByID is WHMCS's currency id as a code; "" for none (0).
func (h *Handler) currencyByID(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	codes, err := h.currencies(ctx)
	if err != nil {
		return "", err
	}
	return codes.code(id)
}

func (h *Handler) getClientsProducts(ctx context.Context, p params) (reply, error) {
	off, lim, err := p.page()
	if err != nil {
		return nil, err
	}
	var f serviceFilter
	if f.ClientID, err = p.int("clientid"); err != nil {
		return nil, err
	}
	if f.ServiceID, err = p.int("serviceid"); err != nil {
		return nil, err
	}
	if f.ProductID, err = p.int("pid"); err != nil {
		return nil, err
	}
	f.Domain, f.page = p.str("domain"), page{Offset: off, Limit: lim}
	rows, total, err := h.clientServices(ctx, f)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, s := range rows {
		server := ""
		if s.ServerID != nil {
			server = str(*s.ServerID)
		}
		// The password is never answered: it is sealed, and hostflow has no way to read it back
		// for a caller.
		list = append(list, map[string]any{"id": str(s.ID), "qty": "1", "clientid": str(s.ClientID), "orderid": str(s.OrderID),
			"ordernumber": str(s.OrderNumber), "pid": str(s.ProductID), "regdate": s.CreatedAt.Format("2006-01-02"),
			"name": s.Product, "translated_name": s.Product, "groupname": "", "translated_groupname": "", "domain": s.Domain,
			"dedicatedip": "", "serverid": server, "servername": s.ServerName, "serverip": "", "serverhostname": s.ServerHostname,
			"suspensionreason": "", "firstpaymentamount": money.Format(s.Amount+s.SetupFee, s.Currency),
			"recurringamount": money.Format(s.Amount, s.Currency), "paymentmethod": s.PaymentMethod,
			"paymentmethodname": displayName(s.PaymentMethod), "billingcycle": s.BillingCycle.Name(), "nextduedate": ymd(s.NextDueDate),
			"status": s.Status, "username": s.Username, "password": "", "subscriptionid": "", "promoid": "0",
			"overideautosuspend": "", "overidesuspenduntil": "0000-00-00", "ns1": "", "ns2": "", "assignedips": "", "notes": s.Notes,
			"diskusage": "0", "disklimit": "0", "bwusage": "0", "bwlimit": "0", "lastupdate": zeroTime,
			"customfields": map[string]any{"customfield": []any{}}, "configoptions": map[string]any{"configoption": []any{}}})
	}
	return reply{"clientid": orNull(f.ClientID), "serviceid": orNull(f.ServiceID), "pid": orNull(f.ProductID), "domain": orNullStr(f.Domain),
		"totalresults": strconv.FormatInt(total, 10), "startnumber": off, "numreturned": len(list),
		"products": map[string]any{"product": list}}, nil
}

// orNull is an echoed filter: its value as a string, or null when not given.
func orNull(id int64) any {
	if id == 0 {
		return nil
	}
	return str(id)
}

func orNullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (h *Handler) getClientsDomains(ctx context.Context, p params) (reply, error) {
	off, lim, err := p.page()
	if err != nil {
		return nil, err
	}
	var f domainFilter
	if f.ClientID, err = p.int("clientid"); err != nil {
		return nil, err
	}
	if f.DomainID, err = p.int("domainid"); err != nil {
		return nil, err
	}
	f.Domain, f.page = p.str("domain"), page{Offset: off, Limit: lim}
	rows, total, err := h.clientDomains(ctx, f)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, d := range rows {
		list = append(list, map[string]any{"id": str(d.ID), "userid": str(d.ClientID), "orderid": str(d.OrderID),
			"regtype": domainProduct[d.Type], "domainname": d.Domain, "registrar": d.Registrar, "regperiod": strconv.Itoa(int(d.Period)),
			"firstpaymentamount": money.Format(d.Amount, d.Currency), "recurringamount": money.Format(d.Amount, d.Currency),
			"paymentmethod": d.PaymentMethod, "paymentmethodname": displayName(d.PaymentMethod),
			"regdate": d.CreatedAt.Format("2006-01-02"), "expirydate": ymd(d.ExpiryDate), "nextduedate": ymd(d.NextDueDate),
			"status": d.Status, "subscriptionid": "", "promoid": "0", "dnsmanagement": flag01(d.DNSManagement),
			"emailforwarding": flag01(d.EmailForwarding), "idprotection": flag01(d.IDProtection), "donotrenew": flag01(d.DoNotRenew),
			"notes": d.Notes})
	}
	domainID := ""
	if f.DomainID != 0 {
		domainID = str(f.DomainID)
	}
	return reply{"clientid": str(f.ClientID), "domainid": domainID, "totalresults": strconv.FormatInt(total, 10),
		"startnumber": strconv.Itoa(int(off)), "numreturned": strconv.Itoa(len(list)), "domains": map[string]any{"domain": list}}, nil
}

func (h *Handler) getTransactions(ctx context.Context, p params) (reply, error) {
	var f transactionFilter
	var err error
	if f.InvoiceID, err = p.int("invoiceid"); err != nil {
		return nil, err
	}
	if f.ClientID, err = p.int("clientid"); err != nil {
		return nil, err
	}
	f.TransactionID = p.str("transid")
	rows, err := h.transactions(ctx, f)
	if err != nil {
		return nil, err
	}
	currencies, err := h.currencies(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, t := range rows {
		cur := "0" // WHMCS's currency is 0 for a client's transaction: the client's currency
		if t.ClientID == 0 {
			cur = strconv.FormatInt(currencies.id(t.Currency), 10)
		}
		list = append(list, map[string]any{"id": str(t.ID), "userid": str(t.ClientID), "currency": cur, "gateway": t.Gateway,
			"date": whmcsTime(t.Date), "description": "Invoice Payment", "amountin": money.Format(max(t.Amount, 0), t.Currency),
			"fees": "0.00", "amountout": money.Format(max(-t.Amount, 0), t.Currency), "rate": "1.00000", "transid": t.TransactionID,
			"invoiceid": str(t.InvoiceID), "refundid": "0"})
	}
	return reply{"totalresults": len(list), "startnumber": 0, "numreturned": len(list), "transactions": map[string]any{"transaction": list}}, nil
}

func (h *Handler) getServers(ctx context.Context, p params) (reply, error) {
	servers, err := h.svc.ListServers(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, s := range servers {
		if m := p.str("servicemodule"); m != "" && !strings.EqualFold(m, s.Module) {
			continue
		}
		used := 0
		if s.MaxAccounts > 0 {
			used = int(s.Accounts * 100 / int64(s.MaxAccounts))
		}
		list = append(list, map[string]any{"id": s.ID, "name": s.Name, "hostname": s.Hostname, "ipaddress": "", "active": s.Active,
			"activeServices": s.Accounts, "maxAllowedServices": s.MaxAccounts, "percentUsed": used, "module": s.Module,
			"status": map[string]any{"http": false, "load": "", "uptime": ""}})
	}
	// fetchStatus asks WHMCS to probe each server: hostflow does not, and answers as WHMCS does unasked.
	return reply{"servers": list, "fetchStatus": ""}, nil
}

func (h *Handler) getTLDPricing(ctx context.Context, p params) (reply, error) {
	id, err := p.int("currencyid")
	if err != nil {
		return nil, err
	}
	code, err := h.currencyByID(ctx, max(id, 1))
	if err != nil {
		return nil, err
	}
	tlds, err := h.svc.ListTLDs(ctx)
	if err != nil {
		return nil, err
	}
	pricing := map[string]any{}
	for _, t := range tlds {
		if t.Currency != code {
			continue
		}
		name := strings.TrimPrefix(t.TLD, ".")
		register, transfer := money.Format(t.RegisterPrice, code), money.Format(t.TransferPrice, code)
		// hostflow prices one year; a renewal costs what a registration does.
		pricing[name] = map[string]any{"tld": name, "categories": []any{}, "addons": map[string]any{"dns": false, "email": false,
			"idprotect": false}, "group": "", "register": map[string]any{"1": register}, "transfer": map[string]any{"1": transfer},
			"renew": map[string]any{"1": register}, "grace_period": nil, "redemption_period": nil}
	}
	return reply{"currency": map[string]any{"id": max(id, 1), "code": code, "prefix": "", "suffix": " " + code, "format": 1,
		"rate": "1.00000"}, "pricing": pricing}, nil
}

// moduleActionNames are WHMCS's names of the module queue's actions.
var moduleActionNames = map[order.ItemKind]string{order.OnService: "CreateAccount", order.OnDomain: "RegisterDomain"}

// getModuleQueue lists the failed module and registrar steps waiting for an admin's Retry or
// Skip (WaitingFor=provisioning-failed): hostflow's form of WHMCS's module queue.
func (h *Handler) getModuleQueue(ctx context.Context, _ params) (reply, error) {
	steps, err := h.moduleQueue(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for i, s := range steps {
		list = append(list, map[string]any{"id": strconv.Itoa(i + 1), "serviceType": string(s.Kind), "serviceId": str(s.ID),
			"moduleName": s.Module, "moduleAction": moduleActionNames[s.Kind], "lastAttempt": whmcsTime(s.UpdatedAt),
			"lastAttemptError": s.Error, "numRetries": "0", "completed": "0", "createdAt": whmcsTime(s.CreatedAt),
			"updatedAt": whmcsTime(s.UpdatedAt)})
	}
	return reply{"count": strconv.Itoa(len(list)), "queue": list}, nil
}

// ymd is a date as WHMCS answers it: Y-m-d, or MySQL's zero date for none.
func ymd(d time.Time) string {
	if d.IsZero() {
		return "0000-00-00"
	}
	return d.Format("2006-01-02")
}

// flag01 is a flag as WHMCS answers it: "1" or "0" (GetClientsDomains' example has the
// string, GetPromotions' the number: json.Number(flag01(b))).
func flag01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
