package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// creditOrder places a 26.99 USD hosting order (set up on payment) for client and answers its
// order and invoice ids.
func (s *stack) creditOrder(clientID, productID float64, domain string) placed {
	p := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, domain), 201)
	return placed{int64(p["order_id"].(float64)), int64(p["invoice_id"].(float64))}
}

// creditOf is the client's credit as GET /api/v1/clients/{id}/credit answers it.
func (s *stack) creditOf(clientID float64) map[string]any {
	return s.mustCall("GET", fmt.Sprintf("/api/v1/clients/%d/credit", int64(clientID)), nil, 200)
}

// usdBalance is the client's USD balance as the REST API answers it ("" when none).
func (s *stack) usdBalance(clientID float64) string {
	for _, b := range s.creditOf(clientID)["balances"].([]any) {
		if b := b.(map[string]any); b["currency"] == "USD" {
			return b["balance"].(string)
		}
	}
	return ""
}

// An overpayment goes to the client's credit, once however often the payment is delivered, and
// the invoice's paid sum is its total; admins add and remove credit with a reason, and removing
// more than there is, zero, malformed or missing fields are refused naming the field.
func TestCreditOverpaymentAndAdminChanges(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("payment")
	o := s.creditOrder(clientID, productID, "credit-over.com")
	credit := fmt.Sprintf("/api/v1/clients/%d/credit", int64(clientID))

	require.Equal(t, map[string]any{"client_id": clientID, "currency": "USD", "balances": []any{}, "credits": []any{}}, s.creditOf(clientID))

	// 30.00 for 26.99: Paid, 3.01 to credit; a redelivery moves nothing twice.
	pay := map[string]any{"amount": "30.00", "transaction_id": "OVER-1", "gateway": "banktransfer"}
	out := s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID), pay, 201)
	require.Equal(t, "Paid", out["status"])
	require.Equal(t, "0.00", out["balance"])
	out = s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID), pay, 200)
	require.Equal(t, true, out["duplicate"])
	require.Equal(t, "3.01", s.usdBalance(clientID))
	rows := s.creditOf(clientID)["credits"].([]any)
	require.Len(t, rows, 1)
	row := rows[0].(map[string]any)
	require.Equal(t, "overpayment", row["kind"])
	require.Equal(t, "3.01", row["amount"])
	require.Equal(t, float64(o.invoiceID), row["invoice_id"])

	d := s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	inv := d["invoice"].(map[string]any)
	require.Equal(t, "26.99", inv["paid"], "the invoice keeps its total; the excess is credit")
	require.Nil(t, inv["overpaid"])
	require.Len(t, inv["transactions"], 2)
	back := inv["transactions"].([]any)[1].(map[string]any)
	require.Equal(t, map[string]any{"type": "refund", "gateway": "credit", "amount": "-3.01"}, pick(back, "type", "gateway", "amount"))
	creates, _ := s.panel.counts()
	require.Equal(t, 1, creates)

	// Add Credit, and again with the same Idempotency-Key: once.
	status, out := s.callWithKey("POST", credit, map[string]any{"amount": "10.00", "description": "goodwill"}, "gw-1")
	require.Equal(t, 201, status, "%v", out)
	require.Equal(t, "13.01", out["balance"])
	status, out = s.callWithKey("POST", credit, map[string]any{"amount": "10.00", "description": "goodwill"}, "gw-1")
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, true, out["duplicate"])
	require.Equal(t, "13.01", s.usdBalance(clientID))

	// Refusals, each naming its field; nothing changes.
	for _, tc := range []struct {
		body   any
		status int
		field  string
		says   string
	}{
		{map[string]any{"amount": "-20.00", "description": "too much"}, 422, "amount", "Amount exceeds customer credit balance: 13.01 USD available"},
		{map[string]any{"amount": "0", "description": "nothing"}, 422, "amount", "must not be zero"},
		{map[string]any{"amount": "ten", "description": "words"}, 422, "amount", "not a decimal amount"},
		{map[string]any{"amount": "1.001", "description": "fractions"}, 422, "amount", "decimal places"},
		{map[string]any{"description": "no amount"}, 422, "amount", "is required"},
		{map[string]any{"amount": "5.00"}, 422, "description", "is required"},
		{map[string]any{"amount": "5.00", "description": "eur?", "currency": "XYZ"}, 422, "currency", "ISO 4217"},
		{map[string]any{"amount": 5, "description": "a number"}, 400, "amount", ""},
		{map[string]any{"amount": "5.00", "description": "x", "extra": true}, 400, "", ""},
	} {
		status, out := s.call("POST", credit, tc.body)
		require.Equal(t, tc.status, status, "%v: %v", tc.body, out)
		if tc.field != "" {
			require.Equal(t, tc.field, out["field"], "%v: %v", tc.body, out)
		}
		require.Contains(t, fmt.Sprint(out["error"]), tc.says, "%v", tc.body)
	}
	s.mustCall("POST", "/api/v1/clients/999999/credit", map[string]any{"amount": "1.00", "description": "nobody"}, 404)
	s.mustCall("GET", "/api/v1/clients/999999/credit", nil, 404)
	require.Equal(t, "13.01", s.usdBalance(clientID))

	// Remove Credit: all of it is allowed, then nothing is left.
	out = s.mustCall("POST", credit, map[string]any{"amount": "-13.01", "description": "paid out by cheque"}, 201)
	require.Equal(t, "0.00", out["balance"])
	require.Len(t, s.creditOf(clientID)["credits"], 3)
	require.Equal(t, 0, s.count("SELECT count(*) FROM credits WHERE client_id = $1 AND amount = 0", int64(clientID)))
}

