package activities_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/testenv"
)

// relay accepts messages until it has taken up, then says it is away (a temporary error), as
// a relay that goes down mid-batch does.
type relay struct {
	up   int
	sent []string // Message-IDs, in order
}

func (r *relay) Send(_ context.Context, m email.Message) error {
	if len(r.sent) == r.up {
		return &email.TemporaryError{Err: errors.New("421 service not available")}
	}
	r.sent = append(r.sent, m.MessageID)
	return nil
}

// A relay that goes away mid-batch fails the activity; its retry sends only what did not go,
// and every email is recorded once, marked sent once.
func TestSendEmailsRetrySendsWhatDidNotGo(t *testing.T) {
	a, q := newActivities(t)
	ctx := context.Background()
	_, err := a.CreateOrder(ctx, testenv.NewOrder(t, q))
	require.NoError(t, err)
	r := &relay{up: 1}
	a.Mail = activities.Mail{Sender: r, Company: "Host", Domain: "host.example"}
	var batch []activities.EmailInput
	for i := range 3 {
		batch = append(batch, activities.EmailInput{Key: fmt.Sprintf("order-41/confirmation/%d", i), OrderID: 41, Template: email.OrderConfirmation})
	}
	_, err = a.SendEmails(ctx, batch)
	var temp *email.TemporaryError
	require.ErrorAs(t, err, &temp)
	require.Len(t, r.sent, 1)

	r.up = 10
	failed, err := a.SendEmails(ctx, batch)
	require.NoError(t, err)
	require.Empty(t, failed)
	require.Len(t, r.sent, 3, "the retry sends the two that did not go, not the first again")
	require.Equal(t, []string{email.MessageID(batch[0].Key, "host.example"), email.MessageID(batch[1].Key, "host.example"),
		email.MessageID(batch[2].Key, "host.example")}, r.sent)
	for _, in := range batch {
		e, err := q.GetEmail(ctx, in.Key)
		require.NoError(t, err)
		require.True(t, e.SentAt.Valid, in.Key)
	}
}

// capture keeps every message it is given.
type capture struct{ msgs []email.Message }

func (c *capture) Send(_ context.Context, m email.Message) error {
	c.msgs = append(c.msgs, m)
	return nil
}

// The invoice's emails link to it in the client area; the staff's notification goes to each
// active admin, or to the staff_email setting, each once; every email is kept as sent, with the
// client it went to (none for staff).
func TestInvoiceAndStaffEmails(t *testing.T) {
	a, q := newActivities(t)
	ctx := context.Background()
	o := testenv.NewOrder(t, q)
	o.ClientIP, o.FraudRule = "203.0.113.9", "checked: placed with the client's address 203.0.113.9"
	_, err := a.CreateOrder(ctx, o)
	require.NoError(t, err)
	for _, addr := range []string{"Grace@Host.example", "alan@host.example", "gone@host.example"} {
		_, err := q.CreateAdmin(ctx, db.CreateAdminParams{Email: addr, Name: addr, PasswordHash: "x"})
		require.NoError(t, err)
	}
	_, err = a.Pool.Exec(ctx, `UPDATE admins SET active = false WHERE email = 'gone@host.example'`)
	require.NoError(t, err)
	out := &capture{}
	a.Mail = activities.Mail{Sender: out, Company: "Host", Domain: "host.example", PublicURL: "https://host.example/"}

	inv, err := q.GetInvoiceByOrder(ctx, o.ID)
	require.NoError(t, err)
	batch := []activities.EmailInput{
		{Key: "order-41/invoice-created/1", OrderID: o.ID, Template: email.InvoiceCreated},
		{Key: "order-41/new-order-notification/2", OrderID: o.ID, Template: email.NewOrderNotification},
	}
	failed, err := a.SendEmails(ctx, batch)
	require.NoError(t, err)
	require.Empty(t, failed)
	require.Len(t, out.msgs, 3)
	invoiceURL := fmt.Sprintf("https://host.example/client/invoices/%d", inv.ID)
	require.Equal(t, "ada@example.com", out.msgs[0].To)
	require.Equal(t, fmt.Sprintf("Customer Invoice #%d", inv.ID), out.msgs[0].Subject)
	require.Contains(t, out.msgs[0].Text, invoiceURL)
	require.Contains(t, out.msgs[0].Text, "Amount Due: 22.00 USD")
	require.Equal(t, []string{"grace@host.example", "alan@host.example"}, []string{out.msgs[1].To, out.msgs[2].To})
	require.Contains(t, out.msgs[1].Text, "https://host.example/admin/orders/41")
	require.Contains(t, out.msgs[1].Text, "Fraud Check: checked: placed with the client's address 203.0.113.9")

	e, err := q.GetEmail(ctx, batch[0].Key)
	require.NoError(t, err)
	require.Equal(t, out.msgs[0].Text, e.Body)
	require.NotNil(t, e.ClientID)
	require.Equal(t, o.ClientID, *e.ClientID)
	e, err = q.GetEmail(ctx, batch[1].Key+"/alan@host.example")
	require.NoError(t, err)
	require.Nil(t, e.ClientID, "an email to staff is no client's")

	_, err = a.SendEmails(ctx, batch)
	require.NoError(t, err)
	require.Len(t, out.msgs, 3, "sent once per key and address")

	// The setting names the staff's address instead of the admins.
	require.NoError(t, q.PutSetting(ctx, db.PutSettingParams{Key: catalog.SettingStaffEmail, Value: "orders@host.example"}))
	_, err = a.SendEmails(ctx, []activities.EmailInput{{Key: "order-41/new-order-notification/3", OrderID: o.ID, Template: email.NewOrderNotification}})
	require.NoError(t, err)
	require.Len(t, out.msgs, 4)
	require.Equal(t, "orders@host.example", out.msgs[3].To)

	// The receipt lists the payment and what is left.
	testenv.RecordPayment(t, q, inv.ID, "bank-1", 2200)
	_, err = a.SendEmails(ctx, []activities.EmailInput{{Key: "order-41/invoice-payment-confirmation/4", OrderID: o.ID,
		Template: email.InvoicePaymentConfirmation}})
	require.NoError(t, err)
	require.Len(t, out.msgs, 5)
	require.Contains(t, out.msgs[4].Text, "Amount Paid: 22.00 USD")
	require.Contains(t, out.msgs[4].Text, "Balance Due: 0.00 USD")
	require.Contains(t, out.msgs[4].Text, "bank-1")
	require.Contains(t, out.msgs[4].Text, invoiceURL)
}
