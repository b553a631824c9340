package workflows

import (
	"go.temporal.io/sdk/worker"

	"github.com/hostflow/hostflow/activities"
)

// Register puts the order workflow and its activities on a worker.
func Register(w worker.Registry, acts *activities.Activities) {
	w.RegisterWorkflow(Order)
	w.RegisterActivity(acts)
}
