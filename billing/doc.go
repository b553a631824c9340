// Package billing is an order's money: its invoice, the payments and refunds on its ledger
// (entered by an admin or reported by a gateway), gateways and their webhook secrets, money
// that matched no invoice, promotion codes, and the payment methods an order may name.
package billing

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/outbox"
	"github.com/hostflow/hostflow/secrets"
)

// Billing holds what the money rules need.
type Billing struct {
	pool           *pgxpool.Pool
	secrets        *secrets.Box
	log            *zap.Logger
	gatewaySecrets map[string]string
	outbox         *outbox.Relay
}

// New makes the money rules. gatewaySecrets are the webhook signing secrets the environment
// sets, by gateway; relay is told when a payment commits a signal to an order's workflow.
func New(pool *pgxpool.Pool, box *secrets.Box, log *zap.Logger, gatewaySecrets map[string]string, relay *outbox.Relay) *Billing {
	b := &Billing{pool: pool, secrets: box, log: log, gatewaySecrets: gatewaySecrets, outbox: relay}
	displayNames.use(b)
	return b
}

func (s *Billing) q() *db.Queries { return db.New(s.pool) }
