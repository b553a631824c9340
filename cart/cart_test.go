package cart_test

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/cart"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/registrar/namecheap"
	ncsandbox "github.com/hostflow/hostflow/sandbox/namecheap"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/testenv"
)

// store is a cart over a fresh database with a catalogue: Starter (a cPanel hosting account,
// monthly and annually in USD, monthly in EUR), Extra (an "other" product, monthly in USD),
// Secret (hidden), Staff (in a hidden group), Sold Out (stock 0), .com through the Namecheap sandbox over HTTP, .org by hand, a client paying
// in USD and one in EUR, and the promotion SAVE10 (10%).
type store struct {
	t                    *testing.T
	carts                *cart.Carts
	ord                  *ordering.Ordering
	q                    *db.Queries
	box                  *secrets.Box
	pool                 *pgxpool.Pool
	starter, extra, hide int64
	staff, soldOut       int64
	ada, eve             int64
	method               string
}

func newStore(t *testing.T) *store {
	pool, _ := testenv.Database(t)
	ctx := context.Background()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	box, err := secrets.New(key)
	require.NoError(t, err)
	nc := ncsandbox.New("hostflow", "KEY")
	ts := httptest.NewServer(nc)
	t.Cleanup(ts.Close)
	regs := registrar.NewRegistry()
	regs[namecheap.Name] = namecheap.New(namecheap.Config{URL: ts.URL, APIUser: "hostflow", APIKey: "KEY", ClientIP: "198.51.100.7"})
	cat := catalog.New(pool, box, nil, nil, regs, nil)
	bill := billing.New(pool, box, nil, nil, nil)
	ord := ordering.New(pool, nil, box, nil, "", cat, bill)
	s := &store{t: t, carts: cart.New(pool, box, ord, cat), ord: ord, q: db.New(pool), box: box, pool: pool}
	product := func(name string, typ order.ProductType, module string, prices ...catalog.NewPrice) int64 {
		p, err := cat.CreateProduct(ctx, catalog.NewProduct{Name: name, Type: typ, Module: module, Prices: prices})
		require.NoError(t, err)
		return p.ID
	}
	s.starter = product("Starter", order.HostingAccount, "cpanel",
		catalog.NewPrice{Currency: "USD", BillingCycle: order.Monthly, SetupFee: "5.00", Price: "10.00"},
		catalog.NewPrice{Currency: "USD", BillingCycle: order.Annually, Price: "100.00"},
		catalog.NewPrice{Currency: "EUR", BillingCycle: order.Monthly, Price: "9.00"})
	s.extra = product("Extra", order.OtherProduct, "none", catalog.NewPrice{Currency: "USD", BillingCycle: order.Monthly, Price: "2.50"})
	s.hide = product("Secret", order.OtherProduct, "none", catalog.NewPrice{Currency: "USD", BillingCycle: order.Monthly, Price: "1.00"})
	_, err = pool.Exec(ctx, "UPDATE products SET hidden = true WHERE id = $1", s.hide)
	require.NoError(t, err)
	staffOnly, err := cat.CreateProductGroup(ctx, catalog.NewProductGroup{Name: "Staff only", Hidden: true})
	require.NoError(t, err)
	usd := []catalog.NewPrice{{Currency: "USD", BillingCycle: order.Monthly, Price: "1.00"}}
	staff, err := cat.CreateProduct(ctx, catalog.NewProduct{Name: "Staff", Type: order.OtherProduct, GroupID: &staffOnly.ID, Prices: usd})
	require.NoError(t, err)
	none := int32(0)
	soldOut, err := cat.CreateProduct(ctx, catalog.NewProduct{Name: "Sold Out", Type: order.OtherProduct, Stock: &none, Prices: usd})
	require.NoError(t, err)
	s.staff, s.soldOut = staff.ID, soldOut.ID
	for _, tld := range []catalog.NewTLD{
		{TLD: ".com", Currency: "USD", RegisterPrice: "12.00", TransferPrice: "9.00", AutoRegistrar: namecheap.Name},
		{TLD: ".org", Currency: "USD", RegisterPrice: "15.00", TransferPrice: "15.00"},
	} {
		_, err := cat.CreateTLD(ctx, tld)
		require.NoError(t, err)
	}
	client := func(email, currency string) int64 {
		c, err := s.q.CreateClient(ctx, db.CreateClientParams{FirstName: "Ada", LastName: "Lovelace", Email: email, Currency: currency})
		require.NoError(t, err)
		return c.ID
	}
	s.ada, s.eve = client("ada@example.com", "USD"), client("eve@example.com", "EUR")
	_, err = bill.CreatePromotion(ctx, billing.NewPromotion{Code: "SAVE10", Type: billing.PromotionPercentage, Value: "10"})
	require.NoError(t, err)
	methods, err := bill.PaymentMethods(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, methods)
	s.method = methods[0]
	return s
}

