package gateway

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/money"
)

// Generic callback headers: the timestamp, and sha256=<hex HMAC-SHA256 of timestamp "." body>.
const (
	HeaderTimestamp = "X-Hostflow-Timestamp"
	HeaderSignature = "X-Hostflow-Signature"
)

// Sign returns the X-Hostflow-Signature value for body sent at ts: what a gateway computes.
func Sign(secret []byte, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// genericBody is the callback's JSON.
type genericBody struct {
	InvoiceID     int64  `json:"invoice_id"`
	TransactionID string `json:"transaction_id"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Status        string `json:"status"`
}

// ParseGeneric verifies a generic gateway callback and reads it. The signature is checked on
// the raw body before a byte of it is parsed.
func ParseGeneric(name string, secret, body []byte, timestamp, signature string, now time.Time) (Event, error) {
	ts, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil {
		return Event{}, &SignatureError{Reason: HeaderTimestamp + " must be unix seconds"}
	}
	if age := now.Sub(time.Unix(ts, 0)); age > Tolerance || age < -Tolerance {
		return Event{}, &SignatureError{Reason: "timestamp is more than 5 minutes from now"}
	}
	if !strings.HasPrefix(signature, "sha256=") {
		return Event{}, &SignatureError{Reason: HeaderSignature + " must be sha256=<hex>"}
	}
	if !hmac.Equal([]byte(signature), []byte(Sign(secret, ts, body))) {
		return Event{}, &SignatureError{Reason: "no valid signature"}
	}

	var b genericBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Event{}, inputError("body", "not the callback JSON: %v", err)
	}
	ev := Event{Gateway: name, TransactionID: strings.TrimSpace(b.TransactionID), InvoiceID: b.InvoiceID,
		Currency: strings.ToUpper(b.Currency), Type: b.Status}
	switch b.Status {
	case "paid":
		ev.Kind = Payment
	case "refunded":
		ev.Kind = Refund
	default:
		return Event{}, inputError("status", `must be "paid" or "refunded"`)
	}
	if ev.InvoiceID <= 0 {
		return Event{}, inputError("invoice_id", "must be a positive integer")
	}
	if ev.TransactionID == "" {
		return Event{}, inputError("transaction_id", "is required")
	}
	if !money.ValidCurrency(ev.Currency) {
		return Event{}, inputError("currency", "must be an ISO 4217 code")
	}
	if ev.Amount, err = money.Parse(b.Amount, ev.Currency); err != nil {
		return Event{}, inputError("amount", "%v", err)
	}
	if ev.Amount <= 0 {
		return Event{}, inputError("amount", "must be more than zero")
	}
	ev.ID = b.Status + ":" + ev.TransactionID
	return ev, nil
}
