package whmcs

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hostflow/hostflow/billing"
)

// promotionTypes are WHMCS's words for the promotion types.
var promotionTypes = map[billing.PromotionType]string{billing.PromotionPercentage: "Percentage",
	billing.PromotionFixed: "Fixed Amount"}

// getPromotions lists the promotion codes as WHMCS's GetPromotions does. The fields WHMCS has
// and hostflow's promotions do not (cycles, requirements, upgrades) answer as WHMCS does for a
// promotion without them.
func (h *Handler) getPromotions(ctx context.Context, p params) (reply, error) {
	rows, err := h.svc.Promotions(ctx, p.str("code"))
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, pr := range rows {
		applies := make([]string, len(pr.ProductIDs))
		for i, id := range pr.ProductIDs {
			applies[i] = str(id)
		}
		list = append(list, map[string]any{"id": pr.ID, "code": pr.Code, "type": promotionTypes[pr.Type],
			"recurring": json.Number(flag01(pr.Recurring)), "value": json.Number(billing.PromotionValue(pr)), "cycles": "",
			"appliesto": strings.Join(applies, ","), "requires": "", "requiresexisting": 0, "startdate": ymd(pr.StartsOn),
			"expirationdate": ymd(pr.ExpiresOn), "maxuses": pr.MaxUses, "uses": pr.Uses, "lifetimepromo": 0, "applyonce": 0, "newsignups": 0,
			"existingclient": 0, "onceperclient": 0, "recurfor": 0, "upgrades": 0, "upgradeconfig": "", "notes": pr.Notes})
	}
	return reply{"totalresults": len(list), "promotions": map[string]any{"promotion": list}}, nil
}
