package workflows

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/permanent"
)

// Test Connection answers with the panel's version, or with the module's words: a refusal is
// the answer, not the workflow's failure, and nothing is retried (the admin presses again).
func TestServerCheck(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version string
		err     error
		want    catalog.ConnectionTest
	}{
		{name: "connected", version: "11.126.0.21", want: catalog.ConnectionTest{Version: "11.126.0.21"}},
		{name: "a wrong token, in WHM's words", err: records.ActivityError(permanent.Wrap(errors.New("WHM refused the API token (HTTP 403): Access denied"))),
			want: catalog.ConnectionTest{Error: "WHM refused the API token (HTTP 403): Access denied"}},
		{name: "unreachable, not retried", err: errors.New("whm version: dial tcp 127.0.0.1:2087: connect: connection refused"),
			want: catalog.ConnectionTest{Error: "whm version: dial tcp 127.0.0.1:2087: connect: connection refused"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			env.RegisterWorkflowWithOptions(ServerCheck, workflow.RegisterOptions{Name: ServerCheckName})
			env.RegisterActivity(&activities.Activities{})
			calls := 0
			env.OnActivity(acts.TestServerConnection, mock.Anything, int64(7)).Return(func(context.Context, int64) (string, error) {
				calls++
				return tc.version, tc.err
			})
			env.ExecuteWorkflow(ServerCheckName, int64(7))
			require.True(t, env.IsWorkflowCompleted())
			require.NoError(t, env.GetWorkflowError())
			var got catalog.ConnectionTest
			require.NoError(t, env.GetWorkflowResult(&got))
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.want.Version != "", got.OK())
			require.Equal(t, 1, calls, "one call, as WHMCS's button makes")
		})
	}
}

// Each press is its own workflow, within the installation's ids.
func TestServerCheckID(t *testing.T) {
	require.Equal(t, "servercheck-inst1-7-ab12", ServerCheckID("inst1", 7, "ab12"))
	require.NotEqual(t, ServerCheckID("i", 7, "a"), ServerCheckID("i", 7, "b"))
}
