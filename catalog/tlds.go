package catalog

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
)

// NewTLD is a TLD to sell.
type NewTLD struct {
	TLD           string `json:"tld"`
	Currency      string `json:"currency"`
	RegisterPrice string `json:"register_price"`
	TransferPrice string `json:"transfer_price"`
	AutoRegistrar string `json:"auto_registrar"`
}

// CreateTLD validates and stores a TLD.
func (s *Catalog) CreateTLD(ctx context.Context, n NewTLD) (TLD, error) {
	if err := input.Check(n); err != nil {
		return TLD{}, err
	}
	n.TLD = strings.ToLower(strings.TrimSpace(n.TLD))
	if !strings.HasPrefix(n.TLD, ".") {
		n.TLD = "." + n.TLD
	}
	if n.Currency == "" {
		n.Currency = "USD"
	}
	if !input.Hostname("x" + n.TLD) {
		return TLD{}, fault.Invalidf("tld", "%q is not a TLD", n.TLD)
	}
	if !money.ValidCurrency(n.Currency) {
		return TLD{}, fault.Invalidf("currency", "must be an ISO 4217 code such as USD")
	}
	reg, err := money.Parse(n.RegisterPrice, n.Currency)
	if err != nil {
		return TLD{}, fault.Invalidf("register_price", "%v", err)
	}
	tr, err := money.Parse(n.TransferPrice, n.Currency)
	if err != nil {
		return TLD{}, fault.Invalidf("transfer_price", "%v", err)
	}
	var auto *string
	if n.AutoRegistrar != "" {
		if s.registrars != nil && s.registrars[n.AutoRegistrar] == nil {
			return TLD{}, fault.Invalidf("auto_registrar", "unknown registrar %q (have %s)", n.AutoRegistrar, strings.Join(s.registrars.Names(), ", "))
		}
		auto = &n.AutoRegistrar
	}
	var row db.Tld
	err = dbtx.InTx(ctx, s.pool, func(q *db.Queries) (err error) {
		if err := q.AddCurrency(ctx, n.Currency); err != nil {
			return err
		}
		row, err = q.CreateTLD(ctx, db.CreateTLDParams{Tld: n.TLD, Currency: n.Currency, RegisterPrice: reg, TransferPrice: tr, AutoRegistrar: auto})
		return err
	})
	if dbtx.IsUniqueViolation(err) {
		return TLD{}, &fault.Error{Kind: fault.Conflict, Field: "tld", Message: n.TLD + " already exists"}
	}
	return tldFrom(row), fault.Wrap(err, "create tld")
}

// ListTLDs returns every TLD.
func (s *Catalog) ListTLDs(ctx context.Context) ([]TLD, error) {
	rows, err := s.q().ListTLDs(ctx)
	return dbtx.Views(rows, tldFrom), fault.Wrap(err, "list tlds")
}

// TLD is a TLD we sell, priced per year in minor units.
type TLD struct {
	TLD           string // with its dot: ".com"
	Currency      string
	RegisterPrice int64
	TransferPrice int64
	AutoRegistrar string // "" registers only when an admin accepts
	CreatedAt     time.Time
}

func tldFrom(t db.Tld) TLD {
	out := TLD{TLD: t.Tld, Currency: t.Currency, RegisterPrice: t.RegisterPrice, TransferPrice: t.TransferPrice, CreatedAt: t.CreatedAt.Time}
	if t.AutoRegistrar != nil {
		out.AutoRegistrar = *t.AutoRegistrar
	}
	return out
}

// FindTLD finds the longest TLD we sell that name ends with (".co.uk" before ".uk").
func FindTLD(ctx context.Context, q *db.Queries, name string) (db.Tld, error) {
	for i := strings.Index(name, "."); i >= 0; {
		t, err := q.GetTLD(ctx, name[i:])
		if !errors.Is(err, pgx.ErrNoRows) {
			return t, err
		}
		next := strings.Index(name[i+1:], ".")
		if next < 0 {
			break
		}
		i += next + 1
	}
	return db.Tld{}, pgx.ErrNoRows
}
