package integration

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/permanent"
)

func TestOrderLifecycleOverHTTP(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("payment")

	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "Example.com"), 201)
	id := int64(placed["order_id"].(float64))
	path := fmt.Sprintf("/api/v1/orders/%d", id)
	require.Len(t, fmt.Sprint(int64(placed["order_number"].(float64))), 10)

	list := s.mustCall("GET", "/api/v1/orders?status=Pending", nil, 200)
	require.Len(t, list["orders"], 1)
	o := s.mustCall("GET", path, nil, 200)
	require.Equal(t, "26.99", o["amount"], "9.99 + 5.00 setup + 12.00 domain")
	require.Equal(t, "example.com", o["domains"].([]any)[0].(map[string]any)["domain"])

	// Pay, twice: the second is a redelivery and changes nothing.
	inv := fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64)))
	paid := s.mustCall("POST", inv, map[string]any{"transaction_id": "tx-1", "gateway": "banktransfer"}, 201)
	require.Equal(t, "Paid", paid["status"])
	again := s.mustCall("POST", inv, map[string]any{"transaction_id": "tx-1", "gateway": "banktransfer"}, 200)
	require.Equal(t, true, again["duplicate"])

	o = s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	svc := o["services"].([]any)[0].(map[string]any)
	require.Equal(t, "Active", svc["status"], "auto-setup on payment")
	require.Equal(t, "examplec", svc["username"], "first 8 letters of the domain")
	require.Equal(t, "Active", o["domains"].([]any)[0].(map[string]any)["status"])
	require.Equal(t, "Pending", o["status"], "the order stays Pending until an admin accepts it")
	creates, _ := s.panel.counts()
	require.Equal(t, 1, creates)

	res := s.mustCall("POST", path+"/accept", nil, 200)
	require.Equal(t, "Active", res["status"])
	creates, _ = s.panel.counts()
	require.Equal(t, 1, creates, "accept does not create the account again")
	s.waitVisible(fmt.Sprintf("OrderStatus='Active' AND OrderNumber='%d'", int64(placed["order_number"].(float64))))

	out := s.mustCall("POST", path+"/cancel", nil, 409)
	require.Equal(t, "Order ID not found or Status not Pending", out["error"])
	out = s.mustCall("DELETE", path, nil, 409)
	require.Equal(t, "The order status must be in Cancelled or Fraud to be deleted", out["error"])

	require.Equal(t, "Fraud", s.mustCall("POST", path+"/fraud", nil, 200)["status"])
	_, terminates := s.panel.counts()
	require.Equal(t, 1, terminates, "fraud terminates the active account")
	require.Equal(t, "Pending", s.mustCall("POST", path+"/pending", nil, 200)["status"])
	require.Equal(t, "Cancelled", s.mustCall("POST", path+"/cancel", nil, 200)["status"])
	o = s.mustCall("GET", path, nil, 200)
	require.Equal(t, "Cancelled", o["services"].([]any)[0].(map[string]any)["status"])
	require.Equal(t, "Paid", o["invoice"].(map[string]any)["status"], "a paid invoice is not cancelled")
	s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == string(order.WaitingPaymentReview) })

	// The cancelled order holds the client's money: it is refunded before the order may go.
	out = s.mustCall("DELETE", path, nil, 409)
	require.Equal(t, order.ReasonMoneyOnInvoice, out["error"])
	s.refundAll(id, int64(placed["invoice_id"].(float64)))
	require.Equal(t, string(order.Deleted), s.mustCall("DELETE", path, nil, 200)["status"])
	s.recordHistory(id, "lifecycle-payment-accept-fraud-pending-cancel-delete")
	out = s.mustCall("GET", path, nil, 404)
	require.Equal(t, order.ReasonNotFound, out["error"])
	var events int
	require.NoError(t, s.pool.QueryRow(context.Background(), "SELECT count(*) FROM order_events WHERE order_id = $1", id).Scan(&events))
	require.Greater(t, events, 8, "the audit trail outlives the order")
}

