package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/worker"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// The fault-and-race run of issue 22: orders whose payments, refunds and admin actions race
// each other, while the worker is stopped and a new one started and settled orders continue as
// new with signals in flight. Whichever way each race goes, once everything is quiet the
// ledger, the invoices, the unmatched payments and every order's workflow must agree, money for
// money. The seed is fixed: a failure names its order and scenario, and replays the same
// choices (the interleavings themselves are the machine's).
const (
	raceSeed   = 22
	raceSecret = "race-secret-0123456789"
	raceTotal  = 2699 // 9.99 + 5.00 setup + 12.00 for the .com, in cents
	racePart   = 1000
	raceUnpaid = 30 // cancel_unpaid_after_days, changed while the orders are placed
)

// Scenarios: each order runs one, its racing calls released together.
const (
	racePayCancel      = "pay-vs-cancel"         // a gateway payment (full or part) and Cancel
	racePayFraud       = "pay-vs-fraud"          // the same with Set as Fraud
	raceRefundRepay    = "refund-vs-repay"       // paid; a full refund and a second payment
	raceDeleteCapture  = "delete-vs-capture"     // cancelled; Delete and money captured on the Cancelled invoice
	racePendingPay     = "pending-vs-pay"        // cancelled; Set Back to Pending and a payment
	raceDoubleCallback = "double-callback"       // the same callback delivered twice at once
	racePartialDelete  = "partial-cancel-delete" // part paid, cancelled: Delete refused; then Delete racing the refund
	raceContinuePay    = "continue-as-new-pay"   // cancelled, history near its limit: a capture with signals
	raceContinueRefund = "continue-as-new-refund"
)

var raceScenarios = []string{
	racePayCancel, racePayCancel, racePayFraud, racePayFraud, raceRefundRepay, raceRefundRepay,
	raceDeleteCapture, raceDeleteCapture, racePendingPay, racePendingPay, raceDoubleCallback, raceDoubleCallback,
	racePartialDelete, racePartialDelete, raceContinuePay, raceContinueRefund,
}

// raceOrder is one order of the run and what became of it.
type raceOrder struct {
	idx      int
	scenario string
	full     bool             // the racing payment is the whole total, else a part
	jitter   [2]time.Duration // held back before each racing call
	o        placed
	wid      string
	firstRun string // the workflow's run before the race (continue-as-new scenarios)
	outcome  string
	deleted  bool // a Delete was answered 200
}

// raceCallback is one gateway callback sent and its answer.
type raceCallback struct {
	order     int
	invoiceID int64
	txn       string
	status    string // "paid" or "refunded"
	amount    int64
	code      int
	out       map[string]any
	err       error
}

func (c raceCallback) key() string { return c.status + ":" + c.txn }

func (c raceCallback) signed() int64 {
	if c.status == "refunded" {
		return -c.amount
	}
	return c.amount
}

// raceCall is one admin API call and its answer.
type raceCall struct {
	order  int
	what   string
	code   int
	out    map[string]any
	err    error
	wanted []int // the answers this call may legitimately get
}

// raceRun holds what the run sent and got; its methods are safe from any goroutine and never
// stop the test, which checks everything from its own goroutine at the end.
type raceRun struct {
	s         *stack
	mu        sync.Mutex
	callbacks []raceCallback
	calls     []raceCall
	problems  []string
}

func (r *raceRun) problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

func raceMoney(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

// raceSend makes one HTTP request and decodes its JSON answer.
func raceSend(method, url string, body []byte, header http.Header) (int, map[string]any, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("answer %q: %w", raw, err)
	}
	return resp.StatusCode, out, nil
}

// act sends an admin call (path under /api/v1) for order i.
func (r *raceRun) act(i int, method, path string, wanted ...int) raceCall {
	h := http.Header{"Authorization": {"Bearer " + r.s.key}, "Content-Type": {"application/json"}}
	code, out, err := raceSend(method, r.s.api.URL+"/api/v1"+path, nil, h)
	c := raceCall{order: i, what: method + " " + path, code: code, out: out, err: err, wanted: wanted}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	return c
}

