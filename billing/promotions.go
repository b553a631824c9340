package billing

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

// PromotionType is how a promotion discounts.
type PromotionType string

// Promotion types.
const (
	PromotionPercentage PromotionType = "percentage"
	PromotionFixed      PromotionType = "fixed"
)

// NewPromotion is a promotion code as an admin creates it. Value is a decimal: a percentage
// ("10", "12.5") or an amount in Currency ("5.00").
type NewPromotion struct {
	Code       string        `json:"code" input:"max=64"`
	Type       PromotionType `json:"type"`
	Value      string        `json:"value"`
	Currency   string        `json:"currency"`
	Recurring  bool          `json:"recurring"`
	ProductIDs []int64       `json:"product_ids"`
	StartsOn   string        `json:"starts_on"`  // YYYY-MM-DD; "" is from now
	ExpiresOn  string        `json:"expires_on"` // YYYY-MM-DD; "" never
	MaxUses    int32         `json:"max_uses"`   // 0: no limit
	Notes      string        `json:"notes" input:"text"`
}

// Promotion is a stored promotion. A percentage's Percent is in hundredths of a percent; a
// fixed amount's Amount is in Currency's minor units.
type Promotion struct {
	ID         int64
	Code       string
	Type       PromotionType
	Percent    int32
	Amount     int64
	Currency   string // a fixed amount's
	Recurring  bool
	ProductIDs []int64   // none: it applies to every item
	StartsOn   time.Time // zero: from its creation
	ExpiresOn  time.Time // zero: never
	MaxUses    int32     // 0: no limit
	Uses       int32
	Notes      string
	CreatedAt  time.Time
}

func promotionFrom(p db.Promotion) Promotion {
	return Promotion{ID: p.ID, Code: p.Code, Type: PromotionType(p.Type), Percent: p.Percent, Amount: p.Amount, Currency: p.Currency,
		Recurring: p.Recurring, ProductIDs: p.ProductIds, StartsOn: dbtx.DayOf(p.StartsOn), ExpiresOn: dbtx.DayOf(p.ExpiresOn),
		MaxUses: p.MaxUses, Uses: p.Uses, Notes: p.Notes, CreatedAt: p.CreatedAt.Time}
}

// A percentage is stored in hundredths of a percent (promotions.percent): 12.5% is 1250.
// It is read and written as a decimal with two places by package money's Parse and Format
// under percentUnit, which is no currency: money.Exponent falls back to two decimals for a code
// it does not know. TestPercentUnit pins that fallback.
const (
	percentUnit  = ""
	percentScale = 100 // hundredths
)

// CreatePromotion stores a promotion code.
func (s *Billing) CreatePromotion(ctx context.Context, p NewPromotion) (Promotion, error) {
	arg, err := s.checkPromotion(ctx, p)
	if err != nil {
		return Promotion{}, err
	}
	promo, err := s.q().CreatePromotion(ctx, arg)
	if dbtx.IsUniqueViolation(err) {
		return Promotion{}, codeTaken()
	}
	return promotionFrom(promo), fault.Wrap(err, "create promotion")
}

// codeTaken refuses a code another promotion has: codes are matched without regard to case.
func codeTaken() error {
	return &fault.Error{Kind: fault.Conflict, Field: "code", Message: "a promotion with this code exists already"}
}

// UpdatePromotion changes promotion id with the same rules as CreatePromotion. Its uses so far
// are the orders' to count, never the admin's to edit, so max_uses may not fall under them.
// Orders placed keep the discount they were placed with.
func (s *Billing) UpdatePromotion(ctx context.Context, id int64, p NewPromotion) (Promotion, error) {
	arg, err := s.checkPromotion(ctx, p)
	if err != nil {
		return Promotion{}, err
	}
	q := s.q()
	promo, err := q.UpdatePromotion(ctx, db.UpdatePromotionParams{ID: id, Code: arg.Code, Type: arg.Type, Percent: arg.Percent,
		Amount: arg.Amount, Currency: arg.Currency, Recurring: arg.Recurring, ProductIds: arg.ProductIds, StartsOn: arg.StartsOn,
		ExpiresOn: arg.ExpiresOn, MaxUses: arg.MaxUses, Notes: arg.Notes})
	switch {
	case dbtx.IsUniqueViolation(err):
		return Promotion{}, codeTaken()
	case dbtx.IsNoRows(err):
		// Gone, or max_uses under the uses counted: the row says which.
		cur, getErr := q.GetPromotion(ctx, id)
		if getErr != nil {
			return Promotion{}, fault.OrAbsent(fault.Wrap(getErr, "load promotion %d", id), fmt.Sprintf("no promotion %d", id))
		}
		return Promotion{}, fault.Invalidf("max_uses", "it has been used %d times: 0 (no limit) or at least %d", cur.Uses, cur.Uses)
	}
	return promotionFrom(promo), fault.Wrap(err, "update promotion %d", id)
}

