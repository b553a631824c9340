package integration

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/crashpoint"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/fraud/maxmind"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/provisioning/cpanel"
	"github.com/hostflow/hostflow/registrar/namecheap"
	"github.com/hostflow/hostflow/sandbox/minfraud"
	ncsandbox "github.com/hostflow/hostflow/sandbox/namecheap"
	smtpsandbox "github.com/hostflow/hostflow/sandbox/smtp"
	"github.com/hostflow/hostflow/sandbox/whm"
)

// sandboxes are the outside world of one test: WHM over TLS with a self-signed certificate,
// Namecheap, minFraud and an SMTP server, each on its own loopback port.
type sandboxes struct {
	whm      *whm.Server
	whmHost  string
	nc       *ncsandbox.Server
	ncURL    string
	mf       *minfraud.Server
	mfURL    string
	mail     *smtpsandbox.Server
	mailHost string
	mailPort int
}

func startSandboxes(t testing.TB) *sandboxes {
	sb := &sandboxes{whm: whm.New("root", "whm-token"), nc: ncsandbox.New("hostflow", "nc-key"), mf: minfraud.New("100000", "mf-key")}
	w := httptest.NewTLSServer(sb.whm)
	n := httptest.NewServer(sb.nc)
	m := httptest.NewServer(sb.mf)
	t.Cleanup(w.Close)
	t.Cleanup(n.Close)
	t.Cleanup(m.Close)
	sb.whmHost, sb.ncURL, sb.mfURL = strings.TrimPrefix(w.URL, "https://"), n.URL+"/xml.response", m.URL
	var err error
	sb.mail, err = smtpsandbox.Start()
	require.NoError(t, err)
	t.Cleanup(func() { _ = sb.mail.Close() })
	host, port, _ := strings.Cut(sb.mail.Addr, ":")
	sb.mailHost = host
	sb.mailPort, _ = strconv.Atoi(port)
	return sb
}

// env configures a worker process for the sandboxes.
func (sb *sandboxes) env() []string {
	return []string{"HOSTFLOW_NAMECHEAP_API_USER=hostflow", "HOSTFLOW_NAMECHEAP_API_KEY=nc-key", "HOSTFLOW_NAMECHEAP_CLIENT_IP=127.0.0.1",
		"HOSTFLOW_NAMECHEAP_URL=" + sb.ncURL, "HOSTFLOW_MAXMIND_ACCOUNT_ID=100000", "HOSTFLOW_MAXMIND_LICENSE_KEY=mf-key",
		"HOSTFLOW_MAXMIND_URL=" + sb.mfURL, "HOSTFLOW_SMTP_HOST=" + sb.mailHost, "HOSTFLOW_SMTP_PORT=" + strconv.Itoa(sb.mailPort),
		"HOSTFLOW_SMTP_TLS=none", "HOSTFLOW_MAIL_FROM=billing@host.example"}
}

// useSandboxes gives the stack's worker the real modules, pointed at the sandboxes.
func (s *stack) useSandboxes(sb *sandboxes) {
	s.acts.Panels[cpanel.Name] = cpanel.New()
	s.acts.Registrars[namecheap.Name] = namecheap.New(namecheap.Config{URL: sb.ncURL, APIUser: "hostflow", APIKey: "nc-key", ClientIP: "127.0.0.1"})
	s.acts.FraudCheck = maxmind.New(maxmind.Config{URL: sb.mfURL, AccountID: "100000", LicenseKey: "mf-key"})
	smtp, err := email.NewSMTP(email.Config{Host: sb.mailHost, Port: sb.mailPort, TLS: "none", From: "billing@host.example"})
	require.NoError(s.t, err)
	s.acts.Mail = activities.Mail{Sender: smtp, Company: "Host Example", Domain: "host.example"}
}

// sandboxStack is a stack whose worker uses the real modules against the sandboxes, with the
// cPanel catalogue in place.
func sandboxStack(t *testing.T) (s *stack, sb *sandboxes, clientID, productID float64) {
	sb = startSandboxes(t)
	s = newStack(t)
	s.useSandboxes(sb)
	s.startWorker()
	clientID, productID = s.cpanelCatalogue(sb)
	return s, sb, clientID, productID
}

