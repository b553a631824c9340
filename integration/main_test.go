// Package integration drives hostflow end to end: HTTP API → Temporal dev server → worker →
// PostgreSQL, all real. By default the outside world is doubled: a fake control panel and
// registrar (below), a fraud check that passes every order, and email discarded. The tests in
// modules_test.go use the real modules instead, against the sandboxes that answer as WHM,
// Namecheap, minFraud and an SMTP server do.
package integration

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/api"
	"github.com/hostflow/hostflow/config"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/logging"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/testenv"
	"github.com/hostflow/hostflow/workflows"
	"github.com/hostflow/hostflow/workflows/clientmail"
	"github.com/hostflow/hostflow/workflows/emailresend"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

var temporalServer *testsuite.DevServer

func TestMain(m *testing.M) {
	s, err := testenv.StartTemporal(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "start Temporal dev server:", err)
		os.Exit(1)
	}
	temporalServer = s
	code := m.Run()
	_ = s.Stop()
	os.Exit(code)
}

// stack is one test's hostflow: its own database, task queue, worker and API server.
type stack struct {
	t         testing.TB
	pool      *pgxpool.Pool
	dsn       string
	box       string // the secret key, base64
	stopRelay func() // stops this stack's outbox relay
	tc        client.Client
	svc       *service.Service
	acts      *activities.Activities
	api       *httptest.Server
	key       string
	queue     string
	panel     *fakePanel
	reg       *fakeRegistrar
	worker    worker.Worker
}

func newStack(t testing.TB) *stack {
	// Every test database is an installation of its own, so its workflow ids never meet another
	// test's on the shared Temporal server, though all number orders from 1.
	pool, dsn := testenv.Database(t)
	boxKey := secrets.NewKey()
	box, err := secrets.FromBase64(boxKey)
	require.NoError(t, err)
	buf := make([]byte, 4)
	_, _ = rand.Read(buf)
	s := &stack{t: t, pool: pool, dsn: dsn, box: boxKey, tc: temporalServer.Client(), key: "test-admin-key-0123456789abcdef0123", queue: "orders-" + hex.EncodeToString(buf),
		panel: &fakePanel{}, reg: &fakeRegistrar{}}
	log := zap.NewNop()
	if os.Getenv("HOSTFLOW_TEST_LOG") != "" {
		log = logging.New(true)
	}
	panels := provisioning.NewRegistry()
	panels["fakepanel"] = s.panel
	regs := registrar.NewRegistry()
	regs["fakereg"] = s.reg
	s.acts = &activities.Activities{Records: records.Records{Pool: pool, Secrets: box}, Panels: panels, Registrars: regs, FraudCheck: fraud.PassAll{}}
	s.svc = service.New(service.Config{Pool: pool, Temporal: s.tc, Secrets: box, Log: log, Panels: panels, Registrars: regs, TaskQueue: s.queue,
		GatewaySecrets: map[string]string{"stripe": stripeSecret}})
	s.acts.Billing = s.svc.Billing
	_, err = s.svc.EnsureAdminKey(context.Background(), s.key)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.svc.Outbox.Run(ctx) }()
	s.stopRelay = func() { cancel(); <-done }
	t.Cleanup(s.stopRelay)
	s.api = httptest.NewServer(api.Router(s.svc, log, api.Options{LinkBase: testPublicURL}))
	t.Cleanup(s.api.Close)
	return s
}

// startWorker runs a worker for this stack until the end of the test, with the client email
// workflow beside the order workflow as bin/worker has them.
func (s *stack) startWorker() {
	s.worker = worker.New(s.tc, s.queue, worker.Options{MaxConcurrentWorkflowTaskPollers: config.TaskPollers,
		MaxConcurrentActivityTaskPollers: config.TaskPollers})
	s.acts.Mail.PublicURL = cmp.Or(s.acts.Mail.PublicURL, testPublicURL)
	workflows.Register(s.worker, s.acts)
	clientmail.Register(s.worker, &clientmail.Activities{Pool: s.pool, Mail: s.acts.Mail})
	emailresend.Register(s.worker, &emailresend.Activities{Pool: s.pool, Mail: s.acts.Mail})
	require.NoError(s.t, s.worker.Start())
	w := s.worker
	s.t.Cleanup(w.Stop)
}

