// Package ordermsg is the order workflow's contract: its id and task queue, the names of the
// messages it takes and the values they carry, the state it answers with, and its search
// attributes. The starter and the adapters speak to an order through these; package workflows
// implements them.
package ordermsg

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/order"
)

// TaskQueue is the task queue order workflows and their activities run on.
const TaskQueue = "hostflow-orders"

// Message names. Admin actions (order.Actions) are both updates and signals of the same name.
const (
	UpdatePlace           = "place"
	UpdateCheckout        = "checkout"
	SignalPaymentReceived = "payment-received"
	SignalFraudResult     = "fraud-result"
	SignalPaymentRefunded = "payment-refunded"
	SignalUnpaidPolicy    = "unpaid-policy"
	QueryState            = "state"
)

// Signals is every signal the workflow hears, in the order of its selector's cases: signals
// buffered together are taken in this order, so a history replays only against the same list.
// It is fixed apart from order.Actions, which may be reordered freely (it orders the console's
// buttons); a new signal is appended, never inserted. TestSignalsCoverEveryAction keeps it
// whole.
var Signals = []string{
	SignalPaymentReceived, SignalPaymentRefunded, SignalFraudResult, SignalUnpaidPolicy,
	string(order.ActionAccept), string(order.ActionCancel), string(order.ActionFraud), string(order.ActionSetPending),
	string(order.ActionRetry), string(order.ActionSkip), string(order.ActionDelete), string(order.ActionFraudCheck),
	string(order.ActionModuleCreate), string(order.ActionModuleSuspend), string(order.ActionModuleUnsuspend),
	string(order.ActionModuleTerminate), string(order.ActionDomainRegister), string(order.ActionDomainTransfer),
	string(order.ActionModuleChangePackage), string(order.ActionModuleChangePw),
	string(order.ActionDomainRenew), string(order.ActionDomainNameservers), string(order.ActionDomainGetNameservers),
	string(order.ActionCancelRefund),
}

// Error types the API maps to HTTP statuses.
const (
	ErrState    = "StateError"
	ErrNotFound = "NotFound"
	// ErrStalePlacement refuses a placement that is not the one this workflow was started
	// for: the workflow id is taken by an order the database no longer knows (restored from
	// an older backup), and the caller must draw another id.
	ErrStalePlacement = "StalePlacement"
)

// WorkflowID is the workflow id of an order: order-<installation>-<id>. The installation is
// the database's identity, so that a workflow belongs to exactly one database.
func WorkflowID(installation string, orderID int64) string {
	return fmt.Sprintf("order-%s-%d", installation, orderID)
}

// OrderIDOf reads the order id back from a workflow id of the installation; ok is false for
// another installation's workflow.
func OrderIDOf(installation, workflowID string) (id int64, ok bool) {
	rest, ok := strings.CutPrefix(workflowID, "order-"+installation+"-")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil
}

// Search attributes, kept current for the Temporal Web UI.
var (
	AttrOrderStatus   = temporal.NewSearchAttributeKeyKeyword("OrderStatus")
	AttrOrderNumber   = temporal.NewSearchAttributeKeyKeyword("OrderNumber")
	AttrClientID      = temporal.NewSearchAttributeKeyInt64("ClientId")
	AttrPaymentStatus = temporal.NewSearchAttributeKeyKeyword("PaymentStatus")
	AttrWaitingFor    = temporal.NewSearchAttributeKeyKeyword("WaitingFor")
)

// Attributes are the search attributes that show s in the Web UI, for the client's id.
func (s State) Attributes(clientID int64) []temporal.SearchAttributeUpdate {
	return []temporal.SearchAttributeUpdate{
		AttrOrderStatus.ValueSet(string(s.Status)),
		AttrOrderNumber.ValueSet(strconv.FormatInt(s.OrderNumber, 10)),
		AttrClientID.ValueSet(clientID),
		AttrPaymentStatus.ValueSet(string(s.PaymentStatus)),
		AttrWaitingFor.ValueSet(string(s.WaitingFor)),
	}
}

