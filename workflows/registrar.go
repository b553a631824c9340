package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// registrarCommands lists the commands on a domain the client holds: they change no status, and
// each runs its registrar call as an activity of the order's workflow, like every side effect.
var registrarCommands = map[order.Action]bool{
	order.ActionDomainRenew:          true,
	order.ActionDomainNameservers:    true,
	order.ActionDomainGetNameservers: true,
}

// registrarCommand renews a domain, states its nameservers or reads them.
func (w *orderWF) registrarCommand(ctx workflow.Context, actor order.Actor, spec order.Spec, it *ordermsg.Item, req order.ActionRequest) ([]string, error) {
	var ns []string
	var err error
	switch spec.Action {
	case order.ActionDomainGetNameservers:
		ns, err = callResult(ctx, moduleOptions, acts.DomainNameservers, it.ID)
	case order.ActionDomainNameservers:
		c := activities.NameserversChange{Event: w.event(actor, string(spec.Action), "", "", ""), DomainID: it.ID, Nameservers: req.Nameservers}
		err = call(ctx, moduleOptions, acts.SetNameservers, c)
	case order.ActionDomainRenew:
		err = w.renew(ctx, actor, it, req.Years)
	}
	if err != nil {
		return nil, w.itemFailed(ctx, actor, spec, it, err)
	}
	return ns, nil
}

// renew buys years more of a domain, once. Its expiry date is read first and kept in the
// history: the renewal activity measures each of its attempts against it, so a retry after a
// purchase whose answer was lost buys nothing (see activities.RenewDomain).
func (w *orderWF) renew(ctx workflow.Context, actor order.Actor, it *ordermsg.Item, years int) error {
	before, err := callResult(ctx, moduleOptions, acts.DomainExpiry, it.ID)
	if err != nil {
		return err
	}
	after, err := callResult(ctx, moduleOptions, acts.RenewDomain, activities.Renewal{DomainID: it.ID, Years: years, ExpiryBefore: before})
	if err != nil {
		return err
	}
	period := "its registration period"
	if years > 0 {
		period = fmt.Sprintf("%d year(s)", years)
	}
	detail := fmt.Sprintf("domain %s: renewed for %s through %s, expires %s", it.Name, period, it.Module, after.Format("2006-01-02"))
	rec := records.RenewalRecord{Event: w.event(actor, string(order.ActionDomainRenew), "", "", detail), DomainID: it.ID, Expiry: after}
	if err := record(ctx, w, recs.RecordRenewal, rec); err != nil {
		w.logger.Error("Renewal not recorded", "Domain", it.ID, "Error", err)
	}
	return nil
}
