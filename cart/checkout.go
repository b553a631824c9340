package cart

import (
	"context"
	"fmt"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

// SignIn gives the visitor's cart to the client who signed in, so the cart survives sign-in: it
// is priced in the client's currency from then on, and a cart the client left earlier (on
// another device, or before signing out) is merged into it, the newer items first in line for
// room under MaxItems and a domain in both kept once. Without a cart under the token, the
// client's earlier cart takes the token. A cart under the token that another client owns is
// not theirs to merge (a shared computer): it is refused as a Conflict, and the adapter gives
// the visitor a new token.
func (c *Carts) SignIn(ctx context.Context, v Visitor, clientID int64) (View, error) {
	h, err := tokenHash(v.Token)
	if err != nil {
		return View{}, err
	}
	err = dbtx.InTx(ctx, c.pool, func(q *db.Queries) error {
		client, err := q.GetClient(ctx, clientID)
		if err != nil {
			return fault.OrInvalid(err, "client_id", "Client ID Not Found")
		}
		since := dbtx.Timestamptz(c.idleSince())
		mine, err := q.LockCart(ctx, db.LockCartParams{TokenHash: h, IdleSince: since})
		hasMine := err == nil
		if err != nil && !dbtx.IsNoRows(err) {
			return fault.Wrap(err, "lock the cart")
		}
		if hasMine && mine.ClientID != nil && *mine.ClientID != clientID {
			return &fault.Error{Kind: fault.Conflict, Field: "cart", Message: "this cart belongs to another account"}
		}
		earlier, err := q.ClientCart(ctx, &clientID)
		hasEarlier := err == nil && (!hasMine || earlier.ID != mine.ID)
		if err != nil && !dbtx.IsNoRows(err) {
			return fault.Wrap(err, "read the client's cart")
		}
		if hasEarlier && !earlier.UpdatedAt.Time.After(c.idleSince()) { // expired: forget it
			if err := q.DeleteCart(ctx, earlier.ID); err != nil {
				return fault.Wrap(err, "forget the client's idle cart")
			}
			hasEarlier = false
		}
		switch {
		case !hasMine && !hasEarlier:
			return nil // nothing to carry over: the first add makes the cart
		case !hasMine:
			// The client's earlier cart takes this device's token (an idle cart under it goes).
			if err := q.DeleteCartByToken(ctx, h); err != nil {
				return fault.Wrap(err, "forget the idle cart of the token")
			}
			if err := q.RekeyCart(ctx, db.RekeyCartParams{ID: earlier.ID, TokenHash: h}); err != nil {
				return fault.Wrap(err, "re-key the client's cart")
			}
			mine = earlier
		case hasEarlier:
			if err := c.merge(ctx, q, mine, earlier); err != nil {
				return err
			}
		}
		if err := q.SetCartClient(ctx, db.SetCartClientParams{ID: mine.ID, ClientID: &clientID, Currency: client.Currency}); err != nil {
			return fault.Wrap(err, "give the cart to client %d", clientID)
		}
		return fault.Wrap(q.TouchCart(ctx, mine.ID), "mark the cart changed")
	})
	if err != nil {
		return View{}, err
	}
	return c.View(ctx, Visitor{Token: v.Token, Addr: v.Addr, Currency: v.Currency})
}

// merge moves the items of cart from into cart into while there is room after into's own
// (newer) ones, skipping a domain into has already (lines stay in the order they were added); then forgets from. into's promotion code
// wins, else from's is kept. The items keep their ids, so their sealed EPP codes still open.
func (c *Carts) merge(ctx context.Context, q *db.Queries, into, from db.Cart) error {
	have, err := q.CartItems(ctx, into.ID)
	if err != nil {
		return fault.Wrap(err, "read the cart's items")
	}
	theirs, err := q.CartItems(ctx, from.ID)
	if err != nil {
		return fault.Wrap(err, "read the client's earlier cart")
	}
	var move []int64
	for _, it := range theirs {
		if len(have)+len(move) >= MaxItems {
			break
		}
		if it.Domain != "" && inCart(it.Domain, have) != nil {
			continue
		}
		move = append(move, it.ID)
	}
	if err := q.MoveCartItems(ctx, db.MoveCartItemsParams{ToCart: into.ID, Ids: move}); err != nil {
		return fault.Wrap(err, "merge the client's earlier cart")
	}
	if into.PromoCode == "" && from.PromoCode != "" {
		if err := q.SetCartPromo(ctx, db.SetCartPromoParams{ID: into.ID, PromoCode: from.PromoCode}); err != nil {
			return fault.Wrap(err, "keep the earlier promotion code")
		}
	}
	return fault.Wrap(q.DeleteCart(ctx, from.ID), "forget the merged cart")
}

// Checkout is what the checkout page adds to the cart: who pays, how, and from where.
type Checkout struct {
	ClientID      int64
	PaymentMethod string
	// ClientIP is the customer's address: a client-area order carries it, so it gets the
	// fraud check, as WHMCS checks client-area orders and not admin ones.
	ClientIP string
	Notes    string
}

// ReasonCartChanged refuses a checkout whose cart changed while it was read.
const ReasonCartChanged = "The cart changed while the order was being completed: check it and complete the order again"

// Checkout turns the signed-in client's cart into the order to place, exactly what the cart
// quoted: the same items, cycles, domains, EPP codes (opened here, the one place they are) and
// promotion code, priced by ordering.Quote as Place will price them, and with an idempotency key
// of the cart's revision, so a double click on Complete Order places one order and a changed
// cart is a new one. Refused: an empty cart (WHMCS's EmptyCart), a cart another client owns (as
// not found), a product hidden since it was added, or whatever Quote refuses, naming the item.
// The adapter places the order with ordering.Place, then calls Empty.
func (c *Carts) Checkout(ctx context.Context, v Visitor, co Checkout) (ordering.PlaceOrder, order.NewOrder, error) {
	h, err := tokenHash(v.Token)
	if err != nil {
		return ordering.PlaceOrder{}, order.NewOrder{}, fault.Invalidf("items", "%s", EmptyCart)
	}
	q := c.q()
	cart, err := q.GetCart(ctx, db.GetCartParams{TokenHash: h, IdleSince: dbtx.Timestamptz(c.idleSince())})
	if dbtx.IsNoRows(err) {
		return ordering.PlaceOrder{}, order.NewOrder{}, fault.Invalidf("items", "%s", EmptyCart)
	}
	if err != nil {
		return ordering.PlaceOrder{}, order.NewOrder{}, fault.Wrap(err, "read the cart")
	}
	if cart.ClientID == nil || *cart.ClientID != co.ClientID {
		return ordering.PlaceOrder{}, order.NewOrder{}, fault.Absent("cart not found: sign in to check out")
	}
	items, err := q.CartItems(ctx, cart.ID)
	if err != nil {
		return ordering.PlaceOrder{}, order.NewOrder{}, fault.Wrap(err, "read the cart's items")
	}
	if len(items) == 0 {
		return ordering.PlaceOrder{}, order.NewOrder{}, fault.Invalidf("items", "%s", EmptyCart)
	}
	// The items are keyed by the revision read before them: a change in between (another tab
	// adding an item) would place them under the old revision's key, and a second click would
	// place them again under the new one.
	again, err := q.GetCart(ctx, db.GetCartParams{TokenHash: h, IdleSince: dbtx.Timestamptz(c.idleSince())})
	if err != nil {
		return ordering.PlaceOrder{}, order.NewOrder{}, fault.OrAbsent(err, "cart not found: sign in to check out")
	}
	if again.Revision != cart.Revision {
		return ordering.PlaceOrder{}, order.NewOrder{}, &fault.Error{Kind: fault.Conflict, Message: ReasonCartChanged}
	}
	for _, it := range items {
		if it.ProductID == nil {
			continue
		}
		prod, err := q.ProductForCart(ctx, *it.ProductID)
		if err != nil {
			return ordering.PlaceOrder{}, order.NewOrder{}, fault.Wrap(err, "read product %d", *it.ProductID)
		}
		if prod.Hidden {
			return ordering.PlaceOrder{}, order.NewOrder{}, fault.Invalidf("items", "%s is no longer sold in the store: remove it", prod.Name)
		}
	}
	p, err := toPlacement(cart, items, c.openEPP)
	if err != nil {
		return ordering.PlaceOrder{}, order.NewOrder{}, err
	}
	p.order.ClientID, p.order.PaymentMethod, p.order.ClientIP, p.order.Notes = co.ClientID, co.PaymentMethod, co.ClientIP, co.Notes
	p.order.IdempotencyKey = fmt.Sprintf("cart-%d-%d", cart.ID, cart.Revision)
	for i := range p.lines {
		if p.lines[i].Kind == KindProduct {
			if prod, err := q.ProductForCart(ctx, p.lines[i].ProductID); err == nil {
				p.lines[i].ProductName = prod.Name
			}
		}
	}
	quote, err := c.ordering.Quote(ctx, p.order)
	if err != nil {
		_, err = p.blame(err)
		return ordering.PlaceOrder{}, order.NewOrder{}, err
	}
	return p.order, quote, nil
}
