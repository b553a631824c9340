package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/email"
)

// An order placed through the API gets its Invoice Created email (linking to the invoice in
// the client area) and the staff's New Order Notification with it; paid, with nothing to set
// up on payment, its receipt goes in a batch of its own (the history recorded here holds the
// change id that guards it). Every email is kept as sent.
func TestInvoiceEmailsAndReceipt(t *testing.T) {
	s := newStack(t)
	s.acts.Mail.Sender = sentOK{}
	s.startWorker()
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"staff_email": "orders@host.example"}, 200)
	// Hosting on a domain the client has: nothing is set up on payment, so the receipt has no
	// other email to ride with.
	clientID, productID := s.catalogue("accept")
	req := hostingOrder(clientID, productID, "receipt.com")
	delete(req, "domains")
	p := s.mustCall("POST", "/api/v1/orders", req, 201)
	o := placed{int64(p["order_id"].(float64)), int64(p["invoice_id"].(float64))}
	ctx := context.Background()
	sent := func(template string) (recipient, body string, clientID *int64) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			err := s.pool.QueryRow(ctx, `SELECT recipient, body, client_id FROM emails
				WHERE order_id = $1 AND template = $2 AND sent_at IS NOT NULL`, o.orderID, template).Scan(&recipient, &body, &clientID)
			if err == nil {
				return recipient, body, clientID
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("no %s email was sent for order %d", template, o.orderID)
		return
	}
	to, body, client := sent("invoice-created")
	require.NotNil(t, client, "the client's email names the client")
	require.Contains(t, body, fmt.Sprintf("%s/client/invoices/%d", testPublicURL, o.invoiceID))
	require.NotEqual(t, "orders@host.example", to)
	to, body, client = sent("new-order-notification")
	require.Equal(t, "orders@host.example", to)
	require.Nil(t, client, "an email to staff is no client's")
	require.Contains(t, body, fmt.Sprintf("%s/admin/orders/%d", testPublicURL, o.orderID))

	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID), map[string]any{"transaction_id": "receipt-1",
		"gateway": "banktransfer"}, 201)
	_, body, _ = sent("invoice-payment-confirmation")
	require.Contains(t, body, "receipt-1")
	require.Contains(t, body, "Balance Due: 0.00 USD")
	s.recordHistory(o.orderID, "payment-receipt-alone")
}

// sentOK is a relay that takes every message.
type sentOK struct{}

func (sentOK) Send(context.Context, email.Message) error { return nil }