func visitor() cart.Visitor {
	return cart.Visitor{Token: cart.NewToken(), Addr: "203.0.113.9", Currency: "USD"}
}

// refused asserts a refusal of kind on field whose message is want.
func refused(t *testing.T, err error, kind fault.Kind, field, want string) {
	t.Helper()
	var f *fault.Error
	require.ErrorAs(t, err, &f)
	require.Equal(t, kind, f.Kind, "%v", err)
	require.Equal(t, field, f.Field, "%v", err)
	require.Equal(t, want, f.Message)
}

// The cart's rules: what may go in, refused with a message naming what is wrong.
func TestCartRules(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		add    func(v cart.Visitor) (cart.View, error)
		field  string
		want   string // "" when accepted
		total  int64  // the cart's total when accepted
		status string
	}{
		{name: "cPanel product with a new domain", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.starter, BillingCycle: order.Monthly,
				Domain: "Example.com", DomainAction: cart.DomainRegister, Period: 2})
		}, total: 500 + 1000 + 2400},
		{name: "cPanel product with an existing domain", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.starter, BillingCycle: order.Annually, Domain: "mine.net"})
		}, total: 10000},
		{name: "cPanel product transferring a taken domain", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.starter, Domain: "taken-by-me.com",
				DomainAction: cart.DomainTransfer, EPPCode: "EPP-123"})
		}, total: 500 + 1000 + 900},
		{name: "cPanel product without a domain", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.starter})
		}, field: "domain", want: "Starter needs a domain: register a new one, transfer yours or use one you have"},
		{name: "product without a module needs no domain", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.extra})
		}, total: 250},
		{name: "hidden product", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.hide})
		}, field: "product_id", want: "Secret is not sold in the store"},
		{name: "product of a hidden group", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.staff})
		}, field: "product_id", want: "Staff is not sold in the store"},
		{name: "out of stock", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.soldOut})
		}, field: "product_id", want: "Sold Out is out of stock"},
		{name: "unknown product", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: 999999})
		}, field: "product_id", want: "Product ID Not Found"},
		{name: "cycle not offered", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.starter, BillingCycle: order.Quarterly, Domain: "a.com",
				DomainAction: cart.DomainExisting})
		}, field: "billing_cycle", want: "Starter is not sold Quarterly in USD (it is sold Monthly, Annually)"},
		{name: "not a cycle", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.extra, BillingCycle: "weekly"})
		}, field: "billing_cycle", want: "Extra is not sold weekly in USD (it is sold Monthly)"},
		{name: "taken domain to register", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.starter, Domain: "taken-name.com", DomainAction: cart.DomainRegister})
		}, field: "domain", want: "taken-name.com is already registered; if it is yours, transfer it to us"},
		{name: "malformed domain", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "no spaces.com", Action: cart.DomainRegister})
		}, field: "domain", want: `"no spaces.com" is not a domain name: a name and its extension, such as example.com`},
		{name: "unsold TLD", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "example.dev", Action: cart.DomainRegister})
		}, field: "domain", want: "we do not sell .dev domains"},
		{name: "transfer of an unregistered domain", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "free-name.com", Action: cart.DomainTransfer, EPPCode: "x"})
		}, field: "domain", want: "free-name.com is not registered yet: register it instead"},
		{name: "transfer without its EPP code", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "taken-x.com", Action: cart.DomainTransfer})
		}, field: "epp_code", want: "a transfer needs the domain's EPP code"},
		{name: "premium name", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "premium-x.com", Action: cart.DomainRegister})
		}, field: "domain", want: "premium-x.com is a premium name, not sold at the standard price"},
		{name: "domain alone for three years", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "alone.com", Action: cart.DomainRegister, Period: 3})
		}, total: 3600},
		{name: "by-hand TLD is not asked anywhere", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "hand.org", Action: cart.DomainRegister})
		}, total: 1500},
		{name: "period out of range", add: func(v cart.Visitor) (cart.View, error) {
			return s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "long.com", Action: cart.DomainRegister, Period: 11})
		}, field: "period", want: "must be 1 to 10 years"},
		{name: "product not sold in the cart's currency", add: func(v cart.Visitor) (cart.View, error) {
			v.Currency = "GBP"
			return s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.extra})
		}, field: "product_id", want: "Extra is not sold in GBP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := visitor()
			view, err := tc.add(v)
			if tc.want != "" {
				refused(t, err, fault.Invalid, tc.field, tc.want)
				empty, err := s.carts.View(ctx, v)
				require.NoError(t, err)
				require.Empty(t, empty.Lines, "a refused item is not kept")
				return
			}
			require.NoError(t, err)
			require.NoError(t, view.Problem)
			require.Len(t, view.Lines, 1)
			require.Equal(t, tc.total, view.Total)
			require.Equal(t, tc.total, view.Lines[0].Total())
			again, err := s.carts.View(ctx, v)
			require.NoError(t, err)
			require.Equal(t, view.Lines, again.Lines, "the cart is kept server-side under the token")
		})
	}
}

