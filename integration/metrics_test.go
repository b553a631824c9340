package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// TestMetricsOnBothProcesses runs the real starter and worker binaries, the worker with the
// real modules against the sandboxes, walks orders through them over HTTP (place, pay through
// a signed gateway callback, provisioned through WHM and Namecheap, accept; place, cancel, mark
// fraud) and scrapes /metrics on both: the counters, histograms and gauges show what happened,
// the Temporal SDK's own metrics are there, and no label carries a raw path.
func TestMetricsOnBothProcesses(t *testing.T) {
	sb := startSandboxes(t)
	s := newStack(t)
	s.stopRelay()      // the starter process is the only relay
	s.useSandboxes(sb) // for the in-process API that sets up the catalogue
	clientID, productID := s.cpanelCatalogue(sb)
	starterBin, workerBin := buildCmd(t, "starter"), buildCmd(t, "worker")
	workerAddr := freeAddr(t)
	s.runWorker(workerBin, append(sb.env(), "HOSTFLOW_WORKER_METRICS_ADDR="+workerAddr)...)
	const secret = "metrics-secret-0123456789"
	_, base := s.runStarter(starterBin, "HOSTFLOW_GATEWAY_ACME_SECRET="+secret, "HOSTFLOW_METRICS_ADDR=api")
	workerBase := "http://" + workerAddr
	require.Eventually(t, func() bool {
		resp, err := http.Get(workerBase + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}, 20*time.Second, 50*time.Millisecond, "worker /healthz never answered 200")

	// Before anything happened: the counters are there, at zero.
	w := scrape(t, workerBase)
	require.Equal(t, 0.0, w.value(t, "hostflow_orders_placed_total", nil))
	require.Equal(t, 0.0, w.value(t, "hostflow_orders_accepted_total", nil))

	// Order 1: placed, paid through the gateway, set up on WHM and registered at Namecheap,
	// accepted.
	api := apiClient{t: t, base: base, key: s.key}
	placed := api.do("POST", "/api/v1/orders", hostingOrder(clientID, productID, "metrics-one.com"), 201)
	id, invoiceID := int64(placed["order_id"].(float64)), int64(placed["invoice_id"].(float64))
	body := genericBody(invoiceID, "M-1", "26.99", "paid")
	status, out := s.post(base, "/webhooks/gateway/acme", body, genericHeader(secret, body, time.Now()))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Paid", out["invoice_status"])
	api.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })

	st := scrape(t, base)
	require.Equal(t, 1.0, st.value(t, "hostflow_orders_waiting", map[string]string{"waiting_for": "admin-review"}))
	require.Equal(t, 0.0, st.value(t, "hostflow_orders_waiting", map[string]string{"waiting_for": "payment"}))
	// The relay deletes a signal's row once Temporal took it, which may be just after the
	// workflow acted on it.
	require.Eventually(t, func() bool { return scrape(t, base).value(t, "hostflow_outbox_depth", nil) == 0 },
		10*time.Second, 50*time.Millisecond, "the payment's signal left the outbox")
	require.Equal(t, 1.0, st.value(t, "hostflow_backlog_scrape_success", nil))

	require.Equal(t, "Active", api.do("POST", fmt.Sprintf("/api/v1/orders/%d/accept", id), map[string]any{}, 200)["status"])

	// Order 2: placed, cancelled, then marked fraud.
	second := int64(api.do("POST", "/api/v1/orders", hostingOrder(clientID, productID, "metrics-two.com"), 201)["order_id"].(float64))
	api.do("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", second), map[string]any{}, 200)
	api.do("POST", fmt.Sprintf("/api/v1/orders/%d/fraud", second), map[string]any{}, 200)
	api.raw("GET", "/no/such/path/12345", nil) // a scanner's probe

	w = scrape(t, workerBase)
	require.Equal(t, 2.0, w.value(t, "hostflow_orders_placed_total", nil))
	require.Equal(t, 1.0, w.value(t, "hostflow_orders_accepted_total", nil))
	require.Equal(t, 1.0, w.value(t, "hostflow_orders_cancelled_total", nil))
	require.Equal(t, 1.0, w.value(t, "hostflow_orders_fraud_total", nil))
	require.Equal(t, 1.0, w.value(t, "hostflow_module_call_duration_seconds_count",
		map[string]string{"kind": "panel", "module": "cpanel", "operation": "create"}), "the payment created the account once")
	require.Equal(t, 1.0, w.value(t, "hostflow_module_call_duration_seconds_count",
		map[string]string{"kind": "registrar", "module": "namecheap", "operation": "register"}), "and registered the domain once")
	require.Equal(t, 0.0, w.value(t, "hostflow_module_call_failures_total",
		map[string]string{"kind": "panel", "module": "cpanel", "operation": "create"}))
	// Emails go out while the workflows go on: wait until the count meets what the SMTP
	// sandbox received.
	var sent, received float64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		received = float64(len(sb.mail.Messages()))
		sent = scrape(t, workerBase).value(t, "hostflow_email_sends_total", map[string]string{"outcome": "sent"})
		if sent > 0 && sent == received {
			break
		}
	}
	require.Positive(t, sent)
	require.Equal(t, received, sent, "emails sent as the worker counts them, and as the SMTP sandbox received them")
	require.Positive(t, w.value(t, "temporal_workflow_task_execution_latency_seconds_count", nil))
	require.Positive(t, w.value(t, "temporal_activity_execution_latency_seconds_count", nil))

	st = scrape(t, base)
	require.Equal(t, 2.0, st.value(t, "hostflow_http_request_duration_seconds_count",
		map[string]string{"method": "POST", "route": "/api/v1/orders", "status": "201"}))
	require.Equal(t, 3.0, st.value(t, "hostflow_http_request_duration_seconds_count",
		map[string]string{"method": "POST", "route": "/api/v1/orders/{id}/{action}", "status": "200"}), "accept, cancel and fraud")
	require.Positive(t, st.value(t, "hostflow_http_request_duration_seconds_count",
		map[string]string{"method": "GET", "route": "/api/v1/orders/{id}", "status": "200"}))
	require.Equal(t, 1.0, st.value(t, "hostflow_http_request_duration_seconds_count",
		map[string]string{"method": "GET", "route": "unmatched", "status": "404"}))
	require.Equal(t, 1.0, st.value(t, "hostflow_webhook_events_total", map[string]string{"gateway": "acme", "outcome": "applied"}))
	require.Equal(t, 0.0, st.value(t, "hostflow_orders_waiting", map[string]string{"waiting_for": "admin-review"}))
	// The SDK's counters reach the registry at tally's report interval (a second).
	require.Eventually(t, func() bool {
		return scrape(t, base).value(t, "temporal_long_request_total", map[string]string{"operation": "UpdateWorkflowExecution"}) > 0
	}, 10*time.Second, 200*time.Millisecond, "the starter's Temporal client reports its requests")
	for _, label := range st.labelValues() {
		require.NotContains(t, label, "/no/such/path", "a raw path became a label")
	}
}

