package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/testenv"
)

// faultStack is hostflow as it runs in production, for the infrastructure fault tests: the
// starter and the worker as real processes, the worker with the real modules against the
// sandboxes, on a PostgreSQL cluster and a Temporal dev server of the test's own, which the
// test stops, freezes and kills while the processes keep running.
type faultStack struct {
	*stack
	pg        *testenv.Postgres
	temporal  *testenv.TemporalProcess
	sb        *sandboxes
	base      string // the starter
	workerURL string // the worker's metrics listener, where its /healthz is
	procs     []*process
	clientID  float64
	productID float64
}

// process is one of the stack's commands and, once it has, how it ended.
type process struct {
	name   string
	cmd    *exec.Cmd
	exited chan struct{}
	err    error
}

func newFaultStack(t *testing.T) *faultStack {
	pg := testenv.StartPostgres(t)
	temporal := testenv.StartTemporalProcess(t)
	pool, dsn := testenv.DatabaseAt(t, pg.URL)
	buf := make([]byte, 4)
	_, _ = rand.Read(buf)
	f := &faultStack{pg: pg, temporal: temporal, sb: startSandboxes(t),
		stack: &stack{t: t, pool: pool, dsn: dsn, box: secrets.NewKey(), tc: temporal.Client(t),
			key: "test-admin-key-0123456789abcdef0123", queue: "orders-" + hex.EncodeToString(buf)}}
	starterBin, workerBin := buildCmd(t, "starter"), buildCmd(t, "worker")
	workerAddr := freeAddr(t)
	f.workerURL = "http://" + workerAddr
	f.run("worker", workerBin, append(f.sb.env(), "HOSTFLOW_WORKER_METRICS_ADDR="+workerAddr)...)
	starterAddr := freeAddr(t)
	f.base = "http://" + starterAddr
	f.run("starter", starterBin, append(f.sb.env(), "HOSTFLOW_HTTP_ADDR="+starterAddr, "HOSTFLOW_METRICS_ADDR=off")...)
	require.Eventually(t, func() bool { return f.healthz(f.base) == 200 && f.healthz(f.workerURL) == 200 },
		30*time.Second, 100*time.Millisecond, "starter and worker never became healthy")
	f.catalogue()
	return f
}

// run starts one of hostflow's commands on this stack's database and Temporal server; its
// output is shown if the test fails.
func (f *faultStack) run(name, bin string, env ...string) {
	t := f.t
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+f.dsn, "TEMPORAL_ADDRESS="+f.temporal.Address,
		"HOSTFLOW_ADMIN_API_KEY="+f.key, "HOSTFLOW_SECRET_KEY="+f.box, "HOSTFLOW_TASK_QUEUE="+f.queue)
	cmd.Env = append(cmd.Env, env...)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	p := &process{name: name, cmd: cmd, exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	f.procs = append(f.procs, p)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("%s:\n%s", filepath.Base(bin), logs.String())
		}
	})
}

// stillRunning checks that no process of the stack has exited: each rode through the fault
// by itself, with nobody restarting it.
func (f *faultStack) stillRunning() {
	f.t.Helper()
	for _, p := range f.procs {
		select {
		case <-p.exited:
			f.t.Fatalf("the %s exited (%v) during the fault; it should have ridden through it", p.name, p.err)
		default:
		}
	}
}

// healthz is the status of base's /healthz, or 0 if it did not answer in 5 s.
func (f *faultStack) healthz(base string) int {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "/healthz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// answer is one HTTP answer of the starter, and how long it took.
type answer struct {
	status     int
	retryAfter string
	body       map[string]any
	took       time.Duration
}

// clientTimeout is the patience of the callers the fault tests play: an answer must come
// before it, a 503 rather than a request that hangs.
const clientTimeout = 10 * time.Second

// send calls the starter's REST API as an admin, with an Idempotency-Key if key is given. It
// may run on a goroutine of its own: what went wrong is in the answer (status 0: no answer
// within clientTimeout), for the caller to check.
func (f *faultStack) send(method, path, key string, body any) answer {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, f.base+path, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+f.key)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	c := http.Client{Timeout: clientTimeout}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return answer{body: map[string]any{"error": err.Error()}, took: time.Since(start)}
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), took: time.Since(start)}
	if json.Unmarshal(out, &a.body) != nil {
		a.body = map[string]any{"raw": string(out)}
	}
	return a
}

func (f *faultStack) must(method, path string, body any, want int) map[string]any {
	f.t.Helper()
	a := f.send(method, path, "", body)
	require.Equal(f.t, want, a.status, "%s %s: %v", method, path, a.body)
	return a.body
}