// pay sends the signed generic callback of acme for order o.
func (r *raceRun) pay(o *raceOrder, txn, status string, amount int64) raceCallback {
	body := genericBody(o.o.invoiceID, txn, raceMoney(amount), status)
	return r.deliver(o, txn, status, amount, body, genericHeader(raceSecret, body, time.Now()))
}

func (r *raceRun) deliver(o *raceOrder, txn, status string, amount int64, body []byte, header http.Header) raceCallback {
	h := header.Clone()
	h.Set("Content-Type", "application/json")
	code, out, err := raceSend("POST", r.s.api.URL+"/webhooks/gateway/acme", body, h)
	c := raceCallback{order: o.idx, invoiceID: o.o.invoiceID, txn: txn, status: status, amount: amount, code: code, out: out, err: err}
	r.mu.Lock()
	r.callbacks = append(r.callbacks, c)
	r.mu.Unlock()
	return c
}

// race runs a and b at once: both wait at a barrier, then each sleeps its jitter.
func race(jitter [2]time.Duration, a, b func()) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for k, f := range []func(){a, b} {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			time.Sleep(jitter[k])
			f()
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// describe is what Temporal says of a workflow's current run.
func (r *raceRun) describe(ctx context.Context, workflowID string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	d, err := r.s.tc.DescribeWorkflow(ctx, workflowID, "")
	if err != nil {
		return nil, err
	}
	return d.RawResponse, nil
}

// raceWorker is the stack's worker, which the run stops and replaces.
func (s *stack) raceWorker() (worker.Worker, error) {
	w := worker.New(s.tc, s.queue, worker.Options{})
	workflows.Register(w, s.acts)
	if err := w.Start(); err != nil {
		return nil, err
	}
	s.t.Cleanup(w.Stop)
	return w, nil
}

// TestFaultAndRaceRunAgrees places sixteen orders while the unpaid-cancel setting changes, runs
// each order's scenario with its racing calls released together (and all scenarios at once),
// stops the worker and starts a new one twice meanwhile, waits until nothing is in flight, and
// then checks, order by order: the ledger against the callbacks answered 200, money on no
// invoice, each invoice's status against its ledger, each workflow against PostgreSQL, and
// that no order was deleted with money on it.
func TestFaultAndRaceRunAgrees(t *testing.T) {
	began := time.Now()
	s := newStack(t)
	w, err := s.raceWorker()
	require.NoError(t, err)
	s.mustCall("PUT", "/api/v1/gateways/acme", map[string]any{"secret": raceSecret}, 200)
	clientID, productID := s.catalogue("payment")
	r := &raceRun{s: s}
	rng := rand.New(rand.NewPCG(raceSeed, raceSeed))

	// The two orders of a scenario take its two variants (a full payment or a part; for
	// partial-cancel-delete, refunded or not), in an order the seed picks. One of them races
	// tight (both calls within 3 ms); the other gives its first call a head start of 20-150 ms,
	// so that each side gets to be first while the other is still in flight.
	orders := make([]*raceOrder, len(raceScenarios))
	var flip bool
	for i, sc := range raceScenarios {
		if i%2 == 0 {
			flip = rng.IntN(2) == 0
		}
		o := &raceOrder{idx: i, scenario: sc, full: (i%2 == 0) != flip}
		for k := range o.jitter {
			o.jitter[k] = time.Duration(rng.IntN(3000)) * time.Microsecond
		}
		if (i%2 == 0) == flip {
			o.jitter[1] += time.Duration(20+rng.IntN(130)) * time.Millisecond
		}
		orders[i] = o
	}
	settingAfter := time.Duration(rng.IntN(40)) * time.Millisecond
	bounces := []time.Duration{time.Duration(40+rng.IntN(80)) * time.Millisecond, time.Duration(1200+rng.IntN(600)) * time.Millisecond}
	downtimes := []time.Duration{time.Duration(300+rng.IntN(700)) * time.Millisecond, time.Duration(300+rng.IntN(700)) * time.Millisecond}

	// The placements race the unpaid-cancel setting being turned on (issue item 9).
	var wg sync.WaitGroup
	for _, o := range orders {
		wg.Go(func() {
			h := http.Header{"Authorization": {"Bearer " + s.key}, "Content-Type": {"application/json"}}
			body, _ := json.Marshal(hostingOrder(clientID, productID, fmt.Sprintf("race-%02d.com", o.idx)))
			code, out, err := raceSend("POST", s.api.URL+"/api/v1/orders", body, h)
			if err != nil || code != 201 {
				r.problem("order %d: place answered %d %v %v", o.idx, code, out, err)
				return
			}
			o.o = placed{int64(out["order_id"].(float64)), int64(out["invoice_id"].(float64))}
		})
	}
	wg.Go(func() {
		time.Sleep(settingAfter)
		body, _ := json.Marshal(map[string]any{"cancel_unpaid_after_days": fmt.Sprint(raceUnpaid)})
		h := http.Header{"Authorization": {"Bearer " + s.key}, "Content-Type": {"application/json"}}
		if code, out, err := raceSend("PUT", s.api.URL+"/api/v1/settings", body, h); err != nil || code != 200 {
			r.problem("settings answered %d %v %v", code, out, err)
		}
	})
	wg.Wait()
	require.Empty(t, r.problems)
	for _, o := range orders {
		o.wid = s.workflowID(o.o.orderID)
	}

	// Each scenario does its first steps, then waits for the others; then all race at once,
	// while the worker is stopped and a new one started, twice.
	var ready sync.WaitGroup
	gate := make(chan struct{})
	for _, o := range orders {
		ready.Add(1)
		wg.Go(func() {
			released := false
			release := func() {
				if !released {
					released = true
					ready.Done()
					<-gate
				}
			}
			defer release()
			r.scenario(o, release)
		})
	}
	ready.Wait()
	close(gate)
	raced := time.Now()
	for k, at := range bounces {
		time.Sleep(time.Until(raced.Add(at)))
		w.Stop()
		time.Sleep(downtimes[k])
		w, err = s.raceWorker()
		require.NoError(t, err)
	}
	wg.Wait()
	t.Logf("races done %.1fs after the start", time.Since(began).Seconds())

	r.quiet(orders, 60*time.Second)
	t.Logf("quiet %.1fs after the start", time.Since(began).Seconds())
	r.check(orders)
	r.summary(orders)
}

// scenario runs order o's scenario; release waits for every other order to be ready and is
// called just before the race.
func (r *raceRun) scenario(o *raceOrder, release func()) {
	id := o.o.orderID
	path := fmt.Sprintf("/orders/%d", id)
	amount := int64(raceTotal)
	if !o.full {
		amount = racePart
	}
	txn := func(n int) string { return fmt.Sprintf("RACE-%02d-%d", o.idx, n) }
	switch o.scenario {
	case racePayCancel, racePayFraud:
		action := "cancel"
		if o.scenario == racePayFraud {
			action = "fraud"
		}
		release()
		var c raceCallback
		race(o.jitter, func() { r.act(o.idx, "POST", path+"/"+action, 200, 409) }, func() { c = r.pay(o, txn(1), "paid", amount) })
		if c.out["invoice_status"] == string(order.InvoiceCancelled) {
			o.outcome = action + " first"
		} else {
			o.outcome = "payment first"
		}

	case raceRefundRepay:
		r.pay(o, txn(1), "paid", raceTotal)
		release()
		var refund raceCallback
		race(o.jitter, func() { refund = r.pay(o, txn(1), "refunded", raceTotal) }, func() { r.pay(o, txn(2), "paid", raceTotal) })
		if refund.out["invoice_status"] == string(order.InvoiceRefunded) {
			o.outcome = "refund first"
		} else {
			o.outcome = "second payment first"
		}

	case raceDeleteCapture:
		r.act(o.idx, "POST", path+"/cancel", 200)
		release()
		var del raceCall
		race(o.jitter, func() { del = r.act(o.idx, "DELETE", path, 200, 409) }, func() { r.pay(o, txn(1), "paid", amount) })
		o.deleted = del.code == 200
		if o.deleted {
			o.outcome = "deleted, capture unmatched"
		} else {
			o.outcome = "captured, delete refused"
		}

	case racePendingPay:
		r.act(o.idx, "POST", path+"/cancel", 200)
		release()
		var c raceCallback
		race(o.jitter, func() { r.act(o.idx, "POST", path+"/pending", 200) }, func() { c = r.pay(o, txn(1), "paid", amount) })
		if c.out["invoice_status"] == string(order.InvoiceCancelled) {
			o.outcome = "payment on the Cancelled invoice first"
		} else {
			o.outcome = "reopen first"
		}

	case raceDoubleCallback:
		body := genericBody(o.o.invoiceID, txn(1), raceMoney(amount), "paid")
		header := genericHeader(raceSecret, body, time.Now())
		release()
		var a, b raceCallback
		race(o.jitter, func() { a = r.deliver(o, txn(1), "paid", amount, body, header) },
			func() { b = r.deliver(o, txn(1), "paid", amount, body, header) })
		o.outcome = "one applied, one duplicate"
		if (a.out["duplicate"] == true) == (b.out["duplicate"] == true) {
			o.outcome = fmt.Sprintf("duplicate: %v and %v", a.out["duplicate"], b.out["duplicate"])
		}

	case racePartialDelete:
		r.pay(o, txn(1), "paid", racePart)
		r.act(o.idx, "POST", path+"/cancel", 200)
		// Money sits on the Cancelled invoice: Delete is refused, however soon it comes.
		if c := r.act(o.idx, "DELETE", path, 409); c.code != 409 {
			r.problem("order %d (%s): Delete of an order holding %s answered %d %v", o.idx, o.scenario, raceMoney(racePart), c.code, c.out)
			o.deleted, o.outcome = c.code == 200, "deleted with its money"
			return
		}
		release()
		if !o.full {
			o.outcome = "delete refused, money kept"
			return
		}
		var del raceCall
		race(o.jitter, func() { r.pay(o, txn(1), "refunded", racePart) }, func() { del = r.act(o.idx, "DELETE", path, 200, 409) })
		o.outcome = "delete refused until the refund was heard"
		if del.code == 200 {
			o.outcome = "deleted right after the refund"
		}
		// Once the order has heard of the refund, nothing holds the delete.
		deadline := time.Now().Add(20 * time.Second)
		for del.code == 409 && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
			del = r.act(o.idx, "DELETE", path, 200, 409)
		}
		o.deleted = del.code == 200
		if !o.deleted {
			r.problem("order %d (%s): never deleted after its money was refunded: %d %v", o.idx, o.scenario, del.code, del.out)
		}

	case raceContinuePay, raceContinueRefund:
		if o.scenario == raceContinueRefund {
			r.pay(o, txn(1), "paid", raceTotal)
		}
		r.act(o.idx, "POST", path+"/cancel", 200)
		ctx := context.Background()
		desc, err := r.describe(ctx, o.wid)
		if err != nil {
			r.problem("order %d: describe: %v", o.idx, err)
			return
		}
		o.firstRun = desc.WorkflowExecutionInfo.Execution.RunId
		// Signals the order takes without a step (the unpaid-cancel setting, as the relay would
		// send it) grow its history to just short of the settled limit.
		// A signal can wait for a workflow task that a stopped worker held: it is tried again,
		// as the relay would (it says the same each time).
		pump := func() (err error) {
			for range 3 {
				sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				err = r.s.tc.SignalWorkflow(sctx, o.wid, "", ordermsg.SignalUnpaidPolicy, ordermsg.UnpaidPolicy{CancelAfterDays: raceUnpaid})
				cancel()
				if err == nil {
					return nil
				}
			}
			return err
		}
		for n := 0; n < 400; n++ {
			if err := pump(); err != nil {
				r.problem("order %d: signal: %v", o.idx, err)
				return
			}
			if n%4 != 3 {
				continue
			}
			desc, err := r.describe(ctx, o.wid)
			if err != nil {
				r.problem("order %d: describe: %v", o.idx, err)
				return
			}
			if desc.WorkflowExecutionInfo.Execution.RunId != o.firstRun {
				r.problem("order %d: continued as new after %d signals, before the race", o.idx, n+1)
				break
			}
			if desc.WorkflowExecutionInfo.HistoryLength >= 180 {
				break
			}
		}
		release()
		money := func() { r.pay(o, txn(2), "paid", amount) }
		if o.scenario == raceContinueRefund {
			money = func() { r.pay(o, txn(1), "refunded", raceTotal) }
		}
		race(o.jitter, money, func() {
			for range 30 {
				if err := pump(); err != nil {
					r.problem("order %d: signal: %v", o.idx, err)
				}
			}
		})
	}
}