// cpanelCatalogue creates a client with a full address, a cPanel product set up on payment,
// the WHM sandbox as its server, and .com registered through Namecheap.
func (s *stack) cpanelCatalogue(sb *sandboxes) (clientID, productID float64) {
	c := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace",
		"email": fmt.Sprintf("ada-%d@example.com", time.Now().UnixNano()), "address1": "1 Analytical Way", "city": "London",
		"postcode": "N1 1AA", "country": "GB", "phone": "020 7946 0000"}, 201)
	p := s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Starter", "type": "hostingaccount", "module": "cpanel",
		"package_name": "starter", "auto_setup": "payment", "server_group": "uk",
		"prices": []map[string]any{{"currency": "USD", "billing_cycle": "monthly", "price": "9.99", "setup_fee": "5.00"}}}, 201)
	s.mustCall("POST", "/api/v1/servers", map[string]any{"name": "whm1", "module": "cpanel", "hostname": sb.whmHost, "username": "root",
		"credentials": "whm-token", "max_accounts": 100, "server_group": "uk", "tls_skip_verify": true}, 201)
	s.mustCall("POST", "/api/v1/tlds", map[string]any{"tld": ".com", "register_price": "12.00", "transfer_price": "10.00",
		"auto_registrar": "namecheap"}, 201)
	return c["id"].(float64), p["id"].(float64)
}

func TestCPanelOrderEndToEnd(t *testing.T) {
	s, sb, clientID, productID := sandboxStack(t)
	sb.mf.Score("example.com", 12.5)

	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "ada-site.com"), 201)
	id := int64(placed["order_id"].(float64))
	o := s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "payment" && o["fraud_check"] != nil })
	fc := o["fraud_check"].(map[string]any)
	require.Equal(t, "maxmind", fc["module"])
	require.Equal(t, 12.5, fc["score"])
	require.NotNil(t, fc["ip_risk"])
	require.NotEmpty(t, fc["output"].(map[string]any)["response"], "the whole minFraud answer is kept")

	inv := fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64)))
	s.mustCall("POST", inv, map[string]any{"transaction_id": "bank-1"}, 201)
	o = s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })

	svc := o["services"].([]any)[0].(map[string]any)
	require.Equal(t, "Active", svc["status"])
	require.Equal(t, "adasitec", svc["username"])
	accounts := sb.whm.Accounts()
	require.Len(t, accounts, 1)
	require.Equal(t, "adasitec", accounts[0].User)
	require.Equal(t, "ada-site.com", accounts[0].Domain)
	require.Equal(t, "starter", accounts[0].Plan)
	require.Equal(t, sb.whm.Password("adasitec"), svc["password"], "the admin sees the password the panel got")

	dom := o["domains"].([]any)[0].(map[string]any)
	require.Equal(t, "Active", dom["status"])
	require.Len(t, sb.nc.Domains(), 1)
	require.Equal(t, "ada-site.com", sb.nc.Domains()[0].Name)

	// The confirmation and Invoice Created at placement (no admin, no staff address: no staff
	// notification), then the welcome, the registration and the receipt after set-up.
	require.Eventually(t, func() bool { return len(sb.mail.Messages()) == 5 }, 10*time.Second, 50*time.Millisecond)
	subjects := map[string]string{}
	for _, m := range sb.mail.Messages() {
		subjects[m.Subject] = m.Body
	}
	require.Contains(t, subjects, fmt.Sprintf("Order Confirmation #%d", int64(placed["order_number"].(float64))))
	require.Contains(t, subjects["New Account Information: ada-site.com"], "adasitec")
	require.Contains(t, subjects["New Account Information: ada-site.com"], sb.whm.Password("adasitec"))
	require.Contains(t, subjects, "Domain Registration Confirmation: ada-site.com")
	require.Contains(t, subjects, fmt.Sprintf("Customer Invoice #%d", int64(placed["invoice_id"].(float64))))
	require.Contains(t, subjects, fmt.Sprintf("Invoice Payment Confirmation #%d", int64(placed["invoice_id"].(float64))))
	require.Eventually(t, func() bool {
		return s.count("SELECT count(*) FROM order_events WHERE order_id = $1 AND action = 'email'", id) == 5
	}, 5*time.Second, 50*time.Millisecond, "every send is on the order's events")

	// A client with an Active order skips the fraud check, when the setting says so.
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/accept", id), nil, 200)
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"fraud_skip_active_clients": "true"}, 200)
	again := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "ada-second.com"), 201)
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(again["invoice_id"].(float64))),
		map[string]any{"transaction_id": "bank-2"}, 201)
	// Set-up on payment waits for any fraud check, so by admin-review one would have run.
	o = s.eventually(int64(again["order_id"].(float64)), func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	require.Nil(t, o["fraud_check"])
	require.Len(t, sb.mf.Requests(), 1, "minFraud was not asked about the returning client")
}