// call sends a JSON request to the API and decodes the JSON answer.
// workflowID is the id of an order's workflow, also once its row is gone.
func (s *stack) workflowID(orderID int64) string {
	s.t.Helper()
	inst, err := db.New(s.pool).Installation(context.Background())
	require.NoError(s.t, err)
	return ordermsg.WorkflowID(inst, orderID)
}

func (s *stack) call(method, path string, body any) (int, map[string]any) {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(s.t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.api.URL+path, rd)
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	require.NoError(s.t, json.Unmarshal(raw, &out), "body %s", raw)
	return resp.StatusCode, out
}

func (s *stack) mustCall(method, path string, body any, want int) map[string]any {
	s.t.Helper()
	status, out := s.call(method, path, body)
	require.Equal(s.t, want, status, "%s %s: %v", method, path, out)
	return out
}

// eventually polls the order until check passes.
func (s *stack) eventually(orderID int64, check func(o map[string]any) bool) map[string]any {
	s.t.Helper()
	var last map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		_, last = s.call("GET", fmt.Sprintf("/api/v1/orders/%d", orderID), nil)
		if check(last) {
			return last
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("order %d never reached the expected state; last: %v", orderID, last)
	return nil
}

// catalogue creates a client, a cPanel-like product, a server and .com with an auto-registrar.
func (s *stack) catalogue(autoSetup string) (clientID, productID float64) {
	c := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace",
		"email": fmt.Sprintf("ada-%d@example.com", time.Now().UnixNano()), "country": "GB"}, 201)
	p := s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Basic", "type": "hostingaccount", "module": "fakepanel",
		"auto_setup": autoSetup, "prices": []map[string]any{{"currency": "USD", "billing_cycle": "monthly", "price": "9.99", "setup_fee": "5.00"}}}, 201)
	s.call("POST", "/api/v1/servers", map[string]any{"name": "web1", "module": "fakepanel", "hostname": "web1.example.net",
		"username": "root", "credentials": "secret-token", "max_accounts": 100})
	s.call("POST", "/api/v1/tlds", map[string]any{"tld": ".com", "register_price": "12.00", "transfer_price": "10.00", "auto_registrar": "fakereg"})
	return c["id"].(float64), p["id"].(float64)
}

func hostingOrder(clientID, productID float64, domain string) map[string]any {
	return map[string]any{"client_id": clientID, "payment_method": "banktransfer", "client_ip": "203.0.113.7",
		"items":   []map[string]any{{"product_id": productID, "domain": domain, "billing_cycle": "monthly"}},
		"domains": []map[string]any{{"domain": domain, "type": "register", "period": 1}}}
}

// fakePanel is a control panel test double that keeps its accounts like a real one would.
type fakePanel struct {
	mu         sync.Mutex
	accounts   map[string]bool
	creates    int
	terminates int
	failCreate error
}

func (p *fakePanel) Create(_ context.Context, a provisioning.Account) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failCreate != nil {
		return p.failCreate
	}
	if p.accounts == nil {
		p.accounts = map[string]bool{}
	}
	if a.Server.Credentials != "secret-token" || a.Password == "" {
		return permanent.Wrap(fmt.Errorf("bad credentials"))
	}
	p.creates++
	p.accounts[a.Username] = true
	return nil
}
func (p *fakePanel) Suspend(context.Context, provisioning.Account, string) error { return nil }
func (p *fakePanel) Unsuspend(context.Context, provisioning.Account) error       { return nil }
func (p *fakePanel) ChangePackage(context.Context, provisioning.Account) error   { return nil }
func (p *fakePanel) ChangePassword(context.Context, provisioning.Account) error  { return nil }
func (p *fakePanel) Terminate(_ context.Context, a provisioning.Account) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.terminates++
	delete(p.accounts, a.Username)
	return nil
}

func (p *fakePanel) counts() (creates, terminates int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.creates, p.terminates
}

type fakeRegistrar struct {
	mu        sync.Mutex
	registers int
}

func (r *fakeRegistrar) Register(context.Context, registrar.Domain) (registrar.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.registers++
	return registrar.Result{Status: order.Active}, nil
}
func (r *fakeRegistrar) Status(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{Status: order.Active}, nil
}

func (r *fakeRegistrar) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.registers
}

func (r *fakeRegistrar) Transfer(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{Status: order.PendingTransfer}, nil
}