// Promotion returns one promotion.
func (s *Billing) Promotion(ctx context.Context, id int64) (Promotion, error) {
	row, err := s.q().GetPromotion(ctx, id)
	if err != nil {
		return Promotion{}, fault.OrAbsent(fault.Wrap(err, "load promotion %d", id), fmt.Sprintf("no promotion %d", id))
	}
	return promotionFrom(row), nil
}

// checkPromotion is the one rule for a promotion's settings, as created and as edited.
func (s *Billing) checkPromotion(ctx context.Context, p NewPromotion) (db.CreatePromotionParams, error) {
	if err := input.Check(p); err != nil {
		return db.CreatePromotionParams{}, err
	}
	arg := db.CreatePromotionParams{Code: strings.TrimSpace(p.Code), Type: string(p.Type), Recurring: p.Recurring,
		ProductIds: p.ProductIDs, MaxUses: p.MaxUses, Notes: p.Notes}
	if arg.ProductIds == nil {
		arg.ProductIds = []int64{}
	}
	switch {
	case arg.Code == "" || strings.ContainsAny(arg.Code, " \t"):
		return arg, fault.Invalidf("code", "is required, without spaces")
	case p.MaxUses < 0:
		return arg, fault.Invalidf("max_uses", "must be 0 (no limit) or more")
	}
	switch p.Type {
	case PromotionPercentage:
		v, err := money.Parse(p.Value, percentUnit)
		if err != nil || v <= 0 || v > 100*percentScale {
			return arg, fault.Invalidf("value", "a percentage must be more than 0 and at most 100, with at most 2 decimals")
		}
		arg.Percent = int32(v)
	case PromotionFixed:
		if !money.ValidCurrency(p.Currency) {
			return arg, fault.Invalidf("currency", "a fixed amount needs an ISO 4217 currency such as USD")
		}
		v, err := money.Parse(p.Value, p.Currency)
		if err != nil || v <= 0 {
			return arg, fault.Invalidf("value", "a fixed amount must be more than 0 in %s", p.Currency)
		}
		arg.Amount, arg.Currency = v, p.Currency
	default:
		return arg, fault.Invalidf("type", "must be percentage or fixed")
	}
	for i, id := range arg.ProductIds {
		if _, err := s.q().GetProduct(ctx, id); err != nil {
			return arg, fault.OrInvalid(err, fmt.Sprintf("product_ids[%d]", i), fmt.Sprintf("no product %d", id))
		}
	}
	var err error
	if arg.StartsOn, err = parseDay("starts_on", p.StartsOn); err != nil {
		return arg, err
	}
	if arg.ExpiresOn, err = parseDay("expires_on", p.ExpiresOn); err != nil {
		return arg, err
	}
	if arg.StartsOn.Valid && arg.ExpiresOn.Valid && arg.ExpiresOn.Time.Before(arg.StartsOn.Time) {
		return arg, fault.Invalidf("expires_on", "is before starts_on")
	}
	return arg, nil
}