// ApplyCredit pays an invoice in full from credit: Paid at once, the order provisions as for any
// payment; WHMCS's AddCredit, GetCredits, ApplyCredit and GetClientsDetails answer as WHMCS
// documents them, with its error texts.
func TestCreditAppliedThroughWHMCS(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("payment")
	client := fmt.Sprint(int64(clientID))
	whmcs := s.whmcsAPI(t)
	refused := func(message string, out map[string]any) {
		t.Helper()
		require.Equal(t, map[string]any{"result": "error", "message": message}, out)
	}
	o := s.creditOrder(clientID, productID, "credit-apply.com")
	invoice := fmt.Sprint(o.invoiceID)

	refused("Credit Amount to apply must be greater than zero", whmcs("ApplyCredit", "invoiceid", invoice))
	require.Equal(t, map[string]any{"result": "success", "newbalance": "20.00"},
		whmcs("AddCredit", "clientid", client, "description", "prepaid", "amount", "20"))
	require.Equal(t, map[string]any{"result": "success", "newbalance": "15.00"},
		whmcs("AddCredit", "clientid", client, "description", "correction", "amount", "5", "type", "remove"))
	refused("Amount exceeds customer credit balance", whmcs("AddCredit", "clientid", client, "description", "x", "amount", "99",
		"type", "remove"))
	refused("No Amount Provided", whmcs("AddCredit", "clientid", client, "description", "x"))
	refused("Type can only be add or remove", whmcs("AddCredit", "clientid", client, "description", "x", "amount", "1", "type", "move"))
	refused("Amount must be in decimal format: ### or ###.##", whmcs("AddCredit", "clientid", client, "description", "x", "amount", "1,50"))
	refused("Client ID Not Found", whmcs("AddCredit", "clientid", "999999", "description", "x", "amount", "1"))
	refused("Client ID Not Found", whmcs("GetCredits", "clientid", "999999"))

	refused("Amount exceeds customer credit balance", whmcs("ApplyCredit", "invoiceid", invoice, "amount", "15.01"))
	refused("Invoice ID Not Found", whmcs("ApplyCredit", "invoiceid", "999999", "amount", "1"))
	refused("Credit Amount to apply must be greater than zero", whmcs("ApplyCredit", "invoiceid", invoice, "amount", "0"))

	// Part of it: the invoice stays Unpaid.
	require.Equal(t, map[string]any{"result": "success", "invoiceid": invoice, "amount": "5.00", "invoicepaid": "false"},
		whmcs("ApplyCredit", "invoiceid", invoice, "amount", "5.00"))
	require.Equal(t, "Unpaid", whmcs("GetInvoice", "invoiceid", invoice)["status"])
	require.Equal(t, map[string]any{"result": "success", "newbalance": "30.00"},
		whmcs("AddCredit", "clientid", client, "description", "more", "amount", "20"))
	refused("Amount Exceeds Invoice Balance", whmcs("ApplyCredit", "invoiceid", invoice, "amount", "22.00"))

	// "full": the rest, 21.99; Paid, and the order sets up as for any payment.
	require.Equal(t, map[string]any{"result": "success", "invoiceid": invoice, "amount": "21.99", "invoicepaid": "true"},
		whmcs("ApplyCredit", "invoiceid", invoice, "amount", "full"))
	require.Equal(t, "Paid", whmcs("GetInvoice", "invoiceid", invoice)["status"])
	d := s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	require.Equal(t, "Active", d["services"].([]any)[0].(map[string]any)["status"], "auto-setup on payment ran")
	creates, _ := s.panel.counts()
	require.Equal(t, 1, creates)
	refused("Invoice Not in Unpaid Status", whmcs("ApplyCredit", "invoiceid", invoice, "amount", "1"))

	got := whmcs("GetCredits", "clientid", client)
	require.Equal(t, float64(5), got["totalresults"])
	require.Equal(t, client, got["clientid"])
	list := got["credits"].(map[string]any)["credit"].([]any)
	var amounts, relids []string
	for _, c := range list {
		c := c.(map[string]any)
		amounts, relids = append(amounts, c["amount"].(string)), append(relids, c["relid"].(string))
		require.NotEmpty(t, c["id"])
		require.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, c["date"])
	}
	require.Equal(t, []string{"20.00", "-5.00", "-5.00", "20.00", "-21.99"}, amounts, "oldest first")
	require.Equal(t, []string{"0", "0", invoice, "0", invoice}, relids)
	require.Equal(t, "Credit Applied to Invoice #"+invoice, list[4].(map[string]any)["description"])

	details := whmcs("GetClientsDetails", "clientid", client, "stats", "true")
	require.Equal(t, "8.01", details["credit"])
	require.Equal(t, "8.01", details["client"].(map[string]any)["credit"])
	stats := details["stats"].(map[string]any)
	require.Equal(t, "8.01 USD", stats["creditbalance"])
	require.Equal(t, true, stats["incredit"])
	txns := whmcs("GetTransactions", "invoiceid", invoice)
	require.Equal(t, "2", fmt.Sprint(txns["totalresults"]), "each credit applied is a payment on the invoice's ledger")
}

