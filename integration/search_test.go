package integration

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// The order list finds orders by number, id, domain, client name, company, email or IP, and
// filters by status, payment status and what they wait for; the summary counts them.
func TestOrderSearchFiltersAndSummary(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	grace := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Grace", "last_name": "Hopper",
		"company_name": "Cobol_Works 100%", "email": "grace@navy.example", "country": "US"}, 201)["id"].(float64)
	a := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "alpha-shop.com"), 201)
	b := s.mustCall("POST", "/api/v1/orders", hostingOrder(grace, productID, "bravo.com"), 201)
	paid := s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(b["invoice_id"].(float64))),
		map[string]any{"transaction_id": "s-1", "gateway": "banktransfer"}, 201)
	require.Equal(t, "Paid", paid["status"])
	s.eventually(int64(b["order_id"].(float64)), func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })

	find := func(query string) []int64 {
		t.Helper()
		page := s.mustCall("GET", "/api/v1/orders?"+query, nil, 200)
		var ids []int64
		for _, o := range page["orders"].([]any) {
			ids = append(ids, int64(o.(map[string]any)["id"].(float64)))
		}
		return ids
	}
	idA, idB := int64(a["order_id"].(float64)), int64(b["order_id"].(float64))
	q := func(v string) string { return "q=" + url.QueryEscape(v) }
	require.Equal(t, []int64{idA}, find(q("alpha-sh")), "a part of a domain")
	require.Equal(t, []int64{idB}, find(q("grace@navy")), "an email")
	require.Equal(t, []int64{idB}, find(q("hopper")), "a name, in any case")
	require.Equal(t, []int64{idB}, find(q("100%")), "a company, % taken literally")
	require.Empty(t, find(q("ob_l")), "_ taken literally, not as any one letter")
	require.Equal(t, []int64{idA}, find(q(fmt.Sprint(int64(a["order_number"].(float64))))), "an order number")
	require.Empty(t, find(q("al")), "a part of a name or domain needs three characters")
	require.Equal(t, []int64{idA}, find(q("alp")))
	require.Equal(t, []int64{idA}, find(q(fmt.Sprint(idA))), "an id, however short")
	require.Equal(t, []int64{idB, idA}, find(q("203.0.113.7")), "the client's IP")
	require.Equal(t, []int64{idB}, find("payment_status=Paid"))
	require.Equal(t, []int64{idA}, find("waiting_for=payment"))
	require.Equal(t, []int64{idB}, find("waiting_for=admin-review&status=Pending"))
	require.Empty(t, find("from=2999-01-01"))

	sum := s.mustCall("GET", "/api/v1/orders/summary", nil, 200)
	require.Equal(t, float64(2), sum["statuses"].(map[string]any)["Pending"])
	waiting := map[string]float64{}
	for _, w := range sum["waiting"].([]any) {
		waiting[w.(map[string]any)["waiting_for"].(string)] = w.(map[string]any)["count"].(float64)
	}
	require.Equal(t, map[string]float64{"payment": 1, "fraud-review": 0, "provisioning-failed": 0, "payment-review": 0, "admin-review": 1}, waiting)

	o := s.mustCall("PATCH", fmt.Sprintf("/api/v1/orders/%d", idA), map[string]any{"notes": "called the client\nabout the domain"}, 200)
	require.Equal(t, "called the client\nabout the domain", o["notes"])
	s.mustCall("PATCH", fmt.Sprintf("/api/v1/orders/%d", idA), map[string]any{"status": "Active"}, 400)
	s.mustCall("PATCH", "/api/v1/orders/999999", map[string]any{"notes": "x"}, 404)
}
