package service

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/hostflow/hostflow/crashpoint"
	"github.com/hostflow/hostflow/db"
)

// enqueueSignal commits a signal to an order's workflow with the change it announces. The
// relay (RunOutbox) sends it after the commit, however late that is.
func (s *Service) enqueueSignal(ctx context.Context, q *db.Queries, orderID int64, signal string, payload any) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s signal: %w", signal, err)
	}
	n, err := q.InsertOutbox(ctx, db.InsertOutboxParams{OrderID: orderID, Signal: signal, Payload: raw})
	if err == nil && n == 0 {
		err = fmt.Errorf("no order %d to signal", orderID)
	}
	return err
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
	outboxPoll   = time.Second // finds what a crashed process committed and never sent
	outboxBatch  = 100
	outboxRetry  = 30 * time.Second // at most, between attempts at an undeliverable signal
	outboxLease  = time.Minute      // a claimed row is its relay's for this long, then anyone's again
	outboxSignal = 10 * time.Second // the longest one signal may take
)

// RunOutbox sends committed signals until ctx ends. Any number of processes may run it, and
// each workflow still hears its rows in commit order, one at a time: a relay claims only a
// workflow's oldest row, with a lease, in one short statement (ClaimOutbox); it signals
// outside any transaction, then deletes the row, or defers it with backoff after a failure,
// which keeps the workflow's newer rows waiting behind it. A row whose relay died is
// claimable again once its lease has run out. A signal sent twice (a crash after the send,
// before the delete) is harmless: every outbox signal states a fact, and the payment facts
// carry their ledger position (Seq), so a repeat, however late, changes nothing.
func (s *Service) RunOutbox(ctx context.Context) {
	tick := time.NewTicker(outboxPoll)
	defer tick.Stop()
	for {
		// Each round claims the next row of each workflow; a row that failed waits out its
		// backoff, so the rounds end when nothing is due.
		for ctx.Err() == nil {
			n, err := s.relayBatch(ctx)
			if err != nil && ctx.Err() == nil {
				s.Log.Warn("outbox relay", zap.Error(err))
			}
			if err != nil || n == 0 {
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

// relayBatch claims due rows (at most one per workflow) and sends them, oldest first. It says
// how many it claimed.
func (s *Service) relayBatch(ctx context.Context) (int, error) {
	token := randomToken(16) // names this claim: only its holder may delete, defer or release the rows
	claimed := time.Now()
	rows, err := s.q().ClaimOutbox(ctx, db.ClaimOutboxParams{LeaseSeconds: outboxLease.Seconds(), Token: token, Lim: outboxBatch})
	if err != nil {
		return 0, err
	}
	slices.SortFunc(rows, func(a, b db.Outbox) int { return cmp.Compare(a.ID, b.ID) })
	for i, r := range rows {
		// A row is signalled only while its lease surely holds: after it, another relay may be
		// sending this row, or, once that one deleted it, the workflow's next.
		if ctx.Err() != nil || time.Since(claimed) > outboxLease-2*outboxSignal {
			return len(rows), s.releaseOutbox(ctx, rows[i:], token)
		}
		if err := s.deliver(ctx, r, token); err != nil {
			return len(rows), errors.Join(err, s.releaseOutbox(ctx, rows[i+1:], token))
		}
	}
	return len(rows), nil
}

// deliver signals one leased row, then deletes it, or defers it with backoff when the signal
// failed. Its error is the database's.
func (s *Service) deliver(ctx context.Context, r db.Outbox, token string) error {
	sctx, cancel := context.WithTimeout(ctx, outboxSignal)
	err := s.Temporal.SignalWorkflow(sctx, r.WorkflowID, "", r.Signal, json.RawMessage(r.Payload))
	cancel()
	// What the signal did is written down even when the relay is stopping.
	dctx, dcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer dcancel()
	var nf *serviceerror.NotFound
	switch {
	case err == nil:
	case errors.As(err, &nf):
		exists, qerr := s.q().WorkflowOrderExists(dctx, r.WorkflowID)
		if qerr != nil {
			return qerr // the row's lease runs out, and it is tried again
		}
		if exists {
			// The order is there, its workflow is not: it failed, was terminated, or the
			// database was restored. The fact it carries (money, often) is kept and retried,
			// and shows in the outbox's depth and age, until an operator mends the workflow.
			return s.deferOutbox(dctx, r, token, zap.ErrorLevel, "outbox signal not sent: the order's workflow is gone but its order is not; will retry", err)
		}
		// The order was deleted: nobody is left to tell.
		s.Log.Warn("outbox signal dropped: order deleted", zap.String("workflow_id", r.WorkflowID), zap.String("signal", r.Signal))
	case ctx.Err() != nil:
		// Stopping: not an attempt; the row is anyone's again at once.
		return s.releaseOutbox(dctx, []db.Outbox{r}, token)
	default:
		return s.deferOutbox(dctx, r, token, zap.WarnLevel, "outbox signal not sent; will retry", err)
	}
	n, err := s.q().DeleteOutbox(dctx, db.DeleteOutboxParams{ID: r.ID, Token: token})
	if err == nil && n == 0 {
		s.Log.Warn("outbox lease ran out before the delete: the row's new holder sends it again",
			zap.String("workflow_id", r.WorkflowID), zap.String("signal", r.Signal), zap.Int64("id", r.ID))
	}
	return err
}

// deferOutbox counts a failed attempt at a leased row and makes it due again after a backoff
// that grows with its attempts, logging why at level. Its error is the database's.
func (s *Service) deferOutbox(ctx context.Context, r db.Outbox, token string, level zapcore.Level, msg string, cause error) error {
	delay := min(time.Duration(1<<min(r.Attempts, 5))*time.Second, outboxRetry)
	s.Log.Log(level, msg, zap.String("workflow_id", r.WorkflowID), zap.String("signal", r.Signal),
		zap.Int32("attempts", r.Attempts+1), zap.Duration("retry_in", delay), zap.Error(cause))
	_, err := s.q().DeferOutbox(ctx, db.DeferOutboxParams{ID: r.ID, Token: token, LastError: cause.Error(), DelaySeconds: delay.Seconds()})
	return err
}

// releaseOutbox gives back rows this relay claimed and did not send.
func (s *Service) releaseOutbox(ctx context.Context, rows []db.Outbox, token string) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return s.q().ReleaseOutbox(ctx, db.ReleaseOutboxParams{Ids: ids, Token: token})
}
