package tax

import "math/big"

// Settings are WHMCS's Tax Configuration as the computation needs it.
type Settings struct {
	// Enabled is Tax Support: off, nothing is taxed.
	Enabled bool
	// Inclusive says prices include tax, which is carved out of them; else tax is added on top.
	Inclusive bool
	// Compound charges level 2 on the amount plus the level-1 tax; else both on the amount.
	Compound bool
	// SellerCountry is where the seller is (ISO 3166-1 alpha-2; "" unknown): a seller in the
	// EU reverse charges VAT to a business in another member state (ReverseCharged).
	SellerCountry string
}

// Client is what of the client decides their tax: where they are and whether they are exempt.
type Client struct {
	Country string
	State   string
	Exempt  bool
	// TaxID is the client's tax id: in an EU member state, their VAT number when it is one.
	TaxID string
}

// Line is one invoice line: its amount in minor units (negative for a discount) and whether
// what it bills is taxable (the product's Apply Tax).
type Line struct {
	Amount  int64
	Taxable bool
}

// LineTax is one line's tax: Taxed is the invoice line's flag (WHMCS's items.item[].taxed).
type LineTax struct {
	Taxed bool
	Tax1  int64
	Tax2  int64
}

// Applied is the rule charged at one level, as the invoice records it; a zero Applied (no
// name) is no rule, and the invoice shows no row for it.
type Applied struct {
	Name string
	Rate Rate
}

// Result is an invoice's tax: per line and in total, in minor units.
type Result struct {
	Lines []LineTax
	// Subtotal is the lines before tax: their sum when prices are exclusive, their sum less the
	// tax carved out of them when inclusive.
	Subtotal int64
	Tax1     int64
	Tax2     int64
	// Total is what the invoice asks for: Subtotal + Tax1 + Tax2, always.
	Total int64
	// Level1 and Level2 are the rules charged.
	Level1    Applied
	Level2    Applied
	Inclusive bool
	// ReverseCharge says no VAT was charged because the client, a business in another EU
	// member state, accounts for it: the invoice says so (ReverseChargeNote).
	ReverseCharge bool
}

// Charged reports whether a rule was charged, so that the invoice keeps its rates and names.
func (r Result) Charged() bool { return r.Level1.Name != "" || r.Level2.Name != "" }

// Compute works out the tax of lines for client c under settings s and rules. Each taxed line
// is taxed and rounded on its own (WHMCS since 7.4 taxes per line, as the order summary does),
// so the totals are the sums of the lines. Off, for an exempt client, or reverse charged,
// nothing is taxed and no line is marked taxed; prices that include tax are then charged in
// full, as for an exempt client.
func Compute(s Settings, rules []Rule, c Client, lines []Line) Result {
	res := Result{Lines: make([]LineTax, len(lines)), Inclusive: s.Enabled && s.Inclusive}
	var sum int64
	for _, l := range lines {
		sum += l.Amount
	}
	ch := Choose(s, rules, c)
	if !s.Enabled || c.Exempt || ch.ReverseCharge {
		res.Subtotal, res.Total, res.Inclusive, res.ReverseCharge = sum, sum, false, ch.ReverseCharge
		return res
	}
	r1, ok1, r2, ok2 := ch.Level1, ch.Has1, ch.Level2, ch.Has2
	var rate1, rate2 Rate
	if ok1 {
		res.Level1, rate1 = Applied{Name: r1.Name, Rate: r1.Rate}, r1.Rate
	}
	if ok2 {
		res.Level2, rate2 = Applied{Name: r2.Name, Rate: r2.Rate}, r2.Rate
	}
	for i, l := range lines {
		if !l.Taxable {
			continue
		}
		t := LineTax{Taxed: true}
		if s.Inclusive {
			t.Tax1, t.Tax2 = carved(l.Amount, rate1, rate2, s.Compound)
		} else {
			t.Tax1, t.Tax2 = added(l.Amount, rate1, rate2, s.Compound)
		}
		res.Lines[i] = t
		res.Tax1 += t.Tax1
		res.Tax2 += t.Tax2
	}
	if s.Inclusive {
		res.Total = sum
		res.Subtotal = sum - res.Tax1 - res.Tax2
	} else {
		res.Subtotal = sum
		res.Total = sum + res.Tax1 + res.Tax2
	}
	return res
}

// whole is 100% in Rate's units.
var whole = big.NewInt(int64(MaxRate))

// added is the tax on top of amount: each level's rate of it, level 2 of the amount plus the
// level-1 tax (as the invoice shows it, rounded) when compound.
func added(amount int64, r1, r2 Rate, compound bool) (tax1, tax2 int64) {
	a := big.NewInt(amount)
	tax1 = roundDiv(mul(a, big.NewInt(int64(r1))), whole)
	base := a
	if compound {
		base = big.NewInt(amount + tax1)
	}
	tax2 = roundDiv(mul(base, big.NewInt(int64(r2))), whole)
	return tax1, tax2
}

// carved is the tax inside a price that includes it. Not compound, the price is
// net × (1 + r1 + r2), so each level is price × r / (100% + r1 + r2). Compound, the price is
// net × (1 + r1) × (1 + r2): level 2 is price × r2 / (100% + r2), and level 1 is
// price × r1 × 100% / ((100% + r1) × (100% + r2)). Each is rounded from the price, never from
// another rounded figure, so one line's error is at most one minor unit per level.
func carved(amount int64, r1, r2 Rate, compound bool) (tax1, tax2 int64) {
	a, b1, b2 := big.NewInt(amount), big.NewInt(int64(r1)), big.NewInt(int64(r2))
	if !compound {
		den := new(big.Int).Add(whole, new(big.Int).Add(b1, b2))
		return roundDiv(mul(a, b1), den), roundDiv(mul(a, b2), den)
	}
	on1, on2 := new(big.Int).Add(whole, b1), new(big.Int).Add(whole, b2)
	tax1 = roundDiv(mul(mul(a, b1), whole), mul(on1, on2))
	tax2 = roundDiv(mul(a, b2), on2)
	return tax1, tax2
}

func mul(x, y *big.Int) *big.Int { return new(big.Int).Mul(x, y) }

// roundDiv is num / den (den > 0) rounded half away from zero, as PHP's round (and so WHMCS)
// rounds: 0.5 is 1, -0.5 is -1.
func roundDiv(num, den *big.Int) int64 {
	abs := new(big.Int).Abs(num)
	q, r := new(big.Int).QuoRem(abs, den, new(big.Int))
	if r.Lsh(r, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if num.Sign() < 0 {
		q.Neg(q)
	}
	return q.Int64()
}
