package orderstate

import (
	"testing"
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func TestDomainWatch(t *testing.T) {
	in := hosting(order.SetupNever)
	in.Order.Domains = append(in.Order.Domains, in.Order.Domains[0], in.Order.Domains[0])
	o := placed(in)
	watch := func(it *ordermsg.Item, status order.Status, since time.Time) {
		it.Status, it.WatchSince = status, &since
	}
	watch(&o.State.Items[1], order.PendingTransfer, start)
	watch(&o.State.Items[2], order.Active, start) // no longer pending: not asked after
	o.State.Items[3].Status = order.PendingRegistration
	if w := o.WatchedNow(); len(w) != 1 || w[0].ID != 200 {
		t.Fatalf("WatchedNow = %v, want domain 200", w)
	}
	for _, tc := range []struct {
		age  time.Duration
		want time.Duration
	}{
		{0, time.Hour}, {3 * time.Hour, time.Hour}, {8 * time.Hour, 2 * time.Hour}, {48 * time.Hour, 6 * time.Hour},
	} {
		if got := o.NextPoll(start.Add(tc.age)); got != tc.want {
			t.Errorf("NextPoll at %v = %v, want %v", tc.age, got, tc.want)
		}
	}
	watch(&o.State.Items[3], order.PendingRegistration, start.Add(47*time.Hour))
	if got := o.NextPoll(start.Add(48 * time.Hour)); got != time.Hour {
		t.Errorf("NextPoll = %v: the newest watch sets the pace", got)
	}
	if WatchExpired(&o.State.Items[1], start.Add(14*24*time.Hour-time.Second)) || !WatchExpired(&o.State.Items[1], start.Add(14*24*time.Hour)) {
		t.Error("WatchExpired: a domain is asked after for two weeks")
	}
}
