package ordering

import (
	"errors"
	"testing"

	"github.com/hostflow/hostflow/catalog"
)

func TestFraudRule(t *testing.T) {
	skipReturning := catalog.OrderPolicy{FraudSkipActiveClients: true}
	tests := []struct {
		name      string
		p         PlaceOrder
		policy    catalog.OrderPolicy
		active    bool
		wantCheck bool
		wantRule  string
	}{
		{"client area", PlaceOrder{ClientIP: "203.0.113.9"}, catalog.OrderPolicy{}, true, true, "checked: placed with the client's address 203.0.113.9 (the client area, or an integration's clientip)"},
		{"staff", PlaceOrder{}, catalog.OrderPolicy{}, false, false, FraudRuleStaff},
		{"staff, even when the caller asks to skip", PlaceOrder{SkipFraudCheck: true}, catalog.OrderPolicy{}, false, false, FraudRuleStaff},
		{"skipped by the caller", PlaceOrder{ClientIP: "203.0.113.9", SkipFraudCheck: true}, catalog.OrderPolicy{}, false, false, FraudRuleSkipped},
		{"returning client skipped by the setting", PlaceOrder{ClientIP: "203.0.113.9"}, skipReturning, true, false, FraudRuleActiveClient},
		{"new client checked despite the setting", PlaceOrder{ClientIP: "203.0.113.9"}, skipReturning, false, true, "checked: placed with the client's address 203.0.113.9 (the client area, or an integration's clientip)"},
		{"returning client checked without the setting", PlaceOrder{ClientIP: "2001:db8::1"}, catalog.OrderPolicy{}, true, true, "checked: placed with the client's address 2001:db8::1 (the client area, or an integration's clientip)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asked := false
			check, rule, err := fraudRule(tt.p, tt.policy, func() (bool, error) { asked = true; return tt.active, nil })
			if err != nil {
				t.Fatal(err)
			}
			if check != tt.wantCheck || rule != tt.wantRule {
				t.Errorf("fraudRule = %v, %q; want %v, %q", check, rule, tt.wantCheck, tt.wantRule)
			}
			if asked && !tt.policy.FraudSkipActiveClients {
				t.Error("asked for the client's orders though the setting is off")
			}
		})
	}
	if _, _, err := fraudRule(PlaceOrder{ClientIP: "203.0.113.9"}, skipReturning, func() (bool, error) { return false, errors.New("down") }); err == nil {
		t.Error("a failed read of the client's orders was not an error")
	}
}
