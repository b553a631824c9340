package gateway

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82/webhook"
)

func TestParseGeneric(t *testing.T) {
	secret := []byte("s3cret-s3cret-s3cret")
	now := time.Unix(1_800_000_000, 0)
	good := []byte(`{"invoice_id": 12, "transaction_id": " T-1 ", "amount": "10.50", "currency": "usd", "status": "paid"}`)
	for _, tc := range []struct {
		name      string
		body      []byte
		ts        int64
		signature string
		wantField string // InputError field; "signature" for a SignatureError
	}{
		{name: "good", body: good, ts: now.Unix(), signature: Sign(secret, now.Unix(), good)},
		{name: "four minutes old", body: good, ts: now.Unix() - 240, signature: Sign(secret, now.Unix()-240, good)},
		{name: "stale", body: good, ts: now.Unix() - 301, signature: Sign(secret, now.Unix()-301, good), wantField: "signature"},
		{name: "from the future", body: good, ts: now.Unix() + 301, signature: Sign(secret, now.Unix()+301, good), wantField: "signature"},
		{name: "signed another time", body: good, ts: now.Unix(), signature: Sign(secret, now.Unix()-1, good), wantField: "signature"},
		{name: "other secret", body: good, ts: now.Unix(), signature: Sign([]byte("x"), now.Unix(), good), wantField: "signature"},
		{name: "no prefix", body: good, ts: now.Unix(), signature: Sign(secret, now.Unix(), good)[7:], wantField: "signature"},
		{name: "unknown field", body: []byte(`{"invoice_id": 1, "extra": 1}`), wantField: "body"},
		{name: "refund", body: []byte(`{"invoice_id": 1, "transaction_id": "R", "amount": "1", "currency": "EUR", "status": "refunded"}`)},
		{name: "bad status", body: []byte(`{"invoice_id": 1, "transaction_id": "R", "amount": "1", "currency": "EUR", "status": "ok"}`), wantField: "status"},
		{name: "bad currency", body: []byte(`{"invoice_id": 1, "transaction_id": "R", "amount": "1", "currency": "EURO", "status": "paid"}`), wantField: "currency"},
		{name: "too precise", body: []byte(`{"invoice_id": 1, "transaction_id": "R", "amount": "1.001", "currency": "EUR", "status": "paid"}`), wantField: "amount"},
		{name: "zero", body: []byte(`{"invoice_id": 1, "transaction_id": "R", "amount": "0", "currency": "EUR", "status": "paid"}`), wantField: "amount"},
		{name: "no transaction", body: []byte(`{"invoice_id": 1, "amount": "1", "currency": "EUR", "status": "paid"}`), wantField: "transaction_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.signature == "" {
				tc.ts, tc.signature = now.Unix(), Sign(secret, now.Unix(), tc.body)
			}
			ev, err := ParseGeneric("acme", secret, tc.body, itoa(tc.ts), tc.signature, now)
			switch {
			case tc.wantField == "":
				require.NoError(t, err)
				require.Equal(t, "acme", ev.Gateway)
				require.Equal(t, ev.Type+":"+ev.TransactionID, ev.ID)
			case tc.wantField == "signature":
				require.True(t, IsSignature(err), "%v", err)
			default:
				var ie *InputError
				require.ErrorAs(t, err, &ie)
				require.Equal(t, tc.wantField, ie.Field)
			}
		})
	}
	ev, err := ParseGeneric("acme", secret, good, itoa(now.Unix()), Sign(secret, now.Unix(), good), now)
	require.NoError(t, err)
	require.Equal(t, Event{Gateway: "acme", ID: "paid:T-1", Type: "paid", Kind: Payment, InvoiceID: 12, TransactionID: "T-1",
		Amount: 1050, Currency: "USD"}, ev)
}

func TestParseStripe(t *testing.T) {
	const secret = "whsec_unit"
	event := func(typ string, obj map[string]any) []byte {
		b, _ := json.Marshal(map[string]any{"id": "evt_1", "object": "event", "api_version": "2020-08-27", "type": typ,
			"data": map[string]any{"object": obj}})
		return b
	}
	parse := func(body []byte) (Event, error) {
		p := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: time.Now()})
		return ParseStripe(body, p.Header, secret)
	}
	meta := map[string]any{"invoice_id": "42"}

	ev, err := parse(event("checkout.session.completed", map[string]any{"id": "cs_1", "payment_status": "paid", "amount_total": 1999,
		"currency": "jpy", "payment_intent": map[string]any{"id": "pi_1"}, "metadata": meta}))
	require.NoError(t, err, "an event of another API version is read: the fields used are in every version")
	require.Equal(t, Event{Gateway: "stripe", ID: "evt_1", Type: "checkout.session.completed", Kind: Payment, InvoiceID: 42,
		TransactionID: "pi_1", Amount: 1999, Currency: "JPY"}, ev)

	ev, err = parse(event("checkout.session.completed", map[string]any{"id": "cs_1", "payment_status": "unpaid", "metadata": meta}))
	require.NoError(t, err)
	require.Empty(t, ev.Kind, "a delayed payment is not a payment yet")

	ev, err = parse(event("charge.refunded", map[string]any{"id": "ch_1", "payment_intent": "pi_1", "amount_refunded": 500, "currency": "usd"}))
	require.NoError(t, err)
	require.Equal(t, Event{Gateway: "stripe", ID: "evt_1", Type: "charge.refunded", Kind: Refund, TransactionID: "pi_1:refunded:500",
		ParentID: "pi_1", Amount: 500, Currency: "USD", CumulativeRefund: true}, ev)

	_, err = parse(event("payment_intent.succeeded", map[string]any{"id": "pi_2", "amount_received": 100, "currency": "usd",
		"metadata": map[string]any{"invoice_id": "forty-two"}}))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "data.object.metadata.invoice_id", ie.Field)

	_, err = ParseStripe(event("payment_intent.succeeded", nil), "t=1,v1=00", secret)
	require.True(t, IsSignature(err))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
