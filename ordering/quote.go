package ordering

import (
	"context"
	"fmt"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/tax"
)

// Quote checks and prices an order exactly as Place would, and writes nothing: the console's
// Add New Order page shows the total before the admin places the order.
func (s *Ordering) Quote(ctx context.Context, p PlaceOrder) (order.NewOrder, error) {
	if err := input.Check(p); err != nil {
		return order.NewOrder{}, err
	}
	in, err := s.priceOrder(ctx, p, false)
	return in.Order, err
}

// QuoteIn checks and prices an order's products, domains and promotion code in currency,
// exactly as Place would, for a visitor who is not a client yet: the store's cart, whose
// currency is the visitor's choice until a client's own replaces it. Who pays and how (the
// client, the payment method, the fraud check) is not asked; Quote and Place ask it at
// checkout. Nothing is written, and no price comes from the caller: an override is refused.
func (s *Ordering) QuoteIn(ctx context.Context, p PlaceOrder, currency string) (order.NewOrder, error) {
	if err := input.Check(p); err != nil {
		return order.NewOrder{}, err
	}
	if !money.ValidCurrency(currency) {
		return order.NewOrder{}, fault.Invalidf("currency", "must be an ISO 4217 code such as USD")
	}
	if err := CheckOrderSize(p.lines()); err != nil {
		return order.NewOrder{}, err
	}
	for i, it := range p.Items {
		if it.PriceOverride != "" {
			return order.NewOrder{}, fault.Invalidf(fmt.Sprintf("items[%d].price_override", i), "only an admin may set a price")
		}
	}
	for i, d := range p.Domains {
		if d.PriceOverride != "" {
			return order.NewOrder{}, fault.Invalidf(fmt.Sprintf("domains[%d].price_override", i), "only an admin may set a price")
		}
	}
	// A signed-in visitor's cart is taxed as its client will be at checkout.
	var who tax.Client
	if p.ClientID != 0 {
		c, err := s.q().GetClient(ctx, p.ClientID)
		if err != nil {
			return order.NewOrder{}, fault.Wrap(fault.OrAbsent(err, "Client ID Not Found"), "read the cart's client %d", p.ClientID)
		}
		who = taxClient(c)
	}
	o, err := s.priceLines(ctx, s.q(), p, p.ClientID, currency, who, false)
	if err != nil {
		return order.NewOrder{}, err
	}
	o.Amount = o.Total()
	return o, nil
}