func TestFraudOverThresholdAndProviderTrouble(t *testing.T) {
	s, sb, clientID, productID := sandboxStack(t)

	// The client's email domain scores 90 in the sandbox: over the default threshold of 20.
	mallory := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Mallory", "last_name": "X",
		"email": "m@fraudsters.example", "country": "GB"}, 201)["id"].(float64)
	sb.mf.Score("fraudsters.example", 90)
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(mallory, productID, "mallory.com"), 201)
	o := s.eventually(int64(placed["order_id"].(float64)), func(o map[string]any) bool { return o["status"] == "Fraud" })
	require.Equal(t, 90.0, o["fraud_check"].(map[string]any)["score"])
	require.Empty(t, sb.whm.Accounts())

	// MaxMind out of funds: no retry helps; the order waits for an admin's review.
	sb.mf.OutOfFunds(true)
	placed = s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "funds.com"), 201)
	id := int64(placed["order_id"].(float64))
	s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "fraud-review" })
	require.Eventually(t, func() bool {
		return s.count("SELECT count(*) FROM order_events WHERE order_id = $1 AND action = 'fraud-check-failed' AND detail LIKE '%INSUFFICIENT_FUNDS%'", id) == 1
	}, 5*time.Second, 50*time.Millisecond)
}

// TestWorkerCrashDuringProvisioningMakesOneAccountAndOneDomain kills the worker (SIGKILL) right
// after WHM created the account and again right after Namecheap registered the domain, each
// time before hostflow could record it. The next worker retries both steps; the modules find
// the account and the domain already there, and nothing is made or bought twice.
func TestWorkerCrashDuringProvisioningMakesOneAccountAndOneDomain(t *testing.T) {
	sb := startSandboxes(t)
	s := newStack(t)
	s.useSandboxes(sb) // for the API's module names; the workers below are processes of their own
	clientID, productID := s.cpanelCatalogue(sb)
	worker := buildCmd(t, "worker")

	crash1 := s.runWorker(worker, append(sb.env(), crashpoint.Env+"=account-created")...)
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "crash-test.com"), 201)
	id := int64(placed["order_id"].(float64))
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))),
		map[string]any{"transaction_id": "pay-1"}, 201)
	requireKilled(t, crash1)
	require.Len(t, sb.whm.Accounts(), 1, "WHM made the account before the crash")

	crash2 := s.runWorker(worker, append(sb.env(), crashpoint.Env+"=domain-registered")...)
	requireKilled(t, crash2)
	require.Len(t, sb.nc.Domains(), 1, "Namecheap registered the domain before the crash")

	s.runWorker(worker, sb.env()...)
	o := s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	require.Equal(t, "Active", o["services"].([]any)[0].(map[string]any)["status"])
	require.Equal(t, "Active", o["domains"].([]any)[0].(map[string]any)["status"])
	require.Len(t, sb.whm.Accounts(), 1)
	require.Equal(t, 1, sb.whm.Calls("createacct"), "the retried create found the account")
	require.Len(t, sb.nc.Domains(), 1)
	require.Equal(t, 1, sb.nc.Calls("namecheap.domains.create"), "the retried registration bought nothing")
}

