package integration

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/api"
)

// TestWHMCSClientRunsAnOrderLife drives the WHMCS-compatible API with whmcs-js, an unmodified
// public WHMCS client from npm (pinned in integration/whmcsjs/package-lock.json), through a
// whole order life, and checks that it gets what WHMCS would answer.
func TestWHMCSClientRunsAnOrderLife(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err, "Node.js runs the WHMCS client library")
	dir, err := filepath.Abs("whmcsjs")
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "whmcs-js")); err != nil {
		out, err := exec.Command("npm", "ci", "--prefix", dir, "--no-audit", "--no-fund").CombinedOutput()
		require.NoError(t, err, "npm ci: %s", out)
	}

	s := newStack(t)
	s.startWorker()
	_, productID := s.catalogue("payment")
	cred := s.mustCall("POST", "/api/v1/api-credentials", map[string]any{"description": "whmcs-js"}, 201)
	require.Len(t, cred["secret"], 48)

	cmd := exec.Command(node, filepath.Join(dir, "life.js"))
	cmd.Env = append(os.Environ(), "WHMCS_URL="+s.api.URL+"/includes/api.php", "WHMCS_IDENTIFIER="+cred["identifier"].(string),
		"WHMCS_SECRET="+cred["secret"].(string), fmt.Sprintf("PRODUCT_ID=%d", int64(productID)))
	raw, err := cmd.Output()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		t.Fatalf("life.js: %v\n%s", err, exitErr.Stderr)
	}
	require.NoError(t, err)
	var out map[string]map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), "%s", raw)

	ok := func(step string) map[string]any {
		t.Helper()
		r := out[step]
		require.Equal(t, "success", r["result"], "%s: %v", step, r)
		return r
	}
	refused := func(step, message string) {
		t.Helper()
		require.Equal(t, "error", out[step]["result"], "%s: %v", step, out[step])
		require.Equal(t, message, out[step]["message"], step)
	}

	clientID := ok("addClient")["clientid"]
	require.Equal(t, clientID, ok("validateLogin")["userid"], "the client's password2 signs in")
	refused("validateLoginWrong", "Email or Password Invalid")
	require.EqualValues(t, 1, ok("getClients")["totalresults"])
	require.Equal(t, "Hopper", ok("getClientsDetails")["lastname"])
	product := ok("getProducts")["products"].(map[string]any)["product"].([]any)[0].(map[string]any)
	usd := product["pricing"].(map[string]any)["USD"].(map[string]any)
	require.Equal(t, "9.99", usd["monthly"])
	require.Equal(t, "-1.00", usd["annually"], "a cycle not offered")

	a := ok("addOrderA")
	require.NotEmpty(t, a["serviceids"])
	require.NotEmpty(t, a["domainids"])
	pending := ok("getOrdersPending")
	require.EqualValues(t, 3, pending["totalresults"])
	first := pending["orders"].(map[string]any)["order"].([]any)[0].(map[string]any)
	require.Equal(t, clientID, fmt.Sprint(first["userid"]), "AddClient answers the id as a string")
	require.Equal(t, "Pending", first["status"])
	require.Equal(t, "26.99", first["amount"])
	lines := first["lineitems"].(map[string]any)["lineitem"].([]any)
	require.Len(t, lines, 2, "the hosting and the domain registration")

	require.Equal(t, "Unpaid", ok("getInvoiceA")["status"])
	ok("addInvoicePayment")
	ok("addInvoicePaymentAgain") // the same transid: nothing changes
	require.EqualValues(t, 1, ok("getInvoicesPaid")["totalresults"])
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions"))

	ok("acceptOrder")
	orderA := ok("getOrderA")["orders"].(map[string]any)["order"].([]any)[0].(map[string]any)
	require.Equal(t, "Active", orderA["status"])
	require.Equal(t, "Paid", orderA["paymentstatus"])
	ok("cancelOrder")
	ok("fraudOrder")
	ok("pendingOrder")
	ok("deleteOrder")
	require.EqualValues(t, 0, ok("getOrderB")["totalresults"], "the deleted order is gone")
	refused("orderFraudCheck", "No Active Fraud Module") // the test stack's fraud module is "none"
	statuses := map[string]float64{}
	for _, st := range ok("getOrderStatuses")["statuses"].(map[string]any)["status"].([]any) {
		statuses[st.(map[string]any)["title"].(string)] = st.(map[string]any)["count"].(float64)
	}
	require.Equal(t, map[string]float64{"Pending": 1, "Active": 1, "Fraud": 0, "Cancelled": 0}, statuses)
	ok("moduleSuspend")
	ok("moduleUnsuspend")
	ok("moduleTerminate")
	refused("suspendTerminated", "Only an Active service can be suspended")
	ok("moduleCreateC")
	ok("domainRegisterC")
	refused("domainTransferC", "The domain was ordered as a registration")
	orderC := ok("getOrderC")["orders"].(map[string]any)["order"].([]any)[0].(map[string]any)
	require.Equal(t, "Pending", orderC["status"], "item actions leave the order's status alone")
	for _, li := range orderC["lineitems"].(map[string]any)["lineitem"].([]any) {
		require.Equal(t, "Active", li.(map[string]any)["status"], "%v", li)
	}
	creates, terminates := s.panel.counts()
	require.Equal(t, 2, creates, "order A on payment, order C by ModuleCreate")
	require.Equal(t, 1, terminates)
	orderIDC, err := strconv.ParseInt(out["addOrderC"]["orderid"].(string), 10, 64) // a string, as in AddOrder's example
	require.NoError(t, err)
	s.recordHistory(orderIDC, "whmcs-fraud-pending-items")

	refused("cancelActive", "Order ID not found or Status not Pending")
	refused("deletePending", "The order status must be in Cancelled or Fraud to be deleted")
	refused("acceptMissing", "Order ID not found or Status not Pending")
	refused("addOrderNoItems", "No items added to cart so order cannot proceed")
	refused("addOrderNoClient", "Client ID Not Found")
	refused("unknownAction", "Command Not Found")
	refused("badSecret", "Authentication Failed")
}

