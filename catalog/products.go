package catalog

import (
	"context"
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

// NewProduct is a product to create, with its prices per currency and billing cycle.
type NewProduct struct {
	Name         string            `json:"name"`
	Type         order.ProductType `json:"type"`
	Module       string            `json:"module"`
	AutoSetup    order.AutoSetup   `json:"auto_setup"`
	WelcomeEmail *bool             `json:"welcome_email"`
	PackageName  string            `json:"package_name"`
	ServerGroup  string            `json:"server_group"` // set up on a server of this group; empty: any
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

// CreateProduct validates and stores a product and its prices in one transaction.
func (s *Catalog) CreateProduct(ctx context.Context, p NewProduct) (Product, error) {
	if err := input.Check(p); err != nil {
		return Product{}, err
	}
	if p.Module == "" {
		p.Module = "none"
	}
	if p.AutoSetup == "" {
		p.AutoSetup = order.SetupOnAccept
	}
	switch {
	case strings.TrimSpace(p.Name) == "":
		return Product{}, fault.Invalidf("name", "is required")
	case !p.Type.Valid():
		return Product{}, fault.Invalidf("type", "must be one of %s", productTypeList)
	case s.panels != nil && s.panels[p.Module] == nil:
		return Product{}, fault.Invalidf("module", "unknown module %q (have %s)", p.Module, strings.Join(s.panels.Names(), ", "))
	case !slices.Contains(order.AutoSetups, p.AutoSetup):
		return Product{}, fault.Invalidf("auto_setup", "must be one of %s", input.List(order.AutoSetups))
	case len(p.Prices) == 0:
		return Product{}, fault.Invalidf("prices", "at least one price is required")
	}
	prices := make([]db.ProductPrice, len(p.Prices))
	for i, pr := range p.Prices {
		field := "prices[" + strconv.Itoa(i) + "]"
		if !money.ValidCurrency(pr.Currency) {
			return Product{}, fault.Invalidf(field+".currency", "must be an ISO 4217 code such as USD")
		}
		if !pr.BillingCycle.Valid() {
			return Product{}, fault.Invalidf(field+".billing_cycle", "must be one of %s", billingCycleList)
		}
		amount, err := money.Parse(pr.Price, pr.Currency)
		if err != nil {
			return Product{}, fault.Invalidf(field+".price", "%v", err)
		}
		setup := int64(0)
		if pr.SetupFee != "" {
			if setup, err = money.Parse(pr.SetupFee, pr.Currency); err != nil {
				return Product{}, fault.Invalidf(field+".setup_fee", "%v", err)
			}
		}
		prices[i] = db.ProductPrice{Currency: pr.Currency, BillingCycle: pr.BillingCycle, SetupFee: setup, Price: amount}
	}
	welcome := p.WelcomeEmail == nil || *p.WelcomeEmail
	var out Product
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		row, err := q.CreateProduct(ctx, db.CreateProductParams{Name: p.Name, Type: p.Type, Module: p.Module,
			AutoSetup: p.AutoSetup, WelcomeEmail: welcome, PackageName: p.PackageName, ServerGroup: strings.TrimSpace(p.ServerGroup),
			Taxable: p.Taxable})
		if err != nil {
			return err
		}
		for _, pr := range prices {
			if err := q.AddCurrency(ctx, pr.Currency); err != nil {
				return err
			}
			if err := q.SetProductPrice(ctx, db.SetProductPriceParams{ProductID: row.ID, Currency: pr.Currency, BillingCycle: pr.BillingCycle,
				SetupFee: pr.SetupFee, Price: pr.Price}); err != nil {
				return err
			}
		}
		out = productFrom(row, prices)
		return nil
	})
	return out, fault.Wrap(err, "create product")
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
		PackageName: p.PackageName, ServerGroup: p.ServerGroup, Hidden: p.Hidden, Taxable: p.Taxable, CreatedAt: p.CreatedAt.Time}
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
