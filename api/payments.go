package api

import (
	"net/http"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
)

// unmatchedJSON is money a gateway reported that matches no invoice.
type unmatchedJSON struct {
	ID            int64     `json:"id"`
	Gateway       string    `json:"gateway"`
	EventID       string    `json:"event_id"`
	Kind          string    `json:"kind"`
	TransactionID string    `json:"transaction_id"`
	ParentID      string    `json:"parent_id,omitempty"`
	InvoiceID     int64     `json:"invoice_id,omitempty"`
	Amount        string    `json:"amount"`
	Currency      string    `json:"currency"`
	Reason        string    `json:"reason"`
	ReceivedAt    time.Time `json:"received_at"`
}

// listUnmatchedPayments serves GET /api/v1/payments/unmatched: keyset pages, newest first.
func (h *Handler) listUnmatchedPayments(w http.ResponseWriter, r *http.Request) {
	limit, cursor, ok := keysetPage(w, r)
	if !ok {
		return
	}
	rows, err := h.svc.UnmatchedPayments(r.Context(), billing.UnmatchedFilter{Limit: limit, Cursor: cursor})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]unmatchedJSON, len(rows))
	for i, u := range rows {
		out[i] = unmatchedJSON{ID: u.ID, Gateway: u.Gateway, EventID: u.EventID, Kind: u.Kind, TransactionID: u.TransactionID,
			ParentID: u.ParentID, InvoiceID: u.InvoiceID, Amount: money.Format(u.Amount, u.Currency), Currency: u.Currency,
			Reason: u.Reason, ReceivedAt: u.ReceivedAt}
	}
	page := map[string]any{"unmatched_payments": out}
	if len(rows) == int(limit) {
		page["next_cursor"] = rows[len(rows)-1].ID
	}
	writeJSON(w, http.StatusOK, page)
}

// keysetPage reads a list's page: limit (1 to 500, 50 if absent or 0) and cursor, the last id
// of the previous page (0 for the first).
func keysetPage(w http.ResponseWriter, r *http.Request) (limit int32, cursor int64, ok bool) {
	n, ok := queryInt(w, r, "limit", 50, 500)
	if ok {
		cursor, ok = queryInt(w, r, "cursor", 0, 0)
	}
	if n == 0 {
		n = 50
	}
	return int32(n), cursor, ok
}
