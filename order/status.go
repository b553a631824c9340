// Package order holds the vocabulary of the order lifecycle: WHMCS's status strings, the admin
// actions and which states allow them. The workflow enforces these rules; everything else only
// reads them.
package order

import "slices"

// Status is the status of an order or of one of its items (WHMCS uses the same words for
// orders, services and domains, so one type holds them all and each word has one constant).
type Status string

// Order statuses, which services and domains share.
const (
	Pending   Status = "Pending"
	Active    Status = "Active"
	Cancelled Status = "Cancelled"
	Fraud     Status = "Fraud"
)

// Service statuses besides the shared ones.
const (
	Suspended  Status = "Suspended"
	Terminated Status = "Terminated"
)

// Domain statuses besides the shared ones: where a registration or transfer stands at the
// registrar. Registrar modules answer with these.
const (
	PendingRegistration Status = "Pending Registration"
	PendingTransfer     Status = "Pending Transfer"
)

// Deleted is not stored anywhere: it is what the workflow reports once its order is gone.
const Deleted Status = "Deleted"

// Statuses lists the order statuses in WHMCS's order.
var Statuses = []Status{Pending, Active, Fraud, Cancelled}

// ValidStatus reports whether s is an order status.
func ValidStatus(s string) bool { return slices.Contains(Statuses, Status(s)) }

// PendingAtRegistrar reports whether a domain waits for its registry or losing registrar.
func PendingAtRegistrar(s Status) bool { return s == PendingRegistration || s == PendingTransfer }

// InvoiceStatus is the status of an order's invoice.
type InvoiceStatus string

// Invoice statuses.
const (
	InvoiceUnpaid    InvoiceStatus = "Unpaid"
	InvoicePaid      InvoiceStatus = "Paid"
	InvoiceCancelled InvoiceStatus = "Cancelled"
	InvoiceRefunded  InvoiceStatus = "Refunded"
)

// InvoiceStatuses lists them.
var InvoiceStatuses = []InvoiceStatus{InvoiceUnpaid, InvoicePaid, InvoiceCancelled, InvoiceRefunded}

// AutoSetup is a product's auto-setup setting: when the module create runs.
type AutoSetup string

// Auto-setup settings.
const (
	SetupOnOrder   AutoSetup = "order"
	SetupOnPayment AutoSetup = "payment"
	SetupOnAccept  AutoSetup = "accept"
	SetupNever     AutoSetup = "never"
)

// AutoSetups lists the valid auto-setup settings.
var AutoSetups = []AutoSetup{SetupOnOrder, SetupOnPayment, SetupOnAccept, SetupNever}

// WaitingFor is what an order's workflow waits for: the WaitingFor search attribute, and the
// stuck-order board's rows.
type WaitingFor string

// What an order waits for; NotWaiting once nothing is left to do.
const (
	NotWaiting                WaitingFor = ""
	WaitingPayment            WaitingFor = "payment"
	WaitingFraudReview        WaitingFor = "fraud-review"
	WaitingProvisioningFailed WaitingFor = "provisioning-failed"
	WaitingAdminReview        WaitingFor = "admin-review"
	// WaitingPaymentReview: money arrived for a Cancelled or Fraud order; refund it or reopen.
	WaitingPaymentReview WaitingFor = "payment-review"
)

// Label is what the order waits for, in words for people ("Payment", "Retry or skip").
// PaymentTaken reports an order whose invoice the ledger has marked Paid while the order still
// waits for payment: its workflow has yet to take the payment (for a moment, or while no
// worker runs). A page shows it as such, never "Paid" beside "Waiting for: Payment".
func PaymentTaken(w WaitingFor, payment InvoiceStatus) bool {
	return w == WaitingPayment && payment == InvoicePaid
}

func (w WaitingFor) Label() string {
	switch w {
	case WaitingPayment:
		return "Payment"
	case WaitingFraudReview:
		return "Fraud review"
	case WaitingProvisioningFailed:
		return "Retry or skip"
	case WaitingPaymentReview:
		return "Payment review"
	case WaitingAdminReview:
		return "Acceptance"
	}
	return string(w)
}

// Waitings lists what an order can wait for.
var Waitings = []WaitingFor{WaitingPayment, WaitingFraudReview, WaitingProvisioningFailed, WaitingPaymentReview, WaitingAdminReview}

// DomainType says whether a domain item is a registration or a transfer.
type DomainType string

// Domain item types.
const (
	DomainRegister DomainType = "register"
	DomainTransfer DomainType = "transfer"
)

// Label is the domain item's type as a person reads it.
func (t DomainType) Label() string {
	switch t {
	case DomainRegister:
		return "Registration"
	case DomainTransfer:
		return "Transfer"
	}
	return string(t)
}

// LineType is what an invoice line bills, in WHMCS's words for it (GetInvoice's items' type).
type LineType string

// Invoice line types.
const (
	LineHosting        LineType = "Hosting"
	LineSetup          LineType = "Setup"
	LineDomainRegister LineType = "DomainRegister"
	LineDomainTransfer LineType = "DomainTransfer"
	LinePromotion      LineType = "PromoHosting"
)

// lineLabels are the line types as a person reads them.
var lineLabels = map[LineType]string{LineHosting: "Hosting", LineSetup: "Setup Fee", LineDomainRegister: "Domain Registration",
	LineDomainTransfer: "Domain Transfer", LinePromotion: "Promotion"}

// Label is the line type as a person reads it; an unknown type as it is stored.
func (t LineType) Label() string {
	if l, ok := lineLabels[t]; ok {
		return l
	}
	return string(t)
}
