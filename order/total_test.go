package order

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// An invoice's total is its lines with the tax on top, or, when prices include it, the lines
// themselves; its subtotal is before tax.
func TestTotalWithTax(t *testing.T) {
	o := NewOrder{Services: []NewService{{Amount: 1000, Taxed: true}, {Amount: 500}}}
	require.Equal(t, int64(1500), o.Total(), "untaxed")
	require.Equal(t, int64(1500), o.Subtotal())
	o.Tax = &Tax{Tax1: 200, Tax2: 60, Rate1: 20000, Rate2: 5000, Name1: "VAT", Name2: "Levy"}
	require.Equal(t, int64(1760), o.Total(), "exclusive: tax on top")
	require.Equal(t, int64(1500), o.Subtotal())
	o.Tax = &Tax{Inclusive: true, Tax1: 160, Tax2: 40, Rate1: 20000, Rate2: 5000, Name1: "VAT", Name2: "Levy"}
	require.Equal(t, int64(1500), o.Total(), "inclusive: the prices")
	require.Equal(t, int64(1300), o.Subtotal(), "inclusive: less the tax they carry")
	require.False(t, o.PaidAtOnce())
}
