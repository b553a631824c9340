package billing

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/testenv"
)

// An edit goes through the rules of a new promotion; the uses so far are the orders' to count.
func TestUpdatePromotion(t *testing.T) {
	pool, _ := testenv.Database(t)
	b := New(pool, nil, nil, nil, nil)
	ctx := context.Background()
	q := db.New(pool)
	prod, err := q.CreateProduct(ctx, db.CreateProductParams{Name: "Basic", Type: "hostingaccount", Module: "none", AutoSetup: "accept"})
	require.NoError(t, err)
	promo, err := b.CreatePromotion(ctx, NewPromotion{Code: "SPRING", Type: PromotionPercentage, Value: "10", MaxUses: 5})
	require.NoError(t, err)
	_, err = b.CreatePromotion(ctx, NewPromotion{Code: "TAKEN", Type: PromotionPercentage, Value: "5"})
	require.NoError(t, err)
	for range 3 { // three orders used it
		_, err := q.UsePromotion(ctx, promo.ID)
		require.NoError(t, err)
	}
	for _, tc := range []struct {
		name  string
		in    NewPromotion
		field string // the refusal's field; "" succeeds
		kind  fault.Kind
	}{
		{name: "a fixed amount off one product, for a season",
			in: NewPromotion{Code: "SPRING", Type: PromotionFixed, Value: "5.00", Currency: "USD", Recurring: true, ProductIDs: []int64{prod.ID},
				StartsOn: "2026-03-01", ExpiresOn: "2026-05-31", MaxUses: 3, Notes: "for the newsletter"}},
		{name: "no limit", in: NewPromotion{Code: "SPRING", Type: PromotionPercentage, Value: "12.5"}},
		{name: "fewer uses than it has had", in: NewPromotion{Code: "SPRING", Type: PromotionPercentage, Value: "10", MaxUses: 2},
			field: "max_uses", kind: fault.Invalid},
		{name: "another promotion's code", in: NewPromotion{Code: "taken", Type: PromotionPercentage, Value: "10"}, field: "code", kind: fault.Conflict},
		{name: "a code with a space", in: NewPromotion{Code: "SPR ING", Type: PromotionPercentage, Value: "10"}, field: "code", kind: fault.Invalid},
		{name: "over 100%", in: NewPromotion{Code: "SPRING", Type: PromotionPercentage, Value: "100.01"}, field: "value", kind: fault.Invalid},
		{name: "a fixed amount without currency", in: NewPromotion{Code: "SPRING", Type: PromotionFixed, Value: "5"}, field: "currency", kind: fault.Invalid},
		{name: "no such product", in: NewPromotion{Code: "SPRING", Type: PromotionPercentage, Value: "10", ProductIDs: []int64{prod.ID + 9}},
			field: "product_ids[0]", kind: fault.Invalid},
		{name: "expires before it starts", in: NewPromotion{Code: "SPRING", Type: PromotionPercentage, Value: "10", StartsOn: "2026-03-01",
			ExpiresOn: "2026-02-01"}, field: "expires_on", kind: fault.Invalid},
		{name: "not a date", in: NewPromotion{Code: "SPRING", Type: PromotionPercentage, Value: "10", StartsOn: "1 March"}, field: "starts_on", kind: fault.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := b.UpdatePromotion(ctx, promo.ID, tc.in)
			if tc.field != "" {
				var fe *fault.Error
				require.True(t, errors.As(err, &fe), "%v", err)
				require.Equal(t, tc.kind, fe.Kind, fe.Error())
				require.Equal(t, tc.field, fe.Field, fe.Error())
				return
			}
			require.NoError(t, err)
			require.Equal(t, int32(3), got.Uses, "the uses are kept")
			require.Equal(t, tc.in.Code, got.Code)
			require.Equal(t, tc.in.Value, PromotionValue(got)[:len(tc.in.Value)])
			require.Equal(t, tc.in.MaxUses, got.MaxUses)
			require.Equal(t, tc.in.Recurring, got.Recurring)
			if tc.in.ExpiresOn != "" {
				require.Equal(t, tc.in.ExpiresOn, got.ExpiresOn.Format(time.DateOnly))
			}
			again, err := b.Promotion(ctx, promo.ID)
			require.NoError(t, err)
			require.Equal(t, got, again)
		})
	}
	var fe *fault.Error
	_, err = b.UpdatePromotion(ctx, promo.ID+100, NewPromotion{Code: "GONE", Type: PromotionPercentage, Value: "10"})
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.NotFound, "%v", err)
	_, err = b.Promotion(ctx, promo.ID+100)
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.NotFound, "%v", err)
}
