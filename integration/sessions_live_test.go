package integration

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/console"
)

// sessionHeartbeat is the events stream's heartbeat in these tests: the stream must close
// within one of its session's end.
const sessionHeartbeat = 300 * time.Millisecond

// signedIn signs an admin in from a fresh address and returns the session cookie.
func signedIn(t *testing.T, base, email, password string) *http.Cookie {
	t.Helper()
	resp, _ := postSignIn(t, base, "192.0.2.10", email, password)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	return sessionCookie(t, resp)
}

// openEvents opens the events stream with ck and returns a channel closed when it ends.
func openEvents(t *testing.T, base string, ck *http.Cookie) <-chan struct{} {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/admin/events", nil)
	require.NoError(t, err)
	req.AddCookie(ck)
	resp, err := noRedirects.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	ended := make(chan struct{})
	opened := make(chan struct{})
	go func() {
		defer close(ended)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if sc.Text() == ": live" {
				close(opened)
			}
		}
	}()
	select {
	case <-opened:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream did not open")
	}
	return ended
}

// requireEndsWithin waits for the stream to end within d.
func requireEndsWithin(t *testing.T, ended <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	start := time.Now()
	select {
	case <-ended:
		t.Logf("stream closed %v after %s", time.Since(start).Round(time.Millisecond), what)
	case <-time.After(d):
		t.Fatalf("the stream was still open %v after %s", d, what)
	}
}

// TestSessionEventsStreamClosesAtSignOut: /admin/events checks its session at every heartbeat
// and closes within one heartbeat of the session's sign-out, its expiry and its admin's
// deactivation; a stream whose session is live stays open.
func TestSessionEventsStreamClosesAtSignOut(t *testing.T) {
	s := newStack(t)
	const email, password = "ops@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(context.Background(), email, "Ops", password)
	require.NoError(t, err)
	base := s.consoleServer(console.Options{Dev: true, Heartbeat: sessionHeartbeat})
	// One heartbeat, and the time the check and the close take.
	within := sessionHeartbeat + 200*time.Millisecond

	ck := signedIn(t, base, email, password)
	ended := openEvents(t, base, ck)
	select {
	case <-ended:
		t.Fatal("a live session's stream closed")
	case <-time.After(3 * sessionHeartbeat):
	}
	req, err := http.NewRequest("POST", base+"/admin/logout", nil)
	require.NoError(t, err)
	req.AddCookie(ck)
	resp, err := noRedirects.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	requireEndsWithin(t, ended, within, "sign-out")

	ended = openEvents(t, base, signedIn(t, base, email, password))
	_, err = s.pool.Exec(context.Background(), `UPDATE admins SET active = false`)
	require.NoError(t, err)
	requireEndsWithin(t, ended, within, "the admin's deactivation")
	_, err = s.pool.Exec(context.Background(), `UPDATE admins SET active = true`)
	require.NoError(t, err)

	ended = openEvents(t, base, signedIn(t, base, email, password))
	_, err = s.pool.Exec(context.Background(), `UPDATE admin_sessions SET idle_expires_at = now()`)
	require.NoError(t, err)
	requireEndsWithin(t, ended, within, "the session's expiry")
}

// idleExpiry is the idle expiry of the one session of the stack.
func (s *stack) idleExpiry() time.Time {
	s.t.Helper()
	var at time.Time
	require.NoError(s.t, s.pool.QueryRow(context.Background(), `SELECT idle_expires_at FROM admin_sessions`).Scan(&at))
	return at
}

// TestSessionLiveRefreshesDoNotExtendIt: an open page that live.js keeps refreshing, and its
// events stream, leave the session's idle expiry where it was, so that an unattended console
// still signs out; a page the admin opens moves it on. Driven in Chromium, so that it is
// live.js's own requests that are measured.
func TestSessionLiveRefreshesDoNotExtendIt(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	const email, password = "live@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(context.Background(), email, "Live", password)
	require.NoError(t, err)
	clientID, productID := s.catalogue("accept")
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "idle.com"), 201)
	orderID, invoiceID := int64(placed["order_id"].(float64)), int64(placed["invoice_id"].(float64))
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)
	b.open(fmt.Sprintf("%s/orders/%d", base, orderID))
	b.live()

	// The session as if the admin had left it an hour and more ago.
	_, err = s.pool.Exec(context.Background(), `UPDATE admin_sessions SET idle_expires_at = now() + interval '10 minutes'`)
	require.NoError(t, err)
	before := s.idleExpiry()
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", invoiceID),
		map[string]any{"transaction_id": "idle-page", "gateway": "banktransfer"}, 201)
	b.changes(`document.querySelector("#payment-status").textContent.trim() === "Paid"`, "the payment on the order page")
	require.Equal(t, before, s.idleExpiry(), "live.js's refresh extended the session")

	// A page the admin opens does.
	b.open(fmt.Sprintf("%s/orders/%d", base, orderID))
	require.WithinDuration(t, time.Now().Add(2*time.Hour), s.idleExpiry(), time.Minute)
	b.noErrors()
}
