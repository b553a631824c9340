// Package billing serves WHMCS's actions on an order's money: invoices (GetInvoice,
// GetInvoices, UpdateInvoice), payments and transactions (AddInvoicePayment, AddTransaction,
// GetTransactions), client credit (AddCredit, GetCredits, ApplyCredit), payment methods (GetPaymentMethods) and promotion codes (GetPromotions),
// over the core's billing.
package billing

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// Actions are the billing actions, over the core.
type Actions struct {
	svc       *service.Service
	publicURL string
}

// New returns the billing actions.
//
// publicURL is where clients reach hostflow (HOSTFLOW_PUBLIC_URL): GetInvoice answers the
// invoice's page in the client area under it.
func New(svc *service.Service, publicURL string) *Actions {
	return &Actions{svc: svc, publicURL: strings.TrimSuffix(publicURL, "/")}
}

// GetPaymentMethods serves GetPaymentMethods.
func (a *Actions) GetPaymentMethods(ctx context.Context, _ wire.Params) (wire.Reply, error) {
	methods, err := a.svc.PaymentMethods(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, m := range methods {
		list = append(list, map[string]any{"module": m, "displayname": billing.MethodName(m)})
	}
	return wire.Reply{"totalresults": len(list), "paymentmethods": map[string]any{"paymentmethod": list}}, nil
}

// promotionTypes are WHMCS's words for the promotion types.
var promotionTypes = map[billing.PromotionType]string{billing.PromotionPercentage: "Percentage",
	billing.PromotionFixed: "Fixed Amount"}

// GetPromotions lists the promotion codes as WHMCS's GetPromotions does. The fields WHMCS has
// and hostflow's promotions do not (cycles, requirements, upgrades) answer as WHMCS does for a
// promotion without them.
func (a *Actions) GetPromotions(ctx context.Context, p wire.Params) (wire.Reply, error) {
	rows, err := a.svc.Promotions(ctx, p.Str("code"))
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, pr := range rows {
		applies := make([]string, len(pr.ProductIDs))
		for i, id := range pr.ProductIDs {
			applies[i] = wire.ID(id)
		}
		list = append(list, map[string]any{"id": pr.ID, "code": pr.Code, "type": promotionTypes[pr.Type],
			"recurring": json.Number(wire.Flag01(pr.Recurring)), "value": json.Number(billing.PromotionValue(pr)), "cycles": "",
			"appliesto": strings.Join(applies, ","), "requires": "", "requiresexisting": 0, "startdate": wire.YMD(pr.StartsOn),
			"expirationdate": wire.YMD(pr.ExpiresOn), "maxuses": pr.MaxUses, "uses": pr.Uses, "lifetimepromo": 0, "applyonce": 0, "newsignups": 0,
			"existingclient": 0, "onceperclient": 0, "recurfor": 0, "upgrades": 0, "upgradeconfig": "", "notes": pr.Notes})
	}
	return wire.Reply{"totalresults": len(list), "promotions": map[string]any{"promotion": list}}, nil
}
