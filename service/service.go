// Package service is the core as the adapters (REST API, WHMCS API, console) hold it: New
// builds every noun's rules (access, clients, catalog, billing, ordering, items, cart, outbox) over one
// Config, and Service embeds them. It holds no rule of its own.
package service

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/cart"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/invoicedoc"
	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/outbox"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/workflows"
	"github.com/hostflow/hostflow/workflows/clientmail"
	"github.com/hostflow/hostflow/workflows/emailresend"
)

// Config is what the rules need.
type Config struct {
	Pool       *pgxpool.Pool
	Temporal   client.Client
	Secrets    *secrets.Box
	Log        *zap.Logger
	Panels     provisioning.Registry
	Registrars registrar.Registry
	// TaskQueue overrides ordermsg.TaskQueue; tests give each worker its own.
	TaskQueue string
	// GatewaySecrets are webhook signing secrets by gateway name, from the environment.
	GatewaySecrets map[string]string
	// FraudModules are the fraud modules the environment can run (config's
	// Modules.FraudModules): the fraud_module setting accepts only these.
	FraudModules []string
	// Company names the seller on invoices while the company_name setting is unset
	// (HOSTFLOW_COMPANY_NAME); "hostflow" when empty.
	Company string
}

// Service is the core as the adapters hold it: every noun's rules, over one Config.
type Service struct {
	Config

	*access.Access
	*clients.Clients
	*catalog.Catalog
	*billing.Billing
	*ordering.Ordering
	*items.Items
	*invoicedoc.Documents

	// Cart is the store's cart (its methods would clash with the embedded nouns' names).
	Cart *cart.Carts

	// Outbox sends the signals the rules commit; its Run is started by the process.
	Outbox *outbox.Relay
}

// New builds the core over c.
func New(c Config) *Service {
	if c.Log == nil {
		c.Log = zap.NewNop()
	}
	s := &Service{Config: c, Outbox: outbox.New(c.Pool, c.Temporal, c.Log), Access: access.New(c.Pool, c.Secrets, c.Log)}
	// Client sign-in goes through access's guard; the client emails, and the console's
	// Resends of a logged email, are workflows.
	s.Clients = clients.New(c.Pool).WithAccounts(clients.Accounts{Guard: s.Access,
		Mail: clientmail.NewStarter(c.Temporal, c.Pool, c.TaskQueue), Resend: emailresend.NewStarter(c.Temporal, c.Pool, c.TaskQueue),
		Log: c.Log})
	// Test Connection calls a server: a workflow on the worker, like every external call.
	s.Catalog = catalog.New(c.Pool, c.Secrets, c.Log, c.Panels, c.Registrars, s.Outbox).
		WithServerTester(workflows.NewServerChecker(c.Temporal, c.Pool, c.TaskQueue)).WithFraudModules(c.FraudModules...)
	s.Billing = billing.New(c.Pool, c.Secrets, c.Log, c.GatewaySecrets, s.Outbox)
	s.Ordering = ordering.New(c.Pool, c.Temporal, c.Secrets, c.Log, c.TaskQueue, s.Catalog, s.Billing)
	// Close Client cancels the client's orders through their workflows.
	s.Clients.WithOrders(s.Ordering)
	s.Items = items.New(c.Pool, c.Secrets, s.Catalog, s.Ordering)
	s.Cart = cart.New(c.Pool, c.Secrets, s.Ordering, s.Catalog)
	if c.Company == "" {
		c.Company = "hostflow"
	}
	s.Documents = invoicedoc.NewDocuments(c.Pool, c.Company)
	return s
}