func parseDay(field, s string) (pgtype.Date, error) {
	if s == "" {
		return pgtype.Date{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return pgtype.Date{}, fault.Invalidf(field, "must be a date, YYYY-MM-DD")
	}
	return dbtx.Date(t), nil
}

// Promotions lists the promotions, or the one with code.
func (s *Billing) Promotions(ctx context.Context, code string) ([]Promotion, error) {
	rows, err := s.q().ListPromotions(ctx, code)
	return dbtx.Views(rows, promotionFrom), fault.Wrap(err, "list promotions")
}

// PromotionFor finds the promotion an order's code names and refuses one the order cannot use
// now. Its use is counted when the order is written, under the promotion's row (the order
// activity's usePromotion); this check spares the order a refusal that late. A retry of a
// placement (retry) was checked when it was first sent, and may be what used the code up.
func (s *Billing) PromotionFor(ctx context.Context, q *db.Queries, code, currency string, now time.Time, retry bool) (Promotion, error) {
	row, err := q.GetPromotionByCode(ctx, code)
	if err != nil {
		return Promotion{}, fault.OrInvalid(err, "promo_code", order.ReasonPromoUnknown)
	}
	p := promotionFrom(row)
	if p.Type == PromotionFixed && p.Currency != currency {
		return p, fault.Invalidf("promo_code", "%s", order.ReasonPromoCurrency)
	}
	if retry {
		return p, nil
	}
	today := now.UTC().Truncate(24 * time.Hour)
	switch {
	case !p.StartsOn.IsZero() && today.Before(p.StartsOn):
		return p, fault.Invalidf("promo_code", "%s", order.ReasonPromoNotYet)
	case !p.ExpiresOn.IsZero() && today.After(p.ExpiresOn):
		return p, fault.Invalidf("promo_code", "%s", order.ReasonPromoExpired)
	case p.MaxUses > 0 && p.Uses >= p.MaxUses:
		return p, fault.Invalidf("promo_code", "%s", order.ReasonPromoUsedUp)
	}
	return p, nil
}

// Discount is what promotion p takes off order o, nil for nothing. It applies to every item,
// or to the services of its products; a percentage takes that share of their sum, rounded to
// the nearest minor unit as WHMCS rounds, and a fixed amount comes off each item it applies
// to, never more than the item costs.
func Discount(p Promotion, o order.NewOrder) *order.Discount {
	taxed := true
	var base, fixed, taxedBase, taxedFixed int64
	discounted(p, o, func(amount int64, lineTaxed bool) {
		base += amount
		fixed += min(amount, p.Amount)
		if lineTaxed {
			taxedBase += amount
			taxedFixed += min(amount, p.Amount)
		}
		taxed = taxed && lineTaxed
	})
	d := &order.Discount{PromotionID: p.ID, Amount: fixed, TaxedAmount: taxedFixed,
		Description: "Promotional Code: " + p.Code + " - Fixed Amount Discount"}
	if p.Type == PromotionPercentage {
		const whole = 100 * percentScale // 100%
		d.Amount = (base*int64(p.Percent) + whole/2) / whole
		d.TaxedAmount = min((taxedBase*int64(p.Percent)+whole/2)/whole, d.Amount)
		d.Description = fmt.Sprintf("Promotional Code: %s - %s%% Discount", p.Code,
			strconv.FormatFloat(float64(p.Percent)/percentScale, 'f', -1, 64))
	}
	if d.Amount <= 0 {
		return nil
	}
	// The invoice's one discount line is marked taxed only when every item it comes off is
	// taxed; the tax is worked out on TaxedAmount, the part that comes off taxed items.
	d.Taxed = taxed
	return d
}

// discounted calls each with the amount and taxed flag of every item of o that p applies to:
// the services of its products, or with no products named every service and domain.
func discounted(p Promotion, o order.NewOrder, each func(amount int64, taxed bool)) {
	for _, s := range o.Services {
		if len(p.ProductIDs) == 0 || slices.Contains(p.ProductIDs, s.ProductID) {
			each(s.Amount+s.SetupFee, s.Taxed)
		}
	}
	if len(p.ProductIDs) == 0 {
		for _, d := range o.Domains {
			each(d.Amount, d.Taxed)
		}
	}
}

// PromotionValue is a promotion's value as a decimal: "12.50" percent, or "5.00" of its currency.
func PromotionValue(p Promotion) string {
	if p.Type == PromotionFixed {
		return money.Format(p.Amount, p.Currency)
	}
	return money.Format(int64(p.Percent), percentUnit)
}
