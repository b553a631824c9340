// Package access is who may use hostflow: console admins and their sessions, admin API keys,
// WHMCS API credentials, the lockout of addresses that keep guessing, and the resealing of
// every stored secret under the current key.
package access

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/secrets"
)

// Access holds what the access rules need.
type Access struct {
	pool    *pgxpool.Pool
	secrets *secrets.Box
	log     *zap.Logger
}

// New makes the access rules over pool; box seals and opens the stored secrets.
func New(pool *pgxpool.Pool, box *secrets.Box, log *zap.Logger) *Access {
	if log == nil {
		log = zap.NewNop()
	}
	return &Access{pool: pool, secrets: box, log: log}
}

func (s *Access) q() *db.Queries { return db.New(s.pool) }
