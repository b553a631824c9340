// Package outbox delivers the signals the core commits for order workflows: a row written in
// the same transaction as the change it announces, sent by a relay after the commit, in
// commit order per workflow, however late.
package outbox

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/hostflow/hostflow/crashpoint"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/token"
)

// Relay sends committed signals (Run) and is woken after a commit (Kick).
type Relay struct {
	pool     *pgxpool.Pool
	temporal client.Client
	log      *zap.Logger

	wakeOnce sync.Once
	wake     chan struct{}
}

// New makes the relay of this process.
func New(pool *pgxpool.Pool, temporal client.Client, log *zap.Logger) *Relay {
	return &Relay{pool: pool, temporal: temporal, log: log}
}

func (r *Relay) q() *db.Queries { return db.New(r.pool) }

// Enqueue commits a signal to an order's workflow with the change it announces. The
// relay (Relay.Run) sends it after the commit, however late that is.
func Enqueue(ctx context.Context, q *db.Queries, orderID int64, signal string, payload any) error {
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

// Kick wakes the relay after a commit, so a signal goes out at once instead of at the
// next poll. It never blocks: a wake-up already pending covers this one.
func (r *Relay) Kick() {
	crashpoint.Hit("outbox-committed")
	select {
	case r.outboxWake() <- struct{}{}:
	default:
	}
}

func (r *Relay) outboxWake() chan struct{} {
	r.wakeOnce.Do(func() { r.wake = make(chan struct{}, 1) })
	return r.wake
}

// Outbox relay tuning.
const (
	outboxPoll  = time.Second // finds what a crashed process committed and never sent
	outboxBatch = 100
	// outboxParallel bounds the signals one relay sends at once (each also deletes its row).
	outboxParallel = 16
	outboxRetry    = 30 * time.Second // at most, between attempts at an undeliverable signal
	outboxLease    = time.Minute      // a claimed row is its relay's for this long, then anyone's again
	outboxSignal   = 10 * time.Second // the longest one signal may take
)

// Run sends committed signals until ctx ends. Any number of processes may run it, and
// each workflow still hears its rows in commit order, one at a time: a relay claims only a
// workflow's oldest row, with a lease, in one short statement (ClaimOutbox); it signals
// outside any transaction, then deletes the row, or defers it with backoff after a failure,
// which keeps the workflow's newer rows waiting behind it. A row whose relay died is
// claimable again once its lease has run out. A signal sent twice (a crash after the send,
// before the delete) is harmless: every outbox signal states a fact, and the payment facts
// carry their ledger position (Seq), so a repeat, however late, changes nothing.
func (r *Relay) Run(ctx context.Context) {
	tick := time.NewTicker(outboxPoll)
	defer tick.Stop()
	for {
		// Each round claims the next row of each workflow; a row that failed waits out its
		// backoff, so the rounds end when nothing is due.
		for ctx.Err() == nil {
			n, err := r.relayBatch(ctx)
			if err != nil && ctx.Err() == nil {
				r.log.Warn("outbox relay", zap.Error(err))
			}
			if err != nil || n == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-r.outboxWake():
		}
	}
}

// relayBatch claims due rows (at most one per workflow) and sends them, up to outboxParallel
// at once: rows of different workflows need no order between them, and a payment should not
// wait behind the signals and deletes of other orders' payments. It says how many it claimed.
func (r *Relay) relayBatch(ctx context.Context) (int, error) {
	tok := token.New(16) // names this claim: only its holder may delete, defer or release the rows
	claimed := time.Now()
	rows, err := r.q().ClaimOutbox(ctx, db.ClaimOutboxParams{LeaseSeconds: outboxLease.Seconds(), Token: tok, Lim: outboxBatch})
	if err != nil {
		return 0, err
	}
	slices.SortFunc(rows, func(a, b db.Outbox) int { return cmp.Compare(a.ID, b.ID) })
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	slots := make(chan struct{}, outboxParallel)
	for i, row := range rows {
		slots <- struct{}{}
		// A row is signalled only while its lease surely holds: after it, another relay may be
		// sending this row, or, once that one deleted it, the workflow's next.
		if ctx.Err() != nil || time.Since(claimed) > outboxLease-2*outboxSignal {
			wg.Wait()
			return len(rows), errors.Join(append(errs, r.releaseOutbox(ctx, rows[i:], tok))...)
		}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := r.deliver(ctx, row, tok); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return len(rows), errors.Join(errs...)
}

// deliver signals one leased row, then deletes it, or defers it with backoff when the signal
// failed. Its error is the database's.
func (r *Relay) deliver(ctx context.Context, row db.Outbox, token string) error {
	sctx, cancel := context.WithTimeout(ctx, outboxSignal)
	err := r.temporal.SignalWorkflow(sctx, row.WorkflowID, "", row.Signal, json.RawMessage(row.Payload))
	cancel()
	// What the signal did is written down even when the relay is stopping.
	dctx, dcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer dcancel()
	var nf *serviceerror.NotFound
	switch {
	case err == nil:
	case errors.As(err, &nf):
		exists, qerr := r.q().WorkflowOrderExists(dctx, row.WorkflowID)
		if qerr != nil {
			return qerr // the row's lease runs out, and it is tried again
		}
		if exists {
			// The order is there, its workflow is not: it failed, was terminated, or the
			// database was restored. The fact it carries (money, often) is kept and retried,
			// and shows in the outbox's depth and age, until an operator mends the workflow.
			return r.deferOutbox(dctx, row, token, zap.ErrorLevel, "outbox signal not sent: the order's workflow is gone but its order is not; will retry", err)
		}
		// The order was deleted: nobody is left to tell.
		r.log.Warn("outbox signal dropped: order deleted", zap.String("workflow_id", row.WorkflowID), zap.String("signal", row.Signal))
	case ctx.Err() != nil:
		// Stopping: not an attempt; the row is anyone's again at once.
		return r.releaseOutbox(dctx, []db.Outbox{row}, token)
	default:
		return r.deferOutbox(dctx, row, token, zap.WarnLevel, "outbox signal not sent; will retry", err)
	}
	n, err := r.q().DeleteOutbox(dctx, db.DeleteOutboxParams{ID: row.ID, Token: token})
	if err == nil && n == 0 {
		r.log.Warn("outbox lease ran out before the delete: the row's new holder sends it again",
			zap.String("workflow_id", row.WorkflowID), zap.String("signal", row.Signal), zap.Int64("id", row.ID))
	}
	return err
}

// deferOutbox counts a failed attempt at a leased row and makes it due again after a backoff
// that grows with its attempts, logging why at level. Its error is the database's.
func (r *Relay) deferOutbox(ctx context.Context, row db.Outbox, token string, level zapcore.Level, msg string, cause error) error {
	delay := min(time.Duration(1<<min(row.Attempts, 5))*time.Second, outboxRetry)
	r.log.Log(level, msg, zap.String("workflow_id", row.WorkflowID), zap.String("signal", row.Signal),
		zap.Int32("attempts", row.Attempts+1), zap.Duration("retry_in", delay), zap.Error(cause))
	_, err := r.q().DeferOutbox(ctx, db.DeferOutboxParams{ID: row.ID, Token: token, LastError: cause.Error(), DelaySeconds: delay.Seconds()})
	return err
}

// releaseOutbox gives back rows this relay claimed and did not send.
func (r *Relay) releaseOutbox(ctx context.Context, rows []db.Outbox, token string) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, row := range rows {
		ids[i] = row.ID
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return r.q().ReleaseOutbox(ctx, db.ReleaseOutboxParams{Ids: ids, Token: token})
}
