package orderstate

import (
	"errors"
	"testing"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func spec(t *testing.T, a order.Action) order.Spec {
	s, ok := order.Lookup(a)
	if !ok {
		t.Fatalf("no action %s", a)
	}
	return s
}

func TestCheck(t *testing.T) {
	yes, no := true, false
	sendTo := func(registrar string, send *bool) *order.AcceptOptions {
		return &order.AcceptOptions{Registrar: registrar, SendToRegistrar: send}
	}
	for _, tc := range []struct {
		name   string
		change func(*Order)
		action order.Action
		req    order.ActionRequest
		reason string // "" allows
	}{
		{"accept a pending order", nil, order.ActionAccept, order.ActionRequest{}, ""},
		{"accept an active order", func(o *Order) { o.State.Status = order.Active }, order.ActionAccept, order.ActionRequest{}, order.ReasonNotPending},
		{"send a domain to its own registrar", nil, order.ActionAccept, order.ActionRequest{Accept: sendTo("", &yes)}, ""},
		{"send a domain to a chosen registrar", func(o *Order) { o.State.Items[1].Module = "" }, order.ActionAccept,
			order.ActionRequest{Accept: sendTo("enom", &yes)}, ""},
		{"send a domain to no registrar", func(o *Order) { o.State.Items[1].Module = "" }, order.ActionAccept,
			order.ActionRequest{Accept: sendTo("", &yes)}, "Send to Registrar needs a registrar for example.com: choose one"},
		{"send a domain to registrar none", nil, order.ActionAccept,
			order.ActionRequest{Accept: sendTo("none", &yes)}, "Send to Registrar needs a registrar for example.com: choose one"},
		{"keep a domain without a registrar", func(o *Order) { o.State.Items[1].Module = "" }, order.ActionAccept,
			order.ActionRequest{Accept: sendTo("", &no)}, ""},
		{"send an active domain to no registrar", func(o *Order) { o.State.Items[1].Module, o.State.Items[1].Status = "", order.Active },
			order.ActionAccept, order.ActionRequest{Accept: sendTo("", &yes)}, ""},

		{"delete a pending order", nil, order.ActionDelete, order.ActionRequest{}, order.ReasonDeleteNotClosed},
		{"delete a cancelled order", cancelled, order.ActionDelete, order.ActionRequest{}, ""},
		{"delete a cancelled order holding money", func(o *Order) { cancelled(o); o.PaymentReview = true },
			order.ActionDelete, order.ActionRequest{}, order.ReasonMoneyOnInvoice},
		{"delete a cancelled order whose invoice is paid", func(o *Order) { cancelled(o); o.State.PaymentStatus = order.InvoicePaid },
			order.ActionDelete, order.ActionRequest{}, order.ReasonMoneyOnInvoice},
		{"delete a cancelled free order", func(o *Order) { cancelled(o); o.State.PaymentStatus, o.PaidAtOnce = order.InvoicePaid, true },
			order.ActionDelete, order.ActionRequest{}, ""},
		{"delete with a failed terminate", func(o *Order) { cancelled(o); o.State.Items[0].FailedOp = ordermsg.OpTerminate },
			order.ActionDelete, order.ActionRequest{}, "The terminate of Basic - example.com failed: retry or skip it before deleting the order"},
		{"delete with a live account", func(o *Order) { cancelled(o); o.State.Items[0].Status = order.Suspended },
			order.ActionDelete, order.ActionRequest{}, "The account of Basic - example.com is still Suspended on the server: terminate it before deleting the order"},
		{"delete with an account set up by hand", func(o *Order) { cancelled(o); o.State.Items[0].Status, o.State.Items[0].Module = order.Active, "none" },
			order.ActionDelete, order.ActionRequest{}, ""},

		{"retry nothing", nil, order.ActionRetry, order.ActionRequest{}, order.ReasonNothingToRetry},
		{"retry a failed step", func(o *Order) { o.State.Items[1].FailedOp = ordermsg.OpRegister }, order.ActionRetry, order.ActionRequest{}, ""},

		{"suspend an active service", func(o *Order) { o.State.Items[0].Status = order.Active }, order.ActionModuleSuspend,
			order.ActionRequest{ItemID: 100}, ""},
		{"suspend a pending service", nil, order.ActionModuleSuspend, order.ActionRequest{ItemID: 100}, "Only an Active service can be suspended"},
		{"suspend the domain's id", nil, order.ActionModuleSuspend, order.ActionRequest{ItemID: 200}, order.ReasonServiceNotFound},
		{"register the service's id", nil, order.ActionDomainRegister, order.ActionRequest{ItemID: 100}, order.ReasonDomainNotFound},
		{"register a domain", nil, order.ActionDomainRegister, order.ActionRequest{ItemID: 200}, ""},
		{"transfer a registration", nil, order.ActionDomainTransfer, order.ActionRequest{ItemID: 200}, "The domain was ordered as a registration"},
		{"register a transfer", func(o *Order) { o.State.Items[1].Transfer = true }, order.ActionDomainRegister,
			order.ActionRequest{ItemID: 200}, "The domain was ordered as a transfer"},
		{"create an account by hand", func(o *Order) { o.State.Items[0].Module = "none" }, order.ActionModuleCreate,
			order.ActionRequest{ItemID: 100}, order.ReasonNoModule},
		{"nameservers of a cancelled order's domain", cancelled, order.ActionDomainNameservers, order.ActionRequest{ItemID: 200}, ""},
	} {
		o := placed(hosting(order.SetupOnAccept))
		if tc.change != nil {
			tc.change(&o)
		}
		err := o.Check(spec(t, tc.action), tc.req)
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.reason != "" && (err == nil || err.Error() != tc.reason):
			t.Errorf("%s: Check = %v, want %q", tc.name, err, tc.reason)
		}
		var se *order.StateError
		if err != nil && !errors.As(err, &se) {
			t.Errorf("%s: refusal %T is not a StateError", tc.name, err)
		}
	}
}

func cancelled(o *Order) {
	o.State.Status = order.Cancelled
	for i := range o.State.Items {
		o.State.Items[i].Status = order.Cancelled
	}
}

func TestCheckPayable(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Order)
		ok     bool
	}{
		{"pending", func(*Order) {}, true},
		{"cancelled", cancelled, true}, // the invoice says whether anything is left to pay
		{"fraud", func(o *Order) { o.State.Status = order.Fraud }, false},
		{"fraud check to run", func(o *Order) { o.FraudPending = true }, false},
		{"fraud review", func(o *Order) { o.State.FraudReview = true }, false},
	} {
		o := placed(hosting(order.SetupNever))
		tc.change(&o)
		err := o.CheckPayable()
		if (err == nil) != tc.ok {
			t.Errorf("%s: CheckPayable = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && err.Error() != order.ReasonPaymentNotOpen {
			t.Errorf("%s: refused with %q", tc.name, err)
		}
	}
}
