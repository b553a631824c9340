// Package clients is hostflow's client accounts: creating, finding and listing them, their
// sign-in to the client area (passwords, sessions, password resets; accounts.go), the emails
// sent to a client as the client area shows them (emails.go), and the email log as the console
// shows it, with Resend (emaillog.go); the admins' notes about a client (notes.go), the client's
// Log (log.go) and Close Client (close.go).
package clients

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hostflow/hostflow/db"
)

// Clients holds what the client rules need.
type Clients struct {
	pool     *pgxpool.Pool
	accounts Accounts
	// orders cancels a closed client's orders through their workflows (close.go).
	orders OrderCanceller
}

// New makes the client rules over pool.
func New(pool *pgxpool.Pool) *Clients { return &Clients{pool: pool} }

func (s *Clients) q() *db.Queries { return db.New(s.pool) }
