package catalog

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/testenv"
)

// productCatalog is a catalogue over a fresh database whose panel modules are "none" and
// "cpanel".
func productCatalog(t *testing.T) (*Catalog, *db.Queries) {
	pool, _ := testenv.Database(t)
	panels := provisioning.NewRegistry()
	panels["cpanel"] = panels[provisioning.None]
	return New(pool, nil, nil, panels, nil, nil), db.New(pool)
}

func monthly(price, setup string) []NewPrice {
	return []NewPrice{{Currency: "USD", BillingCycle: order.Monthly, Price: price, SetupFee: setup}}
}

// fields lists the fields a refusal names, in order.
func fields(err error) []string {
	var all Problems
	if errors.As(err, &all) {
		var out []string
		for _, p := range all {
			out = append(out, p.Field)
		}
		return out
	}
	var one *fault.Error
	if errors.As(err, &one) {
		return []string{one.Field}
	}
	return nil
}

// One rule checks a product as created (REST, console) and as edited: every refusal at once,
// field by field, the first being the one the REST API answers with.
func TestProductRules(t *testing.T) {
	cat, _ := productCatalog(t)
	ctx := context.Background()
	group, err := cat.CreateProductGroup(ctx, NewProductGroup{Name: "Shared Hosting"})
	require.NoError(t, err)
	existing, err := cat.CreateProduct(ctx, NewProduct{Name: "Existing", Type: order.HostingAccount, Prices: monthly("1.00", "")})
	require.NoError(t, err)
	missing, negative := int64(999999), int32(-1)
	for _, tc := range []struct {
		name string
		p    NewProduct
		want []string // the refused fields, in order; nil: accepted
	}{
		{"the least a product needs", NewProduct{Name: "Basic", Type: order.HostingAccount, Prices: monthly("9.99", "")}, nil},
		{"in a group, with stock and a description", NewProduct{Name: "Starter", Type: order.HostingAccount, GroupID: &group.ID,
			Module: "cpanel", AutoSetup: order.SetupOnPayment, Description: "10 GB\nFree SSL", Prices: monthly("9.99", "5.00")}, nil},
		{"no name", NewProduct{Name: "  ", Type: order.HostingAccount, Prices: monthly("9.99", "")}, []string{"name"}},
		{"everything wrong at once", NewProduct{Type: "vps", Module: "plesk", AutoSetup: "sometimes", Stock: &negative, GroupID: &missing},
			[]string{"name", "type", "module", "auto_setup", "prices", "stock", "group_id"}},
		{"a price left empty", NewProduct{Name: "Basic", Type: order.HostingAccount, Prices: monthly("", "5.00")}, []string{"prices[0].price"}},
		{"each bad price", NewProduct{Name: "Basic", Type: order.HostingAccount, Prices: []NewPrice{
			{Currency: "USD", BillingCycle: order.Monthly, Price: "abc"},
			{Currency: "XXX", BillingCycle: order.Monthly, Price: "1"},
			{Currency: "USD", BillingCycle: "weekly", Price: "1", SetupFee: "1.234"},
			{Currency: "JPY", BillingCycle: order.Annually, Price: "100.5"}}},
			[]string{"prices[0].price", "prices[1].currency", "prices[2].billing_cycle", "prices[2].setup_fee", "prices[3].price"}},
		{"a control character", NewProduct{Name: "Bad\x01", Type: order.HostingAccount, Prices: monthly("1", "")}, []string{"name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			created, err := cat.CreateProduct(ctx, tc.p)
			require.Equal(t, tc.want, fields(err), "create: %v", err)
			_, err = cat.UpdateProduct(ctx, existing.ID, tc.p)
			require.Equal(t, tc.want, fields(err), "update: %v", err)
			if tc.want == nil {
				require.Equal(t, tc.p.GroupID, created.GroupID)
				require.Equal(t, tc.p.Description, created.Description)
			}
		})
	}
	_, err = cat.UpdateProduct(ctx, missing, NewProduct{Name: "Ghost", Type: order.OtherProduct, Prices: monthly("1", "")})
	var se *fault.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, fault.NotFound, se.Kind)
}

