package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/hostflow/hostflow/access"
)

func TestRequestIDIsBoundedOrReplaced(t *testing.T) {
	var seen string
	h := WithRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = middleware.GetReqID(r.Context()) }))
	for in, keep := range map[string]bool{
		"abc-123":                   true,
		"host/AbC_9.x:1":            true,
		strings.Repeat("a", 64):     true,
		strings.Repeat("a", 65):     false,
		"":                          false,
		"a b":                       false,
		"<script>":                  false,
		"id\r\nX-Injected: 1":       false,
		"ünïcode":                   false,
		strings.Repeat("x", 100000): false,
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("X-Request-Id", in)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("X-Request-Id"); got != seen {
			t.Errorf("%.20q: answered %q, handler saw %q", in, got, seen)
		}
		if keep && seen != in {
			t.Errorf("%.20q replaced by %q", in, seen)
		}
		if !keep && (seen == in || !safeRequestID(seen)) {
			t.Errorf("%.20q: kept or replaced by an unsafe id %q", in, seen)
		}
	}
}

func TestClientAddressParsesHopsWithPorts(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	var got string
	h := ClientAddress(trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
	for xff, want := range map[string]string{
		"203.0.113.7":                       "203.0.113.7:0",
		"203.0.113.7:4711":                  "203.0.113.7:0",
		"[2001:db8::1]:443":                 "[2001:db8::1]:0",
		"2001:db8::1":                       "[2001:db8::1]:0",
		"198.51.100.1, 203.0.113.7:80":      "203.0.113.7:0",
		"203.0.113.7:80, 10.0.0.9:3000":     "203.0.113.7:0",
		"::ffff:203.0.113.7":                "203.0.113.7:0",
		"garbage, 10.0.0.9":                 "10.0.0.1:1234", // nothing believable beyond the proxy
		"10.0.0.8:1, 10.0.0.9":              "10.0.0.8:0",    // all trusted: the farthest
		"203.0.113.7:99999":                 "10.0.0.1:1234", // not a port
		"[2001:db8::1]:443, 198.51.100.2:1": "198.51.100.2:0",
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "10.0.0.1:1234"
		req.Header.Set("X-Forwarded-For", xff)
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != want {
			t.Errorf("X-Forwarded-For %q: client %q, want %q", xff, got, want)
		}
	}
}

// A throttled sign-in or request is a 429 with its reason and Retry-After; any other error is
// not throttled and leaves the answer alone.
func TestThrottled(t *testing.T) {
	rec := httptest.NewRecorder()
	reason, ok := Throttled(rec, fmt.Errorf("sign in: %w", &access.Throttled{Reason: "Too many attempts", RetryAfter: 90 * time.Second}))
	if !ok || reason != "Too many attempts" || rec.Header().Get("Retry-After") != "90" {
		t.Errorf("Throttled = %q, %v, Retry-After %q", reason, ok, rec.Header().Get("Retry-After"))
	}
	rec = httptest.NewRecorder()
	if _, ok := Throttled(rec, errors.New("boom")); ok || rec.Header().Get("Retry-After") != "" {
		t.Error("an error that is not a throttle was taken for one")
	}
}
