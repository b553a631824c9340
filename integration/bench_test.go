package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/testenv"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// BenchmarkPlaceOrder measures POST /api/v1/orders end to end: validation and pricing in
// PostgreSQL, update-with-start on the Temporal dev server, the workflow writing the order, its
// items and invoice, and the 201. Run with `make bench`.
func BenchmarkPlaceOrder(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("bench%d.com", i)), 201)
	}
}

// BenchmarkOrderToAccepted measures a whole order life as an admin drives it: place, pay,
// accept (module create and registrar through the test doubles), each call waiting for its
// answer.
func BenchmarkOrderToAccepted(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("life%d.com", i)), 201)
		inv := fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64)))
		s.mustCall("POST", inv, map[string]any{"transaction_id": fmt.Sprintf("tx-%d", i)}, 201)
		s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/accept", int64(placed["order_id"].(float64))), nil, 200)
	}
}

// BenchmarkGatewayWebhook measures a signed payment callback, POST /webhooks/gateway/{name}:
// HMAC check, the payment, its gateway event and its outbox signal in one transaction, and the
// 200. The signal to the workflow follows from the outbox and is not timed. The orders are
// placed before the timer starts.
func BenchmarkGatewayWebhook(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	const secret = "bench-secret-0123456789"
	s.svc.GatewaySecrets["acme"] = secret
	clientID, productID := s.catalogue("accept")
	invoices := make([]int64, b.N)
	for i := range invoices {
		p := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("hook%d.com", i)), 201)
		invoices[i] = int64(p["invoice_id"].(float64))
	}
	b.ResetTimer()
	for i, inv := range invoices {
		body := genericBody(inv, fmt.Sprintf("B-%d", i), "26.99", "paid")
		if status, out := s.post(s.api.URL, "/webhooks/gateway/acme", body, genericHeader(secret, body, time.Now())); status != 200 {
			b.Fatalf("callback: %d %v", status, out)
		}
	}
}

