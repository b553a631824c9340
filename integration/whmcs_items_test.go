package integration

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/secrets"
)

// TestWHMCSUpdateClientProductAndDomain: UpdateClientProduct takes a service through its
// lifecycle by the order's workflow and writes its plain fields with an audit line, the
// password sealed; UpdateClientDomain writes a domain's fields; both refuse what they cannot do
// in WHMCS's envelope.
func TestWHMCSUpdateClientProductAndDomain(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	whmcs := s.whmcsAPI(t)
	placed := whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer", "pid[0]", fmt.Sprint(int64(productID)),
		"domain[0]", "edit-me.com", "billingcycle[0]", "monthly", "domaintype[0]", "register")
	require.Equal(t, "success", placed["result"], "%v", placed)
	require.Equal(t, "success", whmcs("AcceptOrder", "orderid", placed["orderid"].(string))["result"])
	sid, did := placed["serviceids"].(string), placed["domainids"].(string)
	service := func() map[string]any {
		out := whmcs("GetClientsProducts", "serviceid", sid)
		return out["products"].(map[string]any)["product"].([]any)[0].(map[string]any)
	}
	require.Equal(t, "Active", service()["status"])

	// The lifecycle, through the workflow's module commands.
	answer := whmcs("UpdateClientProduct", "serviceid", sid, "status", "suspended", "suspendreason", "Abuse")
	require.Equal(t, map[string]any{"result": "success", "serviceid": sid}, answer)
	sameAsExample(t, "updateclientproduct", answer)
	require.Equal(t, "Suspended", service()["status"])
	require.Equal(t, "success", whmcs("UpdateClientProduct", "serviceid", sid, "status", "Active")["result"])
	require.Equal(t, "Active", service()["status"])
	require.Equal(t, "success", whmcs("UpdateClientProduct", "serviceid", sid, "status", "Active")["result"], "already so")
	out := whmcs("UpdateClientProduct", "serviceid", sid, "status", "Cancelled")
	require.Equal(t, "error", out["result"])
	require.Contains(t, out["message"], "CancelOrder")

	// Plain fields: written, audited, the password sealed and never in the audit line.
	answer = whmcs("UpdateClientProduct", "serviceid", sid, "notes", "VIP client", "nextduedate", "2031-02-03",
		"serviceusername", "editme1", "servicepassword", "Upd4ted-Passw0rd", "domain", "Renamed.COM")
	require.Equal(t, "success", answer["result"], "%v", answer)
	var notes, username, domain, due string
	var sealed []byte
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT notes, username, domain, coalesce(next_due_date::text, ''), password
		FROM order_services WHERE id = $1`, sid).Scan(&notes, &username, &domain, &due, &sealed))
	require.Equal(t, []string{"VIP client", "editme1", "renamed.com", "2031-02-03"}, []string{notes, username, domain, due})
	require.NotContains(t, string(sealed), "Upd4ted-Passw0rd")
	box, err := secrets.FromBase64(s.box)
	require.NoError(t, err)
	var id int64
	fmt.Sscan(sid, &id)
	plain, err := box.OpenFor(sealed, secrets.ServicePassword(id))
	require.NoError(t, err)
	require.Equal(t, "Upd4ted-Passw0rd", plain)
	var detail string
	require.NoError(t, s.pool.QueryRow(context.Background(),
		`SELECT detail FROM order_events WHERE action = 'service-edit' ORDER BY id DESC LIMIT 1`).Scan(&detail))
	require.Contains(t, detail, "password")
	require.NotContains(t, detail, "Upd4ted")
	got := service()
	require.Equal(t, "VIP client", got["notes"])
	require.Equal(t, "2031-02-03", got["nextduedate"])
	require.Equal(t, "success", whmcs("UpdateClientProduct", "serviceid", sid, "unset[]", "notes")["result"])
	require.Equal(t, "", service()["notes"])

	// Refusals, HTTP 200 with WHMCS's words or the reason.
	require.Equal(t, map[string]any{"result": "error", "message": "Service ID Not Found"}, whmcs("UpdateClientProduct", "serviceid", "99999"))
	require.Equal(t, map[string]any{"result": "error", "message": "Service ID Not Found"}, whmcs("UpdateClientProduct"))
	refused := func(message string, kv ...string) {
		t.Helper()
		out := whmcs("UpdateClientProduct", append([]string{"serviceid", sid}, kv...)...)
		require.Equal(t, "error", out["result"], "%v", out)
		require.Contains(t, out["message"], message)
	}
	refused("recurringamount cannot be updated", "recurringamount", "1.00")
	require.Equal(t, map[string]any{"result": "error", "message": "Invalid nextduedate: use YYYY-MM-DD"},
		whmcs("UpdateClientProduct", "serviceid", sid, "nextduedate", "3 Feb 2031"))
	refused("no server 424242", "serverid", "424242")
	refused("suspendreason cannot be unset", "unset[]", "suspendreason")
	refused("suspendreason is taken only with a change of status to Suspended", "suspendreason", "Abuse")
	refused("Suspended, Terminated", "status", "Closed")

	// A field refused refuses the whole edit: the status change does not run first.
	other := whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer", "pid[0]", fmt.Sprint(int64(productID)),
		"domain[0]", "other-edit.com", "billingcycle[0]", "monthly")
	require.Equal(t, "success", other["result"], "%v", other)
	require.Equal(t, "success", whmcs("AcceptOrder", "orderid", other["orderid"].(string))["result"])
	var taken string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT username FROM order_services WHERE id = $1`,
		other["serviceids"]).Scan(&taken))
	require.NotEmpty(t, taken)
	refused("is taken on server", "status", "Suspended", "serviceusername", taken)
	require.Equal(t, "Active", service()["status"], "suspended although the edit was refused")

	// The domain.
	answer = whmcs("UpdateClientDomain", "domainid", did, "idprotection", "1", "dnsmanagement", "on", "donotrenew", "true",
		"notes", "Keep", "nextduedate", "2031-01-01", "expirydate", "2031-01-15", "ns1", " NS1.Host.Example.", "ns2", "ns2.host.example")
	require.Equal(t, map[string]any{"result": "success", "domainid": did}, answer)
	sameAsExample(t, "updateclientdomain", answer)
	dom := whmcs("GetClientsDomains", "domainid", did)["domains"].(map[string]any)["domain"].([]any)[0].(map[string]any)
	require.Equal(t, "1", dom["idprotection"])
	require.Equal(t, "1", dom["dnsmanagement"])
	require.Equal(t, "0", dom["emailforwarding"])
	require.Equal(t, "1", dom["donotrenew"])
	require.Equal(t, "Keep", dom["notes"])
	require.Equal(t, "2031-01-15", dom["expirydate"])
	require.Equal(t, "2031-01-01", dom["nextduedate"])
	var ns []string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT nameservers FROM order_domains WHERE id = $1`, did).Scan(&ns))
	require.Equal(t, []string{"ns1.host.example", "ns2.host.example"}, ns)
	require.Equal(t, map[string]any{"result": "error", "message": "Domain ID Not Found"}, whmcs("UpdateClientDomain", "domainid", "99999"))
	require.Equal(t, map[string]any{"result": "error", "message": "ns1 and ns2 required"},
		whmcs("UpdateClientDomain", "domainid", did, "updatens", "1", "ns1", "ns1.host.example"))
	out = whmcs("UpdateClientDomain", "domainid", did, "status", "Cancelled")
	require.Equal(t, "error", out["result"])
	require.Contains(t, out["message"], "follows its registrar")
	require.Equal(t, "success", whmcs("UpdateClientDomain", "domainid", did, "status", "active")["result"], "its own status")
}

// TestWHMCSDomainNameserversAndRenew runs DomainGetNameservers, DomainUpdateNameservers and
// DomainRenew against the Namecheap sandbox, through the order's workflow; a renewal is bought
// once however its answer is lost.
func TestWHMCSDomainNameserversAndRenew(t *testing.T) {
	s, sb, clientID, _ := sandboxStack(t)
	placed := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"domains": []map[string]any{{"domain": "renew-me.com", "type": "register", "period": 1}}}, 201)
	id := int64(placed["order_id"].(float64))
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))),
		map[string]any{"transaction_id": "bank-renew-1"}, 201)
	o := s.eventually(id, func(o map[string]any) bool {
		return o["domains"].([]any)[0].(map[string]any)["status"] == "Active"
	})
	did := fmt.Sprint(int64(o["domains"].([]any)[0].(map[string]any)["id"].(float64)))
	whmcs := s.whmcsAPI(t)

	answer := whmcs("DomainGetNameservers", "domainid", did)
	require.Equal(t, map[string]any{"result": "success", "ns1": "dns1.registrar-servers.com", "ns2": "dns2.registrar-servers.com"}, answer)
	sameAsExample(t, "domaingetnameservers", answer)
	answer = whmcs("DomainUpdateNameservers", "domain", "renew-me.com", "ns1", "NS1.Host.Example", "ns2", "ns2.host.example",
		"ns3", "ns3.host.example")
	require.Equal(t, map[string]any{"result": "success"}, answer)
	sameAsExample(t, "domainupdatenameservers", answer)
	require.Equal(t, []string{"ns1.host.example", "ns2.host.example", "ns3.host.example"}, sb.nc.Domains()[0].Nameservers)
	require.Equal(t, map[string]any{"result": "success", "ns1": "ns1.host.example", "ns2": "ns2.host.example", "ns3": "ns3.host.example"},
		whmcs("DomainGetNameservers", "domainid", did))
	require.Equal(t, map[string]any{"result": "error", "message": "ns1 and ns2 required"},
		whmcs("DomainUpdateNameservers", "domainid", did, "ns1", "ns1.host.example"))
	require.Equal(t, map[string]any{"result": "error", "message": "Domain ID Not Found"}, whmcs("DomainGetNameservers", "domainid", "99999"))
	require.Equal(t, map[string]any{"result": "error", "message": "Domain ID Not Found"},
		whmcs("DomainUpdateNameservers", "domain", "nowhere.com", "ns1", "a.example.net", "ns2", "b.example.net"))

	expires := func() time.Time { return sb.nc.Domains()[0].Expires }
	start := expires()
	// The reply is lost after the registrar renewed: the expiry date shows it, and nothing is
	// bought again.
	sb.nc.DropReply("namecheap.domains.renew")
	answer = whmcs("DomainRenew", "domainid", did)
	require.Equal(t, map[string]any{"result": "success"}, answer)
	sameAsExample(t, "domainrenew", answer)
	require.Equal(t, start.AddDate(1, 0, 0), expires())
	require.Equal(t, 1, sb.nc.Calls("namecheap.domains.renew"))
	// The registrar never got the call: the activity's retry finds the expiry date unmoved and
	// buys; one renewal for two years.
	sb.nc.DropCall("namecheap.domains.renew")
	require.Equal(t, map[string]any{"result": "success"}, whmcs("DomainRenew", "domainid", did, "regperiod", "2"))
	require.Equal(t, start.AddDate(3, 0, 0), expires())
	require.Equal(t, map[string]any{"result": "error", "message": "Invalid regperiod"}, whmcs("DomainRenew", "domainid", did, "regperiod", "11"))
	var expiry string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT expiry_date::text FROM order_domains WHERE id = $1`, did).Scan(&expiry))
	require.Equal(t, start.AddDate(3, 0, 0).Format("2006-01-02"), expiry)

	// The registrar refuses: its words, nothing recorded as bought.
	sb.nc.FailNext("namecheap.domains.renew", "2528166", "Insufficient funds")
	out := whmcs("DomainRenew", "domainid", did)
	require.Equal(t, "error", out["result"])
	require.Contains(t, out["message"], "Insufficient funds")
	require.Equal(t, start.AddDate(3, 0, 0), expires())
	require.Equal(t, map[string]any{"result": "error", "message": "Domain Not Found"}, whmcs("DomainRenew", "domain", "nowhere.com"))
	require.Equal(t, map[string]any{"result": "error", "message": "Domain Not Found"}, whmcs("DomainRenew"))
	var events int
	require.NoError(t, s.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM order_events WHERE order_id = $1 AND action IN ('domain-renew', 'domain-nameservers')`, id).Scan(&events))
	require.Equal(t, 3, events, "two renewals and one nameserver change")
	s.recordHistory(id, "domain-nameservers-renew")
}

// TestWHMCSPromotions: a promotion created through REST discounts an order placed through
// WHMCS's AddOrder with a line on its invoice, its use counted once; a used-up, unknown or
// expired code is refused, on both APIs.
func TestWHMCSPromotions(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	whmcs := s.whmcsAPI(t)
	promo := s.mustCall("POST", "/api/v1/promotions", map[string]any{"code": "TENOFF", "type": "percentage", "value": "10",
		"product_ids": []int64{int64(productID)}, "max_uses": 1, "recurring": true}, 201)
	require.Equal(t, "10.00", promo["value"])
	s.mustCall("POST", "/api/v1/promotions", map[string]any{"code": "tenoff", "type": "percentage", "value": "5"}, 409)
	for _, bad := range []map[string]any{
		{"code": "X1", "type": "half", "value": "5"},
		{"code": "X2", "type": "percentage", "value": "150"},
		{"code": "X3", "type": "fixed", "value": "5.00"},
		{"code": "X4", "type": "fixed", "value": "5.001", "currency": "USD"},
		{"code": "X5", "type": "percentage", "value": "5", "product_ids": []int64{987654}},
		{"code": "", "type": "percentage", "value": "5"},
		{"code": "X6", "type": "percentage", "value": "5", "expires_on": "2020-13-01"},
	} {
		status, out := s.call("POST", "/api/v1/promotions", bad)
		require.Equal(t, 422, status, "%v: %v", bad, out)
	}
	s.mustCall("POST", "/api/v1/promotions", map[string]any{"code": "OLD", "type": "fixed", "value": "2.00", "currency": "USD",
		"expires_on": "2020-01-01"}, 201)
	s.mustCall("POST", "/api/v1/promotions", map[string]any{"code": "FIVE", "type": "fixed", "value": "5.00", "currency": "USD"}, 201)

	order := func(code, domain string) map[string]any {
		return whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer", "pid[0]", fmt.Sprint(int64(productID)),
			"domain[0]", domain, "billingcycle[0]", "monthly", "domaintype[0]", "register", "promocode", code)
	}
	placed := order("tenoff", "promo-a.com")
	require.Equal(t, "success", placed["result"], "%v", placed)
	inv := whmcs("GetInvoice", "invoiceid", placed["invoiceid"].(string))
	// 9.99 monthly + 5.00 setup of the product (not the 12.00 domain): 10% is 1.499, rounded 1.50.
	require.Equal(t, "25.49", inv["total"], "%v", inv)
	items := inv["items"].(map[string]any)["item"].([]any)
	last := items[len(items)-1].(map[string]any)
	require.Equal(t, "PromoHosting", last["type"])
	require.Equal(t, "-1.50", last["amount"])
	require.Equal(t, "Promotional Code: TENOFF - 10% Discount", last["description"])
	promos := whmcs("GetPromotions", "code", "TENOFF")
	require.EqualValues(t, 1, promos["totalresults"])
	got := promos["promotions"].(map[string]any)["promotion"].([]any)[0].(map[string]any)
	require.EqualValues(t, 1, got["uses"])
	require.EqualValues(t, 1, got["maxuses"])
	require.Equal(t, "Percentage", got["type"])
	require.Equal(t, fmt.Sprint(int64(productID)), got["appliesto"])
	sameAsExample(t, "getpromotions", promos)
	orders := whmcs("GetOrders", "id", placed["orderid"].(string))["orders"].(map[string]any)["order"].([]any)
	require.Equal(t, "25.49", orders[0].(map[string]any)["amount"])
	require.Equal(t, "TENOFF", strings.ToUpper(orders[0].(map[string]any)["promocode"].(string)))

	require.Equal(t, map[string]any{"result": "error", "message": "The promotion code entered has been used the maximum number of times"},
		order("TENOFF", "promo-b.com"))
	require.Equal(t, map[string]any{"result": "error", "message": "The promotion code entered does not exist"}, order("NOPE", "promo-b.com"))
	require.Equal(t, map[string]any{"result": "error", "message": "The promotion code entered has expired"}, order("OLD", "promo-b.com"))
	status, out := s.call("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"promo_code": "TENOFF", "items": []map[string]any{{"product_id": productID, "billing_cycle": "monthly"}}})
	require.Equal(t, 422, status, "%v", out)
	require.Contains(t, fmt.Sprint(out), "maximum number of times")

	// A fixed amount, once per item it applies to (all of them), never more than the item.
	placed = order("FIVE", "promo-c.com")
	require.Equal(t, "success", placed["result"], "%v", placed)
	inv = whmcs("GetInvoice", "invoiceid", placed["invoiceid"].(string))
	require.Equal(t, "16.99", inv["total"], "26.99 less 5.00 on the product and 5.00 on the domain")
	list := s.mustCall("GET", "/api/v1/promotions?code=five", nil, 200)["promotions"].([]any)
	require.Len(t, list, 1)
	require.EqualValues(t, 1, list[0].(map[string]any)["uses"])

	// Two orders at once for a code with one use left: one gets it, the other is refused, and
	// the use is counted once. The one that got it costs nothing, so its invoice is paid at
	// once and the order goes on to the admin's review instead of waiting for a payment.
	s.mustCall("POST", "/api/v1/promotions", map[string]any{"code": "FREE", "type": "percentage", "value": "100", "max_uses": 1}, 201)
	results := make(chan map[string]any, 2)
	for i := range 2 {
		go func() { results <- order("FREE", fmt.Sprintf("free-%d.com", i)) }()
	}
	var won []map[string]any
	for range 2 {
		r := <-results
		if r["result"] == "success" {
			won = append(won, r)
		} else {
			require.Equal(t, "The promotion code entered has been used the maximum number of times", r["message"], "%v", r)
		}
	}
	require.Len(t, won, 1, "exactly one order gets the last use")
	list = s.mustCall("GET", "/api/v1/promotions?code=FREE", nil, 200)["promotions"].([]any)
	require.EqualValues(t, 1, list[0].(map[string]any)["uses"])
	inv = whmcs("GetInvoice", "invoiceid", won[0]["invoiceid"].(string))
	require.Equal(t, "0.00", inv["total"])
	require.Equal(t, "Paid", inv["status"])
	id, err := strconv.ParseInt(won[0]["orderid"].(string), 10, 64)
	require.NoError(t, err)
	s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
}

// TestWHMCSAddOrderFields: AddOrder's quantities, price overrides and server and domain
// fields are honoured and stored, the root password sealed to its row.
func TestWHMCSAddOrderFields(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	whmcs := s.whmcsAPI(t)
	placed := whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer", "affid", "7",
		"pid[0]", fmt.Sprint(int64(productID)), "domain[0]", "vps-fields.com", "qty[0]", "2", "priceoverride[0]", "1.50",
		"hostname[0]", "VPS1.Example.NET",
		"rootpw[0]", "R00t-Secret!", "ns1prefix[0]", "ns1", "ns2prefix[0]", "ns2", "noinvoiceemail", "1",
		"domain[1]", "fields.com", "domaintype[1]", "register", "domainpriceoverride[1]", "3.00", "idprotection[1]", "on",
		"dnsmanagement[1]", "1")
	require.Equal(t, "success", placed["result"], "%v", placed)
	services := strings.Split(placed["serviceids"].(string), ",")
	require.Len(t, services, 2, "a service per unit of qty")
	tooMany := whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer",
		"pid[0]", fmt.Sprint(int64(productID)), "qty[0]", "100", "pid[1]", fmt.Sprint(int64(productID)), "qty[1]", "100")
	require.Equal(t, map[string]any{"result": "error", "message": "items: at most 100 items in one order"}, tooMany)
	inv := whmcs("GetInvoice", "invoiceid", placed["invoiceid"].(string))
	require.Equal(t, "16.00", inv["total"], "2 x (1.50 + 5.00 setup) + 3.00")

	box, err := secrets.FromBase64(s.box)
	require.NoError(t, err)
	for _, sid := range services {
		var id int64
		var host, ns1, ns2 string
		var root []byte
		require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT id, hostname, ns1_prefix, ns2_prefix, root_password
			FROM order_services WHERE id = $1`, sid).Scan(&id, &host, &ns1, &ns2, &root))
		require.Equal(t, []string{"vps1.example.net", "ns1", "ns2"}, []string{host, ns1, ns2})
		require.NotContains(t, string(root), "R00t-Secret!")
		plain, err := box.OpenFor(root, secrets.Row("order_services", "root_password", id))
		require.NoError(t, err)
		require.Equal(t, "R00t-Secret!", plain)
	}
	dom := whmcs("GetClientsDomains", "domainid", placed["domainids"].(string))["domains"].(map[string]any)["domain"].([]any)[0].(map[string]any)
	require.Equal(t, []any{"1", "1", "0"}, []any{dom["idprotection"], dom["dnsmanagement"], dom["emailforwarding"]})
	var affiliate int64
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT affiliate_id FROM orders WHERE id = $1`, placed["orderid"]).Scan(&affiliate))
	require.EqualValues(t, 7, affiliate)

	stats := whmcs("GetClientsDetails", "clientid", fmt.Sprint(int64(clientID)))["stats"].(map[string]any)
	require.EqualValues(t, 1, stats["numunpaidinvoices"])
	require.Equal(t, "16.00 USD", stats["unpaidinvoicesamount"])
	require.EqualValues(t, 2, stats["productsnumhosting"])
	require.EqualValues(t, 0, stats["productsnumactivehosting"])
	require.EqualValues(t, 2, stats["productsnumtotal"])
	require.EqualValues(t, 1, stats["numdomains"])

	out := whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer", "pid[0]", fmt.Sprint(int64(productID)),
		"noinvoice", "true")
	require.Equal(t, "error", out["result"])
	require.Contains(t, out["message"], "noinvoice is not supported")
	out = whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer", "pid[0]", fmt.Sprint(int64(productID)),
		"domain[0]", "cheap-override.com", "priceoverride[0]", "cheap")
	require.Equal(t, "error", out["result"])
	require.Contains(t, out["message"], "price_override")
	// A hosting product a panel module creates needs its domain, as on every adapter.
	out = whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer", "pid[0]", fmt.Sprint(int64(productID)))
	require.Equal(t, "error", out["result"])
	require.Contains(t, out["message"], "Basic needs a domain")
}