// A worker killed right after the registrar renewed a domain, before anything was recorded:
// the retried activity finds the expiry date moved and buys nothing more. The admin's call
// answers once the next worker has finished the renewal.
func TestWorkerCrashDuringRenewalBuysOnce(t *testing.T) {
	sb := startSandboxes(t)
	s := newStack(t)
	s.useSandboxes(sb)
	clientID, _ := s.cpanelCatalogue(sb)
	worker := buildCmd(t, "worker")

	first := s.runWorker(worker, sb.env()...)
	placed := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"domains": []map[string]any{{"domain": "renew-crash.com", "type": "register", "period": 1}}}, 201)
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))),
		map[string]any{"transaction_id": "pay-renew"}, 201)
	o := s.eventually(int64(placed["order_id"].(float64)), func(o map[string]any) bool {
		return o["domains"].([]any)[0].(map[string]any)["status"] == "Active"
	})
	domainID := int64(o["domains"].([]any)[0].(map[string]any)["id"].(float64))
	start := sb.nc.Domains()[0].Expires
	// The row is written by a local activity within a workflow task: killed before that task
	// is committed, the worker's successor would take the renewal before the set-up's result
	// and refuse it (the domain not yet Active in the workflow). The state query is answered
	// from committed tasks only.
	orderID := int64(placed["order_id"].(float64))
	require.Eventually(t, func() bool {
		items := s.workflowState(orderID).Items
		return len(items) == 1 && items[0].Status == order.Active
	}, 30*time.Second, 50*time.Millisecond)
	require.NoError(t, first.Process.Kill())
	_, _ = first.Process.Wait()

	crash := s.runWorker(worker, append(sb.env(), crashpoint.Env+"=domain-renewed")...)
	answered := make(chan map[string]any, 1)
	go func() {
		_, out := s.call("POST", fmt.Sprintf("/api/v1/domains/%d/renew", domainID), map[string]any{"years": 2})
		answered <- out
	}()
	requireKilled(t, crash, answered)
	require.Equal(t, 1, sb.nc.Calls("namecheap.domains.renew"), "Namecheap renewed before the crash")

	s.runWorker(worker, sb.env()...)
	select {
	case out := <-answered:
		require.NotContains(t, out, "error", "the renewal succeeded")
		require.Equal(t, "Pending", out["status"], "the order's status: a renewal changes none")
	case <-time.After(2 * time.Minute):
		t.Fatal("the renewal never answered")
	}
	require.Equal(t, 1, sb.nc.Calls("namecheap.domains.renew"), "the retried renewal bought nothing")
	require.Equal(t, start.AddDate(2, 0, 0), sb.nc.Domains()[0].Expires)
	var expiry string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT expiry_date::text FROM order_domains WHERE id = $1`, domainID).Scan(&expiry))
	require.Equal(t, start.AddDate(2, 0, 0).Format("2006-01-02"), expiry)
}

// requireKilled waits for cmd to die at its crash point. answered, when given, is the request
// that should have led it there: an answer before the crash says why it never came.
func requireKilled(t *testing.T, cmd *exec.Cmd, answered ...<-chan map[string]any) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var early <-chan map[string]any
	if len(answered) > 0 {
		early = answered[0]
	}
	select {
	case err := <-done:
		require.ErrorContains(t, err, "signal: killed")
	case out := <-early:
		t.Fatalf("the request was answered before the worker reached its crash point: %v", out)
	case <-time.After(60 * time.Second):
		t.Fatal("the worker never reached its crash point")
	}
}

func TestGeneratedUsernameTakenOnThePanelIsReplaced(t *testing.T) {
	s, sb, clientID, productID := sandboxStack(t)
	// Someone hostflow does not know has the name the domain gives, and one sharing its first 8.
	server := provisioning.Server{Hostname: sb.whmHost, Username: "root", Credentials: "whm-token", SkipTLSVerify: true}
	for _, a := range []provisioning.Account{{Username: "adasitec", Domain: "elsewhere.org"}, {Username: "adasite1x", Domain: "other.org"}} {
		a.Password, a.Server = "S3cure-pass!", server
		require.NoError(t, cpanel.New().Create(context.Background(), a))
	}

	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "ada-site.com"), 201)
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))), map[string]any{"transaction_id": "t"}, 201)
	o := s.eventually(int64(placed["order_id"].(float64)), func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	svc := o["services"].([]any)[0].(map[string]any)
	require.Equal(t, "Active", svc["status"])
	require.Equal(t, "adasite2", svc["username"], "adasitec is someone else's, adasite1 clashes in its first 8 letters")
	require.Len(t, sb.whm.Accounts(), 3)
}
