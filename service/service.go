// Package service is the core as the adapters (REST API, WHMCS API, console) hold it: New
// builds every noun's rules (access, clients, catalog, billing, outbox) over one Config, and
// Service embeds them. The ordering rules (placing, quoting, acting on orders and their items,
// the order views) still live here until they move to their own package.
package service

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/outbox"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/workflows"
)

// Config is what the rules need.
type Config struct {
	Pool       *pgxpool.Pool
	Temporal   client.Client
	Secrets    *secrets.Box
	Log        *zap.Logger
	Panels     provisioning.Registry
	Registrars registrar.Registry
	// TaskQueue overrides workflows.TaskQueue; tests give each worker its own.
	TaskQueue string
	// GatewaySecrets are webhook signing secrets by gateway name, from the environment.
	GatewaySecrets map[string]string
}

// Service is the core as the adapters hold it: every noun's rules, over one Config.
type Service struct {
	Config

	*access.Access
	*clients.Clients
	*catalog.Catalog
	*billing.Billing

	// Outbox sends the signals the rules commit; its Run is started by the process.
	Outbox *outbox.Relay

	changes changes // order change notices, for live pages
}

// New builds the core over c.
func New(c Config) *Service {
	if c.Log == nil {
		c.Log = zap.NewNop()
	}
	s := &Service{Config: c, Outbox: outbox.New(c.Pool, c.Temporal, c.Log),
		Access: access.New(c.Pool, c.Secrets, c.Log), Clients: clients.New(c.Pool)}
	s.Catalog = catalog.New(c.Pool, c.Secrets, c.Log, c.Panels, c.Registrars, s.Outbox)
	s.Billing = billing.New(c.Pool, c.Secrets, c.Log, c.GatewaySecrets, s.Outbox)
	return s
}

func (s *Service) taskQueue() string {
	if s.TaskQueue != "" {
		return s.TaskQueue
	}
	return workflows.TaskQueue
}

func (s *Service) q() *db.Queries { return db.New(s.Pool) }

// The refusals the adapters act on; see package fault.
type (
	Kind  = fault.Kind
	Error = fault.Error
)

// Error kinds.
const (
	Invalid     = fault.Invalid
	NotFound    = fault.NotFound
	Conflict    = fault.Conflict
	Unavailable = fault.Unavailable
)
