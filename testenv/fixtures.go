package testenv

import (
	"context"
	"testing"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
)

// NewOrder is an order (id 41) for a fresh client and product in q's database, ready for
// CreateOrder: a hosting service on a.com and the domain's registration, 22.00 USD.
func NewOrder(t testing.TB, q *db.Queries) order.NewOrder {
	t.Helper()
	ctx := context.Background()
	c, err := q.CreateClient(ctx, db.CreateClientParams{FirstName: "Ada", LastName: "L", Email: "ada@example.com", Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := q.CreateProduct(ctx, db.CreateProductParams{Name: "Basic", Type: "hostingaccount", Module: "none", AutoSetup: "accept"})
	if err != nil {
		t.Fatal(err)
	}
	return order.NewOrder{ID: 41, Number: order.RandomNumber(), ClientID: c.ID, PaymentMethod: "manual", Currency: "USD",
		Amount: 2200, Actor: "admin",
		Services: []order.NewService{{ProductID: p.ID, ProductName: "Basic", Domain: "a.com", BillingCycle: "monthly", Amount: 1000}},
		Domains:  []order.NewDomain{{Domain: "a.com", Type: order.DomainRegister, Period: 1, Amount: 1200}}}
}
