// Package catalog is what hostflow sells and where it sets it up: products and their prices,
// control-panel servers, TLDs, the currencies in use, and the settings an admin may change.
package catalog

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/outbox"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/secrets"
)

// Catalog holds what the catalogue's rules need.
type Catalog struct {
	pool       *pgxpool.Pool
	secrets    *secrets.Box
	log        *zap.Logger
	panels     provisioning.Registry
	registrars registrar.Registry
	outbox     *outbox.Relay
	checks     *domainChecks // availability checks: budgets per client address, recent answers
	tester     ServerTester  // Test Connection's workflow; nil without Temporal
	// fraudModules are the fraud modules the environment can run, for fraud_module's rule.
	fraudModules []string
}

// New makes the catalogue's rules. panels and registrars, when not nil, are the modules a
// product, server or TLD may name; relay is told when a setting change commits signals.
func New(pool *pgxpool.Pool, box *secrets.Box, log *zap.Logger, panels provisioning.Registry, registrars registrar.Registry,
	relay *outbox.Relay) *Catalog {
	if log == nil {
		log = zap.NewNop()
	}
	return &Catalog{pool: pool, secrets: box, log: log, panels: panels, registrars: registrars, outbox: relay,
		checks: newDomainChecks(time.Now)}
}

func (s *Catalog) q() *db.Queries { return db.New(s.pool) }

// WithFraudModules tells the settings' rules which fraud modules the environment can run
// (config's Modules.FraudModules); without, only none.
func (s *Catalog) WithFraudModules(modules ...string) *Catalog {
	s.fraudModules = modules
	return s
}