// Remove, change the cycle, a promotion code, the cap, emptying: each answers the cart priced
// by ordering's quote, never by anything the visitor sent.
func TestCartOperations(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	v := visitor()
	empty, err := s.carts.View(ctx, v)
	require.NoError(t, err)
	require.Empty(t, empty.Lines)
	require.Equal(t, "USD", empty.Currency)

	view, err := s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.starter, Domain: "shop.com", DomainAction: cart.DomainRegister})
	require.NoError(t, err)
	require.Equal(t, order.Monthly, view.Lines[0].BillingCycle, "the first cycle offered")
	require.Equal(t, cart.Line{ID: view.Lines[0].ID, Kind: cart.KindProduct, ProductID: s.starter, ProductName: "Starter",
		BillingCycle: order.Monthly, Domain: "shop.com", DomainAction: cart.DomainRegister, Period: 1, SetupFee: 500, Price: 1000,
		DomainPrice: 1200}, view.Lines[0])
	starter := view.Lines[0].ID
	_, err = s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "SHOP.com", Action: cart.DomainRegister})
	refused(t, err, fault.Invalid, "domain", "shop.com is already in your cart")
	view, err = s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.extra})
	require.NoError(t, err)
	require.EqualValues(t, 500+1000+1200+250, view.Total)

	view, err = s.carts.SetCycle(ctx, v, starter, order.Annually)
	require.NoError(t, err)
	require.EqualValues(t, 10000+1200+250, view.Total)
	_, err = s.carts.SetCycle(ctx, v, starter, order.Biennially)
	refused(t, err, fault.Invalid, "billing_cycle", "Starter is not sold Biennially in USD (it is sold Monthly, Annually)")
	view, err = s.carts.SetPeriod(ctx, v, starter, 2)
	require.NoError(t, err)
	require.EqualValues(t, 2400, view.Lines[0].DomainPrice)

	_, err = s.carts.SetPromo(ctx, v, "NOPE")
	refused(t, err, fault.Invalid, "promo_code", order.ReasonPromoUnknown)
	view, err = s.carts.SetPromo(ctx, v, " save10 ")
	require.NoError(t, err)
	require.Equal(t, "save10", view.PromoCode)
	require.NotNil(t, view.Discount)
	require.EqualValues(t, 10000+2400+250-view.Discount.Amount, view.Total)
	view, err = s.carts.SetPromo(ctx, v, "")
	require.NoError(t, err)
	require.Nil(t, view.Discount)

	view, err = s.carts.Remove(ctx, v, starter)
	require.NoError(t, err)
	require.Len(t, view.Lines, 1)
	_, err = s.carts.Remove(ctx, v, starter)
	refused(t, err, fault.NotFound, "", "item "+itoa(starter)+" is not in the cart")

	for len(view.Lines) < cart.MaxItems {
		view, err = s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "d" + itoa(int64(len(view.Lines))) + ".org", Action: cart.DomainRegister})
		require.NoError(t, err)
	}
	_, err = s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.extra})
	refused(t, err, fault.Invalid, "items", "a cart holds at most 25 items: check out these first")

	require.NoError(t, s.carts.Empty(ctx, v))
	view, err = s.carts.View(ctx, v)
	require.NoError(t, err)
	require.Empty(t, view.Lines)
	require.NoError(t, s.carts.Empty(ctx, cart.Visitor{Token: cart.NewToken()}), "emptying no cart is no error")

	// Another visitor's token sees none of it; a short token is no cart.
	other, err := s.carts.View(ctx, visitor())
	require.NoError(t, err)
	require.Empty(t, other.Lines)
	_, err = s.carts.AddProduct(ctx, cart.Visitor{Token: "guessable", Currency: "USD"}, cart.ProductChoice{ProductID: s.extra})
	refused(t, err, fault.Invalid, "cart", "not a cart token")
}

