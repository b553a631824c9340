package catalog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
)

// NewProduct is a product to create, or what an edit makes of one, with its prices per
// currency and billing cycle (an edit replaces them all: a cycle left out is no longer sold).
type NewProduct struct {
	Name         string            `json:"name"`
	Type         order.ProductType `json:"type"`
	Module       string            `json:"module"`
	AutoSetup    order.AutoSetup   `json:"auto_setup"`
	WelcomeEmail *bool             `json:"welcome_email"`
	PackageName  string            `json:"package_name"`
	ServerGroup  string            `json:"server_group"` // set up on a server of this group; empty: any
	// GroupID is the product group the store lists it under; nil: none (listed after the groups).
	GroupID     *int64 `json:"group_id"`
	Description string `json:"description" input:"text"`
	Hidden      bool   `json:"hidden"`
	// Stock is how many are left to sell (WHMCS's Stock Control); nil: not counted.
	Stock *int32 `json:"stock"`
	// Taxable says the product is taxed when tax is on (WHMCS's Apply Tax); untaxed by default.
	Taxable bool       `json:"taxable"`
	Prices  []NewPrice `json:"prices"`
}

// NewPrice is one price of a product.
type NewPrice struct {
	Currency     string             `json:"currency"`
	BillingCycle order.BillingCycle `json:"billing_cycle"`
	SetupFee     string             `json:"setup_fee"`
	Price        string             `json:"price"`
}

// What a product's type and billing cycle may be, as a refusal lists them.
var productTypeList, billingCycleList = func() (string, string) {
	var types []order.ProductType
	var cycles []order.BillingCycle
	for _, t := range order.ProductTypes {
		types = append(types, t.Type)
	}
	for _, c := range order.BillingCycles {
		cycles = append(cycles, c.Cycle)
	}
	return input.List(types), input.List(cycles)
}()

// checkProduct is the one rule for a product as created or edited: it fills in the defaults
// and answers the prices to store, or every refusal (Problems) at once. q reads the group.
func (s *Catalog) checkProduct(ctx context.Context, q *db.Queries, p *NewProduct) ([]db.ProductPrice, error) {
	if err := input.Check(*p); err != nil {
		return nil, err
	}
	if p.Module == "" {
		p.Module = provisioning.None
	}
	if p.AutoSetup == "" {
		p.AutoSetup = order.SetupOnAccept
	}
	p.Name, p.ServerGroup = strings.TrimSpace(p.Name), strings.TrimSpace(p.ServerGroup)
	var bad Problems
	if p.Name == "" {
		bad.invalid("name", "is required")
	}
	if !p.Type.Valid() {
		bad.invalid("type", "must be one of %s", productTypeList)
	}
	if s.panels != nil && s.panels[p.Module] == nil {
		bad.invalid("module", "unknown module %q (have %s)", p.Module, strings.Join(s.panels.Names(), ", "))
	}
	if !slices.Contains(order.AutoSetups, p.AutoSetup) {
		bad.invalid("auto_setup", "must be one of %s", input.List(order.AutoSetups))
	}
	if len(p.Prices) == 0 {
		bad.invalid("prices", "at least one price is required")
	}
	prices := make([]db.ProductPrice, 0, len(p.Prices))
	for i, pr := range p.Prices {
		field := "prices[" + strconv.Itoa(i) + "]"
		if !money.ValidCurrency(pr.Currency) {
			bad.invalid(field+".currency", "must be an ISO 4217 code such as USD")
			continue
		}
		if !pr.BillingCycle.Valid() {
			bad.invalid(field+".billing_cycle", "must be one of %s", billingCycleList)
		}
		amount, err := int64(0), error(nil)
		if strings.TrimSpace(pr.Price) == "" {
			bad.invalid(field+".price", "is required (a cycle without a price is not sold: leave it out)")
		} else if amount, err = money.Parse(pr.Price, pr.Currency); err != nil {
			bad.invalid(field+".price", "%v", err)
		}
		setup := int64(0)
		if pr.SetupFee != "" {
			if setup, err = money.Parse(pr.SetupFee, pr.Currency); err != nil {
				bad.invalid(field+".setup_fee", "%v", err)
			}
		}
		prices = append(prices, db.ProductPrice{Currency: pr.Currency, BillingCycle: pr.BillingCycle, SetupFee: setup, Price: amount})
	}
	if p.Stock != nil && *p.Stock < 0 {
		bad.invalid("stock", "must be 0 or more")
	}
	if p.GroupID != nil {
		if _, err := q.GetProductGroup(ctx, *p.GroupID); err != nil {
			if err = fault.OrInvalid(err, "group_id", "no such product group"); !isFault(err) {
				return nil, fault.Wrap(err, "read product group %d", *p.GroupID)
			}
			bad = append(bad, err.(*fault.Error))
		}
	}
	return prices, bad.err()
}