// BenchmarkWHMCSAddOrder measures AddOrder through the WHMCS-compatible API: credential check,
// form parsing, and the same placement as POST /api/v1/orders.
func BenchmarkWHMCSAddOrder(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	form := url.Values{"action": {"AddOrder"}, "identifier": {cred["identifier"].(string)}, "secret": {cred["secret"].(string)},
		"clientid": {fmt.Sprint(int64(clientID))}, "paymentmethod": {"banktransfer"}, "pid[0]": {fmt.Sprint(int64(productID))},
		"billingcycle[0]": {"monthly"}, "domaintype[0]": {"register"}, "regperiod[0]": {"1"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		form.Set("domain[0]", fmt.Sprintf("whmcs%d.com", i))
		resp, err := http.PostForm(s.api.URL+"/includes/api.php", form)
		if err != nil {
			b.Fatal(err)
		}
		var out map[string]any
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || out["result"] != "success" {
			b.Fatalf("AddOrder: %v %v", err, out)
		}
	}
}

// benchGatewaySecret signs the benchmarks' payment callbacks (the acme gateway).
const benchGatewaySecret = "bench-gateway-secret-0123456789"

// benchWorker starts a worker process with the real modules against the sandboxes, and its
// /metrics on an address of its own, which it returns.
func benchWorker(s *stack, bin string, sb *sandboxes, env ...string) (*exec.Cmd, string) {
	metrics := benchAddr(s.t)
	return s.runWorker(bin, append(append(sb.env(), "HOSTFLOW_WORKER_METRICS_ADDR="+metrics), env...)...), metrics
}

// benchStarter starts a starter process (the API and an outbox relay) that takes the acme
// gateway's callbacks, on an HTTP address and a /metrics address of its own: it returns its
// base URL and its /metrics address.
func benchStarter(s *stack, bin string, env ...string) (cmd *exec.Cmd, base, metrics string) {
	metrics = benchAddr(s.t)
	cmd, base = s.runStarter(bin, append([]string{"HOSTFLOW_GATEWAY_ACME_SECRET=" + benchGatewaySecret, "HOSTFLOW_METRICS_ADDR=" + metrics}, env...)...)
	return cmd, base, metrics
}

// benchShop is the end-to-end order mix on a stack: its catalogue (set up through the stack's
// in-process API), the starters the orders go to, and the orders placed so far.
type benchShop struct {
	s                      *stack
	client, hosting, plain map[string]any
	api                    *http.Client
	// bases are the starters' URLs: order i sends its requests to bases[i%len(bases)].
	bases []string
	// failover makes the orders survive a starter that stops: each order sends Idempotency-Key
	// headers (placement and accept), and a request that got no answer, or a 5xx, goes to the
	// next starter with the same key, for up to failoverFor; the payment is waited for up to
	// provisionWait (a payment signal a dead starter's relay had claimed waits out its lease).
	// Off, an order makes each request once, to its own starter, as BenchmarkEndToEnd does.
	failover bool
	retried  atomic.Int64 // requests sent again to another starter

	mu     sync.Mutex
	placed map[benchKind][]int64
}

// benchKind is an order the benchmark places: the benchmark's order (a hosting account with
// its domain, and a plain product) or one that calls nothing outside (the plain product alone,
// no email).
type benchKind int

const (
	benchFull benchKind = iota
	benchPlain
)

const (
	benchOrderTotal     = "29.99" // 9.99 + 5.00 setup + 12.00 .com + 3.00
	benchPlainTotal     = "3.00"
	failoverFor         = 2 * time.Minute
	provisionWait       = time.Minute
	provisionWaitFailed = 3 * time.Minute
)

// newBenchShop sets up the catalogue: a cPanel product set up on payment, on the WHM sandbox;
// .com registered through Namecheap; a plain product with no module.
func newBenchShop(s *stack, sb *sandboxes, bases ...string) *benchShop {
	h := &benchShop{s: s, bases: bases, placed: map[benchKind][]int64{}, api: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 100}}}
	h.client = s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@bench.example",
		"address1": "1 Analytical Way", "city": "London", "postcode": "N1 1AA", "country": "GB", "phone": "020 7946 0000"}, 201)
	h.hosting = s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Starter", "type": "hostingaccount", "module": "cpanel",
		"package_name": "starter", "auto_setup": "payment", "server_group": "uk",
		"prices": []map[string]any{{"currency": "USD", "billing_cycle": "monthly", "price": "9.99", "setup_fee": "5.00"}}}, 201)
	h.plain = s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Support", "type": "other", "auto_setup": "payment",
		"prices": []map[string]any{{"currency": "USD", "billing_cycle": "monthly", "price": "3.00"}}}, 201)
	s.mustCall("POST", "/api/v1/servers", map[string]any{"name": "whm1", "module": "cpanel", "hostname": sb.whmHost, "username": "root",
		"credentials": "whm-token", "max_accounts": 0, "server_group": "uk", "tls_skip_verify": true}, 201)
	s.mustCall("POST", "/api/v1/tlds", map[string]any{"tld": ".com", "register_price": "12.00", "transfer_price": "10.00",
		"auto_registrar": "namecheap"}, 201)
	return h
}

// call sends one request to the starter at base and decodes its JSON answer.
func (h *benchShop) call(base, method, path string, body any, header http.Header) (int, map[string]any, error) {
	var rd io.Reader
	if raw, ok := body.([]byte); ok {
		rd = bytes.NewReader(raw)
	} else if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Authorization", "Bearer "+h.s.key)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := h.api.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	err = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, err
}

// send makes one of order i's requests, to its starter. With failover, a request that got no
// answer or a 5xx goes to the next starter, and the next, with the same headers (header is
// called again for each attempt, so that a signature stays fresh), until it is answered or
// failoverFor has passed.
func (h *benchShop) send(i int, method, path string, body any, header func() http.Header) (int, map[string]any, error) {
	deadline := time.Now().Add(failoverFor)
	for attempt := 0; ; attempt++ {
		var hd http.Header
		if header != nil {
			hd = header()
		}
		status, out, err := h.call(h.bases[(i+attempt)%len(h.bases)], method, path, body, hd)
		if !h.failover || err == nil && status < 500 || time.Now().After(deadline) {
			return status, out, err
		}
		h.retried.Add(1)
		if (attempt+1)%len(h.bases) == 0 {
			time.Sleep(200 * time.Millisecond) // every starter has failed this request once
		}
	}
}

