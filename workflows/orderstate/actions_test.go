package orderstate

import (
	"fmt"
	"testing"
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// steps shows Accept's steps as "kind id: run registrar" or "kind id: by hand to status".
func steps(ss []AcceptStep) []string {
	var out []string
	for _, s := range ss {
		line := fmt.Sprintf("%s %d: ", s.Item.Kind, s.Item.ID)
		switch {
		case !s.Run:
			line += "by hand to " + string(s.Status)
		case s.Item.Kind == order.OnService:
			line += fmt.Sprintf("create on server %d as %q", s.Service.ServerID, s.Service.Username)
		default:
			line += "send to " + s.Registrar
		}
		out = append(out, line)
	}
	return out
}

func TestAcceptSteps(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name   string
		in     func(*ordermsg.Input)
		change func(*Order)
		opts   order.AcceptOptions
		want   []string
	}{
		{"defaults", nil, nil, order.AcceptOptions{},
			[]string{`service 100: create on server 0 as ""`, "domain 200: send to namecheap"}},
		{"the admin's server, username and registrar", nil, nil, order.AcceptOptions{ServerID: 4, Username: "bob", Registrar: "enom"},
			[]string{`service 100: create on server 4 as "bob"`, "domain 200: send to enom"}},
		{"an order-wide username names one account only", func(in *ordermsg.Input) {
			in.Order.Services = append(in.Order.Services, in.Order.Services[0])
		}, nil, order.AcceptOptions{Username: "bob"},
			[]string{`service 100: create on server 0 as ""`, `service 101: create on server 0 as ""`, "domain 200: send to namecheap"}},
		{"one service still pending takes the username", func(in *ordermsg.Input) {
			in.Order.Services = append(in.Order.Services, in.Order.Services[0])
		}, func(o *Order) { o.State.Items[0].Status = order.Active }, order.AcceptOptions{Username: "bob"},
			[]string{`service 101: create on server 0 as "bob"`, "domain 200: send to namecheap"}},
		{"nothing run", nil, nil, order.AcceptOptions{RunModuleCreate: &no, SendToRegistrar: &no},
			[]string{"service 100: by hand to Active", "domain 200: by hand to Active"}},
		{"a transfer by hand still waits for the losing registrar", func(in *ordermsg.Input) {
			in.Order.Domains[0].Type = order.DomainTransfer
		}, nil, order.AcceptOptions{SendToRegistrar: &no}, []string{`service 100: create on server 0 as ""`, "domain 200: by hand to Pending Transfer"}},
		{"a product never set up automatically", func(in *ordermsg.Input) { in.Order.Services[0].AutoSetup = order.SetupNever }, nil,
			order.AcceptOptions{}, []string{"service 100: by hand to Active", "domain 200: send to namecheap"}},
		{"asked to create a product never set up automatically", func(in *ordermsg.Input) { in.Order.Services[0].AutoSetup = order.SetupNever }, nil,
			order.AcceptOptions{RunModuleCreate: &yes}, []string{`service 100: create on server 0 as ""`, "domain 200: send to namecheap"}},
		{"asked to create without a module", func(in *ordermsg.Input) { in.Order.Services[0].Module = "none" }, nil,
			order.AcceptOptions{RunModuleCreate: &yes}, []string{"service 100: by hand to Active", "domain 200: send to namecheap"}},
		{"a domain without a registrar", func(in *ordermsg.Input) { in.Order.Domains[0].AutoRegistrar = "" }, nil,
			order.AcceptOptions{}, []string{`service 100: create on server 0 as ""`, "domain 200: by hand to Active"}},
		{"per item over the order's", nil, nil, order.AcceptOptions{ServerID: 4, Registrar: "enom",
			Services: []order.ServiceChoice{{ID: 100, ServerID: 5}}, Domains: []order.DomainChoice{{ID: 200, SendToRegistrar: &no}}},
			[]string{`service 100: create on server 5 as ""`, "domain 200: by hand to Active"}},
		{"items set up already", nil, func(o *Order) {
			o.State.Items[0].Status, o.State.Items[1].Status = order.Active, order.PendingRegistration
		},
			order.AcceptOptions{}, nil},
	} {
		in := hosting(order.SetupOnAccept)
		if tc.in != nil {
			tc.in(&in)
		}
		o := placed(in)
		if tc.change != nil {
			tc.change(&o)
		}
		got := steps(o.AcceptSteps(tc.opts))
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: AcceptSteps = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestReopen(t *testing.T) {
	o := placed(hosting(order.SetupOnPayment))
	o.State.Status, o.PaymentReview, o.State.FraudReview, o.FraudPending = order.Fraud, true, true, true
	o.PendingAccept = &order.AcceptOptions{}
	o.State.Items[0] = ordermsg.Item{Kind: order.OnService, ID: 100, Status: order.Active, FailedOp: ordermsg.OpTerminate, Error: "refused", AutoDone: true}
	later := start.Add(48 * time.Hour)
	o.Reopen(later)
	if o.State.Status != order.Pending || o.PaymentReview || o.PendingAccept != nil || !o.FraudResolved() || !o.UnpaidSince.Equal(later) {
		t.Errorf("Reopen = %+v", o)
	}
	for _, it := range o.State.Items {
		if it.Status != order.Pending || it.FailedOp != "" || it.Error != "" || it.AutoDone {
			t.Errorf("item after Reopen = %+v: Pending, nothing failed, auto-setup to run again", it)
		}
	}
}

func TestSkip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		order  order.Status
		item   ordermsg.Item
		status order.Status
		detail string
	}{
		{"a failed create keeps the item's status", order.Pending,
			ordermsg.Item{Status: order.Pending, FailedOp: ordermsg.OpCreate, Error: "connection refused"},
			order.Pending, "skipped create after: connection refused"},
		{"a failed registration likewise", order.Pending,
			ordermsg.Item{Status: order.Pending, FailedOp: ordermsg.OpRegister, Error: "Domain not available"},
			order.Pending, "skipped register after: Domain not available"},
		{"a skipped terminate leaves the account as the order", order.Fraud,
			ordermsg.Item{Status: order.Active, FailedOp: ordermsg.OpTerminate, Error: "Account suspended by root"},
			order.Fraud, "skipped terminate after: Account suspended by root"},
	} {
		o := placed(hosting(order.SetupOnPayment))
		o.State.Status = tc.order
		o.State.Items[0] = tc.item
		if f := o.Failed(); len(f) != 1 || f[0] != &o.State.Items[0] {
			t.Fatalf("%s: Failed = %v", tc.name, f)
		}
		status, detail := o.Skip(&o.State.Items[0])
		if status != tc.status || detail != tc.detail {
			t.Errorf("%s: Skip = %s, %q; want %s, %q", tc.name, status, detail, tc.status, tc.detail)
		}
		if o.FailedCount() != 0 || o.Failed() != nil || o.State.Items[0].Error != "" {
			t.Errorf("%s: the item still shows its failure: %+v", tc.name, o.State.Items[0])
		}
	}
}
