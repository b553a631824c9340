package cart

import (
	"context"
	"errors"
	"regexp"
	"strconv"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/secrets"
)

// eppPlaceholder stands in for a sealed EPP code when a cart is only priced: pricing asks that
// a transfer has one, never what it is, so a view opens no secret.
const eppPlaceholder = "sealed"

// placement is a cart as an order: what ordering prices and places, and which line each of
// its products and domains came from.
type placement struct {
	order      ordering.PlaceOrder
	itemLine   []int // order.Items[i] is lines[itemLine[i]]
	domainLine []int // order.Domains[i] is lines[domainLine[i]]
	lines      []Line
}

// toPlacement turns a cart's items into the order placing takes. open opens each transfer's
// EPP code (only checkout does; a view prices with a placeholder).
func toPlacement(cart db.Cart, items []db.CartItem, open func(db.CartItem) (string, error)) (placement, error) {
	p := placement{order: ordering.PlaceOrder{PromoCode: cart.PromoCode}}
	if cart.ClientID != nil {
		p.order.ClientID = *cart.ClientID
	}
	for i, it := range items {
		l := Line{ID: it.ID, Kind: ItemKind(it.Kind), BillingCycle: it.BillingCycle, Domain: it.Domain,
			DomainAction: DomainAction(it.DomainAction), Period: int(it.Period), HasEPPCode: it.EppCode != nil}
		epp := ""
		if l.HasEPPCode {
			var err error
			if epp, err = open(it); err != nil {
				return placement{}, err
			}
		}
		if l.Kind == KindProduct && it.ProductID != nil {
			l.ProductID = *it.ProductID
			p.order.Items = append(p.order.Items, ordering.PlaceItem{ProductID: l.ProductID, Domain: l.Domain, BillingCycle: l.BillingCycle})
			p.itemLine = append(p.itemLine, i)
		}
		if l.DomainAction == DomainRegister || l.DomainAction == DomainTransfer {
			p.order.Domains = append(p.order.Domains, ordering.PlaceDomain{Domain: l.Domain, Type: domainType(l.DomainAction),
				Period: l.Period, EPPCode: epp})
			p.domainLine = append(p.domainLine, i)
		}
		p.lines = append(p.lines, l)
	}
	return p, nil
}

func domainType(a DomainAction) order.DomainType {
	if a == DomainTransfer {
		return order.DomainTransfer
	}
	return order.DomainRegister
}

// price fills the lines' prices from a quote.
func (p *placement) price(o order.NewOrder) {
	for i, s := range o.Services {
		l := &p.lines[p.itemLine[i]]
		l.ProductName, l.SetupFee, l.Price = s.ProductName, s.SetupFee, s.Amount
	}
	for i, d := range o.Domains {
		p.lines[p.domainLine[i]].DomainPrice = d.Amount
	}
}

// quoteField is a refusal's field in the order placing prices: items[3].billing_cycle.
var quoteField = regexp.MustCompile(`^(items|domains)\[(\d+)\]`)

// blame turns a quote's refusal into the cart's: the line it is about carries it, and the
// refusal names the line ("Starter (Monthly): product 3 has no annually price in EUR"), so the
// customer knows which item to change. It answers the line's index, -1 for none.
func (p *placement) blame(err error) (int, error) {
	var f *fault.Error
	if !errors.As(err, &f) {
		return -1, err
	}
	m := quoteField.FindStringSubmatch(f.Field)
	if m == nil {
		return -1, err
	}
	n, _ := strconv.Atoi(m[2])
	lines := p.itemLine
	if m[1] == "domains" {
		lines = p.domainLine
	}
	if n >= len(lines) {
		return -1, err
	}
	i := lines[n]
	p.lines[i].Problem = f.Message
	return i, &fault.Error{Kind: f.Kind, Field: "items", Message: p.lines[i].Label() + ": " + f.Message}
}

// view prices a cart and its items as they are now, in the cart's currency.
func (c *Carts) view(ctx context.Context, q *db.Queries, cart db.Cart, items []db.CartItem) (View, *placement, error) {
	p, _ := toPlacement(cart, items, func(db.CartItem) (string, error) { return eppPlaceholder, nil })
	v := View{Currency: cart.Currency, PromoCode: cart.PromoCode, Revision: cart.Revision}
	if cart.ClientID != nil {
		v.ClientID = *cart.ClientID
	}
	// Names first, so a refusal of the quote can name its line.
	for i := range p.lines {
		if p.lines[i].Kind != KindProduct {
			continue
		}
		prod, err := q.ProductForCart(ctx, p.lines[i].ProductID)
		if err != nil {
			return View{}, nil, fault.Wrap(err, "read product %d", p.lines[i].ProductID)
		}
		p.lines[i].ProductName = prod.Name
	}
	if len(items) > 0 || cart.PromoCode != "" { // an empty cart's code is checked too
		o, err := c.ordering.QuoteIn(ctx, p.order, cart.Currency)
		if err == nil {
			p.price(o)
			v.Discount, v.Tax, v.Total = o.Discount, o.Tax, o.Amount
		} else if _, v.Problem = p.blame(err); !isRefusal(v.Problem) {
			return View{}, nil, fault.Wrap(err, "price the cart")
		}
	}
	v.Lines = p.lines
	return v, &p, nil
}

func isRefusal(err error) bool {
	var f *fault.Error
	return asFault(err, &f)
}

// asFault reports whether err is a refusal, and sets *f to it.
func asFault(err error, f **fault.Error) bool { return err != nil && errors.As(err, f) }

// openEPP opens a cart item's sealed EPP code for checkout.
func (c *Carts) openEPP(it db.CartItem) (string, error) {
	code, err := c.secrets.OpenFor(it.EppCode, secrets.CartEPPCode(it.ID))
	if err != nil {
		return "", &fault.Error{Kind: fault.Invalid, Field: "items",
			Message: it.Domain + ": the EPP code cannot be read any more; remove the transfer and add it again"}
	}
	return code, nil
}