// A cart survives sign-in: it becomes the client's, priced in the client's currency, and a cart
// the client left earlier is merged into it.
func TestCartSurvivesSignIn(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	earlier := visitor() // Ada's cart from another device
	_, err := s.carts.AddProduct(ctx, earlier, cart.ProductChoice{ProductID: s.extra})
	require.NoError(t, err)
	_, err = s.carts.AddDomain(ctx, earlier, cart.DomainChoice{Domain: "both.com", Action: cart.DomainRegister})
	require.NoError(t, err)
	_, err = s.carts.SetPromo(ctx, earlier, "SAVE10")
	require.NoError(t, err)
	_, err = s.carts.SignIn(ctx, earlier, s.ada)
	require.NoError(t, err)

	now := visitor()
	now.Currency = "EUR" // the visitor's picker; Ada pays in USD
	_, err = s.carts.AddDomain(ctx, now, cart.DomainChoice{Domain: "both.com", Action: cart.DomainTransfer, EPPCode: "x"})
	refused(t, err, fault.Invalid, "domain", ".com domains are not sold in EUR")
	now.Currency = "USD"
	_, err = s.carts.AddDomain(ctx, now, cart.DomainChoice{Domain: "both.com", Action: cart.DomainRegister, Period: 2})
	require.NoError(t, err)
	view, err := s.carts.SignIn(ctx, now, s.ada)
	require.NoError(t, err)
	require.Equal(t, s.ada, view.ClientID)
	require.Equal(t, "USD", view.Currency)
	require.Equal(t, "SAVE10", view.PromoCode, "the earlier cart's code is kept")
	require.Len(t, view.Lines, 2, "the earlier cart's items merged, both.com once")
	require.Equal(t, "Extra", view.Lines[0].ProductName, "lines in the order they were added")
	require.Equal(t, "both.com", view.Lines[1].Domain)
	require.Equal(t, 2, view.Lines[1].Period, "the newer both.com is the one kept")
	old, err := s.carts.View(ctx, earlier)
	require.NoError(t, err)
	require.Empty(t, old.Lines, "the earlier cart is gone")

	// Signing in again on a third device with no cart brings Ada's cart there.
	third := visitor()
	view, err = s.carts.SignIn(ctx, third, s.ada)
	require.NoError(t, err)
	require.Len(t, view.Lines, 2)
	// A cart owned by Ada is not Eve's to merge.
	_, err = s.carts.SignIn(ctx, third, s.eve)
	refused(t, err, fault.Conflict, "cart", "this cart belongs to another account")
	_, err = s.carts.SetCurrency(ctx, third, "EUR")
	refused(t, err, fault.Invalid, "currency", "your account pays in USD")

	// Eve pays in EUR: her cart is priced in EUR on sign-in, and a product sold only in USD
	// shows its problem on its line.
	eve := visitor()
	_, err = s.carts.AddProduct(ctx, eve, cart.ProductChoice{ProductID: s.starter, Domain: "eve.org", DomainAction: cart.DomainExisting})
	require.NoError(t, err)
	_, err = s.carts.AddProduct(ctx, eve, cart.ProductChoice{ProductID: s.extra})
	require.NoError(t, err)
	view, err = s.carts.SignIn(ctx, eve, s.eve)
	require.NoError(t, err)
	require.Equal(t, "EUR", view.Currency)
	require.Error(t, view.Problem)
	require.Equal(t, "Extra (Monthly): product "+itoa(s.extra)+" has no monthly price in EUR", view.Problem.Error()[len("items: "):])
	require.NotEmpty(t, view.Lines[1].Problem)
	require.Empty(t, view.Lines[0].Problem)
	_, _, err = s.carts.Checkout(ctx, eve, cart.Checkout{ClientID: s.eve, PaymentMethod: s.method})
	require.ErrorContains(t, err, "Extra (Monthly): product")
	view, err = s.carts.Remove(ctx, eve, view.Lines[1].ID)
	require.NoError(t, err)
	require.NoError(t, view.Problem)
	require.EqualValues(t, 900, view.Total)
}

