package cart

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
)

// View shows the visitor's cart priced now; a token without a cart is an empty cart in the
// visitor's currency, and nothing is written for it.
func (c *Carts) View(ctx context.Context, v Visitor) (View, error) {
	h, err := tokenHash(v.Token)
	if err != nil {
		return View{Currency: v.Currency}, nil
	}
	q := c.q()
	cart, err := q.GetCart(ctx, db.GetCartParams{TokenHash: h, IdleSince: dbtx.Timestamptz(c.idleSince())})
	if dbtx.IsNoRows(err) {
		return View{Currency: v.Currency}, nil
	}
	if err != nil {
		return View{}, fault.Wrap(err, "read the cart")
	}
	items, err := q.CartItems(ctx, cart.ID)
	if err != nil {
		return View{}, fault.Wrap(err, "read the cart's items")
	}
	// A cart looked at is in use: it does not expire while the customer comes back to it.
	if err := q.KeepCart(ctx, cart.ID); err != nil {
		return View{}, fault.Wrap(err, "keep the cart")
	}
	out, _, err := c.view(ctx, q, cart, items)
	return out, err
}

// change runs fn on the visitor's cart, locked, in one transaction, creating the cart if
// create is set (an idle one under the same token starts again empty), and answers the cart
// priced after the change. fn answers the item it added or changed (0 for none): a change that
// makes that item unsellable (a cycle the product is not sold in, a domain ordered meanwhile)
// is refused and undone, while a problem elsewhere in the cart is only shown.
func (c *Carts) change(ctx context.Context, v Visitor, create bool, fn func(q *db.Queries, cart *db.Cart, items []db.CartItem) (int64, error)) (View, error) {
	h, err := tokenHash(v.Token)
	if err != nil {
		return View{}, err
	}
	var out View
	err = dbtx.InTx(ctx, c.pool, func(q *db.Queries) error {
		since := dbtx.Timestamptz(c.idleSince())
		cart, err := q.LockCart(ctx, db.LockCartParams{TokenHash: h, IdleSince: since})
		if dbtx.IsNoRows(err) {
			if !create {
				return fault.Absent("the cart is empty")
			}
			if cart, err = c.createCart(ctx, q, h, v.Currency); err != nil {
				return err
			}
		} else if err != nil {
			return fault.Wrap(err, "lock the cart")
		}
		items, err := q.CartItems(ctx, cart.ID)
		if err != nil {
			return fault.Wrap(err, "read the cart's items")
		}
		changed, err := fn(q, &cart, items)
		if err != nil {
			return err
		}
		if err := q.TouchCart(ctx, cart.ID); err != nil {
			return fault.Wrap(err, "mark the cart changed")
		}
		cart.Revision++
		if items, err = q.CartItems(ctx, cart.ID); err != nil {
			return fault.Wrap(err, "read the cart's items")
		}
		var p *placement
		if out, p, err = c.view(ctx, q, cart, items); err != nil {
			return err
		}
		return refuseChange(changed, out, p)
	})
	return out, err
}

// promoChanged is what a change of the promotion code answers for the item it changed.
const promoChanged = -1

// refuseChange answers why a change must be undone, nil if it may stay: the item it added or
// changed cannot be ordered as it is now, or the promotion code it set does not apply (WHMCS
// refuses such a code at once rather than keep it).
func refuseChange(changed int64, out View, p *placement) error {
	var f *fault.Error
	switch {
	case changed == promoChanged && out.PromoCode == "":
		return nil
	case changed == promoChanged && asFault(out.Problem, &f) && f.Field == "promo_code":
		return out.Problem
	case changed == promoChanged && out.Problem == nil && out.Discount == nil && len(out.Lines) > 0:
		return fault.Invalidf("promo_code", "%s", PromoNotApplicable)
	case changed > 0 && out.Problem != nil:
		if i := slices.IndexFunc(p.lines, func(l Line) bool { return l.ID == changed }); i >= 0 && p.lines[i].Problem != "" {
			return out.Problem
		}
	}
	return nil
}

