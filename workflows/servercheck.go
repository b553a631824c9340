package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/token"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// ServerCheckName is Test Connection's workflow's registered name.
const ServerCheckName = "ServerCheck"

// ServerCheckID is one Test Connection's workflow id, in the installation's own space of ids.
// Each press of the button is its own run (nonce): a test changes nothing, so two at once are
// harmless, and one started after the credentials changed never answers with the old ones.
func ServerCheckID(installation string, serverID int64, nonce string) string {
	return fmt.Sprintf("servercheck-%s-%d-%s", installation, serverID, nonce)
}

// ServerCheckCallTimeout bounds the module's call: an admin waits for the answer, so a server
// that does not answer in this time is reported as such rather than retried.
const ServerCheckCallTimeout = 20 * time.Second

// serverCheckOptions: one try, as WHMCS's button makes one call; the admin presses it again.
// ScheduleToClose also bounds the wait for a worker to pick the task up.
var serverCheckOptions = workflow.ActivityOptions{
	StartToCloseTimeout:    ServerCheckCallTimeout,
	ScheduleToCloseTimeout: ServerCheckCallTimeout + 10*time.Second,
	RetryPolicy:            &temporal.RetryPolicy{MaximumAttempts: 1},
}

// ServerCheck is Test Connection: one activity asks the server's module to reach the server
// with its stored credentials. The module's refusal is the answer, not the workflow's failure:
// it completes with the panel's version or the module's words.
func ServerCheck(ctx workflow.Context, serverID int64) (catalog.ConnectionTest, error) {
	version, err := callResult(ctx, serverCheckOptions, acts.TestServerConnection, serverID)
	if err != nil {
		return catalog.ConnectionTest{Error: checkFailure(err)}, nil
	}
	return catalog.ConnectionTest{Version: version}, nil
}

// checkFailure says why a test failed in the module's words, or that the server (or a worker)
// did not answer in time.
func checkFailure(err error) string {
	var timeoutErr *temporal.TimeoutError
	if errors.As(err, &timeoutErr) {
		return fmt.Sprintf("no answer within %s", ServerCheckCallTimeout)
	}
	return errorMessage(err)
}

// ServerChecker starts Test Connection's workflow for package catalog (catalog.ServerTester),
// on the order workflows' task queue, and waits for its answer.
type ServerChecker struct {
	tc    client.Client
	inst  *dbtx.Installation
	queue string
}

// NewServerChecker returns the starter; queue "" is ordermsg.TaskQueue.
func NewServerChecker(tc client.Client, pool *pgxpool.Pool, queue string) *ServerChecker {
	if queue == "" {
		queue = ordermsg.TaskQueue
	}
	return &ServerChecker{tc: tc, inst: dbtx.NewInstallation(pool), queue: queue}
}

var _ catalog.ServerTester = (*ServerChecker)(nil)

// TestServer runs Test Connection on server serverID and waits, as long as ctx lets it, for the
// answer. The workflow outlives no one: past a minute nobody waits for it, and it ends.
func (c *ServerChecker) TestServer(ctx context.Context, serverID int64) (catalog.ConnectionTest, error) {
	if c.tc == nil {
		return catalog.ConnectionTest{}, &fault.Error{Kind: fault.Unavailable, Message: "Test Connection needs Temporal"}
	}
	inst, err := c.inst.ID(ctx)
	if err != nil {
		return catalog.ConnectionTest{}, err
	}
	run, err := c.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: ServerCheckID(inst, serverID, token.New(6)), TaskQueue: c.queue,
		WorkflowExecutionTimeout: time.Minute}, ServerCheckName, serverID)
	if err != nil {
		return catalog.ConnectionTest{}, fault.Wrap(err, "start test connection of server %d", serverID)
	}
	var res catalog.ConnectionTest
	if err := run.Get(ctx, &res); err != nil {
		return catalog.ConnectionTest{}, fault.Wrap(err, "test connection of server %d", serverID)
	}
	return res, nil
}
