package order

import (
	"fmt"
	"slices"
)

// Action names an admin action. The name is also the order workflow's update and signal.
type Action string

// Order actions.
const (
	ActionAccept     Action = "accept"
	ActionCancel     Action = "cancel"
	ActionFraud      Action = "fraud"
	ActionSetPending Action = "set-pending"
	ActionRetry      Action = "retry"
	ActionSkip       Action = "skip"
	ActionDelete     Action = "delete"
	// ActionFraudCheck runs the fraud check again, as WHMCS's OrderFraudCheck does.
	ActionFraudCheck Action = "fraud-check-run"
	// ActionCancelRefund cancels the order as ActionCancel does and gives back its payments
	// through their gateway (WHMCS's Cancel & Refund).
	ActionCancelRefund Action = "cancel-refund"
)

// Item actions: WHMCS's module commands on one service, and its registrar commands on one
// domain. They act on an item of an order without changing the order's status.
const (
	ActionModuleCreate    Action = "module-create"
	ActionModuleSuspend   Action = "module-suspend"
	ActionModuleUnsuspend Action = "module-unsuspend"
	ActionModuleTerminate Action = "module-terminate"
	ActionDomainRegister  Action = "domain-register"
	ActionDomainTransfer  Action = "domain-transfer"
	// ActionModuleChangePackage moves the account to a package on its panel; ActionModuleChangePw
	// sets its password there.
	ActionModuleChangePackage Action = "module-change-package"
	ActionModuleChangePw      Action = "module-change-password"
	// ActionDomainRenew buys more years of a domain at its registrar; ActionDomainNameservers
	// states its nameservers there, and ActionDomainGetNameservers reads them. WHMCS's commands
	// for them (DomainRenew, DomainUpdateNameservers, DomainGetNameservers) take parameters of
	// their own, so whmcs/ serves them itself.
	ActionDomainRenew          Action = "domain-renew"
	ActionDomainNameservers    Action = "domain-nameservers"
	ActionDomainGetNameservers Action = "domain-get-nameservers"
)

// ItemKind says what an item action acts on; "" for actions on the whole order.
type ItemKind string

// Item kinds.
const (
	OnOrder   ItemKind = ""
	OnService ItemKind = "service"
	OnDomain  ItemKind = "domain"
)

// Spec is one admin action: the rule that allows it and the name each adapter knows it by.
type Spec struct {
	Action Action
	// Label is WHMCS's button label.
	Label string
	// On is what the action acts on: the order, or one service or domain of it.
	On ItemKind
	// From lists the order statuses the action is allowed from; nil allows any, but To.
	From []Status
	// To is the order status the action leads to; "" keeps it.
	To Status
	// Refusal is WHMCS's words when the status is not in From.
	Refusal string
	// NeedsFailure allows the action only while a step has failed (only the workflow knows).
	NeedsFailure bool
	// REST is the last path segment of POST /api/v1/orders/{id}/<REST> (or /services/{id}/...,
	// /domains/{id}/... for item actions); "" has no such route.
	REST string
	// WHMCS is the WHMCS API command; "" for actions WHMCS has no command for.
	WHMCS string
	// WHMCSNotFound is WHMCS's answer to that command for an order it cannot find.
	WHMCSNotFound string
	// Options says the action takes options: Accept Order's, or an item action's reason, EPP
	// code, package or password.
	Options bool
}

// Actions is the one table of admin actions: the workflow registers a handler for each, and
// REST routes, WHMCS commands and console buttons are derived from it. The order is the
// workflow's signal-selector order: append, never reorder.
var Actions = []Spec{
	{Action: ActionAccept, Label: "Accept Order", From: []Status{Pending}, To: Active, Refusal: ReasonNotPending,
		REST: "accept", WHMCS: "AcceptOrder", WHMCSNotFound: ReasonNotPending, Options: true},
	{Action: ActionCancel, Label: "Cancel Order", From: []Status{Pending}, To: Cancelled, Refusal: ReasonNotPending,
		REST: "cancel", WHMCS: "CancelOrder", WHMCSNotFound: ReasonNotPending},
	// WHMCS's API has no Cancel & Refund: its CancelOrder only cancels.
	{Action: ActionCancelRefund, Label: "Cancel & Refund", From: []Status{Pending}, To: Cancelled, Refusal: ReasonNotPending,
		REST: "cancel-refund"},
	{Action: ActionFraud, Label: "Set as Fraud", To: Fraud,
		REST: "fraud", WHMCS: "FraudOrder", WHMCSNotFound: ReasonNotFound},
	{Action: ActionSetPending, Label: "Set Back to Pending", To: Pending,
		REST: "pending", WHMCS: "PendingOrder", WHMCSNotFound: ReasonNotFound},
	{Action: ActionRetry, Label: "Retry Failed Step", NeedsFailure: true, REST: "retry"},
	{Action: ActionSkip, Label: "Skip Failed Step", NeedsFailure: true, REST: "skip"},
	// Delete is DELETE /api/v1/orders/{id} in REST.
	{Action: ActionDelete, Label: "Delete Order", From: []Status{Cancelled, Fraud}, Refusal: ReasonDeleteNotClosed,
		WHMCS: "DeleteOrder", WHMCSNotFound: "Order ID not found"},
	{Action: ActionFraudCheck, Label: "Run Fraud Check", From: []Status{Pending}, Refusal: ReasonNotPending,
		REST: "fraud-check", WHMCS: "OrderFraudCheck", WHMCSNotFound: ReasonNotFound},

	{Action: ActionModuleCreate, Label: "Create", On: OnService, REST: "create", WHMCS: "ModuleCreate"},
	{Action: ActionModuleSuspend, Label: "Suspend", On: OnService, REST: "suspend", WHMCS: "ModuleSuspend", Options: true},
	{Action: ActionModuleUnsuspend, Label: "Unsuspend", On: OnService, REST: "unsuspend", WHMCS: "ModuleUnsuspend"},
	{Action: ActionModuleTerminate, Label: "Terminate", On: OnService, REST: "terminate", WHMCS: "ModuleTerminate"},
	{Action: ActionDomainRegister, Label: "Register", On: OnDomain, REST: "register", WHMCS: "DomainRegister"},
	{Action: ActionDomainTransfer, Label: "Transfer", On: OnDomain, REST: "transfer", WHMCS: "DomainTransfer", Options: true},
	{Action: ActionModuleChangePackage, Label: "Change Package", On: OnService, REST: "change-package",
		WHMCS: "ModuleChangePackage", Options: true},
	{Action: ActionModuleChangePw, Label: "Change Password", On: OnService, REST: "change-password",
		WHMCS: "ModuleChangePw", Options: true},
	{Action: ActionDomainRenew, Label: "Renew", On: OnDomain, REST: "renew", Options: true},
	{Action: ActionDomainNameservers, Label: "Modify Nameservers", On: OnDomain, REST: "nameservers", Options: true},
	{Action: ActionDomainGetNameservers, Label: "Get Nameservers", On: OnDomain},
}