// unavailable checks that a refused call says so the way a caller can act on: 503 with a
// Retry-After.
func (f *faultStack) unavailable(a answer, what string) {
	f.t.Helper()
	require.Equal(f.t, http.StatusServiceUnavailable, a.status, "%s: %v", what, a.body)
	require.NotEmpty(f.t, a.retryAfter, "%s: a 503 says when to retry", what)
}

// catalogue creates a client, a cPanel product set up on payment on the WHM sandbox, and .com
// registered through the Namecheap sandbox, through the starter.
func (f *faultStack) catalogue() {
	c := f.must("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace",
		"email": fmt.Sprintf("ada-%d@example.com", time.Now().UnixNano()), "address1": "1 Analytical Way", "city": "London",
		"postcode": "N1 1AA", "country": "GB", "phone": "020 7946 0000"}, 201)
	p := f.must("POST", "/api/v1/products", map[string]any{"name": "Starter", "type": "hostingaccount", "module": "cpanel",
		"package_name": "starter", "auto_setup": "payment", "server_group": "uk",
		"prices": []map[string]any{{"currency": "USD", "billing_cycle": "monthly", "price": "9.99", "setup_fee": "5.00"}}}, 201)
	f.must("POST", "/api/v1/servers", map[string]any{"name": "whm1", "module": "cpanel", "hostname": f.sb.whmHost, "username": "root",
		"credentials": "whm-token", "max_accounts": 1000, "server_group": "uk", "tls_skip_verify": true}, 201)
	f.must("POST", "/api/v1/tlds", map[string]any{"tld": ".com", "register_price": "12.00", "transfer_price": "10.00",
		"auto_registrar": "namecheap"}, 201)
	f.clientID, f.productID = c["id"].(float64), p["id"].(float64)
}

// faultOrder is an order a fault test placed, by the Idempotency-Key it was sent with.
type faultOrder struct {
	key       string
	domain    string
	orderID   int64
	invoiceID int64
}

// place sends a placement once: its answer, and the order if it was placed.
func (f *faultStack) place(o *faultOrder) answer {
	a := f.send("POST", "/api/v1/orders", o.key, hostingOrder(f.clientID, f.productID, o.domain))
	if a.status == http.StatusCreated {
		o.orderID, o.invoiceID = int64(a.body["order_id"].(float64)), int64(a.body["invoice_id"].(float64))
	}
	return a
}

