package catalog

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/testenv"
)

func TestTLDRules(t *testing.T) {
	pool, _ := testenv.Database(t)
	regs := registrar.NewRegistry()
	regs["fake"] = &fakeRegistrar{}
	cat := New(pool, nil, nil, nil, regs, nil)
	ctx := context.Background()
	no := false
	created, err := cat.CreateTLD(ctx, NewTLD{TLD: "COM", RegisterPrice: "12.00", TransferPrice: "10.00", AutoRegistrar: "fake"})
	require.NoError(t, err)
	require.Equal(t, TLD{TLD: ".com", Currency: "USD", RegisterPrice: 1200, TransferPrice: 1000, RenewPrice: 1200, AutoRegistrar: "fake",
		EPPRequired: true, CreatedAt: created.CreatedAt}, created, "a renewal costs a registration unless priced; transfers need the EPP code")

	for _, tc := range []struct {
		name  string
		in    NewTLD
		want  TLD
		field string // the refusal's field; "" succeeds
	}{
		{name: "repriced, renewals of their own, no EPP code, by hand",
			in:   NewTLD{TLD: ".com", Currency: "eur", RegisterPrice: "9.5", TransferPrice: "8", RenewPrice: "11.00", EPPRequired: &no},
			want: TLD{TLD: ".com", Currency: "EUR", RegisterPrice: 950, TransferPrice: 800, RenewPrice: 1100}},
		{name: "a currency of no decimals", in: NewTLD{TLD: ".com", Currency: "JPY", RegisterPrice: "1500", TransferPrice: "1500"},
			want: TLD{TLD: ".com", Currency: "JPY", RegisterPrice: 1500, TransferPrice: 1500, RenewPrice: 1500, EPPRequired: true}},
		{name: "no such TLD", in: NewTLD{TLD: ".net", RegisterPrice: "1", TransferPrice: "1"}},
		{name: "not a TLD", in: NewTLD{TLD: ".c*m", RegisterPrice: "1", TransferPrice: "1"}, field: "tld"},
		{name: "not a currency", in: NewTLD{TLD: ".com", Currency: "DOLLARS", RegisterPrice: "1", TransferPrice: "1"}, field: "currency"},
		{name: "a price that is no number", in: NewTLD{TLD: ".com", RegisterPrice: "twelve", TransferPrice: "1"}, field: "register_price"},
		{name: "too many decimals", in: NewTLD{TLD: ".com", RegisterPrice: "1", TransferPrice: "1.001"}, field: "transfer_price"},
		{name: "a negative renewal", in: NewTLD{TLD: ".com", RegisterPrice: "1", TransferPrice: "1", RenewPrice: "-1"}, field: "renew_price"},
		{name: "an unknown registrar", in: NewTLD{TLD: ".com", RegisterPrice: "1", TransferPrice: "1", AutoRegistrar: "enom"}, field: "auto_registrar"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cat.UpdateTLD(ctx, tc.in)
			var fe *fault.Error
			switch {
			case tc.field != "":
				require.True(t, errors.As(err, &fe) && fe.Kind == fault.Invalid, "%v", err)
				require.Equal(t, tc.field, fe.Field, fe.Error())
			case tc.want.TLD == "":
				require.True(t, errors.As(err, &fe) && fe.Kind == fault.NotFound, "%v", err)
			default:
				require.NoError(t, err)
				tc.want.CreatedAt = got.CreatedAt
				require.Equal(t, tc.want, got)
				again, err := cat.GetTLD(ctx, "com")
				require.NoError(t, err)
				require.Equal(t, got, again)
			}
		})
	}
	_, err = cat.CreateTLD(ctx, NewTLD{TLD: ".com", RegisterPrice: "1", TransferPrice: "1"})
	var fe *fault.Error
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.Conflict && fe.Field == "tld", "%v", err)
}