// apiClient calls a starter process's API with the admin key.
type apiClient struct {
	t         *testing.T
	base, key string
}

func (a apiClient) raw(method, path string, body any) (int, []byte) {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(a.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	require.NoError(a.t, err)
	req.Header.Set("Authorization", "Bearer "+a.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err)
	return resp.StatusCode, raw
}

func (a apiClient) do(method, path string, body any, want int) map[string]any {
	a.t.Helper()
	status, raw := a.raw(method, path, body)
	require.Equal(a.t, want, status, "%s %s: %s", method, path, raw)
	var out map[string]any
	require.NoError(a.t, json.Unmarshal(raw, &out), "body %s", raw)
	return out
}

func (a apiClient) eventually(orderID int64, check func(o map[string]any) bool) {
	a.t.Helper()
	var last map[string]any
	require.Eventually(a.t, func() bool {
		last = a.do("GET", fmt.Sprintf("/api/v1/orders/%d", orderID), nil, 200)
		return check(last)
	}, 20*time.Second, 50*time.Millisecond, "order %d never reached the expected state; last: %v", orderID, last)
}

// freeAddr is a loopback address no one listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// scraped is one /metrics page, parsed.
type scraped map[string]*dto.MetricFamily

func scrape(t *testing.T, base string) scraped {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)
	return families
}

