package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/serviceerror"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/crashpoint"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/workflows"
)

// enqueueSignal commits a signal to an order's workflow with the change it announces. The
// relay (RunOutbox) sends it after the commit, however late that is.
func (s *Service) enqueueSignal(ctx context.Context, q *db.Queries, orderID int64, signal string, payload any) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s signal: %w", signal, err)
	}
	return q.InsertOutbox(ctx, db.InsertOutboxParams{WorkflowID: workflows.WorkflowID(orderID), Signal: signal, Payload: raw})
}

// kickOutbox wakes the relay after a commit, so a signal goes out at once instead of at the
// next poll. It never blocks: a wake-up already pending covers this one.
func (s *Service) kickOutbox() {
	crashpoint.Hit("outbox-committed")
	select {
	case s.outboxWake() <- struct{}{}:
	default:
	}
}

func (s *Service) outboxWake() chan struct{} {
	s.wakeOnce.Do(func() { s.wake = make(chan struct{}, 1) })
	return s.wake
}

// Outbox relay tuning.
const (
	outboxPoll  = time.Second // finds what a crashed process committed and never sent
	outboxBatch = 100
	outboxRetry = 30 * time.Second // at most, between attempts at an undeliverable signal
)

// RunOutbox sends committed signals until ctx ends. Any number of processes may run it: each
// batch is locked with SKIP LOCKED, so a signal is sent by one of them. A signal sent twice
// (a crash after the send, before the delete) is harmless: every outbox signal is idempotent
// in the workflow.
func (s *Service) RunOutbox(ctx context.Context) {
	tick := time.NewTicker(outboxPoll)
	defer tick.Stop()
	for {
		for {
			n, err := s.relayBatch(ctx)
			if err != nil && ctx.Err() == nil {
				s.Log.Warn("outbox relay", zap.Error(err))
			}
			if err != nil || n < outboxBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.outboxWake():
		}
	}
}

// relayBatch sends one batch of due signals and says how many it handled.
func (s *Service) relayBatch(ctx context.Context) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		rows, err := q.ClaimOutbox(ctx, outboxBatch)
		if err != nil {
			return err
		}
		n = len(rows)
		for _, r := range rows {
			if err := s.deliver(ctx, q, r); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

func (s *Service) deliver(ctx context.Context, q *db.Queries, r db.Outbox) error {
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := s.Temporal.SignalWorkflow(sctx, r.WorkflowID, "", r.Signal, json.RawMessage(r.Payload))
	var nf *serviceerror.NotFound
	switch {
	case err == nil:
		return q.DeleteOutbox(ctx, r.ID)
	case errors.As(err, &nf):
		// The order was deleted: nobody is left to tell.
		s.Log.Warn("outbox signal dropped: workflow gone", zap.String("workflow_id", r.WorkflowID), zap.String("signal", r.Signal))
		return q.DeleteOutbox(ctx, r.ID)
	default:
		delay := min(time.Duration(1<<min(r.Attempts, 5))*time.Second, outboxRetry)
		s.Log.Warn("outbox signal not sent; will retry", zap.String("workflow_id", r.WorkflowID), zap.String("signal", r.Signal),
			zap.Int32("attempts", r.Attempts+1), zap.Duration("retry_in", delay), zap.Error(err))
		return q.DeferOutbox(ctx, db.DeferOutboxParams{ID: r.ID, LastError: err.Error(), DelaySeconds: delay.Seconds()})
	}
}
