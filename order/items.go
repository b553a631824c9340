package order

import "fmt"

// Item actions: WHMCS's module commands on one service, and its registrar commands on one
// domain. They act on an item of an order without changing the order's status.
const (
	ActionModuleCreate    = "module-create"
	ActionModuleSuspend   = "module-suspend"
	ActionModuleUnsuspend = "module-unsuspend"
	ActionModuleTerminate = "module-terminate"
	ActionDomainRegister  = "domain-register"
	ActionDomainTransfer  = "domain-transfer"
)

// ItemActions lists them.
var ItemActions = []string{ActionModuleCreate, ActionModuleSuspend, ActionModuleUnsuspend, ActionModuleTerminate,
	ActionDomainRegister, ActionDomainTransfer}

// IsDomainAction reports whether action acts on a domain (else on a service).
func IsDomainAction(action string) bool {
	return action == ActionDomainRegister || action == ActionDomainTransfer
}

// Refusals of item actions, in WHMCS's words where it has them.
const (
	ReasonNoModule    = "Service not assigned to a module"
	ReasonNoRegistrar = "Domain not assigned to a registrar"
)

// CheckItem is the rule for an item action on an item in status; automated says whether the
// item has a module or registrar to call.
func CheckItem(action, status string, automated bool) error {
	refuse := func(reason string) error { return &StateError{Action: action, Status: status, Reason: reason} }
	switch action {
	case ActionModuleCreate, ActionModuleSuspend, ActionModuleUnsuspend, ActionModuleTerminate:
		if !automated {
			return refuse(ReasonNoModule)
		}
	case ActionDomainRegister, ActionDomainTransfer:
		if !automated {
			return refuse(ReasonNoRegistrar)
		}
	default:
		return fmt.Errorf("unknown item action %q", action)
	}
	switch {
	case action == ActionModuleCreate && (status == Cancelled || status == Fraud):
		return refuse("The service is " + status + ": set the order back to Pending first")
	case action == ActionModuleSuspend && status != Active:
		return refuse("Only an Active service can be suspended")
	case action == ActionModuleUnsuspend && status != ServiceSuspended:
		return refuse("Only a Suspended service can be unsuspended")
	case action == ActionModuleTerminate && status != Active && status != ServiceSuspended:
		return refuse("Only an Active or Suspended service can be terminated")
	case IsDomainAction(action) && status == Active:
		return refuse("The domain is already Active")
	case IsDomainAction(action) && (status == Cancelled || status == Fraud):
		return refuse("The domain is " + status + ": set the order back to Pending first")
	}
	return nil
}
