package api

import (
	"net/http"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
)

// creditJSON is a client's credit: the balance in each currency, and the log, newest first.
type creditJSON struct {
	ClientID int64               `json:"client_id"`
	Currency string              `json:"currency"` // the client's own
	Balances []creditBalanceJSON `json:"balances"`
	Credits  []creditRowJSON     `json:"credits"`
}

type creditBalanceJSON struct {
	Currency string `json:"currency"`
	Balance  string `json:"balance"`
}

type creditRowJSON struct {
	ID          int64     `json:"id"`
	Date        time.Time `json:"date"`
	Kind        string    `json:"kind"` // overpayment, refund, admin or applied
	Description string    `json:"description"`
	Amount      string    `json:"amount"` // negative takes credit away
	Currency    string    `json:"currency"`
	InvoiceID   int64     `json:"invoice_id,omitempty"`
	Actor       string    `json:"actor"`
}

// getCredit serves GET /api/v1/clients/{id}/credit.
func (h *Handler) getCredit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	c, err := h.svc.ClientCredit(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := creditJSON{ClientID: c.ClientID, Currency: c.Currency, Balances: []creditBalanceJSON{}, Credits: []creditRowJSON{}}
	for _, b := range c.Balances {
		out.Balances = append(out.Balances, creditBalanceJSON{Currency: b.Currency, Balance: money.Format(b.Amount, b.Currency)})
	}
	for _, row := range c.Log {
		out.Credits = append(out.Credits, creditRowJSON{ID: row.ID, Date: row.Date, Kind: string(row.Kind), Description: row.Description,
			Amount: money.Format(row.Amount, row.Currency), Currency: row.Currency, InvoiceID: row.InvoiceID, Actor: string(row.Actor)})
	}
	writeJSON(w, http.StatusOK, out)
}

// postCredit serves POST /api/v1/clients/{id}/credit: Add Credit, or with a negative amount
// Remove Credit. An Idempotency-Key makes a retry a no-op (200 with duplicate true).
func (h *Handler) postCredit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	key, ok := idempotencyKey(w, r)
	if !ok {
		return
	}
	var in billing.CreditChange
	if !decode(w, r, &in) {
		return
	}
	in.Key, in.Actor = key, actor(r)
	res, err := h.svc.ChangeCredit(r.Context(), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"id": res.ID, "client_id": res.ClientID, "amount": money.Format(res.Amount, res.Currency),
		"currency": res.Currency, "balance": money.Format(res.Balance, res.Currency), "duplicate": res.Duplicate})
}
