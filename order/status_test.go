package order

import "testing"

func TestPaymentTaken(t *testing.T) {
	for _, tc := range []struct {
		w    WaitingFor
		p    InvoiceStatus
		want bool
	}{
		{WaitingPayment, InvoicePaid, true},
		{WaitingPayment, InvoiceUnpaid, false},
		{WaitingAdminReview, InvoicePaid, false},
		{"", InvoicePaid, false},
	} {
		if got := PaymentTaken(tc.w, tc.p); got != tc.want {
			t.Errorf("PaymentTaken(%q, %q) = %v, want %v", tc.w, tc.p, got, tc.want)
		}
	}
}
