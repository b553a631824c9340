package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/provisioning/cpanel"
)

// TestUsernameBurstOnOneServer places and pays 50 orders at once whose domains share their first
// 8 letters, provisioned through the cPanel module on the one WHM server, where someone outside
// hostflow has two of the names they would get: every order gets its account, each under a name
// of its own, and none waits for provisioning-failed.
func TestUsernameBurstOnOneServer(t *testing.T) {
	s, sb, clientID, productID := sandboxStack(t)
	server := provisioning.Server{Hostname: sb.whmHost, Username: "root", Credentials: "whm-token", SkipTLSVerify: true}
	outside := map[string]bool{"chaosbu2": true, "chaosbu5": true}
	for name := range outside {
		a := provisioning.Account{Username: name, Domain: name + ".org", Password: "S3cure-pass!", Server: server}
		require.NoError(t, cpanel.New().Create(context.Background(), a))
	}
	// WHM takes its time over every call, as a real one does, so the creates overlap.
	sb.whm.Delay(200 * time.Millisecond)
	const n = 50
	domains := make([]string, n)
	for i := range domains {
		domains[i] = fmt.Sprintf("chaosburst%d.com", i+1) // every default username is "chaosbur"
	}

	orders := make([]int64, n)
	invoices := make([]int64, n)
	burst(t, n, func(i int) error {
		status, out, err := s.apiCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
			"client_ip": "203.0.113.7", "items": []map[string]any{{"product_id": productID, "domain": domains[i], "billing_cycle": "monthly"}}})
		if err != nil || status != http.StatusCreated {
			return fmt.Errorf("place %s: %d %v %v", domains[i], status, out, err)
		}
		orders[i], invoices[i] = int64(out["order_id"].(float64)), int64(out["invoice_id"].(float64))
		return nil
	})
	burst(t, n, func(i int) error {
		status, out, err := s.apiCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", invoices[i]),
			map[string]any{"transaction_id": fmt.Sprintf("burst-%d", i)})
		if err != nil || status != http.StatusCreated {
			return fmt.Errorf("pay invoice %d: %d %v %v", invoices[i], status, out, err)
		}
		return nil
	})

	// Each order ends with its account made, or waiting for a Retry because its create failed.
	settled := func() int {
		return s.count(`SELECT count(*) FROM orders o WHERE o.id = ANY($1) AND (o.waiting_for = $2
			OR NOT EXISTS (SELECT 1 FROM order_services s WHERE s.order_id = o.id AND s.status <> $3))`,
			orders, order.WaitingProvisioningFailed, order.Active)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for settled() < n && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	failed := s.failedServices(orders)
	require.Empty(t, failed, "%d orders waiting for provisioning-failed", len(failed))
	require.Equal(t, n, settled(), "every order settled")

	accounts := sb.whm.Accounts()
	require.Len(t, accounts, n+len(outside))
	byUser := map[string]string{}
	for _, a := range accounts {
		if !outside[a.User] {
			byUser[a.User] = a.Domain
		}
	}
	require.Len(t, byUser, n, "distinct usernames")
	rows, err := s.pool.Query(context.Background(), "SELECT domain, username, status FROM order_services WHERE order_id = ANY($1)", orders)
	require.NoError(t, err)
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var domain, username, status string
		require.NoError(t, rows.Scan(&domain, &username, &status))
		require.Equal(t, string(order.Active), status, domain)
		require.LessOrEqual(t, len(username), 8, username)
		require.Equal(t, domain, byUser[username], "the account %s on the panel is this service's", username)
		seen++
	}
	require.NoError(t, rows.Err())
	require.Equal(t, n, seen)
}

// failedServices lists, for the orders waiting for provisioning-failed, their services' errors.
func (s *stack) failedServices(orders []int64) []string {
	s.t.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT s.domain || ': ' || s.last_error FROM order_services s
		JOIN orders o ON o.id = s.order_id WHERE o.id = ANY($1) AND o.waiting_for = $2 ORDER BY s.id`, orders, order.WaitingProvisioningFailed)
	require.NoError(s.t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		require.NoError(s.t, rows.Scan(&line))
		out = append(out, line)
	}
	require.NoError(s.t, rows.Err())
	return out
}

// burst runs fn for 0..n-1 all at once and fails the test with the first error.
func burst(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
}

// apiCall is call for goroutines: it reports a failure instead of failing the test.
func (s *stack) apiCall(method, path string, body any) (int, map[string]any, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequest(method, s.api.URL+path, bytes.NewReader(raw))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	return resp.StatusCode, out, json.NewDecoder(resp.Body).Decode(&out)
}