// createCart makes the cart of a token, or starts again the idle one it had.
func (c *Carts) createCart(ctx context.Context, q *db.Queries, h []byte, currency string) (db.Cart, error) {
	currency = strings.ToUpper(strings.TrimSpace(currency))
	if !money.ValidCurrency(currency) {
		return db.Cart{}, fault.Invalidf("currency", "must be an ISO 4217 code such as USD")
	}
	cart, err := q.CreateCart(ctx, db.CreateCartParams{TokenHash: h, Currency: currency})
	if err != nil {
		return db.Cart{}, fault.Wrap(err, "create the cart")
	}
	if !cart.UpdatedAt.Time.After(c.idleSince()) { // expired, not yet purged: a fresh start
		if err := q.ResetCart(ctx, cart.ID); err != nil {
			return db.Cart{}, fault.Wrap(err, "start the idle cart again")
		}
		if err := q.SetCartCurrency(ctx, db.SetCartCurrencyParams{ID: cart.ID, Currency: currency}); err != nil {
			return db.Cart{}, fault.Wrap(err, "set the cart's currency")
		}
		cart.ClientID, cart.PromoCode, cart.Currency = nil, "", currency
	}
	return cart, nil
}

// AddProduct puts a product in the cart with its billing cycle and domain choice. Refused: a
// product the store does not show, a cycle it is not sold in (naming the ones it is), a
// hosting account set up by a panel module without a domain, a domain that cannot be had as
// chosen (malformed, an unsold TLD, taken for a registration, unregistered for a transfer), a
// transfer without its EPP code, a domain already in the cart, a full cart.
func (c *Carts) AddProduct(ctx context.Context, v Visitor, p ProductChoice) (View, error) {
	return c.change(ctx, v, true, func(q *db.Queries, cart *db.Cart, items []db.CartItem) (int64, error) {
		if err := checkRoom(items); err != nil {
			return 0, err
		}
		prod, err := q.ProductForCart(ctx, p.ProductID)
		if err != nil {
			return 0, fault.OrInvalid(err, "product_id", "Product ID Not Found")
		}
		if prod.Hidden {
			return 0, fault.Invalidf("product_id", "%s is not sold in the store", prod.Name)
		}
		if prod.Stock != nil && *prod.Stock <= 0 {
			return 0, fault.Invalidf("product_id", "%s is out of stock", prod.Name)
		}
		if p.BillingCycle, err = offeredCycle(ctx, q, prod, p.BillingCycle, cart.Currency); err != nil {
			return 0, err
		}
		if p.DomainAction == DomainNone && strings.TrimSpace(p.Domain) != "" {
			p.DomainAction = DomainExisting
		}
		if p.DomainAction == DomainNone {
			p.Period = 1 // no domain: the column's default, unused
			if catalog.NeedsDomain(prod.Type, prod.Module) {
				return 0, fault.Invalidf("domain", "%s needs a domain: register a new one, transfer yours or use one you have", prod.Name)
			}
		} else if p.Domain, p.Period, err = c.checkDomain(ctx, v.Addr, cart.Currency, p.Domain, p.DomainAction, p.Period, p.EPPCode, items); err != nil {
			return 0, err
		}
		it, err := q.AddCartItem(ctx, db.AddCartItemParams{CartID: cart.ID, Kind: string(KindProduct), ProductID: &prod.ID,
			BillingCycle: p.BillingCycle, Domain: p.Domain, DomainAction: string(p.DomainAction), Period: int32(p.Period)})
		if err != nil {
			return 0, fault.Wrap(err, "add %s to the cart", prod.Name)
		}
		return it.ID, c.sealEPP(ctx, q, it, p.DomainAction, p.EPPCode)
	})
}

