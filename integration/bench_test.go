package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// BenchmarkPlaceOrder measures POST /api/v1/orders end to end: validation and pricing in
// PostgreSQL, update-with-start on the Temporal dev server, the workflow writing the order, its
// items and invoice, and the 201. Run with `make bench`.
func BenchmarkPlaceOrder(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("bench%d.com", i)), 201)
	}
}

// BenchmarkOrderToAccepted measures a whole order life as an admin drives it: place, pay,
// accept (module create and registrar through the test doubles), each call waiting for its
// answer.
func BenchmarkOrderToAccepted(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("life%d.com", i)), 201)
		inv := fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64)))
		s.mustCall("POST", inv, map[string]any{"transaction_id": fmt.Sprintf("tx-%d", i)}, 201)
		s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/accept", int64(placed["order_id"].(float64))), nil, 200)
	}
}

// BenchmarkGatewayWebhook measures a signed payment callback, POST /webhooks/gateway/{name}:
// HMAC check, the payment, its gateway event and its outbox signal in one transaction, and the
// 200. The signal to the workflow follows from the outbox and is not timed. The orders are
// placed before the timer starts.
func BenchmarkGatewayWebhook(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	const secret = "bench-secret-0123456789"
	s.svc.GatewaySecrets["acme"] = secret
	clientID, productID := s.catalogue("accept")
	invoices := make([]int64, b.N)
	for i := range invoices {
		p := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("hook%d.com", i)), 201)
		invoices[i] = int64(p["invoice_id"].(float64))
	}
	b.ResetTimer()
	for i, inv := range invoices {
		body := genericBody(inv, fmt.Sprintf("B-%d", i), "26.99", "paid")
		if status, out := s.post(s.api.URL, "/webhooks/gateway/acme", body, genericHeader(secret, body, time.Now())); status != 200 {
			b.Fatalf("callback: %d %v", status, out)
		}
	}
}

// BenchmarkWHMCSAddOrder measures AddOrder through the WHMCS-compatible API: credential check,
// form parsing, and the same placement as POST /api/v1/orders.
func BenchmarkWHMCSAddOrder(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	form := url.Values{"action": {"AddOrder"}, "identifier": {cred["identifier"].(string)}, "secret": {cred["secret"].(string)},
		"clientid": {fmt.Sprint(int64(clientID))}, "paymentmethod": {"banktransfer"}, "pid[0]": {fmt.Sprint(int64(productID))},
		"billingcycle[0]": {"monthly"}, "domaintype[0]": {"register"}, "regperiod[0]": {"1"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		form.Set("domain[0]", fmt.Sprintf("whmcs%d.com", i))
		resp, err := http.PostForm(s.api.URL+"/includes/api.php", form)
		if err != nil {
			b.Fatal(err)
		}
		var out map[string]any
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || out["result"] != "success" {
			b.Fatalf("AddOrder: %v %v", err, out)
		}
	}
}