// isFault reports whether err is a refusal rather than a failure.
func isFault(err error) bool {
	_, ok := err.(*fault.Error)
	return ok
}

// CreateProduct validates and stores a product and its prices in one transaction.
func (s *Catalog) CreateProduct(ctx context.Context, p NewProduct) (Product, error) {
	var out Product
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		prices, err := s.checkProduct(ctx, q, &p)
		if err != nil {
			return err
		}
		row, err := q.CreateProduct(ctx, db.CreateProductParams{Name: p.Name, Type: p.Type, Module: p.Module,
			AutoSetup: p.AutoSetup, WelcomeEmail: p.WelcomeEmail == nil || *p.WelcomeEmail, PackageName: p.PackageName,
			ServerGroup: p.ServerGroup, GroupID: p.GroupID, Description: p.Description, Hidden: p.Hidden, Stock: p.Stock,
			Taxable: p.Taxable})
		if err != nil {
			return err
		}
		out, err = setPrices(ctx, q, row, prices)
		return err
	})
	return out, fault.Wrap(err, "create product")
}

// UpdateProduct edits a product as CreateProduct checks a new one: its details, and its prices,
// which replace the ones it had (a cycle left out is no longer sold). Orders placed before
// keep what they were priced at.
func (s *Catalog) UpdateProduct(ctx context.Context, id int64, p NewProduct) (Product, error) {
	var out Product
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if _, err := q.LockProduct(ctx, id); err != nil {
			return fault.OrAbsent(err, ReasonProductNotFound)
		}
		prices, err := s.checkProduct(ctx, q, &p)
		if err != nil {
			return err
		}
		row, err := q.UpdateProduct(ctx, db.UpdateProductParams{ID: id, Name: p.Name, Type: p.Type, Module: p.Module,
			AutoSetup: p.AutoSetup, WelcomeEmail: p.WelcomeEmail == nil || *p.WelcomeEmail, PackageName: p.PackageName,
			ServerGroup: p.ServerGroup, GroupID: p.GroupID, Description: p.Description, Hidden: p.Hidden, Stock: p.Stock,
			Taxable: p.Taxable})
		if err != nil {
			return err
		}
		if err := q.DeleteProductPrices(ctx, id); err != nil {
			return err
		}
		out, err = setPrices(ctx, q, row, prices)
		return err
	})
	return out, fault.Wrap(err, "update product %d", id)
}

// setPrices stores a product's prices, and their currencies as in use.
func setPrices(ctx context.Context, q *db.Queries, row db.Product, prices []db.ProductPrice) (Product, error) {
	for _, pr := range prices {
		if err := q.AddCurrency(ctx, pr.Currency); err != nil {
			return Product{}, err
		}
		if err := q.SetProductPrice(ctx, db.SetProductPriceParams{ProductID: row.ID, Currency: pr.Currency, BillingCycle: pr.BillingCycle,
			SetupFee: pr.SetupFee, Price: pr.Price}); err != nil {
			return Product{}, err
		}
	}
	return productFrom(row, prices), nil
}

// ReasonProductNotFound is WHMCS's refusal of a product id that names no product.
const ReasonProductNotFound = "Product ID Not Found"

// DeleteProduct deletes a product no order uses, with its prices (and the carts' items of it).
// A product an order uses is refused, saying how many: its orders, invoices and audit trail
// name it. Hide it to stop selling it.
func (s *Catalog) DeleteProduct(ctx context.Context, id int64) error {
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		// The lock keeps an order from taking the product between the count and the delete: an
		// order's service checks its product under a share lock that waits for this one.
		row, err := q.LockProduct(ctx, id)
		if err != nil {
			return fault.OrAbsent(err, ReasonProductNotFound)
		}
		n, err := q.CountProductOrders(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return &fault.Error{Kind: fault.Conflict, Message: ProductInUse(row.Name, n)}
		}
		_, err = q.DeleteProduct(ctx, id)
		return err
	})
	return fault.Wrap(err, "delete product %d", id)
}

