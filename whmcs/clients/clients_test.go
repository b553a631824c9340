package clients

import (
	"testing"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/whmcs/reads"
)

// clientStats counts a product type WHMCS has no stats name for in the totals, without failing.
func TestClientStatsCounts(t *testing.T) {
	st := reads.ClientStats{Items: []db.WHMCSClientItemStatsRow{
		{Kind: string(order.HostingAccount), Status: string(order.Active), N: 2},
		{Kind: string(order.HostingAccount), Status: string(order.Suspended), N: 1},
		{Kind: string(order.Server), Status: string(order.Pending), N: 1},
		{Kind: "mystery", Status: string(order.Active), N: 4},
		{Kind: reads.StatsDomain, Status: string(order.Active), N: 3},
	}}
	out := clientStats(st, "USD", 0)
	for k, want := range map[string]int64{"productsnumhosting": 3, "productsnumactivehosting": 2, "productsnumservers": 1,
		"productsnumactiveservers": 0, "productsnumreseller": 0, "productsnumother": 0, "productsnumtotal": 8,
		"productsnumactive": 6, "numdomains": 3, "numactivedomains": 3} {
		if out[k] != want {
			t.Errorf("%s = %v, want %d", k, out[k], want)
		}
	}
}
