package integration

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/secrets"
)

// badRequest is one malformed request of the corpus: what it sends, and the refusal it gets.
type badRequest struct {
	name         string
	method, path string
	header       map[string]string
	body         any // a string is sent as it is; anything else as JSON
	status       int
	field        string // the field the refusal names, if one
}

func (s *stack) send(b badRequest) (int, map[string]any) {
	s.t.Helper()
	raw, ok := b.body.(string)
	if !ok && b.body != nil {
		j, err := json.Marshal(b.body)
		require.NoError(s.t, err)
		raw = string(j)
	}
	req, err := http.NewRequest(b.method, s.api.URL+b.path, strings.NewReader(raw))
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.key)
	for k, v := range b.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(body, &out)
	return resp.StatusCode, out
}

// TestCorpusOfBadInput throws malformed requests at every adapter: each is refused with a clear
// 4xx naming what is wrong, before anything starts, and leaves no order, no row and no workflow
// behind.
func TestCorpusOfBadInput(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("payment")
	order := func(mut func(m map[string]any)) map[string]any {
		m := hostingOrder(clientID, productID, "fine.com")
		mut(m)
		return m
	}
	set := func(k string, v any) map[string]any { return order(func(m map[string]any) { m[k] = v }) }
	domains := func(d ...map[string]any) map[string]any { return set("domains", d) }

	// One real order, to act on.
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "real.com"), 201)
	id := int64(placed["order_id"].(float64))
	invoice := fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64)))
	refunds := fmt.Sprintf("/api/v1/invoices/%d/refunds", int64(placed["invoice_id"].(float64)))
	accept := fmt.Sprintf("/api/v1/orders/%d/accept", id)
	otherServer := s.mustCall("POST", "/api/v1/servers", map[string]any{"name": "plesk1", "module": "none", "hostname": "p.example.net",
		"username": "root", "credentials": "x", "max_accounts": 10}, 201)
	idle := s.mustCall("POST", "/api/v1/servers", map[string]any{"name": "old", "module": "fakepanel", "hostname": "old.example.net",
		"username": "root", "credentials": "x", "max_accounts": 10, "active": false}, 201)
	client := func(k, v string) map[string]any {
		m := map[string]any{"first_name": "Eve", "last_name": "E", "email": "eve@example.com", "country": "GB"}
		m[k] = v
		return m
	}
	const orders = "/api/v1/orders"
	for _, b := range []badRequest{
		// JSON itself.
		{"malformed JSON", "POST", orders, nil, `{"client_id":`, 400, ""},
		{"wrong type", "POST", orders, nil, `{"client_id":"one"}`, 400, "client_id"},
		{"unknown field", "POST", orders, nil, `{"client_id":1,"colour":"red"}`, 400, "colour"},
		{"empty body", "POST", orders, nil, "", 400, ""},
		{"trailing data", "POST", orders, nil, `{"client_id":1} {}`, 400, ""},
		{"oversize body", "POST", orders, nil, `{"notes":"` + strings.Repeat("a", 2<<20) + `"}`, 413, ""},
		// What points nowhere.
		{"unknown client", "POST", orders, nil, set("client_id", 999999), 422, "client_id"},
		{"unknown product", "POST", orders, nil, set("items", []map[string]any{{"product_id": 999999}}), 422, "items[0].product_id"},
		{"not a domain", "POST", orders, nil, domains(map[string]any{"domain": "no domain!"}), 422, "domains[0].domain"},
		{"unsold TLD", "POST", orders, nil, domains(map[string]any{"domain": "example.zz"}), 422, "domains[0].domain"},
		{"transfer without EPP", "POST", orders, nil, domains(map[string]any{"domain": "a.com", "type": "transfer"}), 422, "domains[0].epp_code"},
		{"bad period", "POST", orders, nil, domains(map[string]any{"domain": "a.com", "period": 11}), 422, "domains[0].period"},
		{"bad ip", "POST", orders, nil, set("client_ip", "300.1.1.1"), 422, "client_ip"},
		{"negative affiliate", "POST", orders, nil, set("affiliate_id", -1), 422, "affiliate_id"},
		{"no cycle price", "POST", orders, nil, set("items", []map[string]any{{"product_id": productID, "billing_cycle": "annually", "domain": "cycle-price.com"}}), 422, "items[0].billing_cycle"},
		{"empty order", "POST", orders, nil, order(func(m map[string]any) { delete(m, "items"); delete(m, "domains") }), 422, "items"},
		{"a domain another order holds", "POST", orders, nil, hostingOrder(clientID, productID, "real.com"), 422, "domains[0].domain"},
		// Text the stores cannot hold.
		{"NUL in payment_method", "POST", orders, nil, set("payment_method", "bank\x00transfer"), 422, "payment_method"},
		{"NUL in notes", "POST", orders, nil, set("notes", "call me\x00"), 422, "notes"},
		{"NUL in promo_code", "POST", orders, nil, set("promo_code", "\x00"), 422, "promo_code"},
		{"invalid UTF-8 in the body", "POST", orders, nil, `{"client_id":1,"payment_method":"x","notes":"` + "\xff\xfe" + `"}`, 400, ""},
		{"escape in promo_code", "POST", orders, nil, set("promo_code", "SPRING\x1b[0m"), 422, "promo_code"},
		{"newline in payment_method", "POST", orders, nil, set("payment_method", "bank\ntransfer"), 422, "payment_method"},
		{"long payment_method", "POST", orders, nil, set("payment_method", strings.Repeat("p", 256)), 422, "payment_method"},
		{"long notes", "POST", orders, nil, set("notes", strings.Repeat("n", 10_001)), 422, "notes"},
		{"NUL in a nameserver", "POST", orders, nil, domains(map[string]any{"domain": "b.com", "nameservers": []string{"ns1.b.com\x00"}}), 422, "domains[0].nameservers[0]"},
		{"CR/LF in a client's name", "POST", "/api/v1/clients", nil, client("first_name", "Eve\r\nBcc: all@example.com"), 422, "first_name"},
		{"CR/LF in a client's email", "POST", "/api/v1/clients", nil, client("email", "eve@example.com\r\nBcc: all@example.com"), 422, "email"},
		{"NUL in a company", "POST", "/api/v1/clients", nil, client("company_name", "Acme\x00"), 422, "company_name"},
		{"NUL in a transaction id", "POST", invoice, nil, map[string]any{"transaction_id": "tx\x00"}, 422, "transaction_id"},
		{"NUL in a product name", "POST", "/api/v1/products", nil, map[string]any{"name": "Basic\x00", "type": "other"}, 422, "name"},
		// Headers.
		{"long Idempotency-Key", "POST", orders, map[string]string{"Idempotency-Key": strings.Repeat("k", 256)}, set("notes", "x"), 400, "Idempotency-Key"},
		{"Idempotency-Key with a space", "POST", orders, map[string]string{"Idempotency-Key": "my key"}, set("notes", "x"), 400, "Idempotency-Key"},
		// Query parameters.
		{"injected status", "GET", orders + "?status=pending';--", nil, nil, 400, "status"},
		{"unknown filter", "GET", orders + "?ip=1.2.3.4", nil, nil, 400, "ip"},
		{"limit not a number", "GET", orders + "?limit=abc", nil, nil, 400, "limit"},
		{"limit too big", "GET", orders + "?limit=100000", nil, nil, 400, "limit"},
		{"query on an order", "GET", fmt.Sprintf("%s/%d?expand=all", orders, id), nil, nil, 400, "expand"},
		{"query on a list without filters", "GET", "/api/v1/products?type=other", nil, nil, 400, "type"},
		{"query on an action", "POST", accept + "?force=1", nil, nil, 400, "force"},
		// Ids and servers.
		{"id not a number", "POST", "/api/v1/orders/abc/accept", nil, nil, 400, "id"},
		{"unknown server", "POST", accept, nil, map[string]any{"server_id": 999999}, 422, "server_id"},
		{"server of another module", "POST", accept, nil, map[string]any{"server_id": otherServer["id"]}, 422, "server_id"},
		{"inactive server", "POST", accept, nil, map[string]any{"server_id": idle["id"]}, 422, "server_id"},
		{"negative payment", "POST", invoice, nil, map[string]any{"transaction_id": "neg", "amount": "-5"}, 422, "amount"},
		{"payment not a number", "POST", invoice, nil, map[string]any{"transaction_id": "nan", "amount": "abc"}, 422, "amount"},
		{"refund of nothing paid", "POST", refunds, nil, map[string]any{"transaction_id": "r0", "method": "manual"}, 422, "transaction_id"},
		{"refund without an id", "POST", refunds, nil, map[string]any{"amount": "1.00", "method": "manual"}, 422, "transaction_id"},
		{"refund without a method", "POST", refunds, nil, map[string]any{"transaction_id": "r0"}, 422, "method"},
		{"refund by an unknown method", "POST", refunds, nil, map[string]any{"transaction_id": "r0", "method": "cash"}, 422, "method"},
		{"refund of the old shape", "POST", refunds, nil, map[string]any{"transaction_id": "r0", "gateway": "banktransfer"}, 400, "gateway"},
	} {
		t.Run(b.name, func(t *testing.T) {
			status, out := s.send(b)
			require.Equal(t, b.status, status, "%v", out)
			require.NotEmpty(t, out["error"])
			if b.field != "" {
				require.Equal(t, b.field, out["field"], "%v", out)
			}
		})
	}

	// An Idempotency-Key sent again with another order.
	key := map[string]string{"Idempotency-Key": "corpus-1"}
	status, out := s.send(badRequest{method: "POST", path: orders, header: key, body: hostingOrder(clientID, productID, "keyed.com")})
	require.Equal(t, 201, status, "%v", out)
	status, out = s.send(badRequest{method: "POST", path: orders, header: key, body: hostingOrder(clientID, productID, "other.com")})
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "Idempotency-Key", out["field"])

	// The request's fingerprint is keyed: the body holds secrets (a root password here), and a
	// plain hash of it would let a database dump test guesses of them. A fingerprint stored
	// before it was keyed (the body's plain SHA-256) still recognises its retry.
	hosting := func(item map[string]any) map[string]any {
		item["product_id"], item["domain"], item["billing_cycle"] = productID, "secret.com", "monthly"
		return map[string]any{"client_id": clientID, "payment_method": "banktransfer", "items": []map[string]any{item}}
	}
	withSecret := hosting(map[string]any{"root_password": "R00t-Secret!"})
	key = map[string]string{"Idempotency-Key": "corpus-2"}
	status, out = s.send(badRequest{method: "POST", path: orders, header: key, body: withSecret})
	require.Equal(t, 201, status, "%v", out)
	raw, err := json.Marshal(withSecret)
	require.NoError(t, err)
	var asPlaced ordering.PlaceOrder
	require.NoError(t, json.Unmarshal(raw, &asPlaced))
	body, err := json.Marshal(asPlaced) // the body as the service reads it
	require.NoError(t, err)
	var stored []byte
	require.NoError(t, s.pool.QueryRow(t.Context(), "SELECT request_hash FROM order_requests WHERE idempotency_key = 'corpus-2'").Scan(&stored))
	plain := sha256.Sum256(body)
	require.NotEqual(t, plain[:], stored, "the fingerprint is the body's plain SHA-256")
	box, err := secrets.FromBase64(s.box)
	require.NoError(t, err)
	require.True(t, box.MatchesMAC(stored, "order request", body))
	_, err = s.pool.Exec(t.Context(), "UPDATE order_requests SET request_hash = $1 WHERE idempotency_key = 'corpus-2'", plain[:])
	require.NoError(t, err)
	status, again := s.send(badRequest{method: "POST", path: orders, header: key, body: withSecret})
	require.Equal(t, 201, status, "%v", again)
	require.Equal(t, out["order_id"], again["order_id"], "the retry of an order fingerprinted before reaches it")
	status, again = s.send(badRequest{method: "POST", path: orders, header: key, body: hosting(map[string]any{"root_password": "An0ther!"})})
	require.Equal(t, 422, status, "%v", again)
	require.Equal(t, "Idempotency-Key", again["field"])

	// Nothing was left behind: three orders, three workflows, the first still Pending as it was.
	require.Equal(t, 3, s.count("SELECT count(*) FROM orders"))
	require.Equal(t, 1, s.count("SELECT count(*) FROM clients"), "no client was written")
	require.Zero(t, s.count("SELECT count(*) FROM transactions"))
	running := fmt.Sprintf("WorkflowId STARTS_WITH '%s' AND ExecutionStatus = 'Running'", strings.TrimSuffix(s.workflowID(0), "0"))
	require.Eventually(t, func() bool {
		resp, err := s.tc.ListWorkflow(t.Context(), &workflowservice.ListWorkflowExecutionsRequest{Query: running})
		return err == nil && len(resp.Executions) == 3
	}, 10*time.Second, 100*time.Millisecond, "only the three orders' workflows run")
	require.Equal(t, "Pending", s.mustCall("GET", fmt.Sprintf("%s/%d", orders, id), nil, 200)["status"])

	// The same rule on the WHMCS API and on a gateway's callback.
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	addOrder := func(field, value string) map[string]any {
		form := url.Values{"action": {"AddOrder"}, "identifier": {cred["identifier"].(string)}, "secret": {cred["secret"].(string)},
			"clientid": {fmt.Sprint(int64(clientID))}, "paymentmethod": {"banktransfer"}, "pid": {fmt.Sprint(int64(productID))}}
		form.Set(field, value)
		_, out := whmcsPost(t, s.api.URL, form)
		require.Equal(t, "error", out["result"], "%v", out)
		return out
	}
	require.Equal(t, "Invalid Payment Method", addOrder("paymentmethod", "bank\x00transfer")["message"], "in WHMCS's words")
	require.Equal(t, "promo_code: contains a NUL byte", addOrder("promocode", "\x00")["message"])
	require.Equal(t, `Invalid value for affid: "-1" is not a whole number`, addOrder("affid", "-1")["message"])
	const secret = "corpus-gateway-secret-0123456789"
	s.mustCall("PUT", "/api/v1/gateways/acme", map[string]any{"secret": secret}, 200)
	hook := genericBody(int64(placed["invoice_id"].(float64)), "T\x00X", "1.00", "paid")
	status, out = s.post(s.api.URL, "/webhooks/gateway/acme", hook, genericHeader(secret, hook, time.Now()))
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "id", out["field"], "the event id, which is the transaction id here")
	require.Equal(t, 3, s.count("SELECT count(*) FROM orders"))
	require.Zero(t, s.count("SELECT count(*) FROM transactions"))

	// Pointing nowhere, and without a key.
	status, out = s.call("POST", "/api/v1/invoices/999999/payments", map[string]any{"transaction_id": "x"})
	require.Equal(t, 404, status)
	require.Equal(t, "Invoice ID Not Found", out["error"])
	status, _ = s.call("POST", "/api/v1/orders/999999/accept", nil)
	require.Equal(t, 404, status)
	resp, err := http.Get(s.api.URL + orders)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 401, resp.StatusCode)
}
