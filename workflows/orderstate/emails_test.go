package orderstate

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/order"
)

func TestPlacementEmails(t *testing.T) {
	paid := []order.NewService{{ProductName: "Basic", Amount: 100}}
	free := []order.NewService{{ProductName: "Basic"}}
	for _, tc := range []struct {
		name string
		o    order.NewOrder
		want []string
	}{
		{"client area", order.NewOrder{Services: paid, Actor: "client:9"},
			[]string{email.OrderConfirmation, email.InvoiceCreated, email.NewOrderNotification}},
		{"integration", order.NewOrder{Services: paid, Actor: order.WHMCSAPI},
			[]string{email.OrderConfirmation, email.InvoiceCreated, email.NewOrderNotification}},
		{"console: staff know", order.NewOrder{Services: paid, Actor: order.Admin("grace@host.example")},
			[]string{email.OrderConfirmation, email.InvoiceCreated}},
		{"paid at once: no invoice to announce", order.NewOrder{Services: free, Actor: "client:9"},
			[]string{email.OrderConfirmation, email.NewOrderNotification}},
		{"noinvoiceemail", order.NewOrder{Services: paid, Actor: order.AdminAPI, NoInvoiceEmail: true},
			[]string{email.OrderConfirmation, email.NewOrderNotification}},
		{"no_email: an import tells nobody", order.NewOrder{Services: paid, Actor: order.AdminAPI, NoEmail: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, PlacementEmails(tc.o)) })
	}
}

func TestReceiptDue(t *testing.T) {
	for _, tc := range []struct {
		was, now order.InvoiceStatus
		noEmail  bool
		want     bool
	}{
		{order.InvoiceUnpaid, order.InvoicePaid, false, true},
		{order.InvoiceRefunded, order.InvoicePaid, false, true},
		{order.InvoiceCancelled, order.InvoicePaid, false, true},
		{order.InvoiceUnpaid, order.InvoicePaid, true, false},
		{order.InvoicePaid, order.InvoicePaid, false, false},
		{order.InvoiceUnpaid, order.InvoiceUnpaid, false, false},
		{order.InvoicePaid, order.InvoiceRefunded, false, false},
	} {
		got := ReceiptDue(order.NewOrder{NoEmail: tc.noEmail}, tc.was, tc.now)
		require.Equal(t, tc.want, got, "%s → %s, no_email %v", tc.was, tc.now, tc.noEmail)
	}
}
