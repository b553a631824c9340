// Package ordering is an order's life as the adapters drive it: placing and quoting an order,
// the admin's actions on it (through its workflow; Accept's options), and the order views
// (details, lists, the dashboard, live changes, the backlog, the unpaid-cancel deadline), and
// the order id sequence after a restore. One item's actions and edits are package items'.
package ordering

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Ordering holds what the ordering rules need.
type Ordering struct {
	pool      *pgxpool.Pool
	temporal  client.Client
	secrets   *secrets.Box
	log       *zap.Logger
	taskQueue string
	catalog   *catalog.Catalog // servers an order's hosting may be set up on
	billing   *billing.Billing // payment methods, promotions, invoices

	changes changes // order change notices, for live pages
}

// New makes the ordering rules. taskQueue, when not "", overrides ordermsg.TaskQueue (tests
// give each worker its own).
func New(pool *pgxpool.Pool, temporal client.Client, box *secrets.Box, log *zap.Logger, taskQueue string,
	cat *catalog.Catalog, bill *billing.Billing) *Ordering {
	if taskQueue == "" {
		taskQueue = ordermsg.TaskQueue
	}
	return &Ordering{pool: pool, temporal: temporal, secrets: box, log: log, taskQueue: taskQueue, catalog: cat, billing: bill}
}

func (s *Ordering) q() *db.Queries { return db.New(s.pool) }
