package api

import (
	"net/http"

	"github.com/hostflow/hostflow/billing"
)

// promotionJSON is a promotion as the REST API shows it: value as a decimal, a percentage or
// an amount in currency.
type promotionJSON struct {
	ID         int64   `json:"id"`
	Code       string  `json:"code"`
	Type       string  `json:"type"`
	Value      string  `json:"value"`
	Currency   string  `json:"currency,omitempty"`
	Recurring  bool    `json:"recurring"`
	ProductIDs []int64 `json:"product_ids"`
	StartsOn   string  `json:"starts_on,omitempty"`
	ExpiresOn  string  `json:"expires_on,omitempty"`
	MaxUses    int32   `json:"max_uses"`
	Uses       int32   `json:"uses"`
	Notes      string  `json:"notes,omitempty"`
}

func promotionView(p billing.Promotion) promotionJSON {
	out := promotionJSON{ID: p.ID, Code: p.Code, Type: string(p.Type), Currency: p.Currency, Recurring: p.Recurring, ProductIDs: p.ProductIDs,
		MaxUses: p.MaxUses, Uses: p.Uses, Notes: p.Notes, Value: billing.PromotionValue(p)}
	if !p.StartsOn.IsZero() {
		out.StartsOn = p.StartsOn.Format("2006-01-02")
	}
	if !p.ExpiresOn.IsZero() {
		out.ExpiresOn = p.ExpiresOn.Format("2006-01-02")
	}
	return out
}

func (h *Handler) createPromotion(w http.ResponseWriter, r *http.Request) {
	var in billing.NewPromotion
	if !decode(w, r, &in) {
		return
	}
	p, err := h.svc.CreatePromotion(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, promotionView(p))
}

func (h *Handler) listPromotions(w http.ResponseWriter, r *http.Request) {
	rows, err := h.svc.Promotions(r.Context(), r.URL.Query().Get("code"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]promotionJSON, len(rows))
	for i, p := range rows {
		out[i] = promotionView(p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"promotions": out})
}