// pay records the invoice paid by bank transfer once: its answer.
func (f *faultStack) pay(o *faultOrder) answer {
	return f.send("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID), "", map[string]any{"transaction_id": "bank-" + o.key})
}

// untilAnswered repeats call while it answers 503 (a caller honouring Retry-After, faster), and
// returns the first other answer; every 503 on the way must carry its Retry-After.
func (f *faultStack) untilAnswered(what string, within time.Duration, call func() answer) answer {
	f.t.Helper()
	deadline := time.Now().Add(within)
	for {
		a := call()
		if a.status != http.StatusServiceUnavailable {
			return a
		}
		f.unavailable(a, what)
		if time.Now().After(deadline) {
			f.t.Fatalf("%s still answered 503 after %s: %v", what, within, a.body)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// newOrders are n orders yet to place, named by prefix.
func newOrders(prefix string, n int) []*faultOrder {
	out := make([]*faultOrder, n)
	for i := range out {
		out[i] = &faultOrder{key: fmt.Sprintf("%s-%d", prefix, i), domain: fmt.Sprintf("%s-%d.com", prefix, i)}
	}
	return out
}

// checkPaidOrders checks every order in PostgreSQL and in Temporal once the stack has settled:
// placed once (one order for each Idempotency-Key, and no other), paid once (one transaction,
// the invoice Paid), provisioned once (one WHM account each), and the workflow agreeing:
// Pending, paid, waiting for the admin's review, no activity left retrying a write. others is
// how many more orders the test placed and did not pay.
func (f *faultStack) checkPaidOrders(orders []*faultOrder, others int) {
	t := f.t
	t.Helper()
	for _, o := range orders {
		require.NotZero(t, o.orderID, "order %s was never placed", o.key)
		f.waitSettled(o)
	}
	require.Equal(t, len(orders)+others, f.count("SELECT count(*) FROM orders"), "each order placed once")
	accounts := map[string]int{}
	for _, a := range f.sb.whm.Accounts() {
		accounts[a.Domain]++
	}
	require.Len(t, accounts, len(orders), "one WHM account per order, no other")
	for _, o := range orders {
		require.Equal(t, 1, f.count("SELECT count(*) FROM order_requests WHERE idempotency_key = $1", o.key))
		require.Equal(t, 1, f.count("SELECT count(*) FROM transactions WHERE invoice_id = $1", o.invoiceID), "order %s paid once", o.key)
		require.Equal(t, 1, f.count("SELECT count(*) FROM invoices WHERE id = $1 AND status = 'Paid'", o.invoiceID))
		require.Equal(t, 1, f.count("SELECT count(*) FROM orders WHERE id = $1 AND status = 'Pending' AND waiting_for = 'admin-review'", o.orderID))
		require.Equal(t, 1, f.count("SELECT count(*) FROM order_services WHERE order_id = $1 AND status = 'Active'", o.orderID))
		require.Equal(t, 1, accounts[o.domain], "order %s provisioned once", o.key)
		st := f.workflowState(o.orderID)
		require.Equal(t, order.Pending, st.Status, "order %s in Temporal", o.key)
		require.Equal(t, order.InvoicePaid, st.PaymentStatus, "order %s in Temporal", o.key)
	}
	require.Zero(t, f.count("SELECT count(*) FROM outbox"), "every signal delivered")
	f.noWorkflowStuck()
}

// waitSettled waits until the order is paid, provisioned and waiting for the admin.
func (f *faultStack) waitSettled(o *faultOrder) {
	f.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for f.count("SELECT count(*) FROM orders WHERE id = $1 AND waiting_for = 'admin-review'", o.orderID) == 0 {
		if time.Now().After(deadline) {
			f.t.Fatalf("order %s (%d) never settled after the fault", o.key, o.orderID)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// noWorkflowStuck checks every open order workflow of this stack: one running per order, and
// none left with an activity pending. An activity the outage failed (an email whose lookup
// met no database) is retried on its own backoff, so each workflow is given a minute to clear.
func (f *faultStack) noWorkflowStuck() {
	t := f.t
	t.Helper()
	ctx := context.Background()
	resp, err := f.tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("TaskQueue = '%s' AND ExecutionStatus = 'Running'", f.queue)})
	require.NoError(t, err)
	require.Len(t, resp.Executions, f.count("SELECT count(*) FROM orders"), "one running workflow per order")
	deadline := time.Now().Add(time.Minute)
	for _, e := range resp.Executions {
		for {
			d, err := f.tc.DescribeWorkflow(ctx, e.Execution.WorkflowId, "")
			require.NoError(t, err)
			require.Equal(t, enums.WORKFLOW_EXECUTION_STATUS_RUNNING, d.RawResponse.WorkflowExecutionInfo.Status)
			pending := d.RawResponse.PendingActivities
			if len(pending) == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("workflow %s still has activities pending a minute after the fault: %v", e.Execution.WorkflowId, pending)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
}

// loader places and pays orders one after another through a fault, as a caller with
// Idempotency-Keys does: a 503 is retried with the same key; every other answer is recorded.
type loader struct {
	f      *faultStack
	orders []*faultOrder
	mu     sync.Mutex
	saw503 int
	errs   []string
	done   chan struct{}
}

func (f *faultStack) startLoader(orders []*faultOrder, pause time.Duration, within time.Duration) *loader {
	l := &loader{f: f, orders: orders, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for _, o := range orders {
			if !l.placeAndPay(o, within) {
				return
			}
			time.Sleep(pause)
		}
	}()
	return l
}

// placeAndPay runs on the loader's goroutine: failures are recorded, for the test to report.
func (l *loader) placeAndPay(o *faultOrder, within time.Duration) bool {
	for _, step := range []struct {
		what string
		call func(*faultOrder) answer
		want int
	}{{"place " + o.key, l.f.place, http.StatusCreated}, {"pay " + o.key, l.f.pay, http.StatusCreated}} {
		deadline := time.Now().Add(within)
		for {
			a := step.call(o)
			if a.status == step.want {
				break
			}
			l.mu.Lock()
			switch {
			case a.status == http.StatusServiceUnavailable && a.retryAfter != "" && time.Now().Before(deadline):
				l.saw503++
				l.mu.Unlock()
				time.Sleep(250 * time.Millisecond)
				continue
			default:
				l.errs = append(l.errs, fmt.Sprintf("%s: %d %v (Retry-After %q)", step.what, a.status, a.body, a.retryAfter))
				l.mu.Unlock()
				return false
			}
		}
	}
	return true
}

// wait waits for the loader to finish and checks that it met nothing but 503s on the way.
func (l *loader) wait(within time.Duration) int {
	l.f.t.Helper()
	select {
	case <-l.done:
	case <-time.After(within):
		l.f.t.Fatalf("the loader did not finish within %s", within)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	require.Empty(l.f.t, l.errs)
	return l.saw503
}