// raceDB is what PostgreSQL says of one order.
type raceDB struct {
	exists        bool
	status        order.Status
	waitingFor    order.WaitingFor
	invoiceStatus order.InvoiceStatus
	total         int64
	ledger        int64
}

func (r *raceRun) read(o *raceOrder) raceDB {
	var d raceDB
	err := r.s.pool.QueryRow(context.Background(), `SELECT o.status, o.waiting_for, i.status, i.total,
			coalesce((SELECT sum(t.amount) FROM transactions t WHERE t.invoice_id = i.id), 0)::bigint
		FROM orders o JOIN invoices i ON i.order_id = o.id WHERE o.id = $1`, o.o.orderID).
		Scan(&d.status, &d.waitingFor, &d.invoiceStatus, &d.total, &d.ledger)
	d.exists = err == nil
	return d
}

// quiet waits until the outbox is empty and every surviving order's workflow has nothing in
// flight (no workflow task, no activity but an email, which changes nothing compared here) and
// answers the same state twice in a row.
func (r *raceRun) quiet(orders []*raceOrder, within time.Duration) {
	t := r.s.t
	ctx := context.Background()
	deadline := time.Now().Add(within)
	var last map[int]ordermsg.State
	var why []string
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if n := r.s.count("SELECT count(*) FROM outbox"); n > 0 {
			why, last = []string{fmt.Sprintf("%d signals in the outbox", n)}, nil
			continue
		}
		now := map[int]ordermsg.State{}
		why = nil
		for _, o := range orders {
			if !r.read(o).exists {
				continue
			}
			desc, err := r.describe(ctx, o.wid)
			if err != nil {
				why = append(why, fmt.Sprintf("order %d: describe: %v", o.idx, err))
				continue
			}
			if w := desc.PendingWorkflowTask; w != nil {
				why = append(why, fmt.Sprintf("order %d (%s): a workflow task in flight (attempt %d)", o.idx, o.scenario, w.Attempt))
			}
			for _, a := range desc.PendingActivities {
				if a.ActivityType.GetName() != "SendEmails" {
					why = append(why, fmt.Sprintf("order %d (%s): activity %s in flight, %s, attempt %d, last failure %q", o.idx, o.scenario,
						a.ActivityType.GetName(), a.State, a.Attempt, a.LastFailure.GetMessage()))
				}
			}
			v, err := r.s.tc.QueryWorkflow(ctx, o.wid, "", ordermsg.QueryState)
			var st ordermsg.State
			if err == nil {
				err = v.Get(&st)
			}
			if err != nil {
				why = append(why, fmt.Sprintf("order %d: state query: %v", o.idx, err))
				continue
			}
			st.Items, st.CancelUnpaidAt = nil, nil // checked later; here only whether the state holds still
			now[o.idx] = st
			if last != nil && fmt.Sprint(last[o.idx]) != fmt.Sprint(st) {
				why = append(why, fmt.Sprintf("order %d (%s): state moved from %+v to %+v", o.idx, o.scenario, last[o.idx], st))
			}
		}
		if len(why) == 0 && last != nil {
			return
		}
		if len(why) > 0 {
			now = nil
		}
		last = now
	}
	t.Fatalf("never quiet within %s:\n%s", within, strings.Join(why, "\n"))
}

