package workflows

import (
	"slices"
	"testing"
)

func TestSearchAttributeFlags(t *testing.T) {
	want := []string{"OrderStatus=Keyword", "OrderNumber=Keyword", "ClientId=Int", "PaymentStatus=Keyword", "WaitingFor=Keyword"}
	if !slices.Equal(SearchAttributes, want) {
		t.Errorf("SearchAttributes = %v, want %v", SearchAttributes, want)
	}
}