// Two ApplyCredits at once with credit for one: one wins, the other is refused naming what is
// left, and the balance never goes below zero.
func TestCreditAppliedTwiceAtOnce(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("payment")
	a := s.creditOrder(clientID, productID, "credit-race-a.com")
	b := s.creditOrder(clientID, productID, "credit-race-b.com")
	ctx := context.Background()
	_, err := s.svc.ChangeCredit(ctx, int64(clientID), billing.CreditChange{Amount: "26.99", Description: "for one", Actor: order.AdminAPI})
	require.NoError(t, err)

	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, inv := range []int64{a.invoiceID, b.invoiceID} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.svc.ApplyCredit(ctx, inv, "26.99", order.AdminAPI)
			}()
		}
		wg.Wait()
		if round == 0 {
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
					continue
				}
				var fe *fault.Error
				require.True(t, errors.As(err, &fe), "%v", err)
				require.True(t, strings.HasPrefix(fe.Message, billing.ReasonOverCredit+": 0.00 USD available"), fe.Message)
			}
			require.Equal(t, 1, won, "exactly one wins: %v", errs)
		} else {
			for _, err := range errs {
				require.Error(t, err, "no credit is left for a later round")
			}
		}
	}
	bal, err := s.svc.CreditBalanceOf(ctx, int64(clientID), "USD")
	require.NoError(t, err)
	require.Zero(t, bal)
	require.Equal(t, 1, s.count("SELECT count(*) FROM invoices WHERE id IN ($1, $2) AND status = 'Paid'", a.invoiceID, b.invoiceID))
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE gateway = 'credit' AND invoice_id IN ($1, $2)", a.invoiceID, b.invoiceID))
}