func TestAcceptFailureWaitsForRetry(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "shop.example.com"), 201)
	id := int64(placed["order_id"].(float64))
	path := fmt.Sprintf("/api/v1/orders/%d", id)

	s.panel.mu.Lock()
	s.panel.failCreate = permanent.Wrap(errors.New("Package 'basic' does not exist"))
	s.panel.mu.Unlock()
	// 202: accepted, but the order is Active only once the failed step is retried or skipped.
	res := s.mustCall("POST", path+"/accept", map[string]any{"send_to_registrar": false}, 202)
	require.Equal(t, "Pending", res["status"])
	require.Equal(t, "provisioning-failed", res["waiting_for"])
	o := s.mustCall("GET", path, nil, 200)
	svc := o["services"].([]any)[0].(map[string]any)
	require.Equal(t, "Pending", svc["status"])
	require.Equal(t, "Package 'basic' does not exist", svc["error"], "the panel's words reach the admin")

	s.panel.mu.Lock()
	s.panel.failCreate = nil
	s.panel.mu.Unlock()
	res = s.mustCall("POST", path+"/retry", nil, 200)
	require.Equal(t, "Active", res["status"], "the retry completes the accept")
	o = s.mustCall("GET", path, nil, 200)
	require.Equal(t, "Active", o["services"].([]any)[0].(map[string]any)["status"])
	require.Empty(t, o["services"].([]any)[0].(map[string]any)["error"])
	s.mustCall("POST", path+"/retry", nil, 409)
	s.recordHistory(id, "accept-failure-retry")
}

// TestPlacementNeverHalfWritten kills the worker's side before an order is placed: the API
// cannot answer 201, yet the workflow it started writes the order as soon as a worker is back,
// and a retry with the same Idempotency-Key finds that very order.
func TestPlacementNeverHalfWritten(t *testing.T) {
	s := newStack(t)
	clientID, productID := s.catalogue("never")
	var in ordering.PlaceOrder
	in.ClientID, in.PaymentMethod, in.IdempotencyKey, in.Actor = int64(clientID), "banktransfer", "checkout-42", order.AdminAPI
	in.Items = []ordering.PlaceItem{{ProductID: int64(productID), Domain: "durable.com", BillingCycle: order.Monthly}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := s.svc.Place(ctx, in) // no worker: the update cannot complete
	var se *fault.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, fault.Unavailable, se.Kind)
	require.Equal(t, 0, s.count("SELECT count(*) FROM orders"), "nothing written yet")

	s.startWorker()
	var id int64
	require.Eventually(t, func() bool {
		return s.pool.QueryRow(context.Background(), "SELECT id FROM orders").Scan(&id) == nil
	}, 20*time.Second, 50*time.Millisecond, "the started workflow writes its order")
	require.Equal(t, 1, s.count("SELECT count(*) FROM invoices"))
	require.Equal(t, 1, s.count("SELECT count(*) FROM order_services"))
	desc, err := s.tc.DescribeWorkflow(context.Background(), s.workflowID(id), "")
	require.NoError(t, err)
	require.Nil(t, desc.RawResponse.WorkflowExecutionInfo.CloseTime, "the workflow runs on")

	placed, err := s.svc.Place(context.Background(), in)
	require.NoError(t, err)
	require.Equal(t, id, placed.OrderID, "the retry reaches the same order")
	require.Equal(t, 1, s.count("SELECT count(*) FROM orders"))
}

