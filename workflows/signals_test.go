package workflows

import (
	"slices"
	"testing"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func TestSearchAttributeFlags(t *testing.T) {
	want := []string{"OrderStatus=Keyword", "OrderNumber=Keyword", "ClientId=Int", "PaymentStatus=Keyword", "WaitingFor=Keyword"}
	if !slices.Equal(ordermsg.SearchAttributes, want) {
		t.Errorf("SearchAttributes = %v, want %v", ordermsg.SearchAttributes, want)
	}
}

// Every admin action is heard as a signal, once, and the list holds nothing else but the facts.
func TestSignalsCoverEveryAction(t *testing.T) {
	facts := []string{ordermsg.SignalPaymentReceived, ordermsg.SignalPaymentRefunded, ordermsg.SignalFraudResult, ordermsg.SignalUnpaidPolicy}
	var want []string
	for _, spec := range order.Actions {
		want = append(want, string(spec.Action))
	}
	got := slices.DeleteFunc(slices.Clone(ordermsg.Signals), func(s string) bool { return slices.Contains(facts, s) })
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("signals' actions = %v, want order.Actions' %v", got, want)
	}
	if len(ordermsg.Signals) != len(facts)+len(want) {
		t.Errorf("signals = %v: each fact and action once", ordermsg.Signals)
	}
}
