package ordering

import (
	"fmt"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/fault"
)

// The fraud rule, WHMCS's: an order placed in the client area is checked, one placed by staff
// is not. An order counts as the client's when it carries the client's address (the store's
// checkout, or an integration's AddOrder with clientip), which is also what the fraud service
// scores. The order page shows which rule applied, in these words.
const (
	FraudRuleChecked      = "checked: placed with the client's address %s (the client area, or an integration's clientip)"
	FraudRuleStaff        = "not checked: no client address (placed by staff, or by an integration without clientip)"
	FraudRuleSkipped      = "not checked: the caller skipped it (skip_fraud_check)"
	FraudRuleActiveClient = "not checked: the client has an Active order (setting fraud_skip_active_clients)"
)

// fraudRule decides whether a new order gets the fraud check, and says which rule applied.
// hasActive is asked only when the setting that skips returning clients is on.
func fraudRule(p PlaceOrder, policy catalog.OrderPolicy, hasActive func() (bool, error)) (check bool, rule string, err error) {
	switch {
	case p.ClientIP == "":
		return false, FraudRuleStaff, nil
	case p.SkipFraudCheck:
		return false, FraudRuleSkipped, nil
	case policy.FraudSkipActiveClients:
		active, err := hasActive()
		if err != nil {
			return false, "", fault.Wrap(err, "check the client's orders")
		}
		if active { // a client with an Active order has passed before
			return false, FraudRuleActiveClient, nil
		}
	}
	return true, fmt.Sprintf(FraudRuleChecked, p.ClientIP), nil
}
