package api

import (
	"net/http"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/tax"
)

// taxRuleJSON is a tax rule as the API answers it: "" country or state is any, the rate a
// percentage with three decimals, as WHMCS answers rates.
type taxRuleJSON struct {
	ID      int64     `json:"id"`
	Level   tax.Level `json:"level"`
	Name    string    `json:"name"`
	Country string    `json:"country"`
	State   string    `json:"state"`
	Rate    string    `json:"rate"`
}

func taxRuleView(r tax.Rule) taxRuleJSON {
	return taxRuleJSON{ID: r.ID, Level: r.Level, Name: r.Name, Country: r.Country, State: r.State, Rate: r.Rate.String()}
}

// createTaxRule serves POST /api/v1/tax-rules.
func (h *Handler) createTaxRule(w http.ResponseWriter, r *http.Request) {
	var in catalog.NewTaxRule
	if !decode(w, r, &in) {
		return
	}
	rule, err := h.svc.CreateTaxRule(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, taxRuleView(rule))
}

// listTaxRules serves GET /api/v1/tax-rules: every rule, oldest first.
func (h *Handler) listTaxRules(w http.ResponseWriter, r *http.Request) {
	rules, err := h.svc.TaxRules(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]taxRuleJSON, len(rules))
	for i, rule := range rules {
		out[i] = taxRuleView(rule)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tax_rules": out})
}

// deleteTaxRule serves DELETE /api/v1/tax-rules/{id}.
func (h *Handler) deleteTaxRule(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	if err := h.svc.DeleteTaxRule(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "deleted": true})
}