// order is the driver of one level's orders: each is placed through the REST API, paid through
// the signed gateway callback, waited for until provisioned, and accepted. Level keeps the
// levels' domains apart.
func (h *benchShop) order(level int) driver { return h.orderOf(benchFull, level) }

// orderOf is the driver of one level's orders of a kind.
func (h *benchShop) orderOf(kind benchKind, level int) driver {
	poll := benchPoll
	wait := provisionWait
	if h.failover {
		wait = provisionWaitFailed
	}
	return func(i int) (place, provisioned, accept time.Duration, err error) {
		domain := fmt.Sprintf("%s%d.com", benchLetters(i+level*100000), i)
		body := map[string]any{"client_id": h.client["id"], "payment_method": "acme",
			"items": []map[string]any{{"product_id": h.hosting["id"], "domain": domain, "billing_cycle": "monthly"},
				{"product_id": h.plain["id"], "billing_cycle": "monthly"}},
			"domains": []map[string]any{{"domain": domain, "type": "register", "period": 1}}}
		total := benchOrderTotal
		if kind == benchPlain {
			body = map[string]any{"client_id": h.client["id"], "payment_method": "acme", "no_email": true,
				"items": []map[string]any{{"product_id": h.plain["id"], "billing_cycle": "monthly"}}}
			total = benchPlainTotal
		}
		var placeKey, acceptKey func() http.Header
		if h.failover {
			placeKey = func() http.Header { return http.Header{"Idempotency-Key": {fmt.Sprintf("bench-%d-%d", level, i)}} }
			acceptKey = func() http.Header {
				return http.Header{"Idempotency-Key": {fmt.Sprintf("bench-accept-%d-%d", level, i)}}
			}
		}
		t0 := time.Now()
		status, out, err := h.send(i, "POST", "/api/v1/orders", body, placeKey)
		if err != nil || status != 201 {
			return 0, 0, 0, fmt.Errorf("place: %d %v %v", status, out, err)
		}
		place = time.Since(t0)
		id, inv := int64(out["order_id"].(float64)), int64(out["invoice_id"].(float64))
		h.mu.Lock()
		h.placed[kind] = append(h.placed[kind], id)
		h.mu.Unlock()
		t1 := time.Now()
		cb := genericBody(inv, fmt.Sprintf("bench-%d", id), total, "paid")
		signed := func() http.Header { return genericHeader(benchGatewaySecret, cb, time.Now()) }
		if status, out, err = h.send(i, "POST", "/webhooks/gateway/acme", cb, signed); err != nil || status != 200 {
			return 0, 0, 0, fmt.Errorf("payment callback: %d %v %v", status, out, err)
		}
		for deadline := time.Now().Add(wait); ; time.Sleep(poll) {
			if _, out, err = h.send(i, "GET", fmt.Sprintf("/api/v1/orders/%d", id), nil, nil); err == nil && provisionedJSON(out, kind) {
				break
			}
			if time.Now().After(deadline) {
				return 0, 0, 0, fmt.Errorf("order %d not provisioned: %v %v", id, out, err)
			}
		}
		provisioned = time.Since(t1)
		t2 := time.Now()
		if status, out, err = h.send(i, "POST", fmt.Sprintf("/api/v1/orders/%d/accept", id), nil, acceptKey); err != nil || status != 200 {
			return 0, 0, 0, fmt.Errorf("accept: %d %v %v", status, out, err)
		}
		return place, provisioned, time.Since(t2), nil
	}
}

// placedIDs are the benchmark's orders placed so far.
func (h *benchShop) placedIDs() []int64 { return h.placedOf(benchFull) }

// placedOf are the orders of a kind placed so far.
func (h *benchShop) placedOf(kind benchKind) []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.placed[kind])
}

