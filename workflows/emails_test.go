package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func TestEmailsFollowTheOrder(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name    string
		in      func(*ordermsg.Input)
		welcome *bool // the admin's choice on Accept
		want    []activities.EmailInput
	}{
		{name: "confirmation and invoice, then welcome by the product's setting and the registration", in: func(*ordermsg.Input) {},
			want: []activities.EmailInput{{Template: email.OrderConfirmation}, {Template: email.InvoiceCreated},
				{Template: email.HostingWelcome, ServiceID: 100, IfProductSays: true}, {Template: email.DomainRegistration, DomainID: 200}}},
		{name: "no_email: nothing at placement", in: func(in *ordermsg.Input) { in.Order.NoEmail = true },
			want: []activities.EmailInput{{Template: email.HostingWelcome, ServiceID: 100, IfProductSays: true}, {Template: email.DomainRegistration, DomainID: 200}}},
		{name: "no_invoice_email: no Invoice Created", in: func(in *ordermsg.Input) { in.Order.NoInvoiceEmail = true },
			want: []activities.EmailInput{{Template: email.OrderConfirmation}, {Template: email.HostingWelcome, ServiceID: 100, IfProductSays: true},
				{Template: email.DomainRegistration, DomainID: 200}}},
		{name: "an order paid at once has no invoice to announce", in: func(in *ordermsg.Input) {
			in.Order.Services[0].Amount, in.Order.Domains[0].Amount = 0, 0
		},
			want: []activities.EmailInput{{Template: email.OrderConfirmation}, {Template: email.HostingWelcome, ServiceID: 100, IfProductSays: true},
				{Template: email.DomainRegistration, DomainID: 200}}},
		{name: "staff hear of an order the client or an integration placed", in: func(in *ordermsg.Input) { in.Order.Actor = "client:9" },
			want: []activities.EmailInput{{Template: email.OrderConfirmation}, {Template: email.InvoiceCreated}, {Template: email.NewOrderNotification},
				{Template: email.HostingWelcome, ServiceID: 100, IfProductSays: true}, {Template: email.DomainRegistration, DomainID: 200}}},
		{name: "admin asks for the welcome email", in: func(*ordermsg.Input) {}, welcome: &yes,
			want: []activities.EmailInput{{Template: email.OrderConfirmation}, {Template: email.InvoiceCreated}, {Template: email.HostingWelcome, ServiceID: 100},
				{Template: email.DomainRegistration, DomainID: 200}}},
		{name: "admin declines it", in: func(*ordermsg.Input) {}, welcome: &no,
			want: []activities.EmailInput{{Template: email.OrderConfirmation}, {Template: email.InvoiceCreated}, {Template: email.DomainRegistration, DomainID: 200}}},
		{name: "a transfer gets the transfer notice", in: func(in *ordermsg.Input) { in.Order.Domains[0].Type = order.DomainTransfer },
			want: []activities.EmailInput{{Template: email.OrderConfirmation}, {Template: email.InvoiceCreated},
				{Template: email.HostingWelcome, ServiceID: 100, IfProductSays: true}, {Template: email.DomainTransfer, DomainID: 200}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { return nil })
			h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil })
			h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil }).Maybe()
			in := hostingOrder(order.SetupOnAccept)
			tc.in(&in)
			h.steps(time.Second,
				func() {
					h.update(order.ActionAccept, order.ActionRequest{Accept: &order.AcceptOptions{SendWelcomeEmail: tc.welcome}},
						func(_ ordermsg.Result, err error) { require.NoError(t, err) })
				},
				func() { h.mustUpdate(order.ActionFraud) },
				func() { h.mustUpdate(order.ActionDelete) },
			)
			h.run(in)
			require.NoError(t, h.env.GetWorkflowError())
			keys := map[string]bool{}
			for i := range h.emails {
				require.Equal(t, int64(1), h.emails[i].OrderID)
				keys[h.emails[i].Key] = true
				h.emails[i].Key, h.emails[i].OrderID = "", 0
			}
			require.Len(t, keys, len(h.emails), "every email has its own key")
			// Emails are sent side by side: the order they reach the server in is not fixed.
			require.ElementsMatch(t, tc.want, h.emails)
		})
	}
}

func TestFailedEmailIsRecordedAndHoldsNothingUp(t *testing.T) {
	h := newHarness(t)
	h.failEmails = temporal.NewNonRetryableApplicationError("550 5.1.1 mailbox unavailable", permanent.Type, errors.New("550"))
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil }).Maybe()
	h.steps(time.Second,
		func() {
			require.Equal(t, order.WaitingPayment, h.state().WaitingFor)
			h.mustUpdate(order.ActionCancel)
		},
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnAccept))
	require.NoError(t, h.env.GetWorkflowError())
	require.Len(t, h.events, 2, "each failure is on the order's events")
	for i, tmpl := range []string{email.OrderConfirmation, email.InvoiceCreated} {
		require.Equal(t, "email-failed", h.events[i].Action)
		require.Equal(t, tmpl+": 550 5.1.1 mailbox unavailable", h.events[i].Detail)
	}
}

// The emails a settled step calls for go in one activity: the payment's receipt, the welcome
// and the domain's registration after payment-based setup, together.
func TestEmailsOfAStepGoTogether(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { return nil })
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil })
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	h.steps(time.Second,
		pay(h),
		func() {
			require.Equal(t, order.WaitingAdminReview, h.state().WaitingFor)
			require.Equal(t, 2, h.emailBatches, "the placement's two, then the set-up's two and the receipt at once")
			var templates []string
			for _, e := range h.emails {
				templates = append(templates, e.Template)
			}
			require.Equal(t, []string{email.OrderConfirmation, email.InvoiceCreated, email.HostingWelcome, email.DomainRegistration,
				email.InvoicePaymentConfirmation}, templates)
			// Nobody waits for the set-up after a payment: its emails ride on its task. (The
			// placement's confirmation goes in the background while the place update waits, as
			// the recorded histories hold: this harness starts orders without that update.)
			require.True(t, h.emailLocal[1], "the set-up's emails go by a local activity")
			h.mustUpdate(order.ActionCancel)
		},
		refund(h),
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnPayment))
	require.NoError(t, h.env.GetWorkflowError())
	// What the order waits for rode on the steps' own writes (its first write; the last
	// set-up step's), but where a step's answer decided it after its write: the close (money
	// held, so payment-review) and the refund's news.
	waits := 0
	for _, c := range h.calls {
		if c == "RecordWaiting" {
			waits++
		}
	}
	require.Equal(t, 2, waits, "%v", h.calls)
}

// A payment that sets nothing up sends its receipt alone; news of the invoice Paid again (a
// duplicate) sends none.
func TestReceiptAlone(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil }).Maybe()
	h.steps(time.Second,
		pay(h),
		pay(h),
		func() {
			require.Equal(t, order.WaitingAdminReview, h.state().WaitingFor)
			require.Equal(t, 2, h.emailBatches, "the placement's, then the receipt alone: %v", h.emails)
			require.Equal(t, email.InvoicePaymentConfirmation, h.emails[len(h.emails)-1].Template)
			h.mustUpdate(order.ActionCancel)
		},
		refund(h),
		func() { h.mustUpdate(order.ActionDelete) },
	)
	in := hostingOrder(order.SetupOnAccept)
	in.Order.Domains = nil // nothing set up on payment: no other email to ride with
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}
