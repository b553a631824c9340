package orderstate

import (
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// A registration the registry completes later, or a transfer the losing registrar has to let
// go, is asked after at its registrar for two weeks (longer than a transfer's five-day approval
// window): every hour at first, less often as it goes on.
const (
	domainPoll    = time.Hour
	domainPollMax = 6 * time.Hour
	domainWatch   = 14 * 24 * time.Hour
)

// WatchedNow lists the domains being asked after at their registrar: those still pending there
// (one cancelled, or set by hand, meanwhile is not asked after any more).
func (o *Order) WatchedNow() []*ordermsg.Item {
	var out []*ordermsg.Item
	for i := range o.State.Items {
		if it := &o.State.Items[i]; it.WatchSince != nil && order.PendingAtRegistrar(it.Status) {
			out = append(out, it)
		}
	}
	return out
}

// NextPoll is how long after now the watched domains are asked after again. It backs off with
// the age of the newest watch: a quarter of it, from an hour up to domainPollMax, so a fresh
// registration is asked after soon and a slow transfer less often.
func (o *Order) NextPoll(now time.Time) time.Duration {
	age := domainWatch
	for _, it := range o.WatchedNow() {
		age = min(age, now.Sub(*it.WatchSince))
	}
	return min(max(domainPoll, age/4), domainPollMax)
}

// WatchExpired reports whether a watched domain has been asked after for long enough at now:
// its registrar is not asked again, and an admin is told to check the domain there.
func WatchExpired(it *ordermsg.Item, now time.Time) bool {
	return now.Sub(*it.WatchSince) >= domainWatch
}