// Checkout places exactly what the cart quoted: the same lines and total from ordering.Quote,
// the EPP code opened from its seal, one idempotency key per revision of the cart.
func TestCheckoutPlacesWhatTheCartQuoted(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	v := visitor()
	_, _, err := s.carts.Checkout(ctx, v, cart.Checkout{ClientID: s.ada, PaymentMethod: s.method})
	refused(t, err, fault.Invalid, "items", cart.EmptyCart)

	_, err = s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.starter, Domain: "taken-mine.com",
		DomainAction: cart.DomainTransfer, EPPCode: " EPP-secret "})
	require.NoError(t, err)
	_, err = s.carts.AddDomain(ctx, v, cart.DomainChoice{Domain: "new.com", Action: cart.DomainRegister, Period: 2})
	require.NoError(t, err)
	quoted, err := s.carts.SetPromo(ctx, v, "SAVE10")
	require.NoError(t, err)
	require.True(t, quoted.Lines[0].HasEPPCode)

	// The EPP code is sealed at rest, bound to its row.
	var sealed []byte
	require.NoError(t, s.pool.QueryRow(ctx, "SELECT epp_code FROM cart_items WHERE id = $1", quoted.Lines[0].ID).Scan(&sealed))
	require.NotContains(t, string(sealed), "EPP-secret")
	code, err := s.box.OpenFor(sealed, secrets.CartEPPCode(quoted.Lines[0].ID))
	require.NoError(t, err)
	require.Equal(t, "EPP-secret", code)

	_, _, err = s.carts.Checkout(ctx, v, cart.Checkout{ClientID: s.ada, PaymentMethod: s.method})
	refused(t, err, fault.NotFound, "", "cart not found: sign in to check out")
	_, err = s.carts.SignIn(ctx, v, s.ada)
	require.NoError(t, err)
	_, _, err = s.carts.Checkout(ctx, v, cart.Checkout{ClientID: s.eve, PaymentMethod: s.method})
	refused(t, err, fault.NotFound, "", "cart not found: sign in to check out")

	co := cart.Checkout{ClientID: s.ada, PaymentMethod: s.method, ClientIP: "203.0.113.9", Notes: "thanks"}
	p, quote, err := s.carts.Checkout(ctx, v, co)
	require.NoError(t, err)
	require.Equal(t, ordering.PlaceOrder{ClientID: s.ada, PaymentMethod: s.method, ClientIP: "203.0.113.9", PromoCode: "SAVE10",
		Notes: "thanks", IdempotencyKey: p.IdempotencyKey,
		Items: []ordering.PlaceItem{{ProductID: s.starter, Domain: "taken-mine.com", BillingCycle: order.Monthly}},
		Domains: []ordering.PlaceDomain{{Domain: "taken-mine.com", Type: order.DomainTransfer, Period: 1, EPPCode: "EPP-secret"},
			{Domain: "new.com", Type: order.DomainRegister, Period: 2}}}, p)
	require.False(t, p.SkipFraudCheck, "a client-area order gets the fraud check")
	require.Equal(t, quoted.Total, quote.Amount, "checkout's quote is the cart's")
	require.Equal(t, quoted.Discount, quote.Discount)
	again, err := s.ord.Quote(ctx, p)
	require.NoError(t, err)
	require.Equal(t, quote.Amount, again.Amount, "placing prices it the same")

	p2, _, err := s.carts.Checkout(ctx, v, co)
	require.NoError(t, err)
	require.Equal(t, p.IdempotencyKey, p2.IdempotencyKey, "a double click places one order")
	_, err = s.carts.SetPeriod(ctx, v, quoted.Lines[1].ID, 3)
	require.NoError(t, err)
	p3, _, err := s.carts.Checkout(ctx, v, co)
	require.NoError(t, err)
	require.NotEqual(t, p.IdempotencyKey, p3.IdempotencyKey, "a changed cart is a new order")

	// A product hidden after it went in the cart is refused at checkout, by name.
	_, err = s.pool.Exec(ctx, "UPDATE products SET hidden = true WHERE id = $1", s.starter)
	require.NoError(t, err)
	_, _, err = s.carts.Checkout(ctx, v, co)
	refused(t, err, fault.Invalid, "items", "Starter is no longer sold in the store: remove it")
}

// An idle cart expires: it reads as empty, and PurgeIdle forgets it.
func TestIdleCartsExpire(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	v := visitor()
	_, err := s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.extra})
	require.NoError(t, err)
	kept := visitor()
	_, err = s.carts.AddProduct(ctx, kept, cart.ProductChoice{ProductID: s.extra})
	require.NoError(t, err)
	_, err = s.pool.Exec(ctx, "UPDATE carts SET updated_at = now() - make_interval(hours => $1) WHERE id = (SELECT min(id) FROM carts)",
		int((cart.IdleAfter + time.Hour).Hours()))
	require.NoError(t, err)
	view, err := s.carts.View(ctx, v)
	require.NoError(t, err)
	require.Empty(t, view.Lines, "an idle cart is as if it never was")
	n, err := s.carts.PurgeIdle(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	view, err = s.carts.View(ctx, kept)
	require.NoError(t, err)
	require.Len(t, view.Lines, 1, "a cart in use is kept")
	view, err = s.carts.AddProduct(ctx, v, cart.ProductChoice{ProductID: s.extra})
	require.NoError(t, err)
	require.Len(t, view.Lines, 1, "the token starts a new cart")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
