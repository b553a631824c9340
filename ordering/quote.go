package ordering

import (
	"context"

	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
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