// Lookup finds an action's spec.
func Lookup(a Action) (Spec, bool) {
	i := slices.IndexFunc(Actions, func(s Spec) bool { return s.Action == a })
	if i < 0 {
		return Spec{}, false
	}
	return Actions[i], true
}

// StateError is an action refused by the order's current state. Its message is WHMCS's own text
// where WHMCS has one, so that clients matching on it keep working.
type StateError struct {
	Action Action
	Status Status
	Reason string
}

func (e *StateError) Error() string { return e.Reason }

// WHMCS's refusal texts.
const (
	ReasonNotFound        = "Order ID Not Found"
	ReasonNotPending      = "Order ID not found or Status not Pending"
	ReasonDeleteNotClosed = "The order status must be in Cancelled or Fraud to be deleted"
	ReasonNothingToRetry  = "No failed provisioning step to retry or skip"
)

// ReasonMoneyOnInvoice refuses to delete an order whose invoice holds money: deleting it would
// leave the payments on no invoice. hostflow's words; WHMCS deletes regardless.
const ReasonMoneyOnInvoice = "The order's invoice has payments that are not refunded: refund them, or set the order back to Pending, before deleting it"

// ReasonNothingToPay refuses to open an online payment for an invoice with nothing left to
// pay; the client area shows the invoice as paid.
const ReasonNothingToPay = "The invoice has nothing left to pay"

// ReasonPaymentNotOpen refuses online payment of an order the fraud check stopped or is still
// weighing: the customer is told no more than that.
const ReasonPaymentNotOpen = "This order cannot be paid online yet: we will contact you"

// Refusals of an order's promotion code. WHMCS's cart says these in its own words; AddOrder
// documents none, so these are hostflow's, the same for REST, the WHMCS API and the console.
const (
	ReasonPromoUnknown  = "The promotion code entered does not exist"
	ReasonPromoNotYet   = "The promotion code entered is not valid yet"
	ReasonPromoExpired  = "The promotion code entered has expired"
	ReasonPromoUsedUp   = "The promotion code entered has been used the maximum number of times"
	ReasonPromoCurrency = "The promotion code entered is for orders in another currency"
)

// Check reports whether an order action is allowed on an order in status with failed steps
// failing, following WHMCS: Accept and Cancel from Pending only; Fraud and Set Back to Pending
// from any status but their own; Delete from Cancelled or Fraud; Retry and Skip while a step
// has failed.
func (s Spec) Check(status Status, failed int) error {
	switch {
	case s.On != OnOrder:
		return fmt.Errorf("%s acts on a %s, not an order", s.Action, s.On)
	case s.From != nil && !slices.Contains(s.From, status):
		return &StateError{s.Action, status, s.Refusal}
	case s.From == nil && s.To != "" && status == s.To:
		// Allowed from any status but its own: a repeat would change nothing.
		return &StateError{s.Action, status, ReasonAlready(status)}
	case s.NeedsFailure && failed == 0:
		return &StateError{s.Action, status, ReasonNothingToRetry}
	}
	return nil
}

// ReasonAlready refuses an action whose status the order has already. WHMCS's FraudOrder and
// PendingOrder answer success to it: they set the status again, changing nothing.
func ReasonAlready(s Status) string { return fmt.Sprintf("Order is already %s", s) }

// Check is the rule for an order action by name.
func Check(action Action, status Status, failed int) error {
	s, ok := Lookup(action)
	if !ok {
		return fmt.Errorf("unknown order action %q", action)
	}
	return s.Check(status, failed)
}
