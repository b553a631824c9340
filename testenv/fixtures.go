package testenv

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
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

// RecordPayment writes a payment (amount above 0) or a refund on the invoice's ledger, as a
// gateway's news would.
func RecordPayment(t testing.TB, q *db.Queries, invoiceID int64, txn string, amount int64) {
	t.Helper()
	kind := gateway.Payment
	if amount < 0 {
		kind = gateway.Refund
	}
	_, err := q.InsertTransaction(context.Background(), db.InsertTransactionParams{InvoiceID: &invoiceID, Gateway: "manual",
		Type: kind, TransactionID: txn, Amount: amount, Currency: "USD", PaidAt: pgtype.Timestamptz{Time: time.Now(), Valid: true}})
	if err != nil {
		t.Fatal(err)
	}
}

// RequirePermanent fails the test unless err is a permanent refusal (Temporal's non-retryable
// error of permanent.Type) whose message holds reason.
func RequirePermanent(t testing.TB, err error, reason string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != permanent.Type || !strings.Contains(appErr.Message(), reason) {
		t.Fatalf("want a permanent refusal saying %q, got %v", reason, err)
	}
}
