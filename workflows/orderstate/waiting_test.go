package orderstate

import (
	"testing"
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func TestWaitingFor(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Order)
		want   order.WaitingFor
	}{
		{"placed", func(*Order) {}, order.WaitingPayment},
		{"paid", func(o *Order) { o.State.PaymentStatus = order.InvoicePaid }, order.WaitingAdminReview},
		{"fraud review", func(o *Order) { o.State.FraudReview = true }, order.WaitingFraudReview},
		{"fraud review before payment", func(o *Order) { o.State.FraudReview, o.State.PaymentStatus = true, order.InvoicePaid }, order.WaitingFraudReview},
		{"failed step", func(o *Order) { o.State.Items[1].FailedOp = ordermsg.OpRegister }, order.WaitingProvisioningFailed},
		{"active", func(o *Order) { o.State.Status = order.Active }, order.NotWaiting},
		{"cancelled", func(o *Order) { o.State.Status = order.Cancelled }, order.NotWaiting},
		{"cancelled holding money", func(o *Order) { o.State.Status, o.PaymentReview = order.Cancelled, true }, order.WaitingPaymentReview},
		{"failed terminate on a fraud order holding money", func(o *Order) {
			o.State.Status, o.PaymentReview, o.State.Items[0].FailedOp = order.Fraud, true, ordermsg.OpTerminate
		}, order.WaitingProvisioningFailed},
		{"deleted", func(o *Order) { o.Deleted, o.State.Items[0].FailedOp = true, ordermsg.OpCreate }, order.NotWaiting},
	} {
		o := placed(hosting(order.SetupOnPayment))
		tc.change(&o)
		if got := o.WaitingFor(); got != tc.want {
			t.Errorf("%s: WaitingFor = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSnapshotAndResult(t *testing.T) {
	o := placed(hosting(order.SetupOnPayment))
	o.PendingAccept = &order.AcceptOptions{}
	o.State.Items[1].FailedOp, o.State.Items[1].Error = ordermsg.OpRegister, "Domain not available"
	s := o.Snapshot()
	if s.WaitingFor != order.WaitingProvisioningFailed || !s.AcceptPending {
		t.Errorf("Snapshot = %+v", s)
	}
	if want := start.Add(3 * 24 * time.Hour); s.CancelUnpaidAt == nil || !s.CancelUnpaidAt.Equal(want) {
		t.Errorf("CancelUnpaidAt = %v, want %v", s.CancelUnpaidAt, want)
	}
	s.Items[0].Status = order.Active
	if o.State.Items[0].Status != order.Pending {
		t.Error("the snapshot shares its items with the state")
	}
	o.State.PaymentStatus = order.InvoicePaid
	if o.Snapshot().CancelUnpaidAt != nil {
		t.Error("a paid order shows no unpaid deadline")
	}

	res := o.Result()
	if res.Status != order.Pending || res.WaitingFor != order.WaitingProvisioningFailed || len(res.Failures) != 1 || res.Failures[0].ID != 200 {
		t.Errorf("Result = %+v", res)
	}
	o.State.Status, o.Deleted = order.Cancelled, true
	if res := o.Result(); res.Status != order.Deleted || res.WaitingFor != order.NotWaiting {
		t.Errorf("Result of a deleted order = %+v", res)
	}
}

func TestUnpaidDeadline(t *testing.T) {
	deadline := start.Add(3 * 24 * time.Hour)
	for _, tc := range []struct {
		name   string
		change func(*Order)
		want   time.Time
	}{
		{"placed", func(*Order) {}, deadline},
		{"not written yet", func(o *Order) { o.Created = false }, time.Time{}},
		{"deleted", func(o *Order) { o.Deleted = true }, time.Time{}},
		{"setting off", func(o *Order) { o.UnpaidAfterDays = 0 }, time.Time{}},
		{"paid", func(o *Order) { o.State.PaymentStatus = order.InvoicePaid }, time.Time{}},
		{"refunded", func(o *Order) { o.State.PaymentStatus = order.InvoiceRefunded }, time.Time{}},
		{"active", func(o *Order) { o.State.Status = order.Active }, time.Time{}},
		{"reopened later", func(o *Order) { o.UnpaidSince = start.Add(time.Hour) }, deadline.Add(time.Hour)},
	} {
		o := placed(hosting(order.SetupNever))
		tc.change(&o)
		if got := o.UnpaidDeadline(); !got.Equal(tc.want) {
			t.Errorf("%s: UnpaidDeadline = %v, want %v", tc.name, got, tc.want)
		}
	}
	o := placed(hosting(order.SetupNever))
	if o.UnpaidDue(deadline.Add(-time.Second)) || !o.UnpaidDue(deadline) {
		t.Error("UnpaidDue: due from the deadline on")
	}
	o.UnpaidAfterDays = 0
	if o.UnpaidDue(deadline.Add(1000 * time.Hour)) {
		t.Error("UnpaidDue without a deadline")
	}
}

func TestSteady(t *testing.T) {
	watch := start
	for _, tc := range []struct {
		name   string
		change func(*Order)
		want   bool
	}{
		{"pending", func(*Order) {}, false},
		{"active", func(o *Order) { o.State.Status = order.Active }, true},
		{"cancelled", func(o *Order) { o.State.Status = order.Cancelled }, true},
		{"active with a failed step", func(o *Order) { o.State.Status, o.State.Items[0].FailedOp = order.Active, ordermsg.OpCreate }, false},
		{"active with a domain pending at its registrar", func(o *Order) {
			o.State.Status, o.State.Items[1].Status, o.State.Items[1].WatchSince = order.Active, order.PendingTransfer, &watch
		}, false},
		{"active with a domain no longer pending", func(o *Order) {
			o.State.Status, o.State.Items[1].Status, o.State.Items[1].WatchSince = order.Active, order.Active, &watch
		}, true},
	} {
		o := placed(hosting(order.SetupNever))
		tc.change(&o)
		if got := o.Steady(); got != tc.want {
			t.Errorf("%s: Steady = %v, want %v", tc.name, got, tc.want)
		}
	}
}