// check compares, order by order, what the test sent and was answered with what PostgreSQL
// and the workflows say.
func (r *raceRun) check(orders []*raceOrder) {
	t := r.s.t
	ctx := context.Background()
	for _, p := range r.problems {
		t.Errorf("%s", p)
	}

	// Every answer: 2xx or a state refusal where one may come; never a 5xx.
	for _, c := range r.calls {
		o := orders[c.order]
		if c.err != nil || !slices.Contains(c.wanted, c.code) {
			t.Errorf("order %d (%s): %s answered %d %v %v (may answer %v)", c.order, o.scenario, c.what, c.code, c.out, c.err, c.wanted)
		}
	}
	type sent struct {
		order     int
		invoiceID int64
		signed    int64
		unmatched bool
		fresh     int // answers that were not duplicates
	}
	byKey := map[string]*sent{}
	var keys []string
	for _, c := range r.callbacks {
		o := orders[c.order]
		if c.err != nil || c.code != 200 {
			t.Errorf("order %d (%s): callback %s %s answered %d %v %v", c.order, o.scenario, c.status, c.txn, c.code, c.out, c.err)
			continue
		}
		e := byKey[c.key()]
		if e == nil {
			e = &sent{order: c.order, invoiceID: c.invoiceID, signed: c.signed()}
			byKey[c.key()] = e
			keys = append(keys, c.key())
		}
		if c.out["duplicate"] != true {
			e.fresh++
		}
		if u, _ := c.out["unmatched"].(string); u != "" {
			e.unmatched = true
			if o.scenario != raceDeleteCapture {
				t.Errorf("order %d (%s): callback %s kept as unmatched: %s", c.order, o.scenario, c.key(), u)
			}
		}
	}

	// (1) and (2): each callback answered 200 is in the ledger once, on its invoice (none if
	// the order was deleted), or once among the unmatched payments; nothing else is anywhere.
	type txnRow struct {
		invoiceID int64
		amount    int64
	}
	txns := map[string][]txnRow{}
	rows, err := r.s.pool.Query(ctx, "SELECT coalesce(invoice_id, 0), gateway, type, transaction_id, amount FROM transactions")
	require.NoError(t, err)
	for rows.Next() {
		var row txnRow
		var gw, typ, id string
		require.NoError(t, rows.Scan(&row.invoiceID, &gw, &typ, &id, &row.amount))
		kind := map[string]string{"payment": "paid", "refund": "refunded"}[typ]
		if gw == billing.CreditGateway {
			// hostflow's own move between the invoice and its client's credit (an overpayment
			// moved out, and taken back by a refund): no callback's; (1) checks the invoice's sum.
			continue
		}
		if gw != "acme" || kind == "" {
			t.Errorf("transaction %s %s %s %d the test never sent", gw, typ, id, row.amount)
			continue
		}
		txns[kind+":"+id] = append(txns[kind+":"+id], row)
	}
	require.NoError(t, rows.Err())
	unmatched := map[string]int{}
	rows, err = r.s.pool.Query(ctx, "SELECT gateway, kind, transaction_id, coalesce(invoice_id, 0), amount FROM unmatched_payments")
	require.NoError(t, err)
	for rows.Next() {
		var gw, kind, id string
		var inv, amount int64
		require.NoError(t, rows.Scan(&gw, &kind, &id, &inv, &amount))
		key := map[string]string{"payment": "paid", "refund": "refunded"}[kind] + ":" + id
		e := byKey[key]
		if gw != "acme" || e == nil || !e.unmatched || inv != e.invoiceID || amount != abs64(e.signed) {
			t.Errorf("unmatched payment %s %s %s invoice %d %d: not what the test was answered", gw, kind, id, inv, amount)
			continue
		}
		unmatched[key]++
	}
	require.NoError(t, rows.Err())
	expected := map[int]int64{} // by order: the money callbacks put on its invoice
	for k := range txns {
		if byKey[k] == nil {
			t.Errorf("transaction %s recorded, but no callback of it was answered 200", k)
		}
	}
	for _, k := range keys {
		e := byKey[k]
		o := orders[e.order]
		if e.fresh != 1 {
			t.Errorf("order %d (%s): callback %s applied %d times (answers not marked duplicate)", e.order, o.scenario, k, e.fresh)
		}
		if e.unmatched {
			if len(txns[k]) != 0 || unmatched[k] != 1 {
				t.Errorf("order %d (%s): callback %s answered unmatched, but it is %d times in the ledger and %d times unmatched",
					e.order, o.scenario, k, len(txns[k]), unmatched[k])
			}
			continue
		}
		expected[e.order] += e.signed
		want := e.invoiceID
		if o.deleted {
			want = 0
		}
		if len(txns[k]) != 1 || txns[k][0].invoiceID != want || txns[k][0].amount != e.signed {
			t.Errorf("order %d (%s): callback %s of %d on invoice %d is in the ledger as %v (want once, %d on invoice %d)",
				e.order, o.scenario, k, e.signed, e.invoiceID, txns[k], e.signed, want)
		}
	}

	for _, o := range orders {
		if o.firstRun == "" {
			continue
		}
		desc, err := r.describe(ctx, o.wid)
		require.NoError(t, err)
		// Thirty signals past 180 events: a settled order continues as new on the way.
		if run := desc.WorkflowExecutionInfo.Execution.RunId; run != o.firstRun {
			o.outcome = "continued as new"
		} else {
			o.outcome = fmt.Sprintf("not continued (history %d)", desc.WorkflowExecutionInfo.HistoryLength)
			t.Errorf("order %d (%s): a settled order %d events long did not continue as new", o.idx, o.scenario,
				desc.WorkflowExecutionInfo.HistoryLength)
		}
	}
	for _, o := range orders {
		d := r.read(o)
		tag := fmt.Sprintf("order %d (%s, %s)", o.idx, o.scenario, o.outcome)
		if o.deleted {
			// (5): a deleted order had no money; its rows are gone and its ledger nets to 0.
			if d.exists {
				t.Errorf("%s: Delete answered 200, but the order is still there", tag)
			}
			if expected[o.idx] != 0 {
				t.Errorf("%s: deleted with %s on its invoice", tag, raceMoney(expected[o.idx]))
			}
			continue
		}
		if !d.exists {
			t.Errorf("%s: the order is gone, but no Delete was answered 200", tag)
			continue
		}
		// (1) the ledger, per invoice.
		if d.ledger != expected[o.idx] {
			t.Errorf("%s: invoice %d holds %s, the callbacks answered 200 add up to %s", tag, o.o.invoiceID,
				raceMoney(d.ledger), raceMoney(expected[o.idx]))
		}
		// (3) the invoice agrees with its ledger.
		closed := d.status == order.Cancelled || d.status == order.Fraud
		switch {
		case !closed && d.invoiceStatus == order.InvoiceRefunded:
			if d.ledger != 0 {
				t.Errorf("%s: invoice Refunded while it holds %s", tag, raceMoney(d.ledger))
			}
		case !closed && (d.invoiceStatus == order.InvoicePaid) != (d.ledger >= d.total):
			t.Errorf("%s: order %s, invoice %s with %s of %s on it", tag, d.status, d.invoiceStatus, raceMoney(d.ledger), raceMoney(d.total))
		case !closed && d.invoiceStatus == order.InvoiceCancelled:
			t.Errorf("%s: order %s with a Cancelled invoice", tag, d.status)
		case closed && d.invoiceStatus == order.InvoiceUnpaid:
			t.Errorf("%s: order %s with an Unpaid invoice", tag, d.status)
		case closed && d.invoiceStatus == order.InvoiceRefunded && d.ledger != 0 && d.waitingFor != order.WaitingPaymentReview:
			t.Errorf("%s: order %s, invoice Refunded holding %s, not waiting for payment-review", tag, d.status, raceMoney(d.ledger))
		case closed && d.invoiceStatus == order.InvoicePaid && d.ledger < d.total:
			t.Errorf("%s: order %s, invoice Paid with only %s of %s", tag, d.status, raceMoney(d.ledger), raceMoney(d.total))
		}
		// (4) the workflow agrees with PostgreSQL.
		st := r.s.workflowState(o.o.orderID)
		if st.Status != d.status || st.PaymentStatus != d.invoiceStatus || st.WaitingFor != d.waitingFor {
			t.Errorf("%s: the workflow says %s / invoice %s / waiting for %q; PostgreSQL says %s / invoice %s / waiting for %q (ledger %s)",
				tag, st.Status, st.PaymentStatus, st.WaitingFor, d.status, d.invoiceStatus, d.waitingFor, raceMoney(d.ledger))
		}
		switch {
		case closed && d.ledger > 0 && st.WaitingFor != order.WaitingPaymentReview:
			t.Errorf("%s: %s holding %s, but waits for %q, not payment-review", tag, d.status, raceMoney(d.ledger), st.WaitingFor)
		case closed && d.ledger == 0 && st.WaitingFor == order.WaitingPaymentReview:
			t.Errorf("%s: %s with no money, but waits for payment-review", tag, d.status)
		case d.status == order.Pending && d.invoiceStatus == order.InvoicePaid && st.WaitingFor == order.WaitingPayment:
			t.Errorf("%s: Pending with its invoice Paid, but waits for payment", tag)
		}
		// The unpaid-cancel setting reaches exactly the orders that can still cancel for it.
		due := st.CancelUnpaidAt != nil
		if want := d.status == order.Pending && d.invoiceStatus == order.InvoiceUnpaid; due != want {
			t.Errorf("%s: %s, invoice %s, cancels itself for non-payment at %v", tag, d.status, d.invoiceStatus, st.CancelUnpaidAt)
		} else if due && (st.CancelUnpaidAt.Before(time.Now().Add((raceUnpaid-1)*24*time.Hour)) ||
			st.CancelUnpaidAt.After(time.Now().Add(raceUnpaid*24*time.Hour))) {
			t.Errorf("%s: cancels itself for non-payment at %v, not %d days after it began to wait", tag, st.CancelUnpaidAt, raceUnpaid)
		}
		if o.scenario == raceDeleteCapture && expected[o.idx] == 0 {
			t.Errorf("%s: Delete refused, yet the capture is not on the invoice", tag)
		}
	}

	// Money on no invoice: every transaction whose invoice is gone belongs to a deleted order
	// (checked above, callback by callback), and together they net to 0 per order.
	net := map[int]int64{}
	for k, rows := range txns {
		for _, row := range rows {
			if row.invoiceID == 0 && byKey[k] != nil {
				net[byKey[k].order] += row.amount
			}
		}
	}
	for i, sum := range net {
		if sum != 0 || !orders[i].deleted {
			t.Errorf("order %d (%s): %s left on no invoice (deleted: %v)", i, orders[i].scenario, raceMoney(sum), orders[i].deleted)
		}
	}
	if n := r.s.count(`SELECT count(*) FROM transactions t WHERE t.invoice_id IS NULL AND NOT EXISTS (
		SELECT 1 FROM unmatched_payments u WHERE u.gateway = t.gateway AND u.kind = t.type AND u.transaction_id = t.transaction_id)`); n > 0 {
		var sum int64
		require.NoError(t, r.s.pool.QueryRow(ctx, "SELECT coalesce(sum(amount), 0)::bigint FROM transactions WHERE invoice_id IS NULL").Scan(&sum))
		if sum != 0 {
			t.Errorf("%d transactions on no invoice and not unmatched, holding %s", n, raceMoney(sum))
		}
	}
}

// summary logs how each race ended.
func (r *raceRun) summary(orders []*raceOrder) {
	tally := map[string]map[string]int{}
	for _, o := range orders {
		if tally[o.scenario] == nil {
			tally[o.scenario] = map[string]int{}
		}
		tally[o.scenario][o.outcome]++
	}
	var parts []string
	for sc, outcomes := range tally {
		var os []string
		for out, n := range outcomes {
			os = append(os, fmt.Sprintf("%d× %s", n, out))
		}
		sort.Strings(os)
		parts = append(parts, sc+": "+strings.Join(os, ", "))
	}
	sort.Strings(parts)
	r.s.t.Logf("outcomes (seed %d): %s", raceSeed, strings.Join(parts, "; "))
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
