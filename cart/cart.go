// Package cart is the store's cart, kept server-side in PostgreSQL under a random token the
// adapter holds in a cookie: products with their billing cycle and domain choice, domains
// alone, and a promotion code. A cart holds no price: its totals are quoted by ordering's
// pricing, the same prices and checks as placing, each time it is shown, and Checkout turns it
// into the ordering.PlaceOrder that checkout places. It survives sign-in (the client's earlier
// cart is merged into it), expires when idle, and is capped.
package cart

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/token"
)

// Limits of a cart.
const (
	// MaxItems caps the items of one cart: a customer's order, not a bulk API (an order holds
	// at most ordering.MaxOrderItems products and domains, and each item here may be two).
	MaxItems = 25
	// IdleAfter is how long a cart lives unused: after it, it is as if it never was, and
	// PurgeIdle forgets it.
	IdleAfter = 30 * 24 * time.Hour
	// tokenBytes is the cookie token's randomness; minTokenLen refuses shorter tokens, which
	// a visitor could guess.
	tokenBytes  = 32
	minTokenLen = 32
)

// EmptyCart is WHMCS's refusal of a checkout with nothing in the cart.
const EmptyCart = "No items added to cart so order cannot proceed"

// ItemKind is what a cart item is.
type ItemKind string

// Item kinds.
const (
	KindProduct ItemKind = "product" // a product with its billing cycle and domain choice
	KindDomain  ItemKind = "domain"  // a domain registration or transfer alone
)

// DomainAction is what is done with an item's domain.
type DomainAction string

// Domain actions: the store's choice "Register a new domain" / "Transfer your domain" / "Use
// an existing domain", or none (a product without a domain).
const (
	DomainNone     DomainAction = ""
	DomainRegister DomainAction = "register"
	DomainTransfer DomainAction = "transfer"
	DomainExisting DomainAction = "existing"
)

// Visitor is who asks: the cart cookie's token, the client address (which availability
// checks are counted against), and the currency a new cart starts in (the store's currency
// picker; a client's cart is in the client's own currency).
type Visitor struct {
	Token    string
	Addr     string
	Currency string
}

// ProductChoice is a product as the store's Configure step sends it.
type ProductChoice struct {
	ProductID    int64
	BillingCycle order.BillingCycle // "" takes the first cycle the product is sold in
	Domain       string
	DomainAction DomainAction
	Period       int    // years of a registration or transfer; 0 is 1
	EPPCode      string // a transfer's
}

// DomainChoice is a domain registered or transferred alone.
type DomainChoice struct {
	Domain  string
	Action  DomainAction // DomainRegister or DomainTransfer
	Period  int          // years; 0 is 1
	EPPCode string       // a transfer's
}

// View is a cart as the store shows it, priced now.
type View struct {
	ClientID  int64 // 0 until the visitor signs in
	Currency  string
	PromoCode string
	Lines     []Line
	// Discount is what the promotion code takes off, nil without one that applies.
	Discount *order.Discount
	// Tax is the tax the quote worked out, nil without any (tax off, untaxed items, exempt).
	Tax *order.Tax
	// Total is what the order would cost now: the quote's, 0 while Problem is set.
	Total int64
	// Problem is why the cart cannot be ordered as it is (a product no longer sold in the
	// cycle, a domain ordered meanwhile, an expired promotion), naming the item; the line
	// carries it too. Checkout refuses with it until the customer fixes the cart.
	Problem error
	// Revision counts the cart's changes.
	Revision int64
}

// Line is one item of a cart, with its price.
type Line struct {
	ID           int64
	Kind         ItemKind
	ProductID    int64
	ProductName  string
	BillingCycle order.BillingCycle
	Domain       string
	DomainAction DomainAction
	Period       int
	HasEPPCode   bool
	// SetupFee and Price are the product's (its first payment), DomainPrice the
	// registration or transfer for the period, in minor units of the view's currency.
	SetupFee    int64
	Price       int64
	DomainPrice int64
	// Problem is why this item cannot be ordered as it is; "" when it can.
	Problem string
}

// Total is what the line costs before the promotion.
func (l Line) Total() int64 { return l.SetupFee + l.Price + l.DomainPrice }

// Label names the line for the customer: "Starter (Monthly) example.com", "example.com (register, 2 years)".
func (l Line) Label() string {
	if l.Kind == KindProduct {
		s := l.ProductName + " (" + l.BillingCycle.Name() + ")"
		if l.Domain != "" {
			s += " " + l.Domain
		}
		return s
	}
	return fmt.Sprintf("%s (%s, %d year%s)", l.Domain, l.DomainAction, l.Period, plural(l.Period))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Carts holds what the cart's rules need.
type Carts struct {
	pool     *pgxpool.Pool
	secrets  *secrets.Box
	ordering *ordering.Ordering // prices, as placing does
	catalog  *catalog.Catalog   // domain availability
	now      func() time.Time
}

// New makes the cart's rules.
func New(pool *pgxpool.Pool, box *secrets.Box, ord *ordering.Ordering, cat *catalog.Catalog) *Carts {
	return &Carts{pool: pool, secrets: box, ordering: ord, catalog: cat, now: time.Now}
}

// NewToken is a fresh cart token for the adapter's cookie.
func NewToken() string { return token.New(tokenBytes) }

func (c *Carts) q() *db.Queries { return db.New(c.pool) }

// idleSince is the moment before which an unused cart has expired.
func (c *Carts) idleSince() time.Time { return c.now().Add(-IdleAfter) }

// tokenHash is what is stored of a token: its SHA-256, so a database dump opens no cart.
func tokenHash(tok string) ([]byte, error) {
	if len(tok) < minTokenLen {
		return nil, fault.Invalidf("cart", "not a cart token")
	}
	h := sha256.Sum256([]byte(tok))
	return h[:], nil
}

// PurgeIdle forgets the carts unused for IdleAfter, with their items; the starter runs it
// periodically. It answers how many went.
func (c *Carts) PurgeIdle(ctx context.Context) (int64, error) {
	n, err := c.q().PurgeIdleCarts(ctx, dbtx.Timestamptz(c.idleSince()))
	return n, fault.Wrap(err, "purge idle carts")
}
