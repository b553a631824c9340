package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/api"
)

// callWith sends a request with admin key key and returns the status and the raw body.
func callWith(t *testing.T, s *stack, key, method, path string, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.api.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func keyList(t *testing.T, s *stack) []map[string]any {
	t.Helper()
	var out struct {
		Keys []map[string]any `json:"api_keys"`
	}
	status, raw := callWith(t, s, s.key, "GET", "/api/v1/api-keys", "")
	require.Equal(t, 200, status, raw)
	require.NoError(t, json.Unmarshal([]byte(raw), &out))
	require.NotContains(t, raw, "hash")
	return out.Keys
}

func TestAdminKeysAreListedCreatedAndRevoked(t *testing.T) {
	s := newStack(t)
	keys := keyList(t, s)
	require.Len(t, keys, 1)
	require.Equal(t, "configured", keys[0]["kind"])
	require.NotNil(t, keys[0]["last_used_at"], "the request that lists it used it")
	require.NotContains(t, keys[0], "key")

	created := s.mustCall("POST", "/api/v1/api-keys", map[string]any{"name": "billing bot"}, 201)
	newKey := created["key"].(string)
	require.True(t, strings.HasPrefix(newKey, "hf_") && len(newKey) >= access.MinConfiguredKeyLength, newKey)
	require.Equal(t, "billing bot", created["name"])
	id := int64(created["id"].(float64))
	status, _ := callWith(t, s, newKey, "GET", "/api/v1/clients", "")
	require.Equal(t, 200, status)
	keys = keyList(t, s)
	require.Len(t, keys, 2)
	require.Equal(t, "created", keys[1]["kind"])
	require.NotContains(t, keys[1], "key", "a key is shown once, when it is made")
	require.NotNil(t, keys[1]["last_used_at"])

	s.mustCall("POST", "/api/v1/api-keys", map[string]any{"name": " "}, 422)
	status, raw := callWith(t, s, newKey, "DELETE", fmt.Sprintf("/api/v1/api-keys/%d", id), "")
	require.Equal(t, 409, status, "a key does not revoke itself: %s", raw)
	s.mustCall("DELETE", fmt.Sprintf("/api/v1/api-keys/%d", id), nil, 200)
	status, _ = callWith(t, s, newKey, "GET", "/api/v1/clients", "")
	require.Equal(t, 401, status, "a revoked key stops working at once")
	s.mustCall("DELETE", fmt.Sprintf("/api/v1/api-keys/%d", id), nil, 404)
	require.Len(t, keyList(t, s), 1)
}

func TestAdminKeyLastUsedIsWrittenAtMostOnceAMinute(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	lastUsed := func() (v any) {
		require.NoError(t, s.pool.QueryRow(ctx, `SELECT last_used_at FROM api_keys`).Scan(&v))
		return v
	}
	require.Nil(t, lastUsed())
	s.mustCall("GET", "/api/v1/clients", nil, 200)
	first := lastUsed()
	require.NotNil(t, first)
	s.mustCall("GET", "/api/v1/clients", nil, 200)
	require.Equal(t, first, lastUsed(), "not written again within the minute")
	_, err := s.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = now() - interval '2 minutes'`)
	require.NoError(t, err)
	stale := lastUsed()
	s.mustCall("GET", "/api/v1/clients", nil, 200)
	require.NotEqual(t, stale, lastUsed())
}

func TestConfiguredAdminKeyReplacesThePreviousOne(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	_, err := s.pool.Exec(ctx, `DELETE FROM api_keys`)
	require.NoError(t, err)
	generated, err := s.svc.EnsureAdminKey(ctx, "")
	require.NoError(t, err)
	require.NotEmpty(t, generated)
	again, err := s.svc.EnsureAdminKey(ctx, "")
	require.NoError(t, err)
	require.Empty(t, again, "one generated key, once")

	first, second := strings.Repeat("a", 32), strings.Repeat("b", 40)
	_, err = s.svc.EnsureAdminKey(ctx, first)
	require.NoError(t, err)
	_, err = s.svc.EnsureAdminKey(ctx, first) // a restart with the same key
	require.NoError(t, err)
	for _, k := range []string{generated, first} {
		status, raw := callWith(t, s, k, "GET", "/api/v1/clients", "")
		require.Equal(t, 200, status, raw)
	}
	_, err = s.svc.EnsureAdminKey(ctx, second)
	require.NoError(t, err)
	status, _ := callWith(t, s, first, "GET", "/api/v1/clients", "")
	require.Equal(t, 401, status, "the key configured before stops working")
	for _, k := range []string{generated, second} {
		status, raw := callWith(t, s, k, "GET", "/api/v1/clients", "")
		require.Equal(t, 200, status, "a generated key stays until revoked: %s", raw)
	}
	s.key = second
	kinds := map[string]int{}
	for _, k := range keyList(t, s) {
		kinds[k["kind"].(string)]++
	}
	require.Equal(t, map[string]int{"configured": 1, "generated": 1}, kinds)
}

func TestAPICredentialsAreListedAndRevoked(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	require.NoError(t, s.svc.EnsureAPICredential(ctx, "env-one", "env-secret-one-0123456789abcdef0123"))
	cred := s.mustCall("POST", "/api/v1/api-credentials", map[string]any{"description": "billing bot"}, 201)
	id, secret := cred["identifier"].(string), cred["secret"].(string)

	list := func() map[string]map[string]any {
		status, raw := callWith(t, s, s.key, "GET", "/api/v1/api-credentials", "")
		require.Equal(t, 200, status, raw)
		require.NotContains(t, raw, secret)
		require.NotContains(t, raw, "hash")
		var out struct {
			Creds []map[string]any `json:"api_credentials"`
		}
		require.NoError(t, json.Unmarshal([]byte(raw), &out))
		m := map[string]map[string]any{}
		for _, c := range out.Creds {
			m[c["identifier"].(string)] = c
		}
		return m
	}
	creds := list()
	require.Len(t, creds, 2)
	require.Equal(t, true, creds["env-one"]["configured"])
	require.Equal(t, "billing bot", creds[id]["description"])
	require.Nil(t, creds[id]["last_used_at"])

	good := url.Values{"action": {"GetOrderStatuses"}, "identifier": {id}, "secret": {secret}}
	status, out := whmcsPost(t, s.api.URL, good)
	require.Equal(t, 200, status, "%v", out)
	require.NotNil(t, list()[id]["last_used_at"])

	// A new pair in the environment replaces the one configured before; made ones stay.
	require.NoError(t, s.svc.EnsureAPICredential(ctx, "env-two", "env-secret-two-0123456789abcdef0123"))
	creds = list()
	require.NotContains(t, creds, "env-one")
	require.Contains(t, creds, "env-two")
	require.Contains(t, creds, id)

	s.mustCall("DELETE", "/api/v1/api-credentials/"+id, nil, 200)
	status, _ = whmcsPost(t, s.api.URL, good)
	require.Equal(t, 403, status, "a revoked credential stops working at once (WHMCS answers 403)")
	s.mustCall("DELETE", "/api/v1/api-credentials/"+id, nil, 404)
}

func TestWHMCSLockoutIsSharedAndCountsAccessKeys(t *testing.T) {
	s := newStack(t)
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	good := url.Values{"action": {"GetOrderStatuses"}, "identifier": {cred["identifier"].(string)}, "secret": {cred["secret"].(string)}}
	wrongKey := url.Values{"action": {"GetOrderStatuses"}, "accesskey": {"guess"}}
	// Two API processes over one database.
	one := httptest.NewServer(api.Router(s.svc, zap.NewNop(), api.Options{WHMCSAccessKey: "the-right-access-key"}))
	defer one.Close()
	two := httptest.NewServer(api.Router(s.svc, zap.NewNop(), api.Options{WHMCSAccessKey: "the-right-access-key"}))
	defer two.Close()
	for i := 0; i < 5; i++ {
		status, out := whmcsPost(t, one.URL, wrongKey)
		require.Equal(t, 403, status)
		require.Equal(t, "Invalid Access Key", out["message"])
		status, _ = whmcsPost(t, two.URL, wrongKey)
		require.Equal(t, 403, status)
	}
	status, out := whmcsPost(t, two.URL, good)
	require.Equal(t, 403, status, "ten wrong access keys, five at each process, lock the address out: %v", out)
	require.Equal(t, "Forbidden IP 127.0.0.1", out["message"])
	status, _ = whmcsPost(t, one.URL, good)
	require.Equal(t, 403, status)
}

func TestWHMCSLockoutParsesForwardedPortsAndLocksOnlyTheGuesser(t *testing.T) {
	s := newStack(t)
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	good := url.Values{"action": {"GetOrderStatuses"}, "identifier": {cred["identifier"].(string)}, "secret": {cred["secret"].(string)}}
	bad := url.Values{"action": {"GetOrderStatuses"}, "identifier": {cred["identifier"].(string)}, "secret": {"guess"}}
	proxied := httptest.NewServer(api.Router(s.svc, zap.NewNop(), api.Options{
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
	defer proxied.Close()
	for i := 0; i < 10; i++ {
		status, _ := whmcsForwarded(t, proxied.URL, "198.51.100.7:5555", bad)
		require.Equal(t, 403, status) // WHMCS refuses wrong credentials with 403
	}
	status, out := whmcsForwarded(t, proxied.URL, "198.51.100.7:5556", good)
	require.Equal(t, 403, status)
	require.Equal(t, "Forbidden IP 198.51.100.7", out["message"])
	for _, other := range []string{"198.51.100.8:1234", "[2001:db8::1]:443", "192.0.2.1, 127.0.0.1:80"} {
		status, out = whmcsForwarded(t, proxied.URL, other, good)
		require.Equal(t, 200, status, "behind the load balancer, %s is not the guesser: %v", other, out)
	}
	for i := 0; i < 10; i++ {
		whmcsForwarded(t, proxied.URL, "[2001:db8::2]:443", bad)
	}
	status, out = whmcsForwarded(t, proxied.URL, "2001:db8::2", good)
	require.Equal(t, 403, status)
	require.Equal(t, "Forbidden IP 2001:db8::2", out["message"])
}

func TestWHMCSLockoutTableIsBoundedAndKeepsLockouts(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	for i := 0; i < access.LoginMaxFailures; i++ {
		_, err := s.svc.LoginFailed(ctx, "203.0.113.66")
		require.NoError(t, err)
	}
	// The locked address is the oldest row; a flood of newer addresses passes the cap, and
	// some old ones are past the window.
	_, err := s.pool.Exec(ctx, `UPDATE login_failures SET last_failed_at = now() - interval '10 minutes'`)
	require.NoError(t, err)
	_, err = s.pool.Exec(ctx, `INSERT INTO login_failures (address, failures, last_failed_at)
		SELECT 'flood-' || i, 1, now() - (i || ' milliseconds')::interval FROM generate_series(1, $1::int) i`, access.LoginFailuresCap+500)
	require.NoError(t, err)
	_, err = s.pool.Exec(ctx, `INSERT INTO login_failures (address, failures, last_failed_at)
		SELECT 'old-' || i, 3, now() - interval '1 hour' FROM generate_series(1, 100) i`)
	require.NoError(t, err)
	dropped, err := s.svc.PurgeLoginFailures(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 501, dropped, "down to the cap, the locked row counted")
	var n int
	require.NoError(t, s.pool.QueryRow(ctx, `SELECT count(*) FROM login_failures`).Scan(&n))
	require.Equal(t, access.LoginFailuresCap, n)
	require.NoError(t, s.pool.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE address LIKE 'old-%'`).Scan(&n))
	require.Zero(t, n, "rows past the window are gone")
	locked, _, err := s.svc.LoginLocked(ctx, "203.0.113.66")
	require.NoError(t, err)
	require.True(t, locked, "a flood of addresses does not clear a lockout")
	require.NoError(t, s.pool.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE address = 'flood-1'`).Scan(&n))
	require.Equal(t, 1, n, "the newest stay")
	require.NoError(t, s.pool.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE address = $1`,
		fmt.Sprintf("flood-%d", access.LoginFailuresCap+500)).Scan(&n))
	require.Zero(t, n, "the oldest unlocked go")
}

func TestHealthzAnswersAStatusOnly(t *testing.T) {
	s := newStack(t)
	resp, err := http.Get(s.api.URL + "/healthz")
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	require.Equal(t, 200, resp.StatusCode)
	require.JSONEq(t, `{"status":"ok"}`, string(raw))
}
