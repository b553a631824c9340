package dbtx

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
)

// Installation is the database's installation id, read once and kept: the workflows started
// outside an order (client emails, a Resend, a Test Connection) carry it in their ids, so that
// two installations sharing one Temporal namespace never meet.
type Installation struct {
	pool *pgxpool.Pool
	mu   sync.Mutex
	id   string
}

// NewInstallation reads the installation from pool when it is first asked for.
func NewInstallation(pool *pgxpool.Pool) *Installation { return &Installation{pool: pool} }

// ID is the installation id.
func (i *Installation) ID(ctx context.Context) (string, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.id == "" {
		id, err := db.New(i.pool).Installation(ctx)
		if err != nil {
			return "", fault.Wrap(err, "read installation")
		}
		i.id = id
	}
	return i.id, nil
}