// AddDomain puts a domain registration or transfer alone in the cart, refused as AddProduct
// refuses a product's domain.
func (c *Carts) AddDomain(ctx context.Context, v Visitor, d DomainChoice) (View, error) {
	return c.change(ctx, v, true, func(q *db.Queries, cart *db.Cart, items []db.CartItem) (int64, error) {
		if err := checkRoom(items); err != nil {
			return 0, err
		}
		if d.Action != DomainRegister && d.Action != DomainTransfer {
			return 0, fault.Invalidf("action", "must be %s or %s", DomainRegister, DomainTransfer)
		}
		var err error
		if d.Domain, d.Period, err = c.checkDomain(ctx, v.Addr, cart.Currency, d.Domain, d.Action, d.Period, d.EPPCode, items); err != nil {
			return 0, err
		}
		it, err := q.AddCartItem(ctx, db.AddCartItemParams{CartID: cart.ID, Kind: string(KindDomain), Domain: d.Domain,
			DomainAction: string(d.Action), Period: int32(d.Period)})
		if err != nil {
			return 0, fault.Wrap(err, "add %s to the cart", d.Domain)
		}
		return it.ID, c.sealEPP(ctx, q, it, d.Action, d.EPPCode)
	})
}

// sealEPP stores a transfer's EPP code sealed to its row, which only exists once inserted.
func (c *Carts) sealEPP(ctx context.Context, q *db.Queries, it db.CartItem, action DomainAction, code string) error {
	if action != DomainTransfer {
		return nil
	}
	sealed := c.secrets.SealFor(strings.TrimSpace(code), secrets.CartEPPCode(it.ID))
	return fault.Wrap(q.SetCartItemEPPCode(ctx, db.SetCartItemEPPCodeParams{ID: it.ID, EppCode: sealed}), "store the EPP code")
}

func checkRoom(items []db.CartItem) error {
	if len(items) >= MaxItems {
		return fault.Invalidf("items", "a cart holds at most %d items: check out these first", MaxItems)
	}
	return nil
}

// offeredCycle is the billing cycle asked for, if the product is sold in it in currency, or
// its first one when none is asked; otherwise a refusal naming the product and its cycles.
func offeredCycle(ctx context.Context, q *db.Queries, prod db.ProductForCartRow, cycle order.BillingCycle, currency string) (order.BillingCycle, error) {
	cycles, err := q.ProductCycles(ctx, db.ProductCyclesParams{ProductID: prod.ID, Currency: currency})
	if err != nil {
		return "", fault.Wrap(err, "read the cycles of product %d", prod.ID)
	}
	if len(cycles) == 0 {
		return "", fault.Invalidf("product_id", "%s is not sold in %s", prod.Name, currency)
	}
	slices.SortFunc(cycles, func(a, b order.BillingCycle) int { return cycleRank(a) - cycleRank(b) })
	if cycle == "" {
		return cycles[0], nil
	}
	if !slices.Contains(cycles, cycle) {
		names := make([]string, len(cycles))
		for i, c := range cycles {
			names[i] = c.Name()
		}
		what := string(cycle)
		if cycle.Valid() {
			what = cycle.Name()
		}
		return "", fault.Invalidf("billing_cycle", "%s is not sold %s in %s (it is sold %s)", prod.Name, what, currency,
			strings.Join(names, ", "))
	}
	return cycle, nil
}

// cycleRank orders billing cycles as WHMCS lists them, shortest first.
func cycleRank(c order.BillingCycle) int {
	return slices.IndexFunc(order.BillingCycles, func(b order.CycleInfo) bool { return b.Cycle == c })
}