// whmcsPost sends a form to /includes/api.php and decodes the JSON answer.
func whmcsPost(t *testing.T, base string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(base+"/includes/api.php", form)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func TestWHMCSTransport(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	id, secret := cred["identifier"].(string), cred["secret"].(string)
	sum := md5.Sum([]byte(secret))
	clientID, _ := s.catalogue("accept")

	for name, form := range map[string]url.Values{
		"identifier and secret":        {"action": {"GetOrderStatuses"}, "identifier": {id}, "secret": {secret}},
		"the pair as username":         {"action": {"getorderstatuses"}, "username": {id}, "password": {secret}},
		"legacy MD5 password":          {"action": {"GETORDERSTATUSES"}, "username": {id}, "password": {hex.EncodeToString(sum[:])}},
		"empty fields count as absent": {"action": {"GetOrderStatuses"}, "identifier": {id}, "secret": {secret}, "username": {""}, "password": {""}, "accesskey": {""}},
	} {
		status, out := whmcsPost(t, s.api.URL, form)
		require.Equal(t, 200, status, name)
		require.Equal(t, "success", out["result"], "%s: %v", name, out)
	}
	auth := url.Values{"identifier": {id}, "secret": {secret}}
	with := func(kv ...string) url.Values {
		f := url.Values{}
		for k, v := range auth {
			f[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	for _, tc := range []struct {
		form    url.Values
		status  int
		message string
	}{
		// WHMCS refuses a caller with 403, and answers a failed action with 200 and result error.
		{url.Values{"action": {"GetOrders"}, "identifier": {id}, "secret": {"nope"}}, 403, "Authentication Failed"},
		{url.Values{"action": {"GetOrders"}}, 403, "Authentication Failed"},
		{with("action", "FlyToTheMoon"), 200, "Command Not Found"},
		{with("action", "ModuleCreate"), 200, "Service ID is required"},
		{with("action", "ModuleSuspend", "serviceid", "424242"), 200, "Service ID not found"},
		{with("action", "DomainRegister", "domain", "nowhere.example"), 200, "Domain Not Found"},
		{with("action", "GetInvoice", "invoiceid", "424242"), 200, "Invoice ID Not Found"},
		{with("action", "AddInvoicePayment", "invoiceid", "1"), 200, "Transaction ID is required"},
		{with("action", "GetOrders", "limitnum", "-3"), 200, `Invalid value for limitnum: "-3" is not a whole number`},
		{with("action", "AddOrder", "clientid", fmt.Sprint(clientID)), 200, "Invalid Payment Method"},
		{with("action", "AddOrder", "clientid", fmt.Sprint(clientID), "paymentmethod", "bank"), 200, "No items added to cart so order cannot proceed"},
		{with("action", "AddOrder", "paymentmethod", "bank", "pid[0]", "1"), 200, "Client ID Not Found"},
	} {
		status, out := whmcsPost(t, s.api.URL, tc.form)
		require.Equal(t, tc.status, status, "%v: %v", tc.form, out)
		require.Equal(t, "error", out["result"])
		require.Equal(t, tc.message, out["message"])
	}

	// XML, as responsetype=xml asks.
	resp, err := http.PostForm(s.api.URL+"/includes/api.php", with("action", "GetOrderStatuses", "responsetype", "xml"))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, resp.Header.Get("Content-Type"), "application/xml")
	require.Contains(t, string(body), "<whmcsapi><action>getorderstatuses</action>")
	require.Contains(t, string(body), "<result>success</result>")
	require.Contains(t, string(body), "<status><count>0</count><title>Pending</title></status>")

	// A multipart form works as well.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range with("action", "GetOrderStatuses") {
		_ = mw.WriteField(k, v[0])
	}
	mw.Close()
	resp, err = http.Post(s.api.URL+"/includes/api.php", mw.FormDataContentType(), &buf)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	resp.Body.Close()

	// The IP allow-list, and the access key that bypasses it.
	guarded := httptest.NewServer(api.Router(s.svc, zap.NewNop(), api.Options{
		WHMCSAllowedIPs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, WHMCSAccessKey: "let-me-in"}))
	defer guarded.Close()
	status, out := whmcsPost(t, guarded.URL, with("action", "GetOrderStatuses"))
	require.Equal(t, 403, status)
	require.Equal(t, "Invalid IP 127.0.0.1", out["message"])
	status, out = whmcsPost(t, guarded.URL, with("action", "GetOrderStatuses", "accesskey", "wrong"))
	require.Equal(t, 403, status)
	require.Equal(t, "Invalid Access Key", out["message"])
	status, out = whmcsPost(t, guarded.URL, with("action", "GetOrderStatuses", "accesskey", "let-me-in"))
	require.Equal(t, 200, status, "%v", out)
	status, out = whmcsForwarded(t, guarded.URL, "10.1.2.3", with("action", "GetOrderStatuses"))
	require.Equal(t, 403, status, "a client cannot pose as another address: %v", out)

	// Behind a trusted load balancer, X-Forwarded-For names the client.
	proxied := httptest.NewServer(api.Router(s.svc, zap.NewNop(), api.Options{
		WHMCSAllowedIPs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
		TrustedProxies:  []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
	defer proxied.Close()
	status, out = whmcsForwarded(t, proxied.URL, "10.1.2.3", with("action", "GetOrderStatuses"))
	require.Equal(t, 200, status, "%v", out)
	status, out = whmcsForwarded(t, proxied.URL, "10.1.2.3, 192.0.2.66", with("action", "GetOrderStatuses"))
	require.Equal(t, 403, status, "the nearest untrusted hop is the client")
	require.Equal(t, "Invalid IP 192.0.2.66", out["message"])
}

func whmcsForwarded(t *testing.T, base, xff string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/includes/api.php", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", xff)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func TestWHMCSLocksOutAGuessingAddress(t *testing.T) {
	s := newStack(t)
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	good := url.Values{"action": {"GetOrderStatuses"}, "identifier": {cred["identifier"].(string)}, "secret": {cred["secret"].(string)}}
	bad := url.Values{"action": {"GetOrderStatuses"}, "identifier": {cred["identifier"].(string)}, "secret": {"guess"}}
	for i := 0; i < 9; i++ {
		status, _ := whmcsPost(t, s.api.URL, bad)
		require.Equal(t, 403, status)
	}
	status, _ := whmcsPost(t, s.api.URL, good)
	require.Equal(t, 200, status, "nine failures are not yet a lockout, and a success forgets them")
	for i := 0; i < 10; i++ {
		whmcsPost(t, s.api.URL, bad)
	}
	status, out := whmcsPost(t, s.api.URL, good)
	require.Equal(t, 403, status)
	require.Equal(t, "Forbidden IP 127.0.0.1", out["message"])
}
