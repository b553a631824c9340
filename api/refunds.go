package api

import (
	"net/http"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// addRefund serves POST /invoices/{id}/refunds: one payment of the invoice given back, through
// its gateway, recorded as given back by hand, or added to the client's credit (method).
// An Idempotency-Key makes a retried request the same refund.
func (h *Handler) addRefund(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	key, ok := idempotencyKey(w, r)
	if !ok {
		return
	}
	var in billing.Refund
	if !decode(w, r, &in) {
		return
	}
	in.Actor = actor(r)
	res, err := h.svc.Refund(r.Context(), id, in, key)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeEntry(w, res)
}

// refundJSON is one refund of Cancel & Refund's answer.
type refundJSON struct {
	Payment       string `json:"payment"`                  // the payment given back
	TransactionID string `json:"transaction_id,omitempty"` // the gateway's id of the refund
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Error         string `json:"error,omitempty"` // why it was not given back
}

func refundsView(rs []ordermsg.Refunded) []refundJSON {
	out := make([]refundJSON, 0, len(rs))
	for _, r := range rs {
		out = append(out, refundJSON{Payment: r.Payment, TransactionID: r.TransactionID, Amount: money.Format(r.Amount, r.Currency),
			Currency: r.Currency, Error: r.Error})
	}
	return out
}
