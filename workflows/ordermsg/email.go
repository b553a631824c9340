package ordermsg

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/permanent"
)

// EmailOptions are every email activity's, the order's, the client account's and a Resend's:
// an SMTP relay that is down gets about two hours of retries; a refusal that will not pass (no
// such mailbox) stops at once. Either way no order is held up.
var EmailOptions = workflow.ActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumInterval: 15 * time.Minute,
		MaximumAttempts: 12, NonRetryableErrorTypes: []string{permanent.Type}},
}
