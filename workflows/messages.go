// Package workflows holds the order workflow: one durable execution per order that owns its
// lifecycle from placement to deletion.
package workflows

import (
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/order"
)

// TaskQueue is the task queue order workflows and their activities run on.
const TaskQueue = "hostflow-orders"

// Message names. Admin actions (order.Action*) are both updates and signals of the same name.
const (
	UpdatePlace           = "place"
	SignalPaymentReceived = "payment-received"
	SignalFraudCheck      = "fraud-check"
	SignalPaymentRefunded = "payment-refunded"
	SignalUnpaidPolicy    = "unpaid-policy"
	QueryState            = "state"
)

// Error types the API maps to HTTP statuses.
const (
	ErrState    = "StateError"
	ErrNotFound = "NotFound"
)

// WorkflowID is the workflow id of an order.
func WorkflowID(orderID int64) string { return fmt.Sprintf("order-%d", orderID) }

// Search attributes, kept current for the Temporal Web UI.
var (
	AttrOrderStatus   = temporal.NewSearchAttributeKeyKeyword("OrderStatus")
	AttrOrderNumber   = temporal.NewSearchAttributeKeyKeyword("OrderNumber")
	AttrClientID      = temporal.NewSearchAttributeKeyInt64("ClientId")
	AttrPaymentStatus = temporal.NewSearchAttributeKeyKeyword("PaymentStatus")
	AttrWaitingFor    = temporal.NewSearchAttributeKeyKeyword("WaitingFor")
)

// SearchAttributes lists every attribute with its type, as `temporal server start-dev
// --search-attribute` and `temporal operator search-attribute create` take them.
var SearchAttributes = []string{"OrderStatus=Keyword", "OrderNumber=Keyword", "ClientId=Int", "PaymentStatus=Keyword", "WaitingFor=Keyword"}

// Input starts an order workflow.
type Input struct {
	Order order.NewOrder `json:"order"`
	// FraudCheck runs the fraud check at placement (orders carrying the client's IP, unless
	// the admin or a setting skipped it).
	FraudCheck     bool    `json:"fraud_check"`
	FraudThreshold float64 `json:"fraud_threshold"`
	// CancelUnpaidAfterDays cancels the order when its invoice is still unpaid this many days
	// after it was placed (or set back to Pending); 0 never does.
	CancelUnpaidAfterDays int `json:"cancel_unpaid_after_days,omitempty"`
}

// Placed answers the place update: the order is in PostgreSQL.
type Placed struct {
	OrderID     int64   `json:"order_id"`
	OrderNumber int64   `json:"order_number"`
	InvoiceID   int64   `json:"invoice_id"`
	ServiceIDs  []int64 `json:"service_ids"`
	DomainIDs   []int64 `json:"domain_ids"`
	Status      string  `json:"status"`
}

// PaymentReceived tells an order its invoice is fully paid.
type PaymentReceived struct {
	InvoiceID     int64  `json:"invoice_id"`
	Gateway       string `json:"gateway"`
	TransactionID string `json:"transaction_id"`
}

// PaymentRefunded tells an order its invoice is fully refunded.
type PaymentRefunded struct {
	InvoiceID     int64  `json:"invoice_id"`
	Gateway       string `json:"gateway"`
	TransactionID string `json:"transaction_id"`
}

// UnpaidPolicy changes how long an order waits for its payment before it cancels itself: the
// setting changed, and orders already waiting follow it.
type UnpaidPolicy struct {
	CancelAfterDays int `json:"cancel_after_days"`
}

// FraudCheck is a fraud result from outside the workflow: an external provider's callback or
// an admin's manual review. Verdict "fraud" or "pass" decides directly; otherwise the score is
// held against the order's threshold.
type FraudCheck struct {
	Actor   string          `json:"actor"`
	Module  string          `json:"module"`
	Score   float64         `json:"score"`
	Verdict string          `json:"verdict,omitempty"`
	Raw     json.RawMessage `json:"raw,omitempty"`
}

// Item is one service or domain as the workflow sees it.
type Item struct {
	Kind      string `json:"kind"` // service or domain
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Module    string `json:"module"`     // provisioning module, or the domain's registrar
	AutoSetup string `json:"auto_setup"` // services: the product's auto-setup
	Transfer  bool   `json:"transfer,omitempty"`
	Status    string `json:"status"`
	FailedOp  string `json:"failed_op,omitempty"`
	Error     string `json:"error,omitempty"`
	autoDone  bool
}

// State is what the state query returns.
type State struct {
	OrderID       int64   `json:"order_id"`
	OrderNumber   int64   `json:"order_number"`
	Status        string  `json:"status"`
	PaymentStatus string  `json:"payment_status"`
	WaitingFor    string  `json:"waiting_for"`
	FraudModule   string  `json:"fraud_module,omitempty"`
	FraudScore    float64 `json:"fraud_score"`
	FraudReview   bool    `json:"fraud_review"`
	AcceptPending bool    `json:"accept_pending"`
	// CancelUnpaidAt is when the order cancels itself if its invoice is still unpaid.
	CancelUnpaidAt *time.Time `json:"cancel_unpaid_at,omitempty"`
	Items          []Item     `json:"items"`
}

// Result answers an admin action.
type Result struct {
	Status     string `json:"status"`
	WaitingFor string `json:"waiting_for"`
	Failures   []Item `json:"failures,omitempty"`
}

func stateError(err error) error {
	return temporal.NewApplicationErrorWithOptions(err.Error(), ErrState, temporal.ApplicationErrorOptions{NonRetryable: true, Cause: err})
}
