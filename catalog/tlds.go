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

// NewTLD is a TLD to sell. Prices are per year in Currency; a period of n years costs n times.
type NewTLD struct {
	TLD           string `json:"tld"`
	Currency      string `json:"currency"`
	RegisterPrice string `json:"register_price"`
	TransferPrice string `json:"transfer_price"`
	// RenewPrice is a year's renewal; "" is what a year's registration costs.
	RenewPrice    string `json:"renew_price"`
	AutoRegistrar string `json:"auto_registrar"`
	// EPPRequired is WHMCS's "EPP Code": a transfer needs the domain's EPP code. nil is true.
	EPPRequired *bool `json:"epp_required"`
}

// CreateTLD validates and stores a TLD.
func (s *Catalog) CreateTLD(ctx context.Context, n NewTLD) (TLD, error) {
	p, err := s.checkTLD(n)
	if err != nil {
		return TLD{}, err
	}
	var row db.Tld
	err = dbtx.InTx(ctx, s.pool, func(q *db.Queries) (err error) {
		if err := q.AddCurrency(ctx, p.Currency); err != nil {
			return err
		}
		row, err = q.CreateTLD(ctx, p)
		return err
	})
	if dbtx.IsUniqueViolation(err) {
		return TLD{}, &fault.Error{Kind: fault.Conflict, Field: "tld", Message: p.Tld + " already exists"}
	}
	return tldFrom(row), fault.Wrap(err, "create tld")
}

// UpdateTLD changes the pricing and settings of the TLD n names, with the same rules as
// CreateTLD. The TLD itself is its key and is not renamed; orders placed keep the prices they
// were placed at.
func (s *Catalog) UpdateTLD(ctx context.Context, n NewTLD) (TLD, error) {
	p, err := s.checkTLD(n)
	if err != nil {
		return TLD{}, err
	}
	var row db.Tld
	err = dbtx.InTx(ctx, s.pool, func(q *db.Queries) (err error) {
		if err := q.AddCurrency(ctx, p.Currency); err != nil {
			return err
		}
		row, err = q.UpdateTLD(ctx, db.UpdateTLDParams{Tld: p.Tld, Currency: p.Currency, RegisterPrice: p.RegisterPrice,
			TransferPrice: p.TransferPrice, RenewPrice: p.RenewPrice, AutoRegistrar: p.AutoRegistrar, EppRequired: p.EppRequired})
		return fault.OrAbsent(err, "we do not sell "+p.Tld+" domains")
	})
	return tldFrom(row), fault.Wrap(err, "update tld %s", p.Tld)
}

// GetTLD returns the TLD named (".com" or "com").
func (s *Catalog) GetTLD(ctx context.Context, name string) (TLD, error) {
	name = tldName(name)
	row, err := s.q().GetTLD(ctx, name)
	if err != nil {
		return TLD{}, fault.OrAbsent(fault.Wrap(err, "load tld %s", name), "we do not sell "+name+" domains")
	}
	return tldFrom(row), nil
}

// tldName is a TLD in its one form: lower case, with its dot.
func tldName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !strings.HasPrefix(s, ".") {
		s = "." + s
	}
	return s
}

// checkTLD is the one rule for a TLD's settings, as created and as edited.
func (s *Catalog) checkTLD(n NewTLD) (db.CreateTLDParams, error) {
	if err := input.Check(n); err != nil {
		return db.CreateTLDParams{}, err
	}
	p := db.CreateTLDParams{Tld: tldName(n.TLD), Currency: strings.ToUpper(strings.TrimSpace(n.Currency)), EppRequired: n.EPPRequired == nil || *n.EPPRequired}
	if p.Currency == "" {
		p.Currency = "USD"
	}
	if !input.Hostname("x" + p.Tld) {
		return p, fault.Invalidf("tld", "%q is not a TLD", p.Tld)
	}
	if !money.ValidCurrency(p.Currency) {
		return p, fault.Invalidf("currency", "must be an ISO 4217 code such as USD")
	}
	var err error
	if p.RegisterPrice, err = money.Parse(n.RegisterPrice, p.Currency); err != nil {
		return p, fault.Invalidf("register_price", "%v", err)
	}
	if p.TransferPrice, err = money.Parse(n.TransferPrice, p.Currency); err != nil {
		return p, fault.Invalidf("transfer_price", "%v", err)
	}
	p.RenewPrice = p.RegisterPrice
	if strings.TrimSpace(n.RenewPrice) != "" {
		if p.RenewPrice, err = money.Parse(n.RenewPrice, p.Currency); err != nil {
			return p, fault.Invalidf("renew_price", "%v", err)
		}
	}
	if n.AutoRegistrar != "" {
		if s.registrars != nil && s.registrars[n.AutoRegistrar] == nil {
			return p, fault.Invalidf("auto_registrar", "unknown registrar %q (have %s)", n.AutoRegistrar, strings.Join(s.registrars.Names(), ", "))
		}
		p.AutoRegistrar = &n.AutoRegistrar
	}
	return p, nil
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
	RenewPrice    int64
	AutoRegistrar string // "" registers only when an admin accepts
	EPPRequired   bool   // a transfer needs the domain's EPP code
	CreatedAt     time.Time
}

func tldFrom(t db.Tld) TLD {
	out := TLD{TLD: t.Tld, Currency: t.Currency, RegisterPrice: t.RegisterPrice, TransferPrice: t.TransferPrice, RenewPrice: t.RenewPrice,
		EPPRequired: t.EppRequired, CreatedAt: t.CreatedAt.Time}
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