// checkDomain checks a domain choice and answers the domain in its one form and the period:
// the name, its TLD and availability for a registration or transfer (asked at the TLD's
// registrar through catalog.CheckDomain, counted against addr), the EPP code of a transfer,
// and that the cart does not hold the domain already.
func (c *Carts) checkDomain(ctx context.Context, addr, currency, name string, action DomainAction, period int, epp string,
	items []db.CartItem) (string, int, error) {
	if strings.TrimSpace(name) == "" {
		return "", 0, fault.Invalidf("domain", "is required")
	}
	if period == 0 {
		period = 1
	}
	switch action {
	case DomainExisting:
		d, err := input.Domain(name)
		if err != nil || !strings.Contains(d, ".") {
			return "", 0, fault.Invalidf("domain", "%q is not a domain name", strings.TrimSpace(name))
		}
		return d, 1, inCart(d, items)
	case DomainRegister, DomainTransfer:
	default:
		return "", 0, fault.Invalidf("domain_action", "must be %s, %s or %s", DomainRegister, DomainTransfer, DomainExisting)
	}
	if period < 1 || period > catalog.MaxDomainYears {
		return "", 0, fault.Invalidf("period", "must be 1 to %d years", catalog.MaxDomainYears)
	}
	a, err := c.catalog.CheckDomain(ctx, addr, name, currency)
	if err != nil {
		return "", 0, err
	}
	// The TLD's EPP Code setting says whether a transfer needs one; a TLD we do not sell is
	// refused below for what it is.
	if action == DomainTransfer && strings.TrimSpace(epp) == "" && (a.EPPRequired || a.TLD == "") {
		return "", 0, fault.Invalidf("epp_code", "a transfer needs the domain's EPP code")
	}
	if err := inCart(a.Domain, items); err != nil {
		return "", 0, err
	}
	switch {
	case a.Status == catalog.DomainMalformed, a.Status == catalog.DomainUnsupported:
		return "", 0, fault.Invalidf("domain", "%s", a.Message)
	case action == DomainRegister && a.Status != catalog.DomainAvailable:
		return "", 0, fault.Invalidf("domain", "%s", a.Message)
	case action == DomainTransfer && a.Status == catalog.DomainTaken && !a.CanTransfer:
		return "", 0, fault.Invalidf("domain", "%s", a.Message)
	case action == DomainTransfer && a.Checked && a.Status != catalog.DomainTaken:
		return "", 0, fault.Invalidf("domain", "%s is not registered yet: register it instead", a.Domain)
	}
	return a.Domain, period, nil
}

func inCart(domain string, items []db.CartItem) error {
	if slices.ContainsFunc(items, func(it db.CartItem) bool { return it.Domain == domain }) {
		return fault.Invalidf("domain", "%s is already in your cart", domain)
	}
	return nil
}

// Remove takes one item out of the cart.
func (c *Carts) Remove(ctx context.Context, v Visitor, itemID int64) (View, error) {
	return c.change(ctx, v, false, func(q *db.Queries, cart *db.Cart, _ []db.CartItem) (int64, error) {
		n, err := q.RemoveCartItem(ctx, db.RemoveCartItemParams{ID: itemID, CartID: cart.ID})
		if err == nil && n == 0 {
			err = fault.Absent(fmt.Sprintf("item %d is not in the cart", itemID))
		}
		return 0, fault.Wrap(err, "remove item %d", itemID)
	})
}

// SetCycle changes a product's billing cycle, refused for a cycle it is not sold in.
func (c *Carts) SetCycle(ctx context.Context, v Visitor, itemID int64, cycle order.BillingCycle) (View, error) {
	return c.change(ctx, v, false, func(q *db.Queries, cart *db.Cart, items []db.CartItem) (int64, error) {
		i := slices.IndexFunc(items, func(it db.CartItem) bool { return it.ID == itemID && it.ProductID != nil })
		if i < 0 {
			return 0, fault.Absent(fmt.Sprintf("item %d is not a product in the cart", itemID))
		}
		prod, err := q.ProductForCart(ctx, *items[i].ProductID)
		if err != nil {
			return 0, fault.Wrap(err, "read product %d", *items[i].ProductID)
		}
		if cycle, err = offeredCycle(ctx, q, prod, cycle, cart.Currency); err != nil {
			return 0, err
		}
		_, err = q.SetCartItemCycle(ctx, db.SetCartItemCycleParams{ID: itemID, CartID: cart.ID, BillingCycle: cycle})
		return itemID, fault.Wrap(err, "set the cycle of item %d", itemID)
	})
}

