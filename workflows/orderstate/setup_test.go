package orderstate

import (
	"fmt"
	"testing"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func TestAutoSetupDue(t *testing.T) {
	paid := func(o *Order) { o.State.PaymentStatus = order.InvoicePaid }
	for _, tc := range []struct {
		name   string
		setup  order.AutoSetup
		change func(*Order)
		want   []int64
	}{
		{"on order, unpaid: the account only", order.SetupOnOrder, nil, []int64{100}},
		{"on payment, unpaid", order.SetupOnPayment, nil, nil},
		{"on payment, paid", order.SetupOnPayment, paid, []int64{100, 200}},
		{"on accept, paid: the domain only", order.SetupOnAccept, paid, []int64{200}},
		{"never, paid: the domain only", order.SetupNever, paid, []int64{200}},
		{"before the fraud check", order.SetupOnOrder, func(o *Order) { o.FraudPending = true }, nil},
		{"waiting for a fraud review", order.SetupOnPayment, func(o *Order) { paid(o); o.State.FraudReview = true }, nil},
		{"active: what is still pending", order.SetupOnPayment, func(o *Order) {
			paid(o)
			o.State.Status, o.State.Items[0].Status = order.Active, order.Active
		}, []int64{200}},
		{"cancelled", order.SetupOnPayment, func(o *Order) { paid(o); cancelled(o) }, nil},
		{"run once", order.SetupOnPayment, func(o *Order) { paid(o); o.State.Items[0].AutoDone = true }, []int64{200}},
		{"failed: waits for retry or skip", order.SetupOnPayment, func(o *Order) {
			paid(o)
			o.State.Items[1].FailedOp = ordermsg.OpRegister
		}, []int64{100}},
		{"no module", order.SetupOnPayment, func(o *Order) {
			paid(o)
			o.State.Items[0].Module, o.State.Items[1].Module = "none", ""
		}, nil},
	} {
		o := placed(hosting(tc.setup))
		if tc.change != nil {
			tc.change(&o)
		}
		var got []int64
		for _, it := range o.AutoSetupDue() {
			got = append(got, it.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: AutoSetupDue = %v, want %v", tc.name, got, tc.want)
		}
		if o.AutoWorkDue() != (len(tc.want) > 0) {
			t.Errorf("%s: AutoWorkDue = %v", tc.name, o.AutoWorkDue())
		}
	}
	o := placed(hosting(order.SetupOnOrder))
	if SetupOp(&o.State.Items[0]) != ordermsg.OpCreate || SetupOp(&o.State.Items[1]) != ordermsg.OpRegister {
		t.Error("SetupOp: a service's account is created, a domain registered")
	}
}