// TestRetryReachesItsOrder: a placement sent again with its Idempotency-Key reaches its order
// even though that order now holds the domain and used the promotion's last use, the two
// checks another order would be refused by; the same key with another body is still refused.
func TestRetryReachesItsOrder(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	s.mustCall("POST", "/api/v1/promotions", map[string]any{"code": "ONCE", "type": "percentage", "value": "10", "max_uses": 1}, 201)
	body := hostingOrder(clientID, productID, "retried.com")
	body["promo_code"] = "ONCE"
	key := map[string]string{"Idempotency-Key": "checkout-retry-1"}
	status, first := s.send(badRequest{method: "POST", path: "/api/v1/orders", header: key, body: body})
	require.Equal(t, 201, status, "%v", first)
	status, again := s.send(badRequest{method: "POST", path: "/api/v1/orders", header: key, body: body})
	require.Equal(t, 201, status, "%v", again)
	require.Equal(t, first["order_id"], again["order_id"], "the retry reaches the same order")
	require.Equal(t, 1, s.count("SELECT count(*) FROM orders"))
	require.Equal(t, 1, s.count("SELECT uses FROM promotions WHERE code = 'ONCE'"), "its use counted once")

	// Another order for the same domain, or with the used-up code, is refused as before.
	status, out := s.send(badRequest{method: "POST", path: "/api/v1/orders", header: map[string]string{"Idempotency-Key": "checkout-retry-2"}, body: body})
	require.Equal(t, 422, status, "%v", out)
	body["domains"] = nil
	body["items"] = []map[string]any{{"product_id": productID, "billing_cycle": "monthly", "domain": "another-body.com"}}
	status, out = s.send(badRequest{method: "POST", path: "/api/v1/orders", header: key, body: body})
	require.Equal(t, 422, status, "the same key with another body: %v", out)
	require.Equal(t, "Idempotency-Key", out["field"])
}

// waitVisible waits until Temporal's visibility store lists a workflow for query.
func (s *stack) waitVisible(query string) {
	s.t.Helper()
	require.Eventually(s.t, func() bool {
		resp, err := s.tc.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		return err == nil && len(resp.Executions) == 1
	}, 20*time.Second, 100*time.Millisecond, "no workflow for %s", query)
}

func TestItemActionsOverREST(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "items.com"), 201)
	id := int64(placed["order_id"].(float64))
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/accept", id), nil, 200)
	svc := fmt.Sprintf("/api/v1/services/%d", int64(placed["service_ids"].([]any)[0].(float64)))

	s.mustCall("POST", svc+"/suspend", map[string]any{"reason": "Overdue"}, 200)
	out := s.mustCall("POST", svc+"/suspend", nil, 409)
	require.Equal(t, "Only an Active service can be suspended", out["error"])
	s.mustCall("POST", svc+"/unsuspend", nil, 200)
	s.mustCall("POST", svc+"/terminate", nil, 200)
	o := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", id), nil, 200)
	require.Equal(t, "Terminated", o["services"].([]any)[0].(map[string]any)["status"])
	require.Equal(t, "Active", o["status"])
	_, terminates := s.panel.counts()
	require.Equal(t, 1, terminates)

	s.mustCall("POST", svc+"/explode", nil, 404)
	out = s.mustCall("POST", "/api/v1/services/987654/suspend", nil, 404)
	require.Equal(t, "Service ID not found", out["error"])
	dom := fmt.Sprintf("/api/v1/domains/%d", int64(placed["domain_ids"].([]any)[0].(float64)))
	out = s.mustCall("POST", dom+"/register", nil, 409)
	require.Equal(t, "The domain is already Active", out["error"])
	out = s.mustCall("POST", dom+"/transfer", map[string]any{"epp_code": "x"}, 409)
	require.Equal(t, "The domain was ordered as a registration", out["error"])
}

// refundAll records that an order's money was given back by hand, each payment of its
// invoice, and waits for its workflow to hear it: a closed order no longer waits for
// payment-review.
func (s *stack) refundAll(orderID, invoiceID int64) {
	s.t.Helper()
	o := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", orderID), nil, 200)
	for _, t := range o["invoice"].(map[string]any)["transactions"].([]any) {
		txn := t.(map[string]any)
		if txn["type"] != "payment" {
			continue
		}
		res := s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/refunds", invoiceID), map[string]any{"method": "manual",
			"transaction_id": txn["transaction_id"], "refund_transaction_id": fmt.Sprintf("refund-%s", txn["transaction_id"])}, 201)
		require.Equal(s.t, false, res["duplicate"])
	}
	s.eventually(orderID, func(o map[string]any) bool { return o["waiting_for"] != string(order.WaitingPaymentReview) })
}