// SearchAttributes lists every attribute with its type, as `temporal server start-dev
// --search-attribute` and `temporal operator search-attribute create` take them.
var SearchAttributes = searchAttributeFlags(AttrOrderStatus, AttrOrderNumber, AttrClientID, AttrPaymentStatus, AttrWaitingFor)

func searchAttributeFlags(keys ...temporal.SearchAttributeKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		typ := strings.TrimPrefix(k.GetValueType().String(), "INDEXED_VALUE_TYPE_") // KEYWORD, INT
		out[i] = k.GetName() + "=" + strings.ToUpper(typ[:1]) + strings.ToLower(typ[1:])
	}
	return out
}

// Input starts an order workflow.
type Input struct {
	Order order.NewOrder `json:"order"`
	// Token is the placement request's: only a place update carrying it is answered.
	Token string `json:"token,omitempty"`
	// FraudCheck runs the fraud check at placement (orders carrying the client's IP, unless
	// the admin or a setting skipped it).
	FraudCheck     bool    `json:"fraud_check"`
	FraudThreshold float64 `json:"fraud_threshold"`
	// CancelUnpaidAfterDays cancels the order when its invoice is still unpaid this many days
	// after it was placed (or set back to Pending); 0 never does.
	CancelUnpaidAfterDays int `json:"cancel_unpaid_after_days,omitempty"`
	// Resume is set when an earlier run of the order continued as new.
	Resume *Durable `json:"resume,omitempty"`
}

// Durable is an order's state as its workflow keeps it from run to run: a long-lived order
// continues as new (a fresh, small history) when the server suggests it or once it has
// settled, and the next run takes this up whole.
type Durable struct {
	State         State                `json:"state"`
	Placed        Placed               `json:"placed"`
	Seq           int                  `json:"seq"`      // audit event keys go on from here
	MailSeq       int                  `json:"mail_seq"` // email keys, likewise
	FraudPending  bool                 `json:"fraud_pending,omitempty"`
	PendingAccept *order.AcceptOptions `json:"pending_accept,omitempty"`
	// PaymentSeq is the ledger position of the newest payment fact heard.
	PaymentSeq int64 `json:"payment_seq,omitempty"`
	// PaymentReview: a closed order holds money; an admin must refund it or reopen the order.
	PaymentReview bool `json:"payment_review,omitempty"`
	// UnpaidAfterDays cancels the order this many days after UnpaidSince (placement or the
	// last Set Back to Pending) if its invoice is still unpaid; 0 never does.
	UnpaidAfterDays int       `json:"unpaid_after_days,omitempty"`
	UnpaidSince     time.Time `json:"unpaid_since"`
	// Checkout is the customer's online payment of the invoice (Pay Now).
	Checkout Checkout `json:"checkout,omitzero"`
}

