package whmcs

import (
	"context"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

func (h *Handler) getProducts(ctx context.Context, p params) (reply, error) {
	want := map[int64]bool{}
	for _, s := range strings.Split(p.str("pid"), ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			want[id] = true
		}
	}
	products, err := h.svc.ListProducts(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, pr := range products {
		if len(want) > 0 && !want[pr.ID] || p.str("module") != "" && pr.Module != p.str("module") {
			continue
		}
		pricing := map[string]any{}
		paytype := "recurring"
		for _, price := range pr.Prices {
			cur := pricing[price.Currency]
			if cur == nil {
				c := map[string]any{"prefix": "", "suffix": price.Currency}
				for _, k := range order.BillingCycles {
					if k.SetupKey != "" { // WHMCS prices the recurring cycles
						c[string(k.Cycle)], c[k.SetupKey] = "-1.00", "0.00" // -1.00: not offered
					}
				}
				pricing[price.Currency], cur = c, c
			}
			c := cur.(map[string]any)
			cycle := price.BillingCycle
			switch cycle {
			case order.Free:
				paytype = "free"
			case order.OneTime:
				paytype = "onetime"
				cycle = order.Monthly // WHMCS gives a one-time price as monthly's
			}
			for _, k := range order.BillingCycles {
				if k.Cycle == cycle && k.SetupKey != "" {
					c[string(k.Cycle)], c[k.SetupKey] = money.Format(price.Price, price.Currency), money.Format(price.SetupFee, price.Currency)
				}
			}
		}
		list = append(list, map[string]any{"pid": pr.ID, "gid": 0, "type": pr.Type, "name": pr.Name, "slug": "", "product-url": "",
			"description": "", "module": pr.Module, "paytype": paytype, "allowqty": 0, "quantity_available": 0,
			"pricing": pricing, "customfields": map[string]any{"customfield": []any{}}, "configoptions": map[string]any{"configoption": []any{}}})
	}
	return reply{"totalresults": len(list), "startnumber": 0, "numreturned": len(list), "products": map[string]any{"product": list}}, nil
}