// value sums the samples of name whose labels include want: a counter's or gauge's value, or
// for name_count and name_sum a histogram's count or sum. A sample must match: a zero is
// read, never assumed.
func (s scraped) value(t *testing.T, name string, want map[string]string) float64 {
	t.Helper()
	family, field := name, ""
	if _, ok := s[name]; !ok {
		for _, suffix := range []string{"_count", "_sum"} {
			if base, found := strings.CutSuffix(name, suffix); found {
				family, field = base, suffix
			}
		}
	}
	f, ok := s[family]
	require.True(t, ok, "no metric %s; have %v", family, s.names())
	var sum float64
	var matched bool
	for _, m := range f.GetMetric() {
		if !hasLabels(m, want) {
			continue
		}
		matched = true
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil && field == "_count":
			sum += float64(m.Histogram.GetSampleCount())
		case m.Histogram != nil && field == "_sum":
			sum += m.Histogram.GetSampleSum()
		default:
			t.Fatalf("%s: no value for %s", name, f.GetType())
		}
	}
	require.True(t, matched, "no sample of %s with %v", name, want)
	return sum
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	have := map[string]string{}
	for _, l := range m.GetLabel() {
		have[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

func (s scraped) names() []string {
	var out []string
	for n := range s {
		out = append(out, n)
	}
	return out
}

func (s scraped) labelValues() []string {
	var out []string
	for _, f := range s {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				out = append(out, l.GetValue())
			}
		}
	}
	return out
}

// TestMetricsTraceFollowsAnOrderAcrossProcesses runs the real starter and worker with tracing
// on, exporting to a fake OTLP collector: the span of the HTTP request that places an order
// and the span of the activity that writes it in the worker are in one trace. The starter
// serves /metrics on a listener of its own here (HOSTFLOW_METRICS_ADDR).
func TestMetricsTraceFollowsAnOrderAcrossProcesses(t *testing.T) {
	s := newStack(t)
	s.stopRelay()
	clientID, productID := s.catalogue("accept")
	col := &otlpCollector{}
	srv := httptest.NewServer(col)
	t.Cleanup(srv.Close)
	otel := []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + srv.URL, "OTEL_BSP_SCHEDULE_DELAY=100"}
	starterBin, workerBin := buildCmd(t, "starter"), buildCmd(t, "worker")
	s.runWorker(workerBin, append(otel, "HOSTFLOW_WORKER_METRICS_ADDR="+freeAddr(t))...)
	metricsAddr := freeAddr(t)
	_, base := s.runStarter(starterBin, append(otel, "HOSTFLOW_METRICS_ADDR="+metricsAddr)...)
	// With a listener of its own, /metrics is there and no longer on the API's.
	require.Positive(t, scrape(t, "http://"+metricsAddr).value(t, "hostflow_backlog_scrape_success", nil))
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)

	api := apiClient{t: t, base: base, key: s.key}
	api.do("POST", "/api/v1/orders", hostingOrder(clientID, productID, "traced.com"), 201)

	var place, create *collectedSpan
	require.Eventually(t, func() bool {
		place = col.find("hostflow-starter", "POST /api/v1/orders")
		create = col.find("hostflow-worker", "RunActivity:CreateOrder")
		return place != nil && create != nil
	}, 20*time.Second, 100*time.Millisecond, "spans received: %v", col.names())
	require.Equal(t, place.traceID, create.traceID, "the worker's activity continues the API request's trace")
}

// otlpCollector receives OTLP/HTTP trace exports, as a collector would, and keeps the spans.
type otlpCollector struct {
	mu    sync.Mutex
	spans []collectedSpan
}

type collectedSpan struct {
	service, name string
	traceID       []byte
}

func (c *otlpCollector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var req coltracepb.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(body, &req)
	}
	if r.URL.Path != "/v1/traces" || err != nil {
		http.Error(w, "not an OTLP trace export", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	for _, rs := range req.GetResourceSpans() {
		var service string
		for _, a := range rs.GetResource().GetAttributes() {
			if a.GetKey() == "service.name" {
				service = a.GetValue().GetStringValue()
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				c.spans = append(c.spans, collectedSpan{service: service, name: sp.GetName(), traceID: sp.GetTraceId()})
			}
		}
	}
	c.mu.Unlock()
	out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

func (c *otlpCollector) find(service, name string) *collectedSpan {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, sp := range c.spans {
		if sp.service == service && sp.name == name {
			return &sp
		}
	}
	return nil
}

func (c *otlpCollector) names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, sp := range c.spans {
		out = append(out, sp.service+" "+sp.name)
	}
	return out
}