// provisionedJSON reports whether an order, as GET /api/v1/orders/{id} shows it, is set up
// as far as payment takes it: its domains and its module's service Active (the plain product
// waits for Accept), and the order waiting for the admin's review.
func provisionedJSON(o map[string]any, kind benchKind) bool {
	if o["waiting_for"] != "admin-review" {
		return false
	}
	active := 0
	for _, k := range []string{"services", "domains"} {
		items, _ := o[k].([]any)
		for _, it := range items {
			if m, _ := it.(map[string]any); m["status"] == "Active" {
				active++
			}
		}
	}
	return active >= 2 || kind == benchPlain
}

// checkOrders checks each order's final state in PostgreSQL (Active, paid, every item Active,
// waiting for nothing) and in Temporal (the workflow running and its state query agreeing),
// and reports how many are not so.
func checkOrders(s *stack, inst string, ids []int64, kind benchKind) (bad int, events float64) {
	items := map[benchKind]int{benchFull: 3, benchPlain: 1}[kind]
	ctx := context.Background()
	report := func(id int64, format string, args ...any) {
		bad++
		if bad <= 20 {
			fmt.Fprintf(os.Stderr, "LOST OR STUCK: order %d: %s\n", id, fmt.Sprintf(format, args...))
		}
	}
	for _, id := range ids {
		var status, waiting, invoice string
		var n, active int
		err := s.pool.QueryRow(ctx, `SELECT o.status, o.waiting_for, coalesce(i.status, ''),
			(SELECT count(*) FROM order_services WHERE order_id = o.id) + (SELECT count(*) FROM order_domains WHERE order_id = o.id),
			(SELECT count(*) FROM order_services WHERE order_id = o.id AND status = 'Active')
			  + (SELECT count(*) FROM order_domains WHERE order_id = o.id AND status = 'Active')
			FROM orders o LEFT JOIN invoices i ON i.order_id = o.id WHERE o.id = $1`, id).Scan(&status, &waiting, &invoice, &n, &active)
		if err != nil {
			report(id, "not in PostgreSQL: %v", err)
			continue
		}
		if status != "Active" || waiting != "" || invoice != "Paid" || n != items || active != n {
			report(id, "PostgreSQL: status %s, waiting for %q, invoice %s, %d of %d items Active", status, waiting, invoice, active, n)
			continue
		}
		wfID := ordermsg.WorkflowID(inst, id)
		desc, err := s.tc.DescribeWorkflow(ctx, wfID, "")
		if err != nil {
			report(id, "Temporal describe: %v", err)
			continue
		}
		info := desc.RawResponse.GetWorkflowExecutionInfo()
		if st := info.GetStatus(); st != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING &&
			st != enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW {
			report(id, "Temporal: workflow %s", st)
			continue
		}
		events += float64(info.GetHistoryLength()) / float64(len(ids))
		v, err := s.tc.QueryWorkflow(ctx, wfID, "", ordermsg.QueryState)
		var st ordermsg.State
		if err == nil {
			err = v.Get(&st)
		}
		if err != nil {
			report(id, "Temporal query: %v", err)
			continue
		}
		if st.Status != order.Active || st.WaitingFor != order.NotWaiting || st.PaymentStatus != order.InvoicePaid {
			report(id, "Temporal state: %s, waiting for %q, invoice %s", st.Status, st.WaitingFor, st.PaymentStatus)
		}
	}
	return bad, events
}