// RefundToCredit gives a payment back as credit, at most what is left of it (its amount less
// refunds and the overpayment moved out of it): the invoice is Refunded once all is given back.
func TestRefundToCredit(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("payment")
	o := s.creditOrder(clientID, productID, "credit-refund.com")
	ctx := context.Background()
	_, err := s.svc.AddPayment(ctx, o.invoiceID, billing.Payment{Amount: "30.00", TransactionID: "PAY-1", Gateway: "banktransfer",
		Actor: order.AdminAPI})
	require.NoError(t, err)
	s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	require.Equal(t, "3.01", s.usdBalance(clientID))

	refusal := func(err error, field, says string) {
		t.Helper()
		var fe *fault.Error
		require.True(t, errors.As(err, &fe), "%v", err)
		require.Equal(t, fault.Invalid, fe.Kind)
		require.Equal(t, field, fe.Field)
		require.Contains(t, fe.Message, says)
	}
	_, err = s.svc.RefundToCredit(ctx, o.invoiceID, "NOPE", "1.00", order.AdminAPI)
	refusal(err, "transaction_id", "has no payment")
	_, err = s.svc.RefundToCredit(ctx, o.invoiceID, "PAY-1", "0", order.AdminAPI)
	refusal(err, "amount", "more than zero")
	_, err = s.svc.RefundToCredit(ctx, o.invoiceID, "PAY-1", "-1", order.AdminAPI)
	refusal(err, "amount", "not a decimal amount")
	_, err = s.svc.RefundToCredit(ctx, o.invoiceID, "PAY-1", "27.00", order.AdminAPI)
	refusal(err, "amount", "is more than the 26.99 USD left to refund of payment PAY-1")

	res, err := s.svc.RefundToCredit(ctx, o.invoiceID, "PAY-1", "10.00", order.AdminAPI)
	require.NoError(t, err)
	require.Equal(t, order.InvoicePaid, res.Status)
	require.True(t, strings.HasPrefix(res.TransactionID, "credit-refund-"), res.TransactionID)
	require.Equal(t, "13.01", s.usdBalance(clientID))

	res, err = s.svc.RefundToCredit(ctx, o.invoiceID, "PAY-1", "", order.AdminAPI) // the rest: 16.99
	require.NoError(t, err)
	require.Equal(t, int64(1699), res.Amount)
	require.Equal(t, order.InvoiceRefunded, res.Status)
	require.Equal(t, "30.00", s.usdBalance(clientID))
	_, err = s.svc.RefundToCredit(ctx, o.invoiceID, "PAY-1", "0.01", order.AdminAPI)
	var fe *fault.Error
	require.ErrorAs(t, err, &fe)
	require.Equal(t, fault.Conflict, fe.Kind)
	require.Contains(t, fe.Message, "nothing left to refund")
	require.Equal(t, 2, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1 AND gateway = 'credit' AND parent_id = 'PAY-1' AND transaction_id LIKE 'credit-refund-%'", o.invoiceID))
	s.eventually(o.orderID, func(o map[string]any) bool {
		inv, _ := o["invoice"].(map[string]any)
		return inv != nil && inv["status"] == "Refunded"
	})
}

// callWithKey is call with an Idempotency-Key.
func (s *stack) callWithKey(method, path string, body any, key string) (int, map[string]any) {
	s.t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(s.t, err)
	req, err := http.NewRequest(method, s.api.URL+path, bytes.NewReader(raw))
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(s.t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// A signed-in customer with credit sees Apply Credit at checkout, chosen by default; Complete
// Order applies it to the new invoice, which is Paid at once when the credit covers it, and
// the order sets up as for any payment.
func TestStorefrontAppliesCreditAtCheckout(t *testing.T) {
	s, _, _, productID := sandboxStack(t)
	ctx := context.Background()
	base := s.api.URL
	b := newBrowser(t)
	email := fmt.Sprintf("credit-%d@example.com", int64(productID))
	b.register(base, "Grace", email, "correct horse battery")
	c, err := s.svc.Client(ctx, 0, email)
	require.NoError(t, err)

	// Without credit, checkout offers none.
	b.open(fmt.Sprintf("%s/store/product/%d", base, int64(productID)))
	b.do(chromedp.SendKeys(chromedp.CSS(`#domain`), "credit-walk.com"))
	b.submit(`button[value=add]`)
	b.submit(`#checkout`)
	require.Zero(t, b.count(`#apply-credit`))

	_, err = s.svc.ChangeCredit(ctx, c.ID, billing.CreditChange{Amount: "30.00", Description: "prepaid", Actor: order.AdminAPI})
	require.NoError(t, err)
	b.open(base + "/checkout")
	require.Contains(t, b.text(`#apply-credit`), "Your credit balance is $30.00 USD.")
	require.Equal(t, 1, b.count(`input[name=applycredit][value="1"]:checked`), "applying is chosen by default")
	b.screenshot("store-checkout-credit")
	b.submit(`#complete-order`)
	require.Contains(t, b.location(), "/client/invoices/")
	require.Equal(t, "Paid", b.text(`#invoice-status`))

	bal, err := s.svc.CreditBalanceOf(ctx, c.ID, "USD")
	require.NoError(t, err)
	require.Equal(t, int64(301), bal, "30.00 less the 26.99 invoice")
	var orderID int64
	require.NoError(t, s.pool.QueryRow(ctx, "SELECT id FROM orders WHERE client_id = $1", c.ID).Scan(&orderID))
	s.eventually(orderID, func(o map[string]any) bool {
		svcs, _ := o["services"].([]any)
		return len(svcs) == 1 && svcs[0].(map[string]any)["status"] == "Active"
	})
	b.noErrors()
}

// A customer who paid twice and is refunded once keeps a Paid invoice and no credit: the refund
// takes back what the second payment put in credit. Refunded again, the invoice is Refunded.
func TestRefundTakesBackOverpaymentCredit(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("payment")
	o := s.creditOrder(clientID, productID, "credit-twice.com")
	ctx := context.Background()
	for _, id := range []string{"TWICE-1", "TWICE-2"} {
		_, err := s.svc.AddPayment(ctx, o.invoiceID, billing.Payment{Amount: "26.99", TransactionID: id, Gateway: "banktransfer",
			Actor: order.AdminAPI})
		require.NoError(t, err)
	}
	require.Equal(t, "26.99", s.usdBalance(clientID))

	res, err := s.svc.AddRefund(ctx, o.invoiceID, billing.Payment{Amount: "26.99", TransactionID: "BACK-1", Gateway: "banktransfer",
		Actor: order.AdminAPI})
	require.NoError(t, err)
	require.Equal(t, order.InvoicePaid, res.Status, "the second payment still pays it")
	require.Equal(t, int64(0), res.Balance)
	require.Equal(t, "0.00", s.usdBalance(clientID))

	res, err = s.svc.AddRefund(ctx, o.invoiceID, billing.Payment{TransactionID: "BACK-2", Gateway: "banktransfer", Actor: order.AdminAPI})
	require.NoError(t, err)
	require.Equal(t, int64(2699), res.Amount)
	require.Equal(t, order.InvoiceRefunded, res.Status)
	require.Equal(t, "0.00", s.usdBalance(clientID))
	require.Equal(t, 0, s.count("SELECT coalesce(sum(amount), 0)::int FROM transactions WHERE invoice_id = $1", o.invoiceID))
}
