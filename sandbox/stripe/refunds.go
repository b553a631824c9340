package stripe

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// refund is Stripe's refund object.
type refund struct {
	ID                 string            `json:"id"`
	Object             string            `json:"object"`
	Amount             int64             `json:"amount"`
	BalanceTransaction string            `json:"balance_transaction"`
	Charge             string            `json:"charge"`
	Created            int64             `json:"created"`
	Currency           string            `json:"currency"`
	Metadata           map[string]string `json:"metadata"`
	PaymentIntent      string            `json:"payment_intent"`
	Reason             *string           `json:"reason"`
	ReceiptNumber      *string           `json:"receipt_number"`
	Status             string            `json:"status"`
}

// createRefund is POST /v1/refunds: all that is left of a charge, or amount of it, named by
// its PaymentIntent or its charge. The charge's charge.refunded event follows the answer.
func (s *Server) createRefund(r *http.Request, p url.Values) (int, any) {
	if status, body := checkParams(p, "amount", "charge", "currency", "customer", "expand", "instructions_email",
		"metadata", "origin", "payment_intent", "reason", "refund_application_fee", "reverse_transfer"); status != 0 {
		return status, body
	}
	pi, chID := p.Get("payment_intent"), p.Get("charge")
	if pi == "" && chID == "" {
		return invalid("parameter_missing", "", "One of the following params should be provided for this request: payment_intent or charge.")
	}
	var reason *string
	if v := p.Get("reason"); v != "" {
		if v != "duplicate" && v != "fraudulent" && v != "requested_by_customer" {
			return invalid("parameter_invalid_enum", "reason", "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer")
		}
		reason = &v
	}
	meta, status, body := metadata(p, "metadata")
	if status != 0 {
		return status, body
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var ch *charge
	if chID != "" {
		if ch = s.charges[chID]; ch == nil || ch.ID != chID {
			return invalid("resource_missing", "charge", "No such charge: '%s'", chID)
		}
		if pi != "" && ch.PaymentIntent != pi {
			return invalid("", "payment_intent", "Charge %s does not belong to PaymentIntent %s.", chID, pi)
		}
	} else if ch = s.charges[pi]; ch == nil || ch.PaymentIntent != pi {
		return invalid("resource_missing", "payment_intent", "No such payment_intent: '%s'", pi)
	}
	if c := p.Get("currency"); c != "" && c != ch.Currency {
		return invalid("", "currency", "The currency %s does not match the charge's currency %s.", c, ch.Currency)
	}
	left := ch.Amount - ch.AmountRefunded
	if left == 0 {
		return invalid("charge_already_refunded", "", "Charge %s has already been refunded.", ch.ID)
	}
	amount := left
	if v := p.Get("amount"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return invalid("parameter_invalid_integer", "amount", "Invalid positive integer")
		}
		if n > left {
			return invalid("amount_too_large", "amount", "Refund amount (%s) is greater than unrefunded amount on charge (%s)",
				formatAmount(n, ch.Currency), formatAmount(left, ch.Currency))
		}
		amount = n
	}
	re := &refund{ID: newID("re_"), Object: "refund", Amount: amount, BalanceTransaction: newID("txn_"), Charge: ch.ID,
		Created: time.Now().Unix(), Currency: ch.Currency, Metadata: meta, PaymentIntent: ch.PaymentIntent, Reason: reason,
		Status: "succeeded"}
	s.refunds[re.ID] = re
	previous := map[string]any{"amount_refunded": ch.AmountRefunded}
	ch.AmountRefunded += amount
	if ch.AmountRefunded == ch.Amount {
		ch.Refunded = true
		previous["refunded"] = false
	}
	ev := s.newEvent("charge.refunded", *ch, previous, eventRequest{ID: requestID(r.Context()), IdempotencyKey: idempotencyKey(r.Context())})
	s.deliverLater(ev)
	return http.StatusOK, *re
}

// getRefund is GET /v1/refunds/{id}.
func (s *Server) getRefund(r *http.Request, p url.Values) (int, any) {
	if status, body := checkParams(p, "expand"); status != 0 {
		return status, body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	re := s.refunds[r.PathValue("id")]
	if re == nil {
		return invalid("resource_missing", "id", "No such refund: '%s'", r.PathValue("id"))
	}
	return http.StatusOK, *re
}

// Refunded is a refund the stand-in made, as a test reads it.
type Refunded struct {
	ID            string
	PaymentIntent string
	Amount        int64 // in Stripe's units of the charge's currency
	Metadata      map[string]string
}

// Refunds lists the refunds made so far.
func (s *Server) Refunds() []Refunded {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Refunded, 0, len(s.refunds))
	for _, re := range s.refunds {
		out = append(out, Refunded{ID: re.ID, PaymentIntent: re.PaymentIntent, Amount: re.Amount, Metadata: re.Metadata})
	}
	return out
}