// ProductInUse is the refusal to delete a product that n orders use.
func ProductInUse(name string, n int64) string {
	orders := "1 order uses it"
	if n != 1 {
		orders = strconv.FormatInt(n, 10) + " orders use it"
	}
	return fmt.Sprintf("%s cannot be deleted: %s, and its services, invoices and audit trail name the product. "+
		"Tick Hidden to stop selling it instead.", name, orders)
}

// GetProduct returns one product with its prices.
func (s *Catalog) GetProduct(ctx context.Context, id int64) (Product, error) {
	q := s.q()
	row, err := q.GetProduct(ctx, id)
	if err != nil {
		return Product{}, fault.Wrap(fault.OrAbsent(err, ReasonProductNotFound), "read product %d", id)
	}
	prices, err := q.ListProductPrices(ctx, []int64{id})
	if err != nil {
		return Product{}, fault.Wrap(err, "read the prices of product %d", id)
	}
	return productFrom(row, prices), nil
}

// Modules are the panel modules a product may name, "none" among them; nil when the catalogue
// was made without them (then any name is taken).
func (s *Catalog) Modules() []string {
	if s.panels == nil {
		return nil
	}
	return s.panels.Names()
}

// ListProducts returns every product with its prices, in two queries.
func (s *Catalog) ListProducts(ctx context.Context) ([]Product, error) {
	q := s.q()
	rows, err := q.ListProducts(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list products")
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	prices, err := q.ListProductPrices(ctx, ids)
	if err != nil {
		return nil, fault.Wrap(err, "list product prices")
	}
	byID := map[int64][]db.ProductPrice{}
	for _, p := range prices {
		byID[p.ProductID] = append(byID[p.ProductID], p)
	}
	out := make([]Product, len(rows))
	for i, r := range rows {
		out[i] = productFrom(r, byID[r.ID])
	}
	return out, nil
}

// Product is a product with its prices.
type Product struct {
	ID           int64
	Name         string
	Type         order.ProductType
	Module       string
	AutoSetup    order.AutoSetup
	WelcomeEmail bool
	PackageName  string
	ServerGroup  string
	// Hidden keeps the product out of the store (WHMCS's Hidden); admins and the APIs still
	// order it.
	Hidden bool
	// GroupID is the product's group; nil: none.
	GroupID     *int64
	Description string
	// Stock is how many are left to sell; nil: not counted (WHMCS's Stock Control off).
	Stock *int32
	// Taxable says the product is taxed when tax is on.
	Taxable   bool
	CreatedAt time.Time
	Prices    []Price
}

// Price is a product's price in one currency and billing cycle, in minor units.
type Price struct {
	Currency     string
	BillingCycle order.BillingCycle
	SetupFee     int64
	Price        int64
}

func productFrom(p db.Product, prices []db.ProductPrice) Product {
	out := Product{ID: p.ID, Name: p.Name, Type: p.Type, Module: p.Module, AutoSetup: p.AutoSetup, WelcomeEmail: p.WelcomeEmail,
		PackageName: p.PackageName, ServerGroup: p.ServerGroup, Hidden: p.Hidden, GroupID: p.GroupID, Description: p.Description,
		Stock: p.Stock, Taxable: p.Taxable, CreatedAt: p.CreatedAt.Time}
	for _, pr := range prices {
		out.Prices = append(out.Prices, Price{Currency: pr.Currency, BillingCycle: pr.BillingCycle, SetupFee: pr.SetupFee, Price: pr.Price})
	}
	return out
}

// NeedsDomain reports whether a product cannot be ordered without a domain: a hosting account
// a panel module creates, which is made for its domain (WHM's createacct takes it, and the
// username is made from it). Every adapter's order is checked by it before placing.
func NeedsDomain(typ order.ProductType, module string) bool {
	return typ == order.HostingAccount && module != "" && module != provisioning.None
}
