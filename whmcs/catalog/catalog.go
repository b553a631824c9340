// Package catalog serves WHMCS's actions on what is sold and where it is set up: GetProducts,
// GetServers, GetTLDPricing and GetCurrencies, with the one mapping between WHMCS's currency
// ids and codes that every action taking or giving a currency id goes through.
package catalog

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// Actions are the catalogue's actions, over the core.
type Actions struct{ svc *service.Service }

// New returns the catalogue's actions.
func New(svc *service.Service) *Actions { return &Actions{svc: svc} }

// GetProducts serves GetProducts.
func (a *Actions) GetProducts(ctx context.Context, p wire.Params) (wire.Reply, error) {
	want := map[int64]bool{}
	for _, s := range strings.Split(p.Str("pid"), ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			want[id] = true
		}
	}
	products, err := a.svc.ListProducts(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, pr := range products {
		if len(want) > 0 && !want[pr.ID] || p.Str("module") != "" && pr.Module != p.Str("module") {
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
		gid := int64(0) // WHMCS's gid of a product in no group
		if pr.GroupID != nil {
			gid = *pr.GroupID
		}
		list = append(list, map[string]any{"pid": pr.ID, "gid": gid, "type": pr.Type, "name": pr.Name, "slug": "", "product-url": "",
			"description": pr.Description, "module": pr.Module, "paytype": paytype, "allowqty": 0, "quantity_available": 0,
			"pricing": pricing, "customfields": map[string]any{"customfield": []any{}}, "configoptions": map[string]any{"configoption": []any{}}})
	}
	return wire.Reply{"totalresults": len(list), "startnumber": 0, "numreturned": len(list), "products": map[string]any{"product": list}}, nil
}

// GetServers serves GetServers.
func (a *Actions) GetServers(ctx context.Context, p wire.Params) (wire.Reply, error) {
	servers, err := a.svc.ListServers(ctx)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, s := range servers {
		if m := p.Str("servicemodule"); m != "" && !strings.EqualFold(m, s.Module) {
			continue
		}
		used := 0
		if s.MaxAccounts > 0 {
			used = int(s.Accounts * 100 / int64(s.MaxAccounts))
		}
		list = append(list, map[string]any{"id": s.ID, "name": s.Name, "hostname": s.Hostname, "ipaddress": "", "active": s.Active,
			"activeServices": s.Accounts, "maxAllowedServices": s.MaxAccounts, "percentUsed": used, "module": s.Module,
			"status": map[string]any{"http": false, "load": "", "uptime": ""}})
	}
	// fetchStatus asks WHMCS to probe each server: hostflow does not, and answers as WHMCS does unasked.
	return wire.Reply{"servers": list, "fetchStatus": ""}, nil
}

// GetTLDPricing serves GetTLDPricing.
func (a *Actions) GetTLDPricing(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Int("currencyid")
	if err != nil {
		return nil, err
	}
	code, err := CurrencyByID(ctx, a.svc, max(id, 1))
	if err != nil {
		return nil, err
	}
	tlds, err := a.svc.ListTLDs(ctx)
	if err != nil {
		return nil, err
	}
	pricing := map[string]any{}
	for _, t := range tlds {
		if t.Currency != code {
			continue
		}
		name := strings.TrimPrefix(t.TLD, ".")
		register, transfer, renew := money.Format(t.RegisterPrice, code), money.Format(t.TransferPrice, code), money.Format(t.RenewPrice, code)
		// hostflow prices one year (n years cost n times as much).
		pricing[name] = map[string]any{"tld": name, "categories": []any{}, "addons": map[string]any{"dns": false, "email": false,
			"idprotect": false}, "group": "", "register": map[string]any{"1": register}, "transfer": map[string]any{"1": transfer},
			"renew": map[string]any{"1": renew}, "grace_period": nil, "redemption_period": nil}
	}
	return wire.Reply{"currency": map[string]any{"id": max(id, 1), "code": code, "prefix": "", "suffix": " " + code, "format": 1,
		"rate": "1.00000"}, "pricing": pricing}, nil
}

// GetCurrencies serves GetCurrencies.
func (a *Actions) GetCurrencies(ctx context.Context, _ wire.Params) (wire.Reply, error) {
	codes, err := Currencies(ctx, a.svc)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, c := range codes {
		list = append(list, map[string]any{"id": strconv.FormatInt(c.ID, 10), "code": c.Code, "prefix": "", "suffix": " " + c.Code,
			"format": "1", "rate": "1.00000"})
	}
	return wire.Reply{"totalresults": strconv.Itoa(len(list)), "currencies": map[string]any{"currency": list}}, nil
}

// CurrencyList is GetCurrencies' list: the one mapping between WHMCS's currency ids and
// codes, for every action that takes or gives an id.
type CurrencyList []catalog.Currency

// Currencies reads the list.
func Currencies(ctx context.Context, svc *service.Service) (CurrencyList, error) {
	codes, err := svc.Currencies(ctx)
	return CurrencyList(codes), err
}

// ID is a code's WHMCS id; 0 for a code not in the list.
func (l CurrencyList) ID(code string) int64 {
	if i := slices.IndexFunc(l, func(c catalog.Currency) bool { return c.Code == code }); i >= 0 {
		return l[i].ID
	}
	return 0
}

// Code is an id's currency code, refused in WHMCS's words when there is none.
func (l CurrencyList) Code(id int64) (string, error) {
	if i := slices.IndexFunc(l, func(c catalog.Currency) bool { return c.ID == id }); i >= 0 {
		return l[i].Code, nil
	}
	return "", wire.Fail("Currency ID Not Found")
}

// CurrencyByID is WHMCS's currency id as a code; "" for none (0).
func CurrencyByID(ctx context.Context, svc *service.Service, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	codes, err := Currencies(ctx, svc)
	if err != nil {
		return "", err
	}
	return codes.Code(id)
}
