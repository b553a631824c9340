package billing

import (
	"math/big"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/hostflow/hostflow/tax"
)

// InvoiceTax is the tax an invoice was written with, as pricing worked it out (package tax):
// its subtotal before tax and each level's amount, rate and name. An untaxed invoice has no
// names, no tax, and its subtotal is its total.
type InvoiceTax struct {
	Subtotal int64
	Tax1     int64
	Tax2     int64
	Rate1    tax.Rate
	Rate2    tax.Rate
	Name1    string
	Name2    string
	// ReverseCharge says the client's VAT was reverse charged: no VAT, and the invoice carries
	// Note.
	ReverseCharge bool
}

// Charged reports whether a tax rule was charged: the invoice then shows a row per level named.
func (t InvoiceTax) Charged() bool { return t.Name1 != "" || t.Name2 != "" }

// Note is the tax note the invoice carries: the reverse charge's (tax.ReverseChargeNote), or ""
// for none.
func (t InvoiceTax) Note() string {
	if t.ReverseCharge {
		return tax.ReverseChargeNote
	}
	return ""
}

// InvoiceTaxOf reads an invoice's tax columns (migrations 00031 and 00035).
func InvoiceTaxOf(subtotal, tax1, tax2 int64, rate1, rate2 pgtype.Numeric, name1, name2 string, reverseCharge bool) InvoiceTax {
	return InvoiceTax{Subtotal: subtotal, Tax1: tax1, Tax2: tax2, Rate1: rateOf(rate1), Rate2: rateOf(rate2), Name1: name1, Name2: name2,
		ReverseCharge: reverseCharge}
}

// rateOf is a numeric(6,3) percentage in thousandths of a percent, exactly: the column holds
// three decimals at most.
func rateOf(n pgtype.Numeric) tax.Rate {
	if !n.Valid || n.NaN || n.Int == nil {
		return 0
	}
	v := new(big.Int).Set(n.Int)
	ten := big.NewInt(10)
	for e := n.Exp + 3; e > 0; e-- {
		v.Mul(v, ten)
	}
	for e := n.Exp + 3; e < 0; e++ {
		v.Quo(v, ten)
	}
	return tax.Rate(v.Int64())
}
