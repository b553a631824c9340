package service

import (
	"context"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
)

// ClientStats are a client's counts and sums, as WHMCS's GetClientsDetails gives them.
type ClientStats struct {
	Invoices db.WHMCSClientInvoiceStatsRow
	// Items counts services by product type and status, and domains under the kind "domain".
	Items []db.WHMCSClientItemStatsRow
}

// StatsDomain is the kind WHMCSClientItemStats counts domains under.
const StatsDomain = "domain"

// ClientStats reads a client's stats in two queries.
func (s *Service) ClientStats(ctx context.Context, clientID int64) (ClientStats, error) {
	q := s.q()
	inv, err := q.WHMCSClientInvoiceStats(ctx, clientID)
	if err != nil {
		return ClientStats{}, fault.Wrap(err, "invoice stats of client %d", clientID)
	}
	items, err := q.WHMCSClientItemStats(ctx, clientID)
	return ClientStats{Invoices: inv, Items: items}, fault.Wrap(err, "item stats of client %d", clientID)
}
