package order

import "fmt"

// Refusals of item actions, in WHMCS's words where it has them.
const (
	ReasonNoModule        = "Service not assigned to a module"
	ReasonNoRegistrar     = "Domain not assigned to a registrar"
	ReasonServiceNotFound = "Service ID not found"
	ReasonDomainNotFound  = "Domain Not Found"
)

// NotFound is WHMCS's answer for an item of this kind that does not exist.
func (k ItemKind) NotFound() string {
	if k == OnDomain {
		return ReasonDomainNotFound
	}
	return ReasonServiceNotFound
}

// CheckItem is the rule for an item action on an item in status; automated says whether the
// item has a module or registrar to call.
func (s Spec) CheckItem(status Status, automated bool) error {
	refuse := func(reason string) error { return &StateError{Action: s.Action, Status: status, Reason: reason} }
	switch {
	case s.On == OnOrder:
		return fmt.Errorf("%s acts on an order, not an item", s.Action)
	case s.Action == ActionDomainNameservers || s.Action == ActionDomainGetNameservers:
		return nil // a domain not at its registrar keeps its nameservers here
	case !automated && s.On == OnService:
		return refuse(ReasonNoModule)
	case !automated:
		return refuse(ReasonNoRegistrar)
	}
	switch {
	case s.Action == ActionModuleCreate && (status == Cancelled || status == Fraud):
		return refuse(fmt.Sprintf("The service is %s: set the order back to Pending first", status))
	case s.Action == ActionModuleSuspend && status != Active:
		return refuse("Only an Active service can be suspended")
	case s.Action == ActionModuleUnsuspend && status != Suspended:
		return refuse("Only a Suspended service can be unsuspended")
	case s.Action == ActionModuleTerminate && status != Active && status != Suspended:
		return refuse("Only an Active or Suspended service can be terminated")
	case (s.Action == ActionModuleChangePackage || s.Action == ActionModuleChangePw) && status != Active && status != Suspended:
		return refuse("Only an Active or Suspended service can be changed")
	case s.Action == ActionDomainRenew && status != Active:
		return refuse(fmt.Sprintf("The domain is %s: only an Active domain can be renewed", status))
	case s.Action == ActionDomainRenew:
	case s.On == OnDomain && status == Active:
		return refuse("The domain is already Active")
	case s.On == OnDomain && (status == Cancelled || status == Fraud):
		return refuse(fmt.Sprintf("The domain is %s: set the order back to Pending first", status))
	}
	return nil
}