// SetPeriod changes the years of an item's registration or transfer.
func (c *Carts) SetPeriod(ctx context.Context, v Visitor, itemID int64, years int) (View, error) {
	return c.change(ctx, v, false, func(q *db.Queries, cart *db.Cart, _ []db.CartItem) (int64, error) {
		if years < 1 || years > catalog.MaxDomainYears {
			return 0, fault.Invalidf("period", "must be 1 to %d years", catalog.MaxDomainYears)
		}
		n, err := q.SetCartItemPeriod(ctx, db.SetCartItemPeriodParams{ID: itemID, CartID: cart.ID, Period: int32(years)})
		if err == nil && n == 0 {
			err = fault.Absent(fmt.Sprintf("item %d is not a domain registration or transfer in the cart", itemID))
		}
		return itemID, fault.Wrap(err, "set the period of item %d", itemID)
	})
}

// SetPromo applies a promotion code to the cart, or removes it ("" removes). A code that does
// not exist, has not started, has expired, is used up, is in another currency or takes nothing
// off this cart is refused, in WHMCS's words, and not kept.
func (c *Carts) SetPromo(ctx context.Context, v Visitor, code string) (View, error) {
	code = strings.TrimSpace(code)
	out, err := c.change(ctx, v, code != "", func(q *db.Queries, cart *db.Cart, _ []db.CartItem) (int64, error) {
		cart.PromoCode = code
		return promoChanged, fault.Wrap(q.SetCartPromo(ctx, db.SetCartPromoParams{ID: cart.ID, PromoCode: code}), "set the promotion code")
	})
	if code == "" && isAbsent(err) {
		return View{Currency: v.Currency}, nil
	}
	return out, err
}

// PromoNotApplicable is WHMCS's refusal of a promotion code that takes nothing off the cart.
const PromoNotApplicable = "The promotion code entered does not apply to any items in your cart"

// SetCurrency changes the currency a visitor's cart is priced in (the store's currency
// picker). A signed-in client's cart stays in the client's currency.
func (c *Carts) SetCurrency(ctx context.Context, v Visitor, currency string) (View, error) {
	return c.change(ctx, Visitor{Token: v.Token, Addr: v.Addr, Currency: currency}, true,
		func(q *db.Queries, cart *db.Cart, _ []db.CartItem) (int64, error) {
			currency = strings.ToUpper(strings.TrimSpace(currency))
			switch {
			case cart.ClientID != nil && currency != cart.Currency:
				return 0, fault.Invalidf("currency", "your account pays in %s", cart.Currency)
			case !money.ValidCurrency(currency):
				return 0, fault.Invalidf("currency", "must be an ISO 4217 code such as USD")
			}
			cart.Currency = currency
			return 0, fault.Wrap(q.SetCartCurrency(ctx, db.SetCartCurrencyParams{ID: cart.ID, Currency: currency}), "set the currency")
		})
}

// Empty takes every item and the promotion code out of the cart; checkout's adapter calls it
// once the order is placed.
func (c *Carts) Empty(ctx context.Context, v Visitor) error {
	_, err := c.change(ctx, v, false, func(q *db.Queries, cart *db.Cart, _ []db.CartItem) (int64, error) {
		cart.PromoCode = ""
		if err := q.EmptyCart(ctx, cart.ID); err != nil {
			return 0, fault.Wrap(err, "empty the cart")
		}
		return 0, fault.Wrap(q.SetCartPromo(ctx, db.SetCartPromoParams{ID: cart.ID}), "clear the promotion code")
	})
	if isAbsent(err) {
		return nil
	}
	return err
}

func isAbsent(err error) bool {
	var f *fault.Error
	return asFault(err, &f) && f.Kind == fault.NotFound && f.Field == ""
}
