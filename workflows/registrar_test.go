package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Renew, Modify Nameservers and Get Nameservers run their registrar calls as activities of the
// order's workflow. A renewal is measured against the expiry date read before it, which the
// renewal activity's every attempt is given.
func TestRegistrarCommandsOnAnActiveDomain(t *testing.T) {
	h := newHarness(t)
	before := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	var renewals []activities.Renewal
	var recorded []records.RenewalRecord
	var stated [][]string
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil })
	h.onModule(acts.DomainExpiry, func(context.Context, int64) (time.Time, error) { return before, nil })
	h.onModule(acts.RenewDomain, func(_ context.Context, r activities.Renewal) (time.Time, error) {
		renewals = append(renewals, r)
		return r.ExpiryBefore.AddDate(r.Years, 0, 0), nil
	})
	h.onModule(recs.RecordRenewal, func(_ context.Context, r records.RenewalRecord) error { recorded = append(recorded, r); return nil })
	h.onModule(acts.SetNameservers, func(_ context.Context, c activities.NameserversChange) error {
		stated = append(stated, c.Nameservers)
		return nil
	})
	h.onModule(acts.DomainNameservers, func(context.Context, int64) ([]string, error) { return []string{"ns1.x.example", "ns2.x.example"}, nil })
	in := manualOrder()
	in.Order.Services = nil
	in.Order.Domains[0].AutoRegistrar = "namecheap"
	do := func(action order.Action, req order.ActionRequest, check func(ordermsg.Result, error)) {
		req.ItemID, req.Actor = 200, order.WHMCSAPI
		h.update(action, req, check)
	}
	h.steps(time.Second,
		func() {
			do(order.ActionDomainRenew, order.ActionRequest{Years: 1}, func(_ ordermsg.Result, err error) {
				require.ErrorContains(t, err, "only an Active domain can be renewed")
			})
		},
		pay(h), // registered on payment
		func() {
			do(order.ActionDomainRenew, order.ActionRequest{Years: 2}, func(_ ordermsg.Result, err error) { require.NoError(t, err) })
		},
		func() {
			do(order.ActionDomainNameservers, order.ActionRequest{Nameservers: []string{"a.example", "b.example"}},
				func(_ ordermsg.Result, err error) { require.NoError(t, err) })
		},
		func() {
			do(order.ActionDomainGetNameservers, order.ActionRequest{}, func(r ordermsg.Result, err error) {
				require.NoError(t, err)
				require.Equal(t, []string{"ns1.x.example", "ns2.x.example"}, r.Nameservers)
			})
		},
		func() { h.mustUpdate(order.ActionCancel) },
		refund(h),
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, []activities.Renewal{{DomainID: 200, Years: 2, ExpiryBefore: before}}, renewals)
	require.Len(t, recorded, 1)
	require.Equal(t, before.AddDate(2, 0, 0), recorded[0].Expiry)
	require.Equal(t, [][]string{{"a.example", "b.example"}}, stated)
}
