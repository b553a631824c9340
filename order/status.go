// Package order holds the vocabulary of the order lifecycle: WHMCS's status strings, the admin
// actions and which states allow them. The workflow enforces these rules; everything else only
// reads them.
package order

// Order statuses (WHMCS's strings).
const (
	Pending   = "Pending"
	Active    = "Active"
	Cancelled = "Cancelled"
	Fraud     = "Fraud"
)

// Statuses lists the order statuses in WHMCS's order.
var Statuses = []string{Pending, Active, Fraud, Cancelled}

// Service statuses besides the shared Pending, Active, Cancelled and Fraud.
const (
	ServiceSuspended  = "Suspended"
	ServiceTerminated = "Terminated"
)

// Domain statuses besides the shared Pending, Active, Cancelled and Fraud.
const (
	DomainPendingRegistration = "Pending Registration"
	DomainPendingTransfer     = "Pending Transfer"
)

// Invoice statuses.
const (
	InvoiceUnpaid    = "Unpaid"
	InvoicePaid      = "Paid"
	InvoiceCancelled = "Cancelled"
	InvoiceRefunded  = "Refunded"
)

// Auto-setup settings of a product: when the module create runs.
const (
	SetupOnOrder   = "order"
	SetupOnPayment = "payment"
	SetupOnAccept  = "accept"
	SetupNever     = "never"
)

// AutoSetups lists the valid auto-setup settings.
var AutoSetups = []string{SetupOnOrder, SetupOnPayment, SetupOnAccept, SetupNever}

// What an order's workflow waits for; the WaitingFor search attribute.
const (
	WaitingPayment            = "payment"
	WaitingFraudReview        = "fraud-review"
	WaitingProvisioningFailed = "provisioning-failed"
	WaitingAdminReview        = "admin-review"
)

// ValidStatus reports whether s is an order status.
func ValidStatus(s string) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}
