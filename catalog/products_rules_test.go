package catalog

import (
	"testing"

	"github.com/hostflow/hostflow/order"
)

func TestNeedsDomain(t *testing.T) {
	for _, tc := range []struct {
		typ    order.ProductType
		module string
		want   bool
	}{
		{order.HostingAccount, "cpanel", true},
		{order.HostingAccount, "none", false},
		{order.HostingAccount, "", false},
		{order.Server, "cpanel", false},
		{order.OtherProduct, "cpanel", false},
	} {
		if got := NeedsDomain(tc.typ, tc.module); got != tc.want {
			t.Errorf("NeedsDomain(%s, %q) = %v, want %v", tc.typ, tc.module, got, tc.want)
		}
	}
}
