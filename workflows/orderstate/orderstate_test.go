package orderstate

import (
	"slices"
	"testing"
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// hosting is an order of a cPanel account and a domain at Namecheap, with setup as its
// product's auto-setup, unpaid.
func hosting(setup order.AutoSetup) ordermsg.Input {
	return ordermsg.Input{Order: order.NewOrder{ID: 1, Number: 1234567890,
		Services: []order.NewService{{ProductName: "Basic", Module: "cpanel", AutoSetup: setup, Domain: "example.com", Amount: 1000}},
		Domains:  []order.NewDomain{{Domain: "example.com", Type: order.DomainRegister, AutoRegistrar: "namecheap", Amount: 1000}},
	}, FraudThreshold: 20, CancelUnpaidAfterDays: 3}
}

// placed is in's order as its first write left it: service 100, domain 200, invoice 7.
func placed(in ordermsg.Input) Order {
	o := New(in, start)
	var services, domains []int64
	for i := range in.Order.Services {
		services = append(services, int64(100+i))
	}
	for i := range in.Order.Domains {
		domains = append(domains, int64(200+i))
	}
	o.Written(ordermsg.Placed{OrderID: in.Order.ID, OrderNumber: in.Order.Number, InvoiceID: 7,
		ServiceIDs: services, DomainIDs: domains, Status: order.Pending}, in.Order.PaidAtOnce())
	return o
}

func TestNewListsTheItemsAndWrittenNumbersThem(t *testing.T) {
	in := hosting(order.SetupOnPayment)
	in.Order.Services = append(in.Order.Services, order.NewService{ProductName: "VPS", Module: "none", AutoSetup: order.SetupNever, Amount: 500})
	in.Order.Domains[0].Type = order.DomainTransfer
	in.FraudCheck = true
	o := New(in, start)
	if o.Created || !o.FraudPending || o.UnpaidAfterDays != 3 || !o.UnpaidSince.Equal(start) || o.PaidAtOnce {
		t.Errorf("New = %+v", o)
	}
	if o.State.Status != order.Pending || o.State.PaymentStatus != order.InvoiceUnpaid || o.State.WaitingFor != order.NotWaiting {
		t.Errorf("New's state = %+v: Pending and Unpaid, waiting_for derived when asked", o.State)
	}
	var names []string
	for _, it := range o.State.Items {
		names = append(names, string(it.Kind)+" "+it.Name)
	}
	if want := []string{"service Basic - example.com", "service VPS", "domain example.com"}; !slices.Equal(names, want) {
		t.Errorf("items = %q, want %q", names, want)
	}
	if !o.State.Items[2].Transfer || o.State.Items[2].Module != "namecheap" {
		t.Errorf("domain = %+v: a transfer at its auto-registrar", o.State.Items[2])
	}

	o.Written(ordermsg.Placed{OrderID: 1, OrderNumber: 42, InvoiceID: 7, ServiceIDs: []int64{100, 101}, DomainIDs: []int64{200}}, false)
	if !o.Created || o.State.OrderNumber != 42 || o.Placed.InvoiceID != 7 {
		t.Errorf("Written = %+v", o)
	}
	for i, want := range []int64{100, 101, 200} {
		if o.State.Items[i].ID != want {
			t.Errorf("item %d id = %d, want %d: services and domains are numbered apart", i, o.State.Items[i].ID, want)
		}
	}
	if o.Item(order.OnDomain, 200) != &o.State.Items[2] || o.Item(order.OnService, 200) != nil {
		t.Error("Item finds an item by kind and id")
	}
	if o.State.PaymentStatus != order.InvoiceUnpaid {
		t.Error("an invoice the write did not find paid stays Unpaid")
	}
	o.Written(o.Placed, true)
	if !o.Paid() {
		t.Error("an invoice the write found paid is Paid")
	}
}

func TestInitialAndResume(t *testing.T) {
	in := hosting(order.SetupNever)
	if s := Initial(in.Order); s.PaymentStatus != order.InvoiceUnpaid || s.WaitingFor != order.WaitingPayment || s.OrderNumber != 1234567890 {
		t.Errorf("Initial = %+v", s)
	}
	in.Order.Services[0].Amount, in.Order.Domains[0].Amount = 0, 0
	if s := Initial(in.Order); s.PaymentStatus != order.InvoicePaid || s.WaitingFor != order.WaitingAdminReview {
		t.Errorf("Initial of a free order = %+v: paid at once", s)
	}
	last := placed(in)
	last.Seq = 9
	in.Resume = &last.Durable
	o := Resume(in)
	if !o.Created || o.Deleted || !o.PaidAtOnce || o.Seq != 9 || o.State.Items[0].ID != 100 {
		t.Errorf("Resume = %+v: the last run's state, its rows written", o)
	}
}
