package gateway

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82/webhook"
)

func TestStripeToMinor(t *testing.T) {
	tests := []struct {
		name     string
		amount   int64
		currency string
		want     int64
		wantErr  bool
	}{
		// Two-decimal in Stripe and ISO 4217: unchanged.
		{"USD cents", 1999, "USD", 1999, false},
		{"EUR", 1, "EUR", 1, false},
		{"HUF two-decimal in charges", 150050, "HUF", 150050, false},
		{"TWD two-decimal in charges", 1001, "TWD", 1001, false},
		{"IDR two-decimal in both", 1500000, "IDR", 1500000, false},
		// Zero-decimal in Stripe and ISO 4217: unchanged.
		{"JPY", 500, "JPY", 500, false},
		{"KRW", 10000, "KRW", 10000, false},
		{"PYG", 35000, "PYG", 35000, false},
		{"XPF", 1193, "XPF", 1193, false},
		{"VUV", 7, "VUV", 7, false},
		// Three-decimal in Stripe and ISO 4217: unchanged, last digit 0 or not.
		{"KWD", 5120, "KWD", 5120, false},
		{"BHD", 1000, "BHD", 1000, false},
		{"TND unrounded", 5124, "TND", 5124, false},
		// Two-decimal in Stripe for backwards compatibility, zero-decimal in ISO 4217.
		{"ISK 5 as 500", 500, "ISK", 5, false},
		{"UGX 3800 as 380000", 380000, "UGX", 3800, false},
		{"ISK fractional", 150, "ISK", 0, true},
		{"UGX fractional", 380001, "UGX", 0, true},
		// Zero-decimal in Stripe, two-decimal in ISO 4217.
		{"MGA", 5000, "MGA", 500000, false},
		{"MGA overflow", math.MaxInt64 / 10, "MGA", 0, true},
		// Two-decimal in Stripe, three-decimal in ISO 4217 (not a Stripe three-decimal currency).
		{"IQD", 150, "IQD", 1500, false},
		{"LYD", 1, "LYD", 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := stripeToMinor(tt.amount, tt.currency)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseStripeCurrency(t *testing.T) {
	const secret = "whsec_unit"
	parse := func(obj map[string]any) (Event, error) {
		body, _ := json.Marshal(map[string]any{"id": "evt_1", "object": "event", "type": "payment_intent.succeeded",
			"data": map[string]any{"object": obj}})
		p := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: time.Now()})
		return ParseStripe(body, p.Header, secret)
	}
	meta := map[string]any{"invoice_id": "42"}
	for _, tc := range []struct {
		name      string
		amount    int64
		currency  string
		want      int64
		wantField string
	}{
		{name: "usd", amount: 2699, currency: "usd", want: 2699},
		{name: "jpy", amount: 3000, currency: "jpy", want: 3000},
		{name: "kwd", amount: 8250, currency: "kwd", want: 8250},
		{name: "isk", amount: 490000, currency: "isk", want: 4900},
		{name: "mga", amount: 50000, currency: "mga", want: 5000000},
		{name: "isk fractional", amount: 490050, currency: "isk", wantField: "data.object"},
		{name: "unknown currency", amount: 100, currency: "zzz", wantField: "data.object.currency"},
		{name: "withdrawn currency", amount: 100, currency: "hrk", wantField: "data.object.currency"},
		{name: "no currency", amount: 100, currency: "", wantField: "data.object.currency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := parse(map[string]any{"id": "pi_1", "amount_received": tc.amount, "currency": tc.currency, "metadata": meta})
			if tc.wantField != "" {
				var ie *InputError
				require.ErrorAs(t, err, &ie)
				require.Equal(t, tc.wantField, ie.Field)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, ev.Amount)
		})
	}

	// A refund is converted too; its transaction id keeps Stripe's own cumulative amount.
	body, _ := json.Marshal(map[string]any{"id": "evt_2", "object": "event", "type": "charge.refunded",
		"data": map[string]any{"object": map[string]any{"id": "ch_1", "payment_intent": "pi_1", "amount_refunded": 120000, "currency": "ugx"}}})
	p := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: time.Now()})
	ev, err := ParseStripe(body, p.Header, secret)
	require.NoError(t, err)
	require.Equal(t, int64(1200), ev.Amount)
	require.Equal(t, "pi_1:refunded:120000", ev.TransactionID)
}