// Checkout numbers the customer's payment sessions: the same Attempt opens the same session
// (a double click, a retry), and a session that has expired is followed by the next attempt.
type Checkout struct {
	Attempt   int       `json:"attempt,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// CheckoutRequest asks the order for an online payment session for its invoice (Pay Now):
// where the payment page sends the customer back.
type CheckoutRequest struct {
	SuccessURL string `json:"success_url"`
	CancelURL  string `json:"cancel_url"`
}

// CheckoutSession answers a CheckoutRequest: the page to send the customer to.
type CheckoutSession struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Placed answers the place update: the order is in PostgreSQL.
type Placed struct {
	OrderID     int64        `json:"order_id"`
	OrderNumber int64        `json:"order_number"`
	InvoiceID   int64        `json:"invoice_id"`
	ServiceIDs  []int64      `json:"service_ids"`
	DomainIDs   []int64      `json:"domain_ids"`
	Status      order.Status `json:"status"`
}

// PaymentReceived tells an order its invoice is fully paid. Seq is the ledger position
// (transactions.id) of the payment that made it so: a fact older than the last one heard is
// stale and changes nothing. Review says the money arrived on an invoice already Cancelled
// (the order was cancelled or marked fraud): an admin must refund it or reopen the order.
type PaymentReceived struct {
	InvoiceID     int64  `json:"invoice_id"`
	Gateway       string `json:"gateway"`
	TransactionID string `json:"transaction_id"`
	Seq           int64  `json:"seq,omitempty"`
	Review        bool   `json:"review,omitempty"`
}

// PaymentRefunded tells an order its invoice is fully refunded; Seq as in PaymentReceived.
type PaymentRefunded struct {
	InvoiceID     int64  `json:"invoice_id"`
	Gateway       string `json:"gateway"`
	TransactionID string `json:"transaction_id"`
	Seq           int64  `json:"seq,omitempty"`
}

// UnpaidPolicy changes how long an order waits for its payment before it cancels itself: the
// setting changed, and orders already waiting follow it.
type UnpaidPolicy struct {
	CancelAfterDays int `json:"cancel_after_days"`
}

// FraudResult is a fraud result from outside the workflow: an external provider's callback or
// an admin's manual review. A verdict decides directly; without one the score is held against
// the order's threshold.
type FraudResult struct {
	Actor   order.Actor     `json:"actor"`
	Module  string          `json:"module"`
	Score   float64         `json:"score"`
	Verdict Verdict         `json:"verdict,omitempty"`
	Raw     json.RawMessage `json:"raw,omitempty"`
}

// Verdict is a reviewer's decision on a fraud check.
type Verdict string

// Verdicts; NoVerdict leaves it to the score.
const (
	NoVerdict    Verdict = ""
	VerdictPass  Verdict = "pass"
	VerdictFraud Verdict = "fraud"
)

// Item is one service or domain as the workflow sees it.
type Item struct {
	Kind      order.ItemKind  `json:"kind"` // service or domain
	ID        int64           `json:"id"`
	Name      string          `json:"name"`
	Module    string          `json:"module"`     // provisioning module, or the domain's registrar
	AutoSetup order.AutoSetup `json:"auto_setup"` // services: the product's auto-setup
	Transfer  bool            `json:"transfer,omitempty"`
	Status    order.Status    `json:"status"`
	FailedOp  Op              `json:"failed_op,omitempty"`
	Error     string          `json:"error,omitempty"`
	// AutoDone: auto-setup has run for the item (whatever came of it) and will not again.
	AutoDone bool `json:"auto_done,omitempty"`
	// WatchSince: a domain pending at its registrar, asked after since then.
	WatchSince *time.Time `json:"watch_since,omitempty"`
}

// Op is a module step the workflow runs on an item during set-up or closing, and may retry.
type Op string

// Module steps.
const (
	OpCreate    Op = "create"
	OpRegister  Op = "register"
	OpTerminate Op = "terminate"
)

// State is what the state query returns.
type State struct {
	OrderID       int64               `json:"order_id"`
	OrderNumber   int64               `json:"order_number"`
	Status        order.Status        `json:"status"`
	PaymentStatus order.InvoiceStatus `json:"payment_status"`
	WaitingFor    order.WaitingFor    `json:"waiting_for"`
	FraudModule   string              `json:"fraud_module,omitempty"`
	FraudScore    float64             `json:"fraud_score"`
	FraudReview   bool                `json:"fraud_review"`
	AcceptPending bool                `json:"accept_pending"`
	// CancelUnpaidAt is when the order cancels itself if its invoice is still unpaid.
	CancelUnpaidAt *time.Time `json:"cancel_unpaid_at,omitempty"`
	Items          []Item     `json:"items"`
}

// Result answers an admin action.
type Result struct {
	Status     order.Status     `json:"status"`
	WaitingFor order.WaitingFor `json:"waiting_for"`
	Failures   []Item           `json:"failures,omitempty"`
	// Nameservers answers domain-get-nameservers.
	Nameservers []string `json:"nameservers,omitempty"`
	// Refunds answers cancel-refund: each payment given back, or why not.
	Refunds []Refunded `json:"refunds,omitempty"`
}
