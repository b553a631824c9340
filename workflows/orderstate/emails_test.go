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

func TestNewlyPaid(t *testing.T) {
	for _, tc := range []struct {
		was, now order.InvoiceStatus
		want     bool
	}{
		{order.InvoiceUnpaid, order.InvoicePaid, true},
		{order.InvoiceRefunded, order.InvoicePaid, true},
		{order.InvoicePaid, order.InvoicePaid, false},
		{order.InvoiceUnpaid, order.InvoiceUnpaid, false},
		{order.InvoicePaid, order.InvoiceRefunded, false},
	} {
		require.Equal(t, tc.want, NewlyPaid(tc.was, tc.now), "%s → %s", tc.was, tc.now)
	}
}
