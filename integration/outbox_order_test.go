package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// signalTap stands in for Temporal's client in an outbox relay: it records every signal
// attempt, fails those fail picks, and reports two attempts at one workflow's signals at once.
// With a Client inside, what it lets through reaches Temporal; without, it only records.
type signalTap struct {
	client.Client
	relay string // which relay this is, when several share one tap's record
	*tapRecord
}

type tapRecord struct {
	mu       sync.Mutex
	fail     func(workflowID, signal string, payload []byte, attempt int) bool
	delay    func() time.Duration
	attempts map[string]int      // by workflow id and payload
	inflight map[string]int      // by workflow id
	sent     map[string][]string // by workflow id: the payloads delivered, in order
	by       map[string]int      // deliveries by relay
	overlaps []string
}

func newTap(fail func(workflowID, signal string, payload []byte, attempt int) bool) *tapRecord {
	return &tapRecord{fail: fail, attempts: map[string]int{}, inflight: map[string]int{}, sent: map[string][]string{}, by: map[string]int{}}
}

func (t *signalTap) SignalWorkflow(ctx context.Context, workflowID, runID, signal string, arg any) error {
	payload := []byte(arg.(json.RawMessage))
	t.mu.Lock()
	key := workflowID + " " + string(payload)
	t.attempts[key]++
	attempt := t.attempts[key]
	if t.inflight[workflowID]++; t.inflight[workflowID] > 1 {
		t.overlaps = append(t.overlaps, fmt.Sprintf("%s %s while another of its signals was in flight", workflowID, payload))
	}
	fail := t.fail != nil && t.fail(workflowID, signal, payload, attempt)
	delay := time.Duration(0)
	if t.delay != nil {
		delay = t.delay()
	}
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		t.inflight[workflowID]--
		t.mu.Unlock()
	}()
	time.Sleep(delay)
	if fail {
		return fmt.Errorf("injected failure of %s %s", workflowID, payload)
	}
	if t.Client != nil {
		if err := t.Client.SignalWorkflow(ctx, workflowID, runID, signal, arg); err != nil {
			return err
		}
	}
	t.mu.Lock()
	t.sent[workflowID] = append(t.sent[workflowID], string(payload))
	t.by[t.relay]++
	t.mu.Unlock()
	return nil
}

func (t *tapRecord) delivered(workflowID string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.sent[workflowID]...)
}

// relay runs an outbox relay of its own on the stack's database, signalling through tap,
// until the end of the test.
func (s *stack) relay(name string, tap *tapRecord, temporal client.Client) {
	svc := service.New(service.Config{Pool: s.pool, Temporal: &signalTap{Client: temporal, relay: name, tapRecord: tap}, Log: zap.NewNop(),
		TaskQueue: s.queue})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); svc.Outbox.Run(ctx) }()
	s.t.Cleanup(func() { cancel(); <-done })
}

func (s *stack) enqueue(workflowID string, n int) {
	s.t.Helper()
	_, err := s.pool.Exec(context.Background(), "INSERT INTO outbox (workflow_id, signal, payload) VALUES ($1, 'test', $2)",
		workflowID, fmt.Sprintf(`{"n": %d}`, n))
	require.NoError(s.t, err)
}

func (s *stack) outboxDrained(within time.Duration) {
	s.t.Helper()
	require.Eventually(s.t, func() bool { return s.count("SELECT count(*) FROM outbox") == 0 }, within, 20*time.Millisecond,
		"the outbox never drained")
}

func ns(from, to int) []string {
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, fmt.Sprintf(`{"n": %d}`, n))
	}
	return out
}

// A signal whose delivery failed holds back the later signals of its workflow until it is
// delivered: the workflow hears its rows in commit order.
func TestOutboxFailedSignalHoldsBackLaterOnes(t *testing.T) {
	s := newStack(t)
	s.stopRelay()
	for n := 1; n <= 3; n++ {
		s.enqueue("wf-a", n)
	}
	s.enqueue("wf-b", 1)
	tap := newTap(func(wid, _ string, payload []byte, attempt int) bool {
		return wid == "wf-a" && string(payload) == `{"n": 1}` && attempt == 1
	})
	s.relay("r1", tap, nil)
	s.outboxDrained(10 * time.Second)
	require.Equal(t, ns(1, 3), tap.delivered("wf-a"), "the failed first signal is retried before the later ones go")
	require.Equal(t, ns(1, 1), tap.delivered("wf-b"))
	tap.mu.Lock()
	defer tap.mu.Unlock()
	require.Equal(t, 2, tap.attempts[`wf-a {"n": 1}`])
}

