package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
)

// Register puts the order workflow, Test Connection's, and their activities on a worker.
func Register(w worker.Registry, acts *activities.Activities) {
	w.RegisterWorkflow(Order)
	// ServerCheck is too plain a name for a shared worker's registry: it is registered by its own.
	w.RegisterWorkflowWithOptions(ServerCheck, workflow.RegisterOptions{Name: ServerCheckName})
	w.RegisterActivity(acts)
}
