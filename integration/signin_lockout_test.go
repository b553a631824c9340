package integration

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/api"
	"github.com/hostflow/hostflow/console"
)

// consoleServer serves this stack's API with the console configured by opts, behind a load
// balancer at 127.0.0.1 whose X-Forwarded-For is believed, so that a test speaks from any
// address.
func (s *stack) consoleServer(opts console.Options) string {
	s.t.Helper()
	srv := httptest.NewServer(api.Router(s.svc, zap.NewNop(), api.Options{
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, Console: opts}))
	s.t.Cleanup(srv.Close)
	return srv.URL
}

// noRedirects is a client that shows a redirect instead of following it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// postSignIn posts the sign-in form from address (X-Forwarded-For) and returns the answer,
// its body read.
func postSignIn(t *testing.T, base, address, email, password string) (*http.Response, string) {
	t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequest("POST", base+"/admin/login", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if address != "" {
		req.Header.Set("X-Forwarded-For", address)
	}
	resp, err := noRedirects.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// sessionCookie is the session cookie a successful sign-in set.
func sessionCookie(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == "hostflow_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", resp.Header.Values("Set-Cookie"))
	return nil
}

// TestSignInAdminSignsInWhileAnotherAddressFails: ten wrong passwords for an admin's email
// from one address lock that address out of that account (429 with Retry-After), not the admin,
// who signs in from another address at once. Today's lockout was per account: it kept the
// admin out from everywhere.
func TestSignInAdminSignsInWhileAnotherAddressFails(t *testing.T) {
	s := newStack(t)
	const email, password = "ops@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(context.Background(), email, "Ops", password)
	require.NoError(t, err)
	base := s.consoleServer(console.Options{Dev: true})

	for i := range access.SignInMaxFailures {
		resp, body := postSignIn(t, base, "203.0.113.9", email, "guess")
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "guess %d", i)
		require.Contains(t, body, access.ReasonSignInFailed)
	}
	resp, body := postSignIn(t, base, "203.0.113.9", email, password)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "the guessing address is locked out, even with the right password")
	require.Contains(t, body, "Too many failed sign-ins")
	require.NotEmpty(t, resp.Header.Get("Retry-After"))

	resp, _ = postSignIn(t, base, "198.51.100.7", email, password)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, "the admin from another address is let in")
	require.Equal(t, "/admin/", resp.Header.Get("Location"))
	ck := sessionCookie(t, resp)
	require.False(t, ck.Secure, "dev mode over plain http")

	// The same from an IPv6 network: any address of its /64 is the guesser.
	for range access.SignInMaxFailures {
		resp, _ := postSignIn(t, base, "2001:db8:7:7::1", email, "guess")
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	resp, _ = postSignIn(t, base, "2001:db8:7:7:abcd::2", email, password)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "another address of the same /64")
	resp, _ = postSignIn(t, base, "2001:db8:7:8::1", email, password)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, "another /64")
}

// TestSignInCookieSecure: outside dev mode the session cookie is Secure even over plain HTTP
// (TLS ends at a proxy); in dev mode it is Secure when a trusted proxy says the client spoke
// HTTPS.
func TestSignInCookieSecure(t *testing.T) {
	s := newStack(t)
	const email, password = "ops@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(context.Background(), email, "Ops", password)
	require.NoError(t, err)
	resp, _ := postSignIn(t, s.consoleServer(console.Options{}), "", email, password)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.True(t, sessionCookie(t, resp).Secure, "secure by default")

	dev := s.consoleServer(console.Options{Dev: true})
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequest("POST", dev+"/admin/login", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "198.51.100.7")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err = noRedirects.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.True(t, sessionCookie(t, resp).Secure, "behind a TLS-terminating proxy")
}

// TestSignInWHMCSParallelCalls: the WHMCS API's credential check goes through the same guard:
// a script's parallel calls with the right credential all pass (an attempt is not a failure
// until it fails), and parallel wrong ones lock their address out like sequential ones.
func TestSignInWHMCSParallelCalls(t *testing.T) {
	s := newStack(t)
	base := s.consoleServer(console.Options{})
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	form := func(secret string) url.Values {
		return url.Values{"action": {"GetOrderStatuses"}, "identifier": {cred["identifier"].(string)}, "secret": {secret}}
	}
	parallel := func(n int, address, secret string) map[int]int {
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { statuses[i], _ = whmcsForwarded(t, base, address, form(secret)) })
		}
		wg.Wait()
		count := map[int]int{}
		for _, st := range statuses {
			count[st]++
		}
		return count
	}
	require.Equal(t, map[int]int{200: 3 * access.LoginMaxFailures}, parallel(3*access.LoginMaxFailures, "198.51.100.7", cred["secret"].(string)))
	require.Equal(t, map[int]int{403: 3 * access.LoginMaxFailures}, parallel(3*access.LoginMaxFailures, "203.0.113.9", "guess"))
	status, out := whmcsForwarded(t, base, "203.0.113.9", form(cred["secret"].(string)))
	require.Equal(t, 403, status)
	require.Equal(t, "Forbidden IP 203.0.113.9", out["message"])
	status, _ = whmcsForwarded(t, base, "198.51.100.7", form(cred["secret"].(string)))
	require.Equal(t, 200, status, "the script's address is not the guesser's")
}
