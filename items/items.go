// Package items is what an admin or an integration does to one service or domain of an order:
// its item actions (module commands, registrar commands on a held domain) sent through the
// workflow of its order, and the fields edited by hand (WHMCS's UpdateClientProduct and
// UpdateClientDomain), each with its audit line.
package items

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/secrets"
)

// Items holds what the item rules need.
type Items struct {
	pool     *pgxpool.Pool
	secrets  *secrets.Box
	catalog  *catalog.Catalog   // servers a service may move to
	ordering *ordering.Ordering // the order's workflow, which runs every item action
}

// New makes the item rules.
func New(pool *pgxpool.Pool, box *secrets.Box, cat *catalog.Catalog, ord *ordering.Ordering) *Items {
	return &Items{pool: pool, secrets: box, catalog: cat, ordering: ord}
}

func (s *Items) q() *db.Queries { return db.New(s.pool) }
