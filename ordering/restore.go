package ordering

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// AlignOrderSequence finds order workflows of this installation that the database does not
// know, as after a restore from an older backup, and moves the order id sequence past them, so
// that new orders do not run into their ids. It looks at workflows started since the newest
// placement the database recorded (a minute earlier, for clocks apart); Place still refuses a
// workflow that is not its own, for any that visibility has not shown yet.
func (s *Ordering) AlignOrderSequence(ctx context.Context) error {
	q := s.q()
	inst, err := q.Installation(ctx)
	if err != nil {
		return fault.Wrap(err, "read the installation id")
	}
	last, err := q.LastOrderRequest(ctx)
	if err != nil {
		return fault.Wrap(err, "read the newest order request")
	}
	query := "WorkflowType = 'Order'"
	if last.CreatedAt.Valid && last.CreatedAt.InfinityModifier == 0 {
		query += fmt.Sprintf(" AND StartTime > '%s'", last.CreatedAt.Time.Add(-time.Minute).UTC().Format(time.RFC3339))
	}
	var newest int64
	var token []byte
	for {
		page, err := s.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return fmt.Errorf("list order workflows: %w", err)
		}
		for _, e := range page.Executions {
			if id, ok := ordermsg.OrderIDOf(inst, e.GetExecution().GetWorkflowId()); ok && id > newest {
				newest = id
			}
		}
		if token = page.NextPageToken; len(token) == 0 {
			break
		}
	}
	if newest <= last.Sequence { // ids up to the sequence were handed out by this database
		return nil
	}
	if _, err := q.MoveOrderSequence(ctx, newest); err != nil {
		return fault.Wrap(err, "move the order id sequence")
	}
	s.log.Warn("the database is behind Temporal (restored from an older backup?): order ids now continue after the newest workflow",
		zap.Int64("sequence_was", last.Sequence), zap.Int64("newest_workflow_order_id", newest))
	return nil
}