// pgbenchTPS runs pgbench (TPC-B-like, 10 clients, 15 s, scale 10) on a database of its own on
// the same PostgreSQL, or says why it did not.
func pgbenchTPS(b *testing.B) map[string]any {
	bin, err := exec.LookPath("pgbench")
	if err != nil {
		return map[string]any{"summary": "pgbench not installed (apt-get install postgresql-client)"}
	}
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		return map[string]any{"summary": err.Error()}
	}
	name := fmt.Sprintf("hostflow_pgbench_%d", time.Now().UnixNano())
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, testenv.PostgresURL())
	if err != nil {
		return map[string]any{"summary": err.Error()}
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return map[string]any{"summary": err.Error()}
	}
	defer func() { _, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") }()
	u.Path = "/" + name
	dsn := u.String()
	if out, err := exec.Command(bin, "-i", "-q", "-s", "10", dsn).CombinedOutput(); err != nil {
		return map[string]any{"summary": fmt.Sprintf("pgbench -i failed: %v %s", err, out)}
	}
	out, err := exec.Command(bin, "-c", "10", "-j", "2", "-T", "15", dsn).CombinedOutput()
	if err != nil {
		return map[string]any{"summary": fmt.Sprintf("pgbench failed: %v %s", err, out)}
	}
	m := regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`).FindSubmatch(out)
	if m == nil {
		return map[string]any{"summary": "pgbench: no tps in " + string(out)}
	}
	tps, _ := strconv.ParseFloat(string(m[1]), 64)
	return map[string]any{"summary": fmt.Sprintf("%.0f TPS (TPC-B-like, -c 10 -j 2 -T 15, scale 10)", tps), "tps": tps,
		"command": "pgbench -c 10 -j 2 -T 15 (after pgbench -i -s 10)"}
}

// benchLetters gives order i's domain eight letters of its own, so that the usernames made
// from them seldom collide.
func benchLetters(i int) string {
	var out [8]byte
	x := uint64(i)*0x9E3779B97F4A7C15 + 1
	for k := range out {
		out[k] = byte('a' + x%26)
		x /= 26
	}
	return string(out[:])
}

// buildBenchCommands compiles hostflow's commands for the benchmark, in one go build.
func buildBenchCommands(b *testing.B, names ...string) map[string]string {
	dir := b.TempDir()
	args := []string{"build", "-o", dir + "/"}
	for _, n := range names {
		args = append(args, "github.com/hostflow/hostflow/"+n)
	}
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	bins := map[string]string{}
	for _, n := range names {
		bins[path.Base(n)] = dir + "/" + path.Base(n)
	}
	return bins
}

// timeSpent is one histogram's total over a run.
type timeSpent struct {
	Process string  `json:"process"`
	Metric  string  `json:"metric"` // name{labels} without le
	Seconds float64 `json:"seconds"`
	Count   float64 `json:"count"`
}

// scrapeHistograms reads a Prometheus endpoint's histograms of durations (their _sum and
// _count series).
func scrapeHistograms(process, url string) []timeSpent {
	resp, err := http.Get(url)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	by := map[string]*timeSpent{}
	for _, line := range strings.Split(string(raw), "\n") {
		series, value, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		name, labels, _ := strings.Cut(series, "{")
		var sum bool
		if base, ok := strings.CutSuffix(name, "_sum"); ok {
			name, sum = base, true
		} else if base, ok := strings.CutSuffix(name, "_count"); ok {
			name = base
		} else {
			continue
		}
		// Long polls are idle workers waiting for work, and an attempt's latency repeats its
		// request's.
		if !strings.Contains(name, "latency") && !strings.Contains(name, "seconds") || strings.HasSuffix(name, "_attempt_seconds") ||
			strings.Contains(labels, `operation="Poll`) {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			continue
		}
		// The labels that tell series apart here; the rest name this run's namespace and queue.
		var keep []string
		for _, l := range strings.Split(strings.TrimSuffix(labels, "}"), ",") {
			k, v, _ := strings.Cut(l, "=")
			if slices.Contains([]string{"operation", "activity_type", "route", "method", "status"}, k) && v != `"none"` {
				keep = append(keep, l)
			}
		}
		key := name
		if len(keep) > 0 {
			key += "{" + strings.Join(keep, ",") + "}"
		}
		t := by[key]
		if t == nil {
			t = &timeSpent{Process: process, Metric: key}
			by[key] = t
		}
		if sum {
			t.Seconds += v
		} else {
			t.Count += v
		}
	}
	var out []timeSpent
	for _, t := range by {
		if t.Count > 0 {
			out = append(out, *t)
		}
	}
	return out
}

// benchAddr is a loopback address no one listens on yet, for a process's /metrics.
func benchAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
