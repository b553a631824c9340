package catalog

import (
	"context"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
)

// DefaultCurrency is the currency of a client created without one.
const DefaultCurrency = "USD"

// Currency is a currency in use and the id WHMCS's API knows it by: stable, given when the
// currency came into use (a client, a price or a TLD in it).
type Currency struct {
	ID   int64
	Code string
}

// Currencies lists the currencies in use, by id.
func (s *Catalog) Currencies(ctx context.Context) ([]Currency, error) {
	rows, err := s.q().ListCurrencies(ctx)
	return dbtx.Views(rows, func(c db.Currency) Currency { return Currency{ID: int64(c.ID), Code: c.Code} }), fault.Wrap(err, "list currencies")
}