// Two relays (two API processes) at once: each workflow's signals still go one at a time and
// in commit order, failures and retries included.
func TestOutboxTwoRelaysKeepEachWorkflowInOrder(t *testing.T) {
	s := newStack(t)
	s.stopRelay()
	const workflowsN, perWorkflow = 120, 4
	for n := 1; n <= perWorkflow; n++ {
		for w := range workflowsN {
			s.enqueue("wf-"+strconv.Itoa(w), n)
		}
	}
	tap := newTap(func(wid, _ string, payload []byte, attempt int) bool {
		return attempt == 1 && string(payload) == `{"n": 2}` && strings.HasSuffix(wid, "7") // wf-7, wf-17, …
	})
	tap.delay = func() time.Duration { return time.Duration(rand.IntN(1500)) * time.Microsecond }
	s.relay("r1", tap, nil)
	s.relay("r2", tap, nil)
	s.outboxDrained(60 * time.Second)

	tap.mu.Lock()
	defer tap.mu.Unlock()
	require.Empty(t, tap.overlaps)
	for w := range workflowsN {
		wid := "wf-" + strconv.Itoa(w)
		require.Equal(t, ns(1, perWorkflow), tap.sent[wid], wid)
	}
	require.NotZero(t, tap.by["r1"], "both relays delivered")
	require.NotZero(t, tap.by["r2"], "both relays delivered")
}

// A row leased by a relay that died is claimable again once its lease ran out; a live lease
// holds its row and the workflow's later ones.
func TestOutboxLeaseOfADeadRelayRunsOut(t *testing.T) {
	s := newStack(t)
	s.stopRelay()
	s.enqueue("wf-dead", 1)
	s.enqueue("wf-live", 1)
	s.enqueue("wf-live", 2)
	_, err := s.pool.Exec(context.Background(), `UPDATE outbox SET lease_token = 'gone', leased_until = now() - interval '1 second'
		WHERE workflow_id = 'wf-dead'`)
	require.NoError(t, err)
	_, err = s.pool.Exec(context.Background(), `UPDATE outbox SET lease_token = 'busy', leased_until = now() + interval '1 hour'
		WHERE workflow_id = 'wf-live' AND payload->>'n' = '1'`)
	require.NoError(t, err)
	tap := newTap(nil)
	s.relay("r1", tap, nil)
	require.Eventually(t, func() bool { return len(tap.delivered("wf-dead")) == 1 }, 10*time.Second, 20*time.Millisecond)
	time.Sleep(1500 * time.Millisecond) // more than a poll
	require.Empty(t, tap.delivered("wf-live"), "neither the leased row nor the one behind it")
	require.Equal(t, 2, s.count("SELECT count(*) FROM outbox"))
}

// The case on a real workflow: payment-received fails once, and the full refund
// committed after it must not reach the workflow first, or the workflow ends Paid while
// PostgreSQL says Refunded.
func TestOutboxPaymentThenRefundArriveInCommitOrder(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	s.stopRelay()
	tap := newTap(func(_, signal string, _ []byte, attempt int) bool {
		return signal == ordermsg.SignalPaymentReceived && attempt == 1
	})
	s.relay("r1", tap, s.tc)
	o := s.place("accept", "outbox-order.com")
	inv := strconv.FormatInt(o.invoiceID, 10)
	status, out := s.stripe(stripeEvent("evt_oo_pay", "payment_intent.succeeded",
		map[string]any{"id": "pi_oo", "amount_received": 2699, "currency": "usd", "metadata": map[string]any{"invoice_id": inv}}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Paid", out["invoice_status"])
	status, out = s.stripe(stripeEvent("evt_oo_refund", "charge.refunded",
		map[string]any{"id": "ch_oo", "payment_intent": "pi_oo", "amount_refunded": 2699, "currency": "usd"}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Refunded", out["invoice_status"])

	s.outboxDrained(20 * time.Second)
	var signals []string
	var seqs []int64
	for _, p := range tap.delivered(s.workflowID(o.orderID)) {
		var f struct {
			TransactionID string `json:"transaction_id"`
			Seq           int64  `json:"seq"`
		}
		require.NoError(t, json.Unmarshal([]byte(p), &f))
		signals, seqs = append(signals, f.TransactionID), append(seqs, f.Seq)
	}
	require.Equal(t, []string{"pi_oo", "pi_oo:refunded:2699"}, signals)
	require.True(t, 0 < seqs[0] && seqs[0] < seqs[1], "each payment fact carries its ledger position: %v", seqs)
	require.Eventually(t, func() bool { return s.workflowState(o.orderID).PaymentStatus == order.InvoiceRefunded },
		10*time.Second, 50*time.Millisecond, "the workflow agrees with PostgreSQL")
}