// An edit replaces the product's details and prices: a cycle left out is no longer sold.
func TestUpdateProductReplacesItsPrices(t *testing.T) {
	cat, _ := productCatalog(t)
	ctx := context.Background()
	p, err := cat.CreateProduct(ctx, NewProduct{Name: "Starter", Type: order.HostingAccount, Prices: []NewPrice{
		{Currency: "USD", BillingCycle: order.Monthly, Price: "9.99"}, {Currency: "USD", BillingCycle: order.Annually, Price: "99.00"}}})
	require.NoError(t, err)
	stock := int32(3)
	no := false
	got, err := cat.UpdateProduct(ctx, p.ID, NewProduct{Name: "Starter Plus", Type: order.HostingAccount, Hidden: true, Stock: &stock,
		WelcomeEmail: &no, Prices: []NewPrice{{Currency: "EUR", BillingCycle: order.Quarterly, Price: "25", SetupFee: "3.50"}}})
	require.NoError(t, err)
	read, err := cat.GetProduct(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, got, read)
	require.Equal(t, "Starter Plus", read.Name)
	require.True(t, read.Hidden)
	require.False(t, read.WelcomeEmail)
	require.Equal(t, int32(3), *read.Stock)
	require.Equal(t, []Price{{Currency: "EUR", BillingCycle: order.Quarterly, SetupFee: 350, Price: 2500}}, read.Prices)
	currencies, err := cat.Currencies(ctx)
	require.NoError(t, err)
	require.Contains(t, currencies, Currency{ID: currencies[len(currencies)-1].ID, Code: "EUR"}, "a new currency comes into use")
}

// A product an order uses is never deleted, and the refusal says how many orders; an unused
// one is, with its prices.
func TestDeleteProduct(t *testing.T) {
	cat, q := productCatalog(t)
	ctx := context.Background()
	unused, err := cat.CreateProduct(ctx, NewProduct{Name: "Unused", Type: order.OtherProduct, Prices: monthly("1", "")})
	require.NoError(t, err)
	// testenv's order is for a product of its own; two orders use it.
	o := testenv.NewOrder(t, q)
	used := o.Services[0].ProductID
	for _, id := range []int64{41, 42} {
		o.ID, o.Number = id, order.RandomNumber()
		_, err := q.InsertOrder(ctx, db.InsertOrderParams{ID: o.ID, OrderNumber: o.Number, ClientID: o.ClientID, PaymentMethod: "manual",
			Currency: "USD", WorkflowID: fmt.Sprint("order-test-", o.ID)})
		require.NoError(t, err)
		_, err = q.InsertService(ctx, db.InsertServiceParams{OrderID: o.ID, Position: 1, ProductID: used, BillingCycle: order.Monthly})
		require.NoError(t, err)
	}

	for _, tc := range []struct {
		name string
		id   int64
		kind fault.Kind // 0: deleted
		says string
	}{
		{"used by orders", used, fault.Conflict, "Basic cannot be deleted: 2 orders use it"},
		{"unused", unused.ID, 0, ""},
		{"already gone", unused.ID, fault.NotFound, ReasonProductNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := cat.DeleteProduct(ctx, tc.id)
			if tc.kind == 0 {
				require.NoError(t, err)
				_, err := cat.GetProduct(ctx, tc.id)
				require.Error(t, err)
				prices, err := q.ListProductPrices(ctx, []int64{tc.id})
				require.NoError(t, err)
				require.Empty(t, prices)
				return
			}
			var se *fault.Error
			require.ErrorAs(t, err, &se)
			require.Equal(t, tc.kind, se.Kind)
			require.Contains(t, se.Message, tc.says)
		})
	}
	_, err = cat.GetProduct(ctx, used)
	require.NoError(t, err, "the used product is still there")
}

func TestProductInUseSaysHowMany(t *testing.T) {
	for n, want := range map[int64]string{1: "Starter cannot be deleted: 1 order uses it", 3: "Starter cannot be deleted: 3 orders use it"} {
		require.Contains(t, ProductInUse("Starter", n), want)
	}
}
